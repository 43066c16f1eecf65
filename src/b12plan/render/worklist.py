"""The audit's worklist as text: table, json, ndjson and csv (html: `worklist_html.py`).

Each writer reads the worklist document only: its head (`b12plan.auditing.worklist_head`) and its
entries, most urgent first, as they come (a health board's worklist is a million lines; nothing
here holds them all). Each yields the text in pieces.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from pydantic_core import to_json

from b12plan.contract.text import printable

CSV_FIELDS: Final = (
    "ref",
    "status",
    "next_due",
    "days_overdue",
    "last_given",
    "interval",
    "protocol",
    "tests_due",
    "findings",
    "off_protocol",
    "problems",
)
"""One patient a row, in column order (csv)."""
COLOURS: Final = {
    "needs-review": "\x1b[1;35m",
    "blocked": "\x1b[1;31m",
    "lapsed": "\x1b[1;31m",
    "overdue": "\x1b[31m",
    "due": "\x1b[1;33m",
    "loading": "\x1b[36m",
    "due-soon": "\x1b[33m",
    "up-to-date": "\x1b[32m",
    "stopped": "\x1b[2m",
}
RESET: Final = "\x1b[0m"


def summary_line(head: Mapping[str, Any]) -> str:
    """`12 patients: 1 needs-review, 3 overdue, ...` (statuses with none left out), and how
    many are listed when `--status` keeps only some."""
    summary = head["summary"]
    counts = [f"{n} {status}" for status, n in summary["by_status"].items() if n]
    total = summary["patients"]
    line = f"{total} patient{'s' if total != 1 else ''}" + (
        f": {', '.join(counts)}" if counts else ""
    )
    if head["statuses"] is not None:
        line += f" (listed: {summary['listed']}, {', '.join(head['statuses'])})"
    return line


def settings_words(head: Mapping[str, Any]) -> str:
    """Which settings file the run read, as the table's header says it."""
    return f"settings: {head['settings']}" if head["settings"] else "no settings file"


# ---------------------------------------------------------------- json, ndjson


