"""The events CSV of `b12plan audit` (one row an event) and its `--patients` CSV, as patients.

RFC 4180 as real exports write it: UTF-8 with or without a byte-order mark, CRLF or LF, quoted
fields (with commas, quotes and line breaks inside), a header row whose names are matched
without regard to case or surrounding spaces. Columns b12plan does not use are ignored, with one
notice. A row that cannot be read is a problem of its patient; a file that cannot be read at
all (not UTF-8, no header, a required column missing) stops the audit (exit 2).

Rows are grouped by `patient_id` as they stream when the file is sorted by it; otherwise (or
from standard input) they are grouped on disk (`b12plan.io.spool`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import IO, Final

from b12plan.contract.text import quote
from b12plan.errors import InvalidInput
from b12plan.io.gathering import PATIENT_FIELDS, Gathered, PatientBuilder, clean_ref

REQUIRED: Final = ("patient_id", "date", "event")
EVENT_COLUMNS: Final = frozenset(
    {
        *REQUIRED,
        "product",
        "dose_mcg",
        "dose",
        "dose_unit",
        "route",
        "site",
        "analyte",
        "value",
        "unit",
        "interval",
        "reason",
        "note",
        "regimen",
        *PATIENT_FIELDS,
    }
)
"""Columns an events row may have: its event's and the patient's."""
PATIENT_COLUMNS: Final = frozenset({"patient_id", *PATIENT_FIELDS})
EVENT_OWN_COLUMNS: Final = frozenset({"product", "route", "interval"})
"""On an event row these are the event's (a dose's product and route, an interval decision),
not the patient's; the patient's own come from `--patients`."""

Rows = list[tuple[int, list[str]]]
"""One patient's rows: (row number, cells)."""


class NotGroupedError(Exception):
    """The events are not sorted by patient_id: group them on disk instead."""


class CsvTable:
    """A CSV file opened for reading: its columns, and its rows as they come."""

    def __init__(
        self,
        source: IO[bytes],
        name: str,
        known: frozenset[str],
        required: tuple[str, ...],
        notice: Callable[[str], None],
    ) -> None:
        self.name = name
        self._text = io.TextIOWrapper(source, encoding="utf-8-sig", newline="", errors="strict")
        self._reader = csv.reader(self._text, strict=True)
        header = self._next()
        if header is None:
            raise InvalidInput([name], f"{name} is empty; it needs a header row")
        self.columns = [cell.strip().lower() for cell in header]
        missing = [column for column in required if column not in self.columns]
        if missing:
            raise InvalidInput(
                [name],
                f"{name} has no column {', '.join(missing)} (its header: "
                f"{quote(','.join(header))}); required: {', '.join(required)}",
            )
        self.index = {column: i for i, column in reversed(list(enumerate(self.columns)))}
        ignored = [column for column in self.columns if column not in known]
        if ignored:
            notice(
                f"{name}: ignoring column{'s' if len(ignored) > 1 else ''} b12plan does not "
                f"use: {', '.join(quote(c) for c in ignored)}"
            )
        self.used = [(column, i) for column, i in self.index.items() if column in known]
        self.patient_columns = [
            c for c in PATIENT_FIELDS if c in self.index and c not in EVENT_OWN_COLUMNS
        ]
        """The patient's fields this file's event rows may carry."""
        self._pid = self.index["patient_id"]

    def release(self) -> None:
        """Let go of the file underneath without closing it (it may be read again)."""
        self._text.detach()

    def _next(self) -> list[str] | None:
        try:
            return next(self._reader, None)
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: UnicodeDecodeError | csv.Error) -> InvalidInput:
        if isinstance(exc, UnicodeDecodeError):
            line = self._reader.line_num + 1
            return InvalidInput([self.name], f"{self.name}: line {line} is not UTF-8 text")
        return InvalidInput([self.name], f"{self.name}: line {self._reader.line_num}: {exc}")

    def rows(self) -> Iterator[tuple[str, int, list[str]]]:
        """(patient id, row number, cells) for every non-blank row, numbered as a spreadsheet
        shows them: the header is row 1."""
        n, pid = 1, self._pid
        try:
            # The reader's errors are caught around the whole loop (not row by row: a million
            # rows would each pay for it); nothing else in the loop raises them.
            for cells in self._reader:
                n += 1
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                yield (cells[pid].strip() if pid < len(cells) else ""), n, cells
        except (UnicodeDecodeError, csv.Error) as exc:
            raise self._unreadable(exc) from None

    def cells(self, cells: list[str]) -> dict[str, str]:
        """A row's used cells by column (missing trailing cells are empty)."""
        width = len(cells)
        # An empty cell is skipped before stripping: most cells of a row are empty.
        return {c: v for c, i in self.used if i < width and cells[i] and (v := cells[i].strip())}


def open_table(source: IO[bytes], name: str, kind: str, notice: Callable[[str], None]) -> CsvTable:
    """The events (`kind` events) or patients CSV in `source`."""
    if kind == "events":
        return CsvTable(source, name, EVENT_COLUMNS, REQUIRED, notice)
    return CsvTable(source, name, PATIENT_COLUMNS, ("patient_id",), notice)


def sorted_groups(table: CsvTable) -> Iterator[tuple[str, Rows]]:
    """Rows grouped by patient as they stream; NotGroupedError when an id sorts before the one
    before it (the file is not sorted by patient_id)."""
    current: str | None = None
    rows: Rows = []
    for pid, n, cells in table.rows():
        if pid != current:
            if current is not None:
                if pid < current:
                    raise NotGroupedError(pid)
                yield current, rows
            current, rows = pid, []
        rows.append((n, cells))
    if current is not None:
        yield current, rows


def add_patient_rows(builder: PatientBuilder, patients: Rows, table: CsvTable) -> None:
    """A patient's row of `--patients` (more than one is a problem) into their builder."""
    for n, _ in patients[1:]:
        builder.problem(
            (table.name, n), "patient_id", f"repeats row {patients[0][0]}: one row a patient"
        )
    for n, cells in patients[:1]:
        for column, text in table.cells(cells).items():
            if column != "patient_id":
                builder.text_field(column, text, (table.name, n))


def patient_of(
    pid: str,
    events: Rows,
    table: CsvTable,
    patients: Rows,
    patients_table: CsvTable | None,
    dayfirst: bool,
) -> Gathered:
    """One patient's document from their event rows and `--patients` rows."""
    ref, ref_problem = clean_ref(pid)
    builder = PatientBuilder(ref, dayfirst=dayfirst)
    if ref_problem is not None:
        first = events[0][0] if events else (patients[0][0] if patients else None)
        builder.problem((table.name, first), "patient_id", ref_problem)
    if patients_table is not None:
        add_patient_rows(builder, patients, patients_table)
    name, width, own, cells_of, event = (
        table.name,
        len(table.columns),
        table.patient_columns,
        table.cells,
        builder.event,
    )
    for n, cells in events:
        row = cells_of(cells)
        where = (name, n)
        for column in own:
            if column in row:
                builder.text_field(column, row[column], where)
        if len(cells) > width:
            builder.problem(where, "row", f"has {len(cells)} cells, the header {width}")
            continue
        event(where, row.get("event", ""), row.get("date", ""), row)
    return builder.gathered()
