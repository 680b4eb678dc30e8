"""What the fixer is known to break: generated programs (by id) and
regression files (by stem), each a strict xfail in ``test_fix_differential``.

Empty since the fixer follows the lifetime rule (the 136 programs the first
sweep found broken all pass). A new failure found by a sweep is saved to
``regressions/`` and fixed in the planner; list it here only while that fix
is being made, with what the fixed program did differently, so that its test
turns red (XPASS, strict) the day it is fixed.
"""

KNOWN_BROKEN: dict[str, str] = {}
