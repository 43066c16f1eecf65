"""Reading patient, regimen and protocol documents from files or stdin: bounded, UTF-8.

This is the input's I/O edge; the engine never reads files. Parsing the text is
`b12plan.io.parsing`'s (pure). Every failure is an InvalidInput that names the file and what is
allowed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO, Any

from b12plan.contract.text import PATH_CHARS, quote
from b12plan.errors import InvalidInput
from b12plan.io.parsing import loads_strict, parse_document

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Line",
    "loads_strict",
    "read_document",
    "read_lines",
    "read_text",
    "stdin_bytes",
]

MAX_DOCUMENT_BYTES = 1024 * 1024


def stdin_bytes() -> IO[bytes]:
    """Standard input as bytes; InvalidInput when it is closed (`<&-` leaves Python none)."""
    stream = sys.stdin
    if stream is None:
        raise InvalidInput(["file"], "cannot read stdin: it is closed")
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)
    if buffer is None:
        raise InvalidInput(["file"], "cannot read stdin: it has no byte stream")
    return buffer


def read_text(path: str, what: str = "file", limit: int = MAX_DOCUMENT_BYTES) -> str:
    """Read a UTF-8 text file (or stdin for `-`), at most `limit` bytes."""
    origin = "stdin" if path == "-" else quote(path, PATH_CHARS)
    source = stdin_bytes() if path == "-" else None
    try:
        if source is not None:
            raw = source.read(limit + 1)
        else:
            # The builtin, not pathlib: importing pathlib costs every command ~5% of its start.
            with open(path, "rb") as handle:  # noqa: PTH123
                raw = handle.read(limit + 1)
    except (OSError, ValueError) as exc:  # ValueError: a stream closed under us
        raise InvalidInput([what], f"cannot read {origin}: {_reason(exc)}") from None
    if len(raw) > limit:
        raise InvalidInput([what], f"{origin} is larger than {limit} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput([what], f"{origin} is not UTF-8 text") from None
    if "\x00" in text:
        raise InvalidInput([what], f"{origin} is binary, not a JSON or TOML document")
    return text


def _reason(exc: OSError | ValueError) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc)


def read_document(path: str) -> dict[str, Any]:
    """Read a patient (or regimen) document from a path or `-`."""
    return parse_document(read_text(path), "stdin" if path == "-" else path)


Line = bytes | InvalidInput
"""One input line without its line ending, or the error that stands for a line too long."""


def read_lines(source: IO[bytes]) -> Iterator[Line]:
    """Lines without their endings; an over-long line is skipped in pieces and stands as an
    error in its place."""
    while True:
        raw = _read(source, MAX_DOCUMENT_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_DOCUMENT_BYTES and not raw.endswith(b"\n"):
            while (rest := _read(source, MAX_DOCUMENT_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield InvalidInput((), f"the line is longer than {MAX_DOCUMENT_BYTES} bytes")
            continue
        yield raw.rstrip(b"\r\n")


def _read(source: IO[bytes], limit: int) -> bytes:
    try:
        return source.readline(limit)
    except OSError as exc:
        raise InvalidInput(["file"], f"cannot read the input: {exc.strerror or exc}") from None
