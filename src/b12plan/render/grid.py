"""Terminal tables that fit a width without splitting a date, a number, a unit or a code.

rich's own Table shrinks every column, no-wrap ones too, once their widths do not fit, and then
folds a date mid-token (`2026-11-2` / `0`). Here only prose wraps, between words, and a number
stays with the word after it (`1000 mcg`, `every 3 months`); a table offers variants from widest
to narrowest and the first that fits is used. Only when none fits is a line longer than the
width (the terminal wraps it, but every token is whole).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Literal

from rich.cells import cell_len
from rich.control import strip_control_codes
from rich.text import Span, Text

MARGIN, GAP = 1, 2
HANG = 2
"""Continuation lines of a heading or of a line under a row are indented this much more."""
LONGEST_WORD = 30
"""A word longer than this (free text typed without spaces) may be folded; no date, number,
unit, code or protocol id is this long, so those never are."""
# A line never breaks after these words: a number keeps its unit, "every" its interval, and a
# sign or arrow its operand; nor before a count (`every 1w x4`). The signs are a set, not part
# of the pattern: a character class beyond Latin-1 tripled what compiling it cost (~0.5% of a
# table's start-up).
_NUMBER = re.compile(r"\(?[0-9]+(?:[.,][0-9]+)?(?:[–-][0-9]+(?:[.,][0-9]+)?)?")
_GLUE_WORDS = frozenset(("<", ">", "≤", "≥", "=", "+", "×", "~", "→", "every", "x"))
_WORD = re.compile(r"\S+")

Cell = str | Text
Piece = str | Text
"""A line of a cell as laid out: a string where the cell was one (it has no style to carry),
else Text. A table's lines become Text once, when they are joined: rich's Text strips control
codes character by character whenever one is made or copied, and building every piece of a
table as Text was most of its start-up."""


# Plain slots classes, not dataclasses: the table's start-up pays for every class it defines.


class Column:
    """One column: its header, alignment, and whether its cells may wrap."""

    __slots__ = ("header", "justify", "narrowest", "prose")

    def __init__(
        self,
        header: str,
        justify: Literal["left", "right"] = "left",
        *,
        prose: bool = False,
        narrowest: int = 24,
    ) -> None:
        self.header = header
        self.justify = justify
        self.prose = prose
        """Prose wraps between words; any other cell keeps each of its lines whole."""
        self.narrowest = narrowest
        """A prose column narrower than this reads badly: the next variant is tried instead."""


class Row:
    """One row of cells, and lines printed under it (indented to the second column)."""

    __slots__ = ("below", "cells")

    def __init__(self, cells: Sequence[Cell], below: Sequence[Cell] = ()) -> None:
        self.cells = cells
        self.below = below


class Heading:
    """A line across the table, above the rows it names (a group's title)."""

    __slots__ = ("text",)

    def __init__(self, text: Cell) -> None:
        self.text = text


class Grid:
    """A table: columns, then rows and headings in order."""

    __slots__ = ("columns", "indent_below", "items", "rule")

    def __init__(
        self,
        columns: Sequence[Column],
        items: Sequence[Row | Heading],
        rule: str = "─",
        indent_below: int | None = None,
    ) -> None:
        self.columns = columns
        self.items = items
        self.rule = rule
        self.indent_below = indent_below
        """Where lines under a row start; by default under the second column."""


def as_text(cell: Cell) -> Text:
    """A cell as Text: strings are never read as rich markup (`[/]` in user text stays)."""
    return cell if isinstance(cell, Text) else Text(cell)


def _plain(cell: Cell) -> str:
    """The characters of `as_text(cell)`, without making the Text."""
    if isinstance(cell, Text):
        return cell.plain
    return cell if cell.isprintable() else strip_control_codes(cell)


# A table measures each text for every layout it tries and wraps it again: its runs of words
# are found once.
@lru_cache(maxsize=1024)
def _chunks(plain: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each run of words that must stay on one line."""
    chunks: list[tuple[int, int]] = []
    start = end = word_start = -1
    for match in _WORD.finditer(plain):
        if start < 0:
            start = match.start()
        elif not (_glues(plain[word_start:end]) or _is_count(match.group())):
            chunks.append((start, end))
            start = match.start()
        word_start, end = match.start(), match.end()
    if start >= 0:
        chunks.append((start, end))
    return tuple(chunks)


def _glues(word: str) -> bool:
    """Whether a line never breaks after `word` (see `_NUMBER`)."""
    return word in _GLUE_WORDS or _NUMBER.fullmatch(word) is not None


def _is_count(word: str) -> bool:
    """`x` and ASCII digits (`x4`): a count stays with what it counts."""
    digits = word[1:]
    return word[:1] == "x" and digits.isascii() and digits.isdigit()


def _longest(plain: str) -> int:
    """The narrowest width `plain` wraps to without breaking a run of words."""
    plain = plain.replace("\t", " ")
    return max((min(cell_len(plain[a:b]), LONGEST_WORD) for a, b in _chunks(plain)), default=0)


def _pieces(plain: str, width: int) -> Iterator[tuple[int, int]]:
    """Runs of words; a run wider than `width` as its words, a wider word folded."""
    for start, end in _chunks(plain):
        if cell_len(plain[start:end]) <= width:
            yield start, end
            continue
        for match in _WORD.finditer(plain, start, end):
            a, b = match.span()
            while cell_len(plain[a:b]) > width:
                cut = a + 1
                while cell_len(plain[a : cut + 1]) <= width:
                    cut += 1
                yield a, cut
                a = cut
            yield a, b


def _ranges(plain: str, widths: tuple[int, int]) -> list[tuple[int, int]]:
    """(start, end) in `plain` of each line it wraps to: the first line at most `widths[0]`
    cells wide, the others `widths[1]`; each line break in `plain` starts a new line."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    for part in plain.split("\n"):
        spans: list[tuple[int, int]] = []
        for a, b in _pieces(part, min(widths)):
            limit = widths[0] if not ranges and len(spans) <= 1 else widths[1]
            if spans and cell_len(part[spans[-1][0] : b]) <= limit:
                spans[-1] = (spans[-1][0], b)
            else:
                spans.append((a, b))
        ranges += [(offset + a, offset + b) for a, b in spans or [(0, 0)]]
        offset += len(part) + 1
    return ranges


def _wrapped(cell: Cell, width: int, first: int | None = None) -> Sequence[Piece]:
    """`wrap`, with a string's lines left strings."""
    # Tabs are kept by the input sanitiser, but a terminal would widen them unpredictably.
    plain = _plain(cell).replace("\t", " ")
    ranges = _ranges(plain, (max(first if first is not None else width, 1), max(width, 1)))
    if isinstance(cell, str):
        return [plain[a:b] for a, b in ranges]
    text = Text(plain, style=cell.style, spans=list(cell.spans))
    # One division for all the lines (slicing a Text one line at a time divides it whole each
    # time); the pieces between the lines are the spaces the lines break at.
    return text.divide([offset for span in ranges for offset in span])[1::2]


def wrap(cell: Cell, width: int, *, first: int | None = None) -> list[Text]:
    """`cell` in lines at most `width` cells wide (the first `first`), broken between runs of
    words. A run wider than the width breaks between its words, and a word wider than the
    width is folded: `layout` keeps columns wide enough that neither happens in a table."""
    return [as_text(line) for line in _wrapped(cell, width, first)]


def paragraph(cell: Cell, width: int, *, indent: int = 0, hang: int = HANG) -> list[Text]:
    """`cell` wrapped to `width`, indented; continuation lines `hang` cells further in."""
    lines = _wrapped(cell, width - indent - hang, width - indent)
    return [_indented(" " * (indent + (hang if k else 0)), line) for k, line in enumerate(lines)]


def _indented(space: str, line: Piece) -> Text:
    return Text(space + line) if isinstance(line, str) else Text(space) + line


def _cell_lines(cell: Cell) -> Sequence[Piece]:
    if isinstance(cell, str):
        return _plain(cell).split("\n")
    return list(cell.split("\n", allow_blank=True))


def _natural(column: Column, cells: Sequence[Cell]) -> int:
    lines = (line for cell in cells for line in _plain(cell).split("\n"))
    return max([cell_len(column.header), *map(cell_len, lines)])


def _minimum(column: Column, cells: Sequence[Cell], natural: int, *, strict: bool) -> int:
    if not column.prose:
        return natural
    floor = max([cell_len(column.header), *(_longest(_plain(c)) for c in cells)])
    return max(floor, min(column.narrowest, natural)) if strict else floor


def _columns(grid: Grid) -> list[list[Cell]]:
    rows = [item for item in grid.items if isinstance(item, Row)]
    return [[row.cells[i] for row in rows] for i in range(len(grid.columns))]


def _widths(grid: Grid, width: int, *, strict: bool) -> list[int] | None:
    """Column widths that fit `width`, or None; prose gets what the other columns leave."""
    cells = _columns(grid)
    natural = [_natural(c, cs) for c, cs in zip(grid.columns, cells, strict=True)]
    least = [
        _minimum(c, cs, n, strict=strict)
        for c, cs, n in zip(grid.columns, cells, natural, strict=True)
    ]
    room = width - MARGIN - GAP * (len(grid.columns) - 1) - sum(least)
    if room < 0 or not _spanning_fit(grid, width, least):
        return None
    widths = list(least)
    # Short prose first gets all it needs: squeezing it would add lines beside a long text
    # that wraps anyway.
    for i in sorted((i for i, c in enumerate(grid.columns) if c.prose), key=natural.__getitem__):
        extra = min(natural[i] - widths[i], room)
        widths[i] += extra
        room -= extra
    return widths


def _below_indent(grid: Grid, widths: Sequence[int]) -> int:
    if grid.indent_below is not None:
        return grid.indent_below
    return MARGIN + (widths[0] + GAP if len(widths) > 1 else 0)


def _spanning_fit(grid: Grid, width: int, widths: Sequence[int]) -> bool:
    """Headings and lines under rows fit beside their indent without breaking a run."""
    below = _below_indent(grid, widths)
    for item in grid.items:
        if isinstance(item, Heading):
            if MARGIN + HANG + _longest(_plain(item.text)) > width:
                return False
        elif any(below + HANG + _longest(_plain(line)) > width for line in item.below):
            return False
    return True


def least_width(grid: Grid) -> int:
    """The narrowest width `grid` can be laid out at without breaking a run of words."""
    cells = _columns(grid)
    least = [
        _minimum(c, cs, _natural(c, cs), strict=False)
        for c, cs in zip(grid.columns, cells, strict=True)
    ]
    width = MARGIN + GAP * (len(grid.columns) - 1) + sum(least)
    below = _below_indent(grid, least)
    for item in grid.items:
        lines = [item.text] if isinstance(item, Heading) else list(item.below)
        indent = MARGIN if isinstance(item, Heading) else below
        width = max([width, *(indent + HANG + _longest(_plain(line)) for line in lines)])
    return width


def _join(parts: Sequence[Piece], widths: Sequence[int], columns: Sequence[Column]) -> Text:
    """One line of the table: each part aligned in its column, the end stripped. What
    `Text.align` and `Text.append_text` would make, with strings padded as strings."""
    chunks, spans, offset = [" " * MARGIN], [], MARGIN
    for i, (part, width, column) in enumerate(zip(parts, widths, columns, strict=True)):
        if i:
            chunks.append(" " * GAP)
            offset += GAP
        if isinstance(part, str) and (excess := width - cell_len(part)) >= 0:
            pad = " " * excess
            padded = part + pad if column.justify == "left" else pad + part
        else:  # Text, or a string too wide for its column: rich crops it
            cell = as_text(part).copy()
            cell.align(column.justify, width)
            padded = cell.plain
            if cell.style:
                spans.append(Span(offset, offset + len(padded), cell.style))
            spans += [Span(start + offset, end + offset, style) for start, end, style in cell.spans]
        chunks.append(padded)
        offset += len(padded)
    plain = "".join(chunks)
    line = Text(plain, spans=spans)
    if (stripped := len(plain) - len(plain.rstrip())) > 0:
        line.right_crop(stripped)
    return line


def _row_lines(row: Row, widths: Sequence[int], grid: Grid, width: int) -> list[Text]:
    blocks = [
        _wrapped(cell, w) if column.prose else _cell_lines(cell)
        for cell, w, column in zip(row.cells, widths, grid.columns, strict=True)
    ]
    height = max(len(block) for block in blocks)
    lines = [
        _join([b[k] if k < len(b) else "" for b in blocks], widths, grid.columns)
        for k in range(height)
    ]
    indent = _below_indent(grid, widths)
    for extra in row.below:
        lines += paragraph(extra, width, indent=indent)
    return lines


def layout(grid: Grid, width: int, *, strict: bool = True) -> list[Text] | None:
    """The table's lines at `width` (header, rule, rows), or None when it does not fit."""
    widths = _widths(grid, width, strict=strict)
    if widths is None:
        return None
    header = _join([Text(c.header, style="bold") for c in grid.columns], widths, grid.columns)
    span = sum(widths) + GAP * (len(widths) - 1)
    lines: list[Text] = []
    for item in grid.items:
        if isinstance(item, Heading):
            lines += paragraph(item.text, width, indent=MARGIN)
        else:
            rows = _row_lines(item, widths, grid, width)
            # The rule runs under lines printed beneath a row too; a heading may be longer.
            span = max([span, *(line.cell_len - MARGIN for line in rows)])
            lines += rows
    return [header, Text(" " * MARGIN) + Text(grid.rule * span, style="dim"), *lines]


def fitted(variants: Sequence[Grid], width: int) -> tuple[int, list[Text]]:
    """The first variant that fits with readable prose; else, of those that fit at all, the
    one in fewest lines; else the last at the narrowest width it allows (then wider than
    `width`, but whole). With the index of the variant used."""
    for index, grid in enumerate(variants):
        lines = layout(grid, width)
        if lines is not None:
            return index, lines
    squeezed = [(i, layout(grid, width, strict=False)) for i, grid in enumerate(variants)]
    fitting = [(len(lines), i, lines) for i, lines in squeezed if lines is not None]
    if fitting:
        _, index, lines = min(fitting, key=lambda found: found[:2])
        return index, lines
    last = variants[-1]
    lines = layout(last, least_width(last), strict=False)
    assert lines is not None  # noqa: S101 - least_width is the width it fits by definition
    return len(variants) - 1, lines
