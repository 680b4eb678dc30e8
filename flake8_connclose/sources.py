"""Bytes to source text, as Python itself would read them.

A file's encoding comes from its PEP 263 cookie or its BOM
(`tokenize.detect_encoding`), never from the locale; newlines are made `\\n`
as Python's tokenizer makes them, so positions match flake8's and Python's.
A file that cannot be read or decoded becomes a ``SourceError`` carrying a
position and a reason, so the caller can report it and go on.
"""

from __future__ import annotations

import codecs
import io
import re
import tokenize

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
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        # A bad cookie, or a BOM contradicting it: Python refuses to run it.
        bom = data.startswith(codecs.BOM_UTF8)
        hint = " (a UTF-8 BOM with another coding cookie)" if bom else ""
        raise SourceError("E999", f"SyntaxError: {error}{hint}", _cookie_line(data)) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(encoding, error) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def lines_of(text: str) -> list[str]:
    """Physical lines with their endings, split only at `\\n` as Python does
    (``str.splitlines`` would also split at form feeds and U+2028)."""
    return io.StringIO(text).readlines()


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
