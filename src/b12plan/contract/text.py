"""The one sanitiser for user text, and the one way a message quotes a value.

Free text (an override reason, an injection site, a custom protocol's title or wording) ends up
in a terminal, a calendar, a spreadsheet and a web page. Rather than trust every renderer to
strip what each medium cannot take, every input document passes `clean_tree` as it is validated
(the input models' base classes call it), so no renderer ever sees a control character: an
escape sequence cannot restyle the terminal, and an ICS file never carries the control
characters RFC 5545 forbids in TEXT. What each format must still escape for itself (ICS
TEXT, the CSV formula guard, HTML) stays in its renderer.

Cleaning keeps what text means: tabs and line breaks stay (CR LF and lone CR become LF, as do
the Unicode line and paragraph separators); other control characters, lone surrogates and the
bidirectional overrides that reorder what a reader sees are written out visibly (`\\x1b`,
`\\u202e`), so whoever reads the plan sees that something odd was typed, and where.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final

QUOTE_CHARS = 40
# A file's path is shown longer: it is for finding the file, and rarely a typo of megabytes.
PATH_CHARS = 200
"""At most this many characters of a value are quoted in a message."""
MAX_DEPTH = 32
"""Deepest nesting of an input document; the deepest valid one has four levels."""
# Bidirectional formatting characters: they make "1000 mcg" display as something else
# (the "Trojan Source" attack); zero-width joiners and the like are left alone.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n"}


def _escaped(ch: str) -> str:
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")


def _unsafe(ch: str) -> bool:
    # Imported here: only text that is not printable gets this far, and the module (a shared
    # library) costs every start, `--help` included, more than the rest of this one.
    import unicodedata

    return ch in _BIDI or unicodedata.category(ch) in ("Cc", "Cs")


def clean_text(text: str) -> str:
    """`text` safe for every output: controls escaped visibly, tabs and line breaks kept.

    Idempotent: cleaning clean text changes nothing.
    """
    if text.isprintable():  # the common case, at C speed
        return text
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    return "".join(_escaped(ch) if ch not in "\t\n" and _unsafe(ch) else ch for ch in text)


def clean_tree(value: Any) -> Any:
    """A parsed document with every string cleaned, keys included; other values unchanged.

    A key with a control character cleans to text holding a backslash, which no field name
    has: if two such keys clean alike, the first is kept and the model rejects it as unknown.
    ValueError names where a document is nested more than MAX_DEPTH levels deep.
    """
    if type(value) is CleanDocument or _is_clean(value):
        return value  # the common case: nothing to clean, nothing to copy
    try:
        return _clean(value, 0)
    except _TooDeepError as exc:
        msg = f"{format_loc(exc.loc)} is nested more than {MAX_DEPTH} levels deep"
        raise ValueError(msg) from None


class CleanDocument(dict[str, Any]):
    """A document parsed from JSON text that `json_text_is_clean` passed: `clean_tree` gives it
    back as it is, without walking it. Made by the parser, straight from the text; a changed
    copy of it (`dict(document)`, overrides applied) is a plain dict again, and is walked."""

    __slots__ = ()


def json_text_is_clean(text: bytes) -> bool:
    """Whether the document parsed from the JSON `text` (strictly: no raw control character
    inside a string) is clean, read from its bytes: printable ASCII with no backslash has no
    escape, so each of its strings is printable (DEL is the one control character JSON lets a
    string carry raw), and fewer than MAX_DEPTH brackets cannot nest that deep.

    A batch line is almost always such text: walking its parsed values to find out cost a batch
    more than this pass in C (`translate` drops every byte that is plainly fine in one go)."""
    left = text.translate(None, _PLAIN_BYTES)
    return len(left) < MAX_DEPTH and not left.strip(b"{[")


# Printable ASCII but for the backslash and the two opening brackets.
_PLAIN_BYTES: Final = bytes(range(0x20, 0x5B)) + bytes(range(0x5D, 0x7B)) + bytes(range(0x7C, 0x7F))


_CONTAINERS: Final = (dict, list, tuple)
"""As a tuple: `isinstance(x, dict | list | tuple)` builds the union at every call (~0.2 us), and
`_is_clean` asks it of every value of every batch line."""


def _is_clean(value: Any) -> bool:
    """Whether cleaning `value` would give it back unchanged: every string (key or value) is
    printable, it holds no tuple (cleaning makes lists of them), and no container is nested
    MAX_DEPTH deep. One pass without recursion or copies; `_clean` does the rest."""
    if isinstance(value, str):
        return value.isprintable()
    stack: list[tuple[Any, int]] = [(value, 0)]
    # The two loops are alike but for the keys: one loop over both, with the keys checked by a
    # generator, took a third longer (a batch runs this on every line).
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            if depth >= MAX_DEPTH:
                return False
            for key, inner in item.items():
                if isinstance(key, str) and not key.isprintable():
                    return False
                if isinstance(inner, str):
                    if not inner.isprintable():
                        return False
                elif isinstance(inner, _CONTAINERS):
                    stack.append((inner, depth + 1))
        elif isinstance(item, list):
            if depth >= MAX_DEPTH:
                return False
            for inner in item:
                if isinstance(inner, str):
                    if not inner.isprintable():
                        return False
                elif isinstance(inner, _CONTAINERS):
                    stack.append((inner, depth + 1))
        elif isinstance(item, tuple):
            return False
    return True


class _TooDeepError(Exception):
    def __init__(self) -> None:
        self.loc: list[str | int] = []


def _clean(value: Any, depth: int) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if not isinstance(value, dict | list | tuple):
        return value
    if depth >= MAX_DEPTH:
        raise _TooDeepError
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            clean_key = clean_text(key) if isinstance(key, str) else key
            out.setdefault(clean_key, _clean_at(clean_key, item, depth))
        return out
    return [_clean_at(i, item, depth) for i, item in enumerate(value)]


def _clean_at(where: Any, item: Any, depth: int) -> Any:
    try:
        return _clean(item, depth + 1)
    except _TooDeepError as exc:
        # The path is built on the way out: a document of normal depth pays nothing for it.
        exc.loc.insert(0, where if isinstance(where, int | str) else str(where))
        raise


def format_loc(loc: Sequence[str | int]) -> str:
    """`("labs", 0, "unit")` -> `labs[0].unit`: list positions read as indexes, as in the docs.

    A key that is not a plain name (an unknown key the user typed: spaces, symbols, 500 KB of
    it) goes through `quote`, as every value a message shows does."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = part if _PLAIN_KEY.match(part) else quote(part)
        out += f".{name}" if out else name
    return out


