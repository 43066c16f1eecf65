"""The terminal grid: prose wraps between words and never after a number, a table picks the
widest variant that fits, and nothing is split that a reader would misread."""

from __future__ import annotations

from rich.text import Text

from b12plan.render.grid import (
    Column,
    Grid,
    Heading,
    Row,
    fitted,
    layout,
    least_width,
    paragraph,
    wrap,
)


def _plain(lines: list[Text]) -> list[str]:
    return [line.plain for line in lines]


def test_a_number_keeps_its_unit_and_every_its_interval() -> None:
    """`1000 mcg/mL`, `every 3 months` and `< 130 g/L` stay on one line."""
    text = "strength 1000 mcg/mL given every 3 months while Hb < 130 g/L"
    assert _plain(wrap(text, 14)) == [
        "strength",
        "1000 mcg/mL",
        "given",
        "every 3 months",
        "while Hb",
        "< 130 g/L",
    ]


def test_a_count_stays_with_its_interval() -> None:
    """A regimen step breaks before `every`, never before its count `x4`."""
    assert _plain(wrap("500mcg im every 1w x4", 12)) == ["500mcg im", "every 1w x4"]


def test_dates_and_codes_are_never_split() -> None:
    """A date or a code longer than what is left of the line moves whole to the next one."""
    assert _plain(wrap("due 2026-11-20 (NICE-NG239)", 12)) == ["due", "2026-11-20", "(NICE-NG239)"]


def test_a_run_wider_than_the_line_breaks_between_its_words() -> None:
    """Glue gives way before a run of words is folded: `every 3` then `months`."""
    assert _plain(wrap("every 3 months", 8)) == ["every 3", "months"]


def test_only_a_word_wider_than_the_line_is_folded() -> None:
    """A word longer than the width (typed free text) is cut; nothing else is."""
    assert _plain(wrap("site abcdefghijkl", 5)) == ["site", "abcde", "fghij", "kl"]


def test_line_breaks_are_kept_and_tabs_become_spaces() -> None:
    """A line break in a cell starts a new line; a tab reads as one space."""
    assert _plain(wrap("left\tdeltoid\nsecond", 20)) == ["left deltoid", "second"]


def test_styles_survive_wrapping() -> None:
    """A styled word keeps its style on the line it moves to."""
    text = Text("status ")
    text.append("overdue", style="bold red")
    second = wrap(text, 8)[1]
    assert second.plain == "overdue"
    assert [(s.start, s.end, s.style) for s in second.spans] == [(0, 7, "bold red")]


def test_paragraph_hangs_its_continuation_lines() -> None:
    """Continuation lines are indented two more than the first."""
    assert _plain(paragraph("one two three four", 10, indent=1)) == [
        " one two",
        "   three",
        "   four",
    ]


GRID = Grid(
    [Column("date"), Column("why", prose=True, narrowest=20)],
    [Heading("maintenance"), Row(["2026-11-10", "every 2 months after symptoms"])],
)
NARROW = Grid([Column("date")], [Row(["2026-11-10"], ["every 2 months after symptoms"])])


def test_layout_gives_prose_what_is_left() -> None:
    """Dates keep their width; prose takes the rest of the line and wraps within it."""
    assert _plain(layout(GRID, 36) or []) == [
        " date        why",
        " " + "─" * 35,
        " maintenance",
        " 2026-11-10  every 2 months after",
        "             symptoms",
    ]


def test_a_variant_that_would_squeeze_prose_gives_way_to_the_next() -> None:
    """Below the prose column's narrowest readable width the next variant is used."""
    index, lines = fitted([GRID, NARROW], 24)
    assert index == 1
    assert _plain(lines)[2:] == [" 2026-11-10", " every 2 months after", "   symptoms"]


def test_when_nothing_fits_the_table_is_wider_but_whole() -> None:
    """Narrower than any variant allows, the last is laid out at its own narrowest width."""
    _, lines = fitted([GRID, NARROW], 8)
    assert least_width(NARROW) == 17  # margin, hang and "every 2 months"
    assert _plain(lines)[2:] == [" 2026-11-10", " every 2 months", "   after symptoms"]
