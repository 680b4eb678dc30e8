"""Bytes to source text, as Python itself would read them.

A file's encoding comes from its PEP 263 cookie or its BOM
(`tokenize.detect_encoding`), never from the locale; newlines are made `\\n`
as Python's tokenizer makes them, so positions match flake8's and Python's.
A file that cannot be read or decoded becomes a ``SourceError`` carrying a
position and a reason, so the caller can report it and go on.

Fixed text goes back the same way: ``Original`` remembers the encoding (a BOM
is part of it: ``utf-8-sig``) and the line ending, and ``write_atomic``
replaces a file only once the whole new content is on disk beside it.
"""

from __future__ import annotations

import ast
import codecs
import io
import os
import re
import stat
import tempfile
import tokenize
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

_BREAK = re.compile(rb"\r\n|\r|\n")
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=]")


class SourceError(Exception):
    """Why a file's source could not be had, and where (1-based)."""

    def __init__(self, code: str, reason: str, line: int = 1, column: int = 1) -> None:
        super().__init__(code, reason, line, column)
        self.code = code
        self.reason = reason
        self.line = line
        self.column = column


def read(path: str) -> bytes:
    """The file's bytes; an OSError becomes an E902 ``SourceError``."""
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise SourceError("E902", f"{type(error).__name__}: {error.strerror or error}") from None


def decode(data: bytes) -> str:
    """The text of a Python file, BOM stripped and newlines made `\\n`."""
    encoding = encoding_of(data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(encoding, error) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def encoding_of(data: bytes) -> str:
    """The encoding Python reads the file in: its cookie, its BOM, or UTF-8."""
    try:
        encoding = tokenize.detect_encoding(io.BytesIO(data).readline)[0]
    except SyntaxError as error:
        # A bad cookie, or a BOM contradicting it: Python refuses to run it.
        bom = data.startswith(codecs.BOM_UTF8)
        hint = " (a UTF-8 BOM with another coding cookie)" if bom else ""
        raise SourceError("E999", f"SyntaxError: {error}{hint}", _cookie_line(data)) from None
    if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):
        # A codec such as rot13 turns bytes into bytes: Python refuses to read with it.
        raise SourceError("E999", f"SyntaxError: encoding problem: {encoding}", _cookie_line(data))
    return encoding


@dataclass(frozen=True)
class Original:
    """How a file's bytes became its text, to turn fixed text back into bytes."""

    data: bytes

    def encode(self, text: str) -> bytes:
        """``text`` (from ``decode``, or a fix of it) as this file would hold it.

        Raises ``SourceError`` when that cannot be done without changing lines
        the text did not change: a file that mixes line endings, or text that
        does not fit the file's encoding."""
        breaks = set(_BREAK.findall(self.data))
        if len(breaks) > 1:
            raise SourceError("E902", "the file mixes line endings")
        newline = breaks.pop().decode() if breaks else "\n"
        try:
            return text.replace("\n", newline).encode(encoding_of(self.data))
        except UnicodeEncodeError as error:
            raise SourceError("E902", f"the fixed text does not fit the file's encoding: "
                                      f"{error.reason}") from None


def write_atomic(path: str, data: bytes) -> None:
    """Replace the file at ``path`` (through a symlink, keeping its mode) with
    ``data``: written to a temporary file in the same directory, then renamed
    over it, so an interrupted run leaves the old file or the new, never half
    of one. Raises ``OSError``."""
    target = os.path.realpath(path)
    mode = stat.S_IMODE(os.stat(target).st_mode)
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target),
                                         prefix=f".{os.path.basename(target)}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


# A physical line as Python ends one: `\r\n`, `\r` or `\n`; not a form feed
# or U+2028, where ``str.splitlines`` would also split.
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
# Where ``str.splitlines`` splits besides. A text with none of them (nearly
# every one) it splits as Python does, at a fifth of the expression's cost.
_OTHER_SEPARATORS = ("\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


class Source:
    """One module's text, its physical lines (with their endings) as Python
    numbers them, and columns counted in characters: the one place that
    splits lines and turns ``ast``'s UTF-8 byte columns into characters."""

    def __init__(self, text: str) -> None:
        self.lines: Sequence[str] = (
            _PHYSICAL_LINE.findall(text) if any(c in text for c in _OTHER_SEPARATORS)
            else text.splitlines(keepends=True))

    @classmethod
    def of_lines(cls, lines: Sequence[str]) -> Source:
        """The source flake8 hands a plugin, as lines."""
        source = cls("")
        source.lines = lines
        return source

    def line(self, number: int) -> str:
        """Line ``number`` (1-based), or "" past the end."""
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def chars(self, line: int, byte_col: int) -> int:
        """``ast`` counts UTF-8 bytes; users, flake8 and libcst count characters."""
        text = self.line(line)
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))


@lru_cache(maxsize=4)
def located_source(text: str) -> Source:
    """The ``Source`` of a text a fix goes through, whose plans and checks
    ask for it once a finding each; shared, so read only."""
    return Source(text)


def _cookie_line(data: bytes) -> int:
    first_two = _BREAK.split(data, maxsplit=2)[:2]
    for number, line in enumerate(first_two, start=1):
        if _COOKIE.match(line):
            return number
    return 1


def _undecodable(encoding: str, error: UnicodeDecodeError) -> SourceError:
    """Where the first bad byte is, in lines and characters. ``error.object``
    is what the codec saw: for utf-8-sig, the bytes after the BOM."""
    seen = error.object
    before = _BREAK.split(seen[:error.start])
    column = len(before[-1].decode(encoding, "replace")) + 1
    reason = f"SyntaxError: (unicode error) '{error.encoding}' codec can't decode " \
             f"byte 0x{seen[error.start]:02x}: {error.reason}"
    return SourceError("E999", reason, len(before), column)


def first_line(stmt: ast.stmt) -> int:
    """The first line of a statement's source, its decorators included."""
    decorators: list[ast.expr] | None = getattr(stmt, "decorator_list", None)
    return min(stmt.lineno, *(d.lineno for d in decorators)) if decorators else stmt.lineno
