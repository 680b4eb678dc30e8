"""`python -m flake8_connclose`: the `connclose` command."""

from __future__ import annotations

import sys

from flake8_connclose.cli import main

if __name__ == "__main__":
    sys.exit(main())
