"""Deciding fixes, in pure ``ast``: what to rewrite, or why not.

One planner per fix, each named by the rule that owns it (``Rule.planner``);
``common`` holds what they share, and nothing here imports a rule, libcst or
the fix layer above. The rules ask the planners to mark a finding fixable,
and the libcst rewriters (``flake8_connclose.fixes``) carry out exactly the
plan they return, so "fixable" and "fixed" cannot drift apart.
"""
