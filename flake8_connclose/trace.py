"""Run a program as `python` would and, at its exit, name the HTTP sessions,
clients and streams it left open, with the lines that created them::

    python -m flake8_connclose.trace SCRIPT [ARGS...]
    python -m flake8_connclose.trace -m MODULE [ARGS...]

The program's stdout, stderr and exit status are its own; the leaks are
added to stderr, after the program's own `atexit` handlers (which may close
what it kept open) have run.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys
from types import TracebackType

from flake8_connclose.runtime import Owner, Tracker

USAGE = "usage: python -m flake8_connclose.trace SCRIPT [ARGS...] | -m MODULE [ARGS...]"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help") or args == ["-m"]:
        print(USAGE, file=sys.stderr if not args or args[0] == "-m" else sys.stdout)
        return 0 if args and args[0] in ("-h", "--help") else 2
    tracker = Tracker()
    tracker.install()
    tracker.owner = Owner("", "program")  # a leak names the function that made it
    # Registered first, so it runs after every handler the program registers.
    atexit.register(_report, tracker)
    return _run(args)


def _run(args: list[str]) -> int:
    try:
        if args[0] == "-m":
            sys.argv = [args[1], *args[2:]]  # runpy puts the module's path in argv[0]
            runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(args)
            # As `python SCRIPT` does: the script's folder first on the path.
            sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
            runpy.run_path(args[0], run_name="__main__")
    except SystemExit:
        raise  # the interpreter turns its code into the status, as for the program
    except BaseException as error:
        _print_exception(error)
        return 1
    return 0


def _print_exception(error: BaseException) -> None:
    """The traceback as `python` prints it: from the program's frames, not
    this module's or runpy's."""
    tb: TracebackType | None = error.__traceback__
    # By identity: run with -m, this module is `__main__`, as is the program.
    while tb is not None and (tb.tb_frame.f_globals is globals()
                              or tb.tb_frame.f_globals.get("__name__") == "runpy"):
        tb = tb.tb_next
    # The default hook prints the exception's own traceback, not its argument.
    sys.excepthook(type(error), error.with_traceback(tb), tb)


def _report(tracker: Tracker) -> None:
    leaks = tracker.take()
    tracker.uninstall()
    if not leaks:
        return
    count = len(leaks)
    print(f"connclose: {count} session{'s' if count > 1 else ''} or stream"
          f"{'s' if count > 1 else ''} left open", file=sys.stderr)
    for leak in leaks:
        print(leak.message(), file=sys.stderr)
    sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
