"""One patient's rows, from any reader, made into a patient document (`Gathered`).

The readers (events CSV, FHIR Bundle) turn each row or resource into calls on a
`PatientBuilder`: a patient field, or an event (`given`, `missed`, `declined`, `lab`,
`symptoms`, `interval`, `repletion-end`, `stopped`). What cannot be read becomes a problem
naming its row, its field and what is allowed; the patient is then `needs-review` and the
others go on. Lists are put in date order, ties by their content, so the order of the rows
never changes the document.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import lru_cache
from typing import Any, Final, NamedTuple

from b12plan.contract.text import printable, quote
from b12plan.contract.vocab import (
    CAUSE_ALIASES,
    CAUSES,
    CONDITION_FLAGS,
    FIRST_YEAR,
    LAST_YEAR,
    MISS_REASONS,
    PRODUCTS,
    ROUTES,
    SEXES,
    STOP_REASONS,
)
from b12plan.io.codes import LOINC_ANALYTES

EVENTS: Final = (
    "given",
    "missed",
    "declined",
    "lab",
    "symptoms",
    "interval",
    "repletion-end",
    "stopped",
)
"""The `event` column's values (contract, "b12plan audit")."""
MAX_REF: Final = 64
TRUE_WORDS: Final = frozenset({"true", "yes", "y", "1"})
FALSE_WORDS: Final = frozenset({"false", "no", "n", "0"})
DOSE_UNITS: Final = {"mcg": 1, "µg": 1, "μg": 1, "ug": 1, "microgram": 1, "micrograms": 1}
DOSE_UNITS_MG: Final = frozenset({"mg", "milligram", "milligrams"})

PATIENT_TEXT: Final = ("cause", "protocol", "strength", "override_reason", "regimen")
PATIENT_DATES: Final = ("start", "dob", "repletion_end", "until", "folic_acid_started")
PATIENT_BOOLS: Final = ("neuro", "repletion_done", *CONDITION_FLAGS)
PATIENT_CHOICES: Final = {"sex": SEXES, "product": PRODUCTS, "route": ROUTES}
PATIENT_FIELDS: Final = (
    *PATIENT_TEXT,
    *PATIENT_DATES,
    *PATIENT_BOOLS,
    *PATIENT_CHOICES,
    "interval",
    "interval_from",
    "stopped",
    "stopped_reason",
    "stopped_note",
)
"""Columns of `--patients` (and of event rows) that describe the patient, not an event."""


class Problem(NamedTuple):
    """Why a patient's rows cannot be planned from: where, which field, what is allowed."""

    source: str
    """`events`, `patients`, `line` (JSON Lines) or `bundle` (FHIR)."""
    row: int | None
    """The row as a spreadsheet numbers it (the header is row 1), the line (JSON Lines) or the
    entry (FHIR, from 1); None for the patient as a whole."""
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        """The problem as the worklist's JSON writes it."""
        return {"source": self.source, "row": self.row, "field": self.field, "msg": self.message}


Where = tuple[str, int | None]
"""A row: its source and number."""


class Gathered:
    """One patient as read: the caller's reference, the patient document made from the rows,
    every problem met, and which row each item of the document came from."""

    __slots__ = ("document", "problems", "ref", "rows")

    def __init__(
        self,
        ref: str,
        document: dict[str, Any],
        problems: list[Problem],
        rows: dict[str, Any],
    ) -> None:
        self.ref = ref
        self.document = document
        """The patient document (may be refused by validation: see `rows`)."""
        self.problems = problems
        """What could not be read; the patient is `needs-review` when there is any."""
        self.rows = rows
        """Field -> the row it came from (a list field: one row per item, in order)."""

    def __repr__(self) -> str:
        return f"Gathered(ref={self.ref!r}, problems={len(self.problems)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Gathered) and (
            self.ref,
            self.document,
            self.problems,
        ) == (other.ref, other.document, other.problems)

    __hash__ = None  # type: ignore[assignment]

    def where(self, loc: tuple[str | int, ...]) -> Where | None:
        """The row a validation error's location points into, if known."""
        if not loc or not isinstance(loc[0], str):
            return None
        found = self.rows.get(loc[0])
        if isinstance(found, list):
            if len(loc) > 1 and isinstance(loc[1], int) and loc[1] < len(found):
                return (found[loc[1]][0], found[loc[1]][1])
            return None
        return None if found is None else (found[0], found[1])


def clean_ref(text: str) -> tuple[str, str | None]:
    """The patient id as a reference (printable, at most 64 characters) and a problem with it."""
    shown = printable(text.strip())
    if not shown:
        return "?", "is empty"
    if len(shown) > MAX_REF:
        return shown[: MAX_REF - 1] + "…", f"is longer than {MAX_REF} characters"
    if shown != text.strip():
        return shown, "contains control characters"
    return shown, None


