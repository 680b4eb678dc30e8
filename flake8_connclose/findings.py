"""The value the engine returns: one finding, free of any front end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """A rule violation at a position.

    ``line`` is 1-based and ``col`` 0-based, both counted in characters (not
    UTF-8 bytes as ``ast`` counts them), which is what flake8 expects a plugin
    to yield; front ends print ``col + 1``.
    """

    line: int
    col: int
    code: str
    message: str
    end_line: int
    end_col: int
    fixable: bool = False

    @property
    def text(self) -> str:
        """The finding as flake8 prints it after the position."""
        return f"{self.code} {self.message}"