def clip_loc(loc: Sequence[str | int]) -> tuple[str | int, ...]:
    """`loc` with a key too long to repeat (an unknown key of 500 KB) as `quote` shows it, so
    that the JSON error object stays short too; ordinary keys are kept as they are."""
    return tuple(
        part if isinstance(part, int) or len(part) <= QUOTE_CHARS else quote(part) for part in loc
    )


def printable(text: str) -> str:
    """`text` on one line: every character that is not printable written out (`\\n`, `\\x1b`).

    For messages about what the user typed: a newline in a field name must not split the one
    error line, and an escape sequence must not reach the terminal.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escaped(ch) for ch in text)


def shorten(text: str, limit: int = 200) -> str:
    """`text` on one line and at most `limit` characters, its full length said when cut."""
    if len(text) <= limit:
        return printable(text)
    return f"{printable(text[:limit])}… ({len(text):,} characters)"


def internal_error(exc: BaseException) -> str:
    """What a bug says about itself, short: `internal error (KeyError: 'x')`."""
    return f"internal error ({type(exc).__name__}: {shorten(str(exc))})"


class LazyPattern:
    """A regular expression compiled when first used: compiling one costs as much as importing a
    small module, and most runs never need most of b12plan's."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags = source, flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled expression."""
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        """`re.Pattern.match`."""
        return self.compiled.match(text)

    def fullmatch(self, text: str) -> re.Match[str] | None:
        """`re.Pattern.fullmatch`."""
        return self.compiled.fullmatch(text)


# A field name as the documents spell them: written bare in a location (`labs[0].unit`).
_PLAIN_KEY = LazyPattern(r"^[A-Za-z_$][A-Za-z0-9_$-]{0,39}\Z")


def iso_date_shaped(text: str) -> bool:
    """Whether `text` is spelt `YYYY-MM-DD` in ASCII digits (not whether the date exists)."""
    return (
        len(text) == 10
        and text[4] == text[7] == "-"
        and text.isascii()
        and (text[:4] + text[5:7] + text[8:]).isdigit()
    )


_LONG_RUN = LazyPattern(r"\S{300,}")


def clip_runs(message: str) -> str:
    """`message` with any run of 300 or more non-blank characters cut to its first 100.

    The net under `quote`: a value that reached a message unquoted (a path, or a value in
    click's own usage message) still cannot make a line of megabytes.
    """
    if len(message) < 300:
        return message
    return _LONG_RUN.compiled.sub(
        lambda m: f"{m.group()[:100]}… ({len(m.group()):,} characters)", message
    )


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """A value as a message shows it: in quotes, cut to `limit` characters with its size said.

    A 500 KB string in a field must not make a 500 KB error line; a 5,000-digit integer cannot
    even be written out in decimal (Python refuses past 4,300 digits), so only its size is.
    Text is shown as typed: a backslash stays one backslash (`'C:\\temp'`, or a key whose
    control character the cleaning already wrote out, `'a\\x1bb'`), so the user recognises it;
    only text holding a character that must be written out is shown as Python writes it, where
    a typed backslash is doubled to tell the two apart.
    """
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        digits = _digits(value)
        if digits > limit:
            sign = "a negative" if value < 0 else "an"
            return f"{sign} integer of {digits:,} digits"
        return str(value)
    if not isinstance(value, str):
        return shorten(str(value), limit)
    if len(value) <= limit:
        return _quoted(value)
    return f"{_quoted(value[:limit])}… ({len(value):,} characters)"


def _quoted(text: str) -> str:
    if text.isprintable() and not ("'" in text and '"' in text):
        mark = '"' if "'" in text else "'"  # as repr chooses
        return f"{mark}{text}{mark}"
    # Something to write out (or both quote marks): repr's escapes, all of them, backslash too.
    return printable(repr(text))


def _digits(value: int) -> int:
    magnitude = abs(value)
    if magnitude < 10**QUOTE_CHARS:
        return len(str(magnitude))
    # Past 4,300 digits str() refuses; the bit length gives the count to within one, and a
    # power of ten settles it.
    import math  # only for numbers of more than QUOTE_CHARS digits

    digits = int(magnitude.bit_length() * math.log10(2)) + 1
    return digits - 1 if magnitude < 10 ** (digits - 1) else digits
