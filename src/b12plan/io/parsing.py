"""Parsing documents: JSON or TOML text in, plain data out, strict and never executed.

Pure (no I/O): `loading` reads files and stdin, the protocols module parses its own TOML. Every
failure is an InvalidInput naming the document and what is wrong, whatever the parser raised.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from b12plan.contract.text import CleanDocument, json_text_is_clean, printable, quote
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from json import JSONDecoder


def _reject_constant(name: str) -> Any:
    msg = f"{name} is not a number JSON allows"
    raise ValueError(msg)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # dict() in C, then a count: a Python loop per key cost as much as the rest of the parse.
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                msg = f"duplicate key {quote(key)}"
                raise ValueError(msg)
            seen.add(key)
    return out


# One decoder for every document: json.loads with options builds a new one per call, which
# was a tenth of the cost of parsing a batch line. Made on first use: a run given only options
# parses no JSON, and importing `json` costs it ~2% of its start.
_DECODER: JSONDecoder | None = None


def loads_strict(text: str) -> Any:
    """`json.loads` without duplicate keys, NaN or Infinity (ValueError says which)."""
    global _DECODER  # noqa: PLW0603 - made once, on first use
    if _DECODER is None:
        import json

        _DECODER = json.JSONDecoder(
            object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
        )
    if text.startswith("\ufeff"):  # the one check json.loads makes before decoding
        import json

        raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
    # `decode` is `raw_decode` with whitespace matched on either side and the end checked: a
    # document that is one object from its first character to its last, as a batch line is,
    # needs `raw_decode` alone. Anything else, a failure included, takes `decode`'s way, for
    # its exact error.
    if text[:1] == "{":
        try:
            document, end = _DECODER.raw_decode(text)
        except ValueError:
            pass
        else:
            if end == len(text):
                return document
    return _DECODER.decode(text)


def parse_json(text: str, origin: str) -> Any:
    """Strict JSON: no duplicate keys, no NaN or Infinity."""
    import json

    try:
        return loads_strict(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            ["file"],
            f"{origin} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
        ) from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(["file"], f"{origin} is not valid JSON: {parse_problem(exc)}") from None


def parse_toml(text: str, origin: str, field: str = "file") -> dict[str, Any]:
    """TOML as tomllib reads it; whatever tomllib raises is an InvalidInput naming `field`.

    tomllib reports malformed TOML as TOMLDecodeError, but deep nesting as RecursionError and
    an integer of more than 4,300 digits as a plain ValueError.
    """
    import tomllib  # only for TOML: importing it costs a JSON run ~3% of its start

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput([field], f"{origin} is not valid TOML: {exc}") from None
    except (ValueError, RecursionError) as exc:
        raise InvalidInput([field], f"{origin} is not valid TOML: {parse_problem(exc)}") from None


def parse_problem(exc: ValueError | RecursionError) -> str:
    """What a JSON or TOML parser's ValueError or RecursionError means, in a few words."""
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    text = str(exc)
    if "integer string conversion" in text:  # Python's guard against quadratic int parsing
        return f"a number has more than {sys.get_int_max_str_digits()} digits"
    return printable(text)  # the parsers' own messages are short; ours quote() their values


def parse_document(text: str, origin: str, fmt: str | None = None) -> dict[str, Any]:
    """Parse a JSON or TOML document whose top level must be an object (table)."""
    if not text.strip():
        raise InvalidInput(["file"], f"{origin} is empty; expected a JSON or TOML document")
    kind = fmt or ("toml" if origin.endswith(".toml") else "json")
    data: Any = parse_toml(text, origin) if kind == "toml" else parse_json(text, origin)
    if not isinstance(data, dict):
        raise InvalidInput(
            ["file"],
            f"{origin} must hold one object (a patient document), not {_json_kind(data)}",
        )
    return data


def parse_json_line(data: bytes, schema: str = "patient") -> dict[str, Any]:
    """One document from JSON text as bytes (a line of JSON Lines): UTF-8, strict, an object;
    a `CleanDocument` where its bytes show that it needs no cleaning."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise InvalidInput((), "the line is not UTF-8 text") from None
    if not text.strip():
        raise InvalidInput((), f"blank line; expected one {schema} document (a JSON object) a line")
    try:
        document = loads_strict(text)
    except (ValueError, RecursionError) as exc:
        import json  # loaded already, by loads_strict: only a failure looks it up

        if isinstance(exc, json.JSONDecodeError):
            raise InvalidInput((), f"not valid JSON: {exc.msg} at column {exc.colno}") from None
        raise InvalidInput((), f"not valid JSON: {parse_problem(exc)}") from None
    if not isinstance(document, dict):
        kind = _json_kind(document)
        raise InvalidInput((), f"must be one {schema} document (a JSON object), not {kind}")
    # What the bytes tell of the strings in them spares the validation a walk over every value.
    return CleanDocument(document) if json_text_is_clean(data) else document


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return "a string" if isinstance(value, str) else "an array"