# A clinic's rows hold the same few thousand days over and over: each spelling is read once (one
# that is not a date raises, and is not kept).
@lru_cache(maxsize=8192)
def read_date(text: str, dayfirst: bool) -> str:
    """`YYYY-MM-DD` (a time after it is dropped), or with `dayfirst` also `DD/MM/YYYY`, as an
    ISO date; ValueError says what is allowed."""
    raw = text.strip()
    head = raw[:10]
    if len(raw) >= 10 and head[4:5] == "-" and head[7:8] == "-":
        rest = raw[10:]
        if rest and rest[0] not in "T ":
            raise ValueError(f"{quote(text)} is not a date (YYYY-MM-DD)")
        return _checked(head, text)
    if "/" in raw:
        if not dayfirst:
            raise ValueError(
                f"{quote(text)} is not a date of the form YYYY-MM-DD "
                "(for DD/MM/YYYY give --dayfirst)"
            )
        parts = raw.split(" ", 1)[0].split("/")
        if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts):
            day, month, year = parts
            if len(year) == 4:
                return _checked(f"{year}-{int(month):02d}-{int(day):02d}", text)
        raise ValueError(f"{quote(text)} is not a date of the form DD/MM/YYYY")
    allowed = "YYYY-MM-DD or DD/MM/YYYY" if dayfirst else "YYYY-MM-DD"
    raise ValueError(f"{quote(text)} is not a date ({allowed})")


def _checked(iso: str, text: str) -> str:
    try:
        when = date.fromisoformat(iso)
    except ValueError:
        raise ValueError(f"{quote(text)} is not a real calendar date") from None
    if not FIRST_YEAR <= when.year <= LAST_YEAR:
        raise ValueError(f"{quote(text)} is outside the years {FIRST_YEAR}–{LAST_YEAR}")
    return iso