def worklist_json(head: Mapping[str, Any], entries: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """The whole worklist document, indented, its entries written one by one."""
    opening = json.dumps({**head, "patients": []}, indent=2, ensure_ascii=False)
    before, _, _ = opening.rpartition('"patients": []')
    yield before + '"patients": ['
    first = True
    for entry in entries:
        text = json.dumps(entry, indent=2, ensure_ascii=False).replace("\n", "\n    ")
        yield ("\n    " if first else ",\n    ") + text
        first = False
    yield "]\n}\n" if first else "\n  ]\n}\n"


def entry_line(entry: Mapping[str, Any]) -> bytes:
    """One entry as compact JSON (UTF-8, no line end): an ndjson line, and what the audit keeps
    of each patient until the worklist is in order.

    pydantic-core's serialiser, as the batch's plans: the bytes `json.dumps(entry,
    ensure_ascii=False, separators=(",", ":"))` would give for every value an entry holds (its
    one float, a dose, is at least 1 mcg: the two differ only below 1e-4), at a third of the
    cost.
    """
    return to_json(entry)


def worklist_ndjson(entries: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """One patient a line: the entry as compact JSON."""
    for entry in entries:
        yield entry_line(entry).decode("utf-8") + "\n"


# ---------------------------------------------------------------- csv


def flat_entry(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One entry as a spreadsheet row: lists joined with `; `."""
    off = [
        f"dose {dose['n']} {dose['date']}: {', '.join(e['code'] for e in dose['evaluation'])}"
        for dose in entry["doses"]
        if dose["evaluation"][0]["code"] != "on-time"
    ]
    return {
        "ref": entry["ref"],
        "status": entry["status"],
        "next_due": entry["next_due"] or "",
        "days_overdue": "" if entry["days_overdue"] is None else entry["days_overdue"],
        "last_given": entry["last_given"] or "",
        "interval": entry["interval"] or "",
        "protocol": entry["protocol"] or "",
        "tests_due": "; ".join(test_words(t) for t in entry["tests_due"]),
        "findings": "; ".join(f"{f['code']}: {f['message']}" for f in entry["findings"]),
        "off_protocol": "; ".join(off),
        "problems": "; ".join(problem_words(p) for p in entry["problems"]),
    }


def worklist_csv(entries: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """A header row, then one patient a row (RFC 4180: CRLF line ends)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({k: _cell(v) for k, v in flat_entry(entry).items()})
        if buffer.tell() > 1 << 16:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _cell(value: Any) -> Any:
    # A cell a spreadsheet would run as a formula is shown as text (OWASP: CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def test_words(test: Mapping[str, Any]) -> str:
    """`FBC (overdue, from 2026-10-27)`."""
    return f"{test['test']} ({test['status']}, from {test['date']})"


def problem_words(problem: Mapping[str, Any]) -> str:
    """`events.csv row 12, event: ...`."""
    where = ""
    if problem["source"] is not None:
        where = f"{problem['source']} row {problem['row']}" if problem["row"] else problem["source"]
    field = problem["field"]
    lead = ", ".join(part for part in (where, field) if part)
    return f"{lead}: {problem['msg']}" if lead else problem["msg"]


# ---------------------------------------------------------------- table


COLUMNS: Final = (
    # name, heading, width, dropped first when the terminal is narrow (higher first)
    ("status", "status", 12, 0),
    ("ref", "ref", 14, 0),
    ("next_due", "next due", 10, 0),
    ("days_overdue", "overdue", 7, 1),
    ("last_given", "last given", 10, 3),
    ("interval", "interval", 8, 4),
    ("protocol", "protocol", 23, 5),
)
MIN_NOTES: Final = 16
UNDER: Final = "  "  # notes too long for their column, under the row


def worklist_table(
    head: Mapping[str, Any],
    entries: Iterable[Mapping[str, Any]],
    *,
    width: int = 100,
    color: bool = False,
) -> Iterator[str]:
    """A heading, the summary, then one line a patient that fits in `width` columns: the
    status (coloured on a terminal), the dates, and notes (tests due, findings, problems)."""
    columns = list(COLUMNS)
    while sum(c[2] + 2 for c in columns) + MIN_NOTES > width and any(c[3] for c in columns):
        columns.remove(max(columns, key=lambda c: c[3]))
    notes = width - sum(c[2] + 2 for c in columns)
    title = (
        f"b12plan audit, as of {head['as_of']}; due-soon within {head['due_within']}; "
        f"{settings_words(head)}"
    )
    import textwrap

    for text in (title, summary_line(head)):
        yield (
            "\n".join(
                textwrap.wrap(
                    printable(text), width, break_long_words=False, break_on_hyphens=False
                )
            )
            + "\n"
        )
    yield "\n"
    yield _line([c[1] for c in columns], columns, "notes", notes).rstrip() + "\n"
    for entry in entries:
        cells = [_table_cell(entry, c[0]) for c in columns]
        note = printable(note_words(entry))
        # Notes that do not fit their column go whole under the row, wrapped between words:
        # a problem or a test is never cut off.
        beside = note if len(note) <= notes else ""
        line = _line(cells, columns, beside, notes).rstrip()
        if color:
            status = entry["status"]
            line = COLOURS[status] + status + RESET + line[len(status) :]
        under = (
            []
            if beside or not note
            else textwrap.wrap(note, width - len(UNDER), break_on_hyphens=False)
        )
        yield line + "\n" + "".join(f"{UNDER}{more}\n" for more in under)
    if head["summary"]["listed"] == 0:
        yield "(no patient has the statuses asked for)\n"


def _table_cell(entry: Mapping[str, Any], name: str) -> str:
    value = entry[name]
    if value is None:
        return ""
    if name == "days_overdue":
        return f"{value} d"
    return str(value)


def _line(cells: list[str], columns: list[Any], notes: str, _notes_width: int) -> str:
    parts = [
        _fit(cell, column[2]).ljust(column[2]) for cell, column in zip(cells, columns, strict=True)
    ]
    return "  ".join([*parts, notes])


def _fit(text: str, width: int) -> str:
    text = printable(text)
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def note_words(entry: Mapping[str, Any]) -> str:
    """What the notes column says: problems, findings, tests due, doses off protocol."""
    if entry["problems"]:
        return "; ".join(problem_words(p) for p in entry["problems"])
    parts = [f["code"] for f in entry["findings"]]
    if entry["tests_due"]:
        parts.append("tests: " + ", ".join(t["test"] for t in entry["tests_due"]))
    off = sum(1 for d in entry["doses"] if d["evaluation"][0]["code"] != "on-time")
    if off:
        parts.append(f"{off} dose{'s' if off > 1 else ''} off protocol")
    return "; ".join(parts)