def read_bool(text: str) -> bool:
    """true/false, yes/no, y/n, 1/0 (any case)."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{quote(text)} is not true or false (also yes/no, y/n, 1/0)")


def read_number(text: str) -> int | float:
    """A plain decimal number (`1000`, `1,000`, `0.5`), whole numbers as int."""
    if text.isascii() and text.isdigit():  # the common case, `1000`
        return int(text)
    raw = text.strip().replace(",", "") if _thousands(text.strip()) else text.strip()
    if not raw.isascii() or not raw.replace(".", "", 1).isdigit():
        raise ValueError(f"{quote(text)} is not a number")
    value = float(raw)
    return int(value) if value.is_integer() and "." not in raw else value


def _thousands(text: str) -> bool:
    head, *groups = text.split(",")
    return bool(groups) and head.isdigit() and all(len(g) == 3 and g.isdigit() for g in groups)


def dose_mcg(dose: str, unit: str) -> int | float:
    """A dose and its unit (mcg, µg, ug, micrograms, mg) as micrograms."""
    value = read_number(dose)
    word = unit.strip().lower()
    if word in DOSE_UNITS_MG:
        scaled = value * 1000
        return int(scaled) if float(scaled).is_integer() else scaled
    if word in DOSE_UNITS:
        return value
    raise ValueError(f"dose unit {quote(unit)} is not one of mcg, µg, ug, micrograms, mg")


def _date_of(item: Any) -> str:
    # An item is an object with a date, a date, or a lab's `analyte=value unit@date`.
    if isinstance(item, str):
        return item.rpartition("@")[2]
    return str(item["date"])


def in_order(items: list[tuple[Any, Where]]) -> list[tuple[Any, Where]]:
    """A list field's (item, row) pairs by date, then by content (the builder writes every
    item's keys in one order), so that the order of the rows never changes the document.

    Contents are compared only among items of one date (most dates have one item).
    """
    dates = [_date_of(item) for item, _ in items]
    order = sorted(range(len(items)), key=dates.__getitem__)
    ordered = [items[i] for i in order]
    if len(set(dates)) == len(dates):
        return ordered
    start = 0
    for end in range(1, len(order) + 1):
        if end == len(order) or dates[order[end]] != dates[order[start]]:
            if end - start > 1:
                ordered[start:end] = sorted(ordered[start:end], key=_content_of)
            start = end
    return ordered


def _content_of(pair: tuple[Any, Where]) -> str:
    item = pair[0]
    return item if isinstance(item, str) else repr(item)


class PatientBuilder:
    """Collects one patient's fields and events, row by row."""

    __slots__ = ("_fields", "_first", "_lists", "_problems", "_rows", "dayfirst", "ref")

    def __init__(self, ref: str, *, dayfirst: bool = False) -> None:
        self.ref = ref
        self.dayfirst = dayfirst
        self._fields: dict[str, tuple[Any, Where]] = {}
        self._lists: dict[str, list[tuple[Any, Where]]] = {}
        self._problems: list[Problem] = []
        self._rows: dict[str, Any] = {}
        self._first: Where | None = None
        """The patient's first row: where a problem with the patient as a whole is shown."""

    def problem(self, where: Where, field: str, message: str) -> None:
        """Record what could not be read."""
        self._problems.append(Problem(where[0], where[1], field, message))

    def field(self, name: str, value: Any, where: Where) -> None:
        """A patient field; the same field given twice with different values is a problem."""
        self._first = self._first or where
        held = self._fields.get(name)
        if held is not None and held[0] != value:
            first = held[1]
            self.problem(
                where,
                name,
                f"{quote(value)} differs from {quote(held[0])} given in {first[0]} row {first[1]}",
            )
            return
        if held is None:
            self._fields[name] = (value, where)

    def cause(self, cause: str, where: Where) -> None:
        """A cause from a coded condition: a specific cause wins over `unknown`; two specific
        causes that differ are a problem (the clinician says which)."""
        held = self._fields.get("cause")
        if held is None or (held[0] == "unknown" and cause != "unknown"):
            self._fields["cause"] = (cause, where)
        elif cause != "unknown":
            self.field("cause", cause, where)

    def add(self, name: str, item: Any, where: Where) -> None:
        """An item of a list field (`given`, `labs`, ...)."""
        self._first = self._first or where
        self._lists.setdefault(name, []).append((item, where))

    def text_field(self, name: str, text: str, where: Where) -> None:
        """A patient column as text, read by its kind."""
        try:
            value = self._read_field(name, text)
        except ValueError as exc:
            self.problem(where, name, str(exc))
            return
        self.field(name, value, where)

    def _read_field(self, name: str, text: str) -> Any:
        if name in PATIENT_DATES or name in ("interval_from", "stopped"):
            return read_date(text, self.dayfirst)
        if name in PATIENT_BOOLS:
            return read_bool(text)
        if name in PATIENT_CHOICES:
            word = text.strip().lower()
            choices = PATIENT_CHOICES[name]
            if word not in choices:
                raise ValueError(f"{quote(text)} is not one of {', '.join(choices)}")
            return word
        if name == "cause":
            word = text.strip().lower().replace(" ", "-")
            if word not in CAUSES and word not in CAUSE_ALIASES:
                allowed = ", ".join((*CAUSES, *CAUSE_ALIASES))
                raise ValueError(f"unknown cause {quote(text)}; allowed: {allowed}")
            return word
        return text.strip()

    def event(self, where: Where, kind: str, when: str, row: dict[str, str]) -> None:
        """One event row: `kind` (the `event` column), its date, and the row's other cells."""
        word = kind.strip().lower()
        if word not in EVENTS:
            self.problem(where, "event", f"{quote(kind)} is not one of {', '.join(EVENTS)}")
            return
        try:
            day = read_date(when, self.dayfirst)
        except ValueError as exc:
            self.problem(where, "date", str(exc))
            return
        try:
            _READERS[word](self, where, day, row)
        except ValueError as exc:
            field, message = exc.args if len(exc.args) == 2 else (word, str(exc))
            self.problem(where, field, message)

    def _given(self, where: Where, day: str, row: dict[str, str]) -> None:
        item: dict[str, Any] = {"date": day}
        if "dose_mcg" in row:
            item["dose_mcg"] = _in("dose_mcg", read_number, row["dose_mcg"])
        elif dose := row.get("dose", ""):
            unit = row.get("dose_unit", "")
            if not unit:
                raise ValueError("dose_unit", "is needed with dose: mcg, µg, ug, micrograms or mg")
            item["dose_mcg"] = _in("dose", lambda text: dose_mcg(text, unit), dose)
        # Cells come stripped and never empty (`CsvTable.cells`).
        if "product" in row:
            item["product"] = row["product"].lower()
        if "route" in row:
            item["route"] = row["route"].lower()
        if "site" in row:
            item["site"] = row["site"]
        self.add("given", item, where)

    def _missed(self, where: Where, day: str, row: dict[str, str]) -> None:
        reason = row.get("reason", "").strip().lower() or "other"
        if reason not in MISS_REASONS:
            raise ValueError("reason", f"{quote(reason)} is not one of {', '.join(MISS_REASONS)}")
        self.add("missed", {"date": day, "reason": reason}, where)

    def _declined(self, where: Where, day: str, _row: dict[str, str]) -> None:
        self.add("missed", {"date": day, "reason": "declined"}, where)

    def _lab(self, where: Where, day: str, row: dict[str, str]) -> None:
        analyte = row.get("analyte", "").strip()
        value = row.get("value", "").strip()
        if not analyte:
            raise ValueError("analyte", "is needed for a lab: b12, active-b12, mma, hb, ...")
        if not value:
            raise ValueError("value", "is needed for a lab")
        name = LOINC_ANALYTES.get(analyte, analyte.lower())
        unit = row.get("unit", "").strip()
        self.add("labs", f"{name}={value}{' ' + unit if unit else ''}@{day}", where)

    def _symptoms(self, where: Where, day: str, _row: dict[str, str]) -> None:
        self.add("symptoms_returned", day, where)

    def _interval(self, where: Where, day: str, row: dict[str, str]) -> None:
        interval = row.get("interval", "").strip()
        if not interval:
            raise ValueError("interval", "is needed for an interval event: Nmo, Nw or Nd")
        change: dict[str, Any] = {"date": day, "interval": interval}
        if row.get("reason", "").strip():
            change["reason"] = row["reason"].strip()
        self.add("interval_changes", change, where)

    def _repletion_end(self, where: Where, day: str, _row: dict[str, str]) -> None:
        self.field("repletion_end", day, where)

    def _stopped(self, where: Where, day: str, row: dict[str, str]) -> None:
        reason = row.get("reason", "").strip().lower()
        if reason not in STOP_REASONS:
            shown = quote(reason) if reason else "an empty reason"
            raise ValueError("reason", f"{shown} is not one of {', '.join(STOP_REASONS)}")
        stop: dict[str, Any] = {"date": day, "reason": reason}
        if row.get("note", "").strip():
            stop["note"] = row["note"].strip()
        self.field("stopped", stop, where)

    def gathered(self) -> Gathered:
        """The patient document, its problems and the rows behind it."""
        document: dict[str, Any] = {}
        rows: dict[str, Any] = {}
        fields = dict(self._fields)
        stop_date = fields.pop("stopped", None)
        reason, note = fields.pop("stopped_reason", None), fields.pop("stopped_note", None)
        if stop_date is not None and not isinstance(stop_date[0], dict):
            # From --patients: a date column and a reason column.
            stop = {"date": stop_date[0], "reason": (reason or ("", None))[0]}
            if note is not None:
                stop["note"] = note[0]
            stop_date = (stop, stop_date[1])
        if stop_date is not None:
            fields["stopped"] = stop_date
        interval_from = fields.pop("interval_from", None)
        conditions: dict[str, Any] = {}
        for name, (value, where) in fields.items():
            if name in CONDITION_FLAGS or name == "folic_acid_started":
                conditions[name] = value
                rows.setdefault("conditions", where)
                continue
            document[name] = value
            rows[name] = where
        if conditions:
            document["conditions"] = conditions
        if interval_from is not None and "interval" in document:
            change = {"date": interval_from[0], "interval": document.pop("interval")}
            if "override_reason" in document:
                change["reason"] = document.pop("override_reason")
            self.add("interval_changes", change, interval_from[1])
            rows.pop("interval", None)
        for name, items in self._lists.items():
            ordered = in_order(items)
            document[name] = [item for item, _ in ordered]
            rows[name] = [where for _, where in ordered]
        if "start" not in document and document.get("given"):
            # [C] A record without a start date began with its first appointment on record: the
            # first dose given, or a miss before it (the earliest row of that day).
            document["start"], rows["start"] = min(
                _first_day(document.get(name, []), rows.get(name, []))
                for name in ("given", "missed")
                if document.get(name)
            )
        if self._first is not None:
            rows["*"] = self._first
        return Gathered(self.ref, document, list(self._problems), rows)


def _first_day(items: list[dict[str, Any]], rows: list[Where]) -> tuple[str, Where]:
    """The first date of a list field in date order, with the first of its rows."""
    first, earliest = items[0]["date"], rows[0]
    for item, where in zip(items[1:], rows[1:], strict=True):
        if item["date"] != first:
            break
        earliest = min(earliest, where)
    return first, earliest


_READERS: Final[dict[str, Callable[[PatientBuilder, Where, str, dict[str, str]], None]]] = {
    event: getattr(PatientBuilder, "_" + event.replace("-", "_")) for event in EVENTS
}
"""Each event's reader, by the `event` column's value."""


def _in(field: str, read: Any, text: str) -> Any:
    try:
        return read(text)
    except ValueError as exc:
        raise ValueError(field, str(exc)) from None
