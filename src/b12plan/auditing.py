"""`b12plan.audit`: a clinic's records in, one worklist out; `b12plan audit` runs on it.

Every patient read (`b12plan.io.audit_input`) becomes a patient document and is planned by the
engine exactly as `schedule` plans it; the worklist entry is read off that plan and the record
(`b12plan.engine.audit`). Patients are planned one at a time, on one process or N (the batch's
machinery, `batch.in_processes`), and their entries go to a temporary SQLite file
(`b12plan.io.spool`), which writes them back most urgent first: memory stays flat whatever the
number of patients and the order of the rows.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Final, NamedTuple, final

from b12plan import __version__
from b12plan.api import apply_overrides, as_of_date
from b12plan.contract.records import Patient
from b12plan.contract.text import format_loc, internal_error, quote
from b12plan.contract.validation import validated
from b12plan.contract.validators import parse_iso_date
from b12plan.contract.vocab import AUDIT_STATUSES, DISCLAIMER, SCHEMA_VERSION
from b12plan.engine.audit import LISTED, audit_entry, order_key, review_entry
from b12plan.engine.plan import plan_document
from b12plan.errors import InvalidInput
from b12plan.protocols import bundled
from b12plan.render.worklist import entry_line

if TYPE_CHECKING:
    from b12plan.contract.holidays import HolidayLookup
    from b12plan.contract.records import Protocol
    from b12plan.io.audit_input import AuditInput
    from b12plan.io.gathering import Gathered
    from b12plan.io.spool import Spool

Row = tuple[int, int, str, str, bytes, bool]
"""One entry as the spool keeps it: rank, sub-rank, ref, status, the entry as JSON (its ndjson
line without the line end), and whether a bug was hit."""
DEFAULT_DUE_WITHIN: Final = "28d"
FIELDS_OF_ISSUE_23: Final = ("ref", "stopped")
"""Patient fields the contract adds (issue 23): kept in the document once the patient model
has them; until then the audit reads them itself and the engine does not see them."""
_HELD: Final = tuple(k for k in FIELDS_OF_ISSUE_23 if k not in Patient.__slots__)


class AuditSettings(NamedTuple):
    """What every patient of an audit shares (a tuple: it travels to worker processes)."""

    as_of: date
    due_within_days: int
    overrides: Mapping[str, Any]
    custom: Protocol | None = None


def due_within_days(text: str, as_of: date) -> int:
    """`--due-within` (`14d`, `2w`, `1mo`) as a number of days from `as_of`."""
    from b12plan.contract.intervals import Interval

    try:
        interval = Interval.parse(text)
    except ValueError:
        msg = f"{quote(text)} is not a period such as 14d, 2w or 1mo"
        raise InvalidInput(("due_within",), msg) from None
    return (interval.after(as_of) - as_of).days


def audit_one(gathered: Gathered, settings: AuditSettings) -> Row:
    """One patient's worklist entry, as the spool keeps it."""
    bug = False
    if gathered.problems:
        entry = review_entry(gathered.ref, [p.as_dict() for p in gathered.problems])
    else:
        try:
            entry = _planned_entry(gathered, settings)
        except InvalidInput as exc:
            entry = review_entry(gathered.ref, _located(gathered, exc))
        except Exception as exc:  # a bug on one patient must not cost the others
            problem = {"source": None, "row": None, "field": "", "msg": internal_error(exc)}
            entry, bug = review_entry(gathered.ref, [problem]), True
    rank, sub = order_key(entry)
    return rank, sub, entry["ref"], entry["status"], entry_line(entry), bug


def _planned_entry(gathered: Gathered, settings: AuditSettings) -> dict[str, Any]:
    document = dict(gathered.document)
    regimen = document.pop("regimen", None)
    if "ref" not in _HELD:
        document.setdefault("ref", gathered.ref)
    held = {k: document.pop(k) for k in _HELD if k in document}
    if settings.overrides:
        document = apply_overrides(document, settings.overrides)
    record = validated("patient", document)
    region = record.clinic.holidays if record.clinic is not None else None
    plan = plan_document(
        record,
        as_of=settings.as_of,
        custom=settings.custom,
        explain=False,
        holidays=None if region is None else _holidays(region),
    )
    stopped = getattr(record, "stopped", None)
    stopped_on = stopped.date if stopped is not None else None
    if "stopped" in held:
        stop = held["stopped"]
        when = stop.get("date") if isinstance(stop, dict) else None
        try:
            stopped_on = parse_iso_date(when)
        except (TypeError, ValueError):
            raise InvalidInput(("stopped", "date"), "must be a date (YYYY-MM-DD)") from None
    protocol = _protocol(plan["protocol"]["id"], settings.custom)
    entry = audit_entry(
        gathered.ref,
        plan,
        record,
        protocol,
        stopped_on=stopped_on,
        due_within_days=settings.due_within_days,
    )
    if regimen is not None:
        entry["findings"] += _regimen_findings(regimen, document, settings)
    return entry


def _regimen_findings(
    regimen: str, document: dict[str, Any], settings: AuditSettings
) -> list[dict[str, Any]]:
    """The prescriber's regimen (the `regimen` column), checked as `check` checks it: its
    warning and block findings about the regimen, each saying it is about the prescription."""
    from b12plan.engine.check import check_regimen

    checked = check_regimen(
        validated("regimen", {"patient": document, "regimen": regimen}),
        as_of=settings.as_of,
        custom=settings.custom,
    )
    return [
        {
            "code": f["code"],
            "severity": f["severity"],
            "message": f"the prescribed regimen: {f['message']}",
            "source": f["source"],
        }
        for f in checked["findings"]
        if f["kind"] == "regimen" and f["severity"] in ("warning", "block")
    ]


@functools.lru_cache(maxsize=16)
def _holidays(region: str) -> HolidayLookup:
    """A region's public holidays, looked up once a process (not once a patient)."""
    from b12plan.contract.holidays import holiday_lookup

    return holiday_lookup(region)


def _protocol(protocol_id: str, custom: Protocol | None) -> Protocol:
    if custom is not None and custom.id == protocol_id:
        return custom
    return _bundled(protocol_id)


@functools.cache
def _bundled(protocol_id: str) -> Protocol:
    return bundled()[protocol_id]


def _located(gathered: Gathered, exc: InvalidInput) -> list[dict[str, Any]]:
    """Validation's problems, each with the row its field came from."""
    out = []
    default = gathered.rows.get("*")
    for loc, msg in exc.errors:
        where = gathered.where(loc) or default
        source, row = where if where is not None else (None, None)
        out.append({"source": source, "row": row, "field": format_loc(loc), "msg": msg})
    return out


# ---------------------------------------------------------------- the run


class Outcome(NamedTuple):
    """What an audit found: patients per status, and how many hit a bug."""

    counts: dict[str, int]
    crashed: int


def run_audit(
    source: AuditInput,
    spool: Spool,
    settings: AuditSettings,
    *,
    jobs: int = 1,
) -> Outcome:
    """Read, plan and store every patient; a sorted CSV streams, any other order is grouped on
    disk (read again from the start when the first row out of order shows)."""
    from b12plan.io.events import NotGroupedError

    if source.can_stream:
        try:
            _store(source.patients(stream=True), spool, settings, jobs)
        except NotGroupedError:
            spool.clear("results")
            source.rewind()
        else:
            return _outcome(spool)
    _store(source.patients(stream=False), spool, settings, jobs)
    return _outcome(spool)


def _store(patients: Iterable[Gathered], spool: Spool, settings: AuditSettings, jobs: int) -> None:
    if jobs == 1:
        rows: Iterable[Row] = (audit_one(g, settings) for g in patients)
        spool.add_results(rows)
        return
    from b12plan.batch import in_processes

    results = in_processes(audit_one, patients, settings, jobs)
    try:
        spool.add_results(results)
    finally:
        results.close()


def _outcome(spool: Spool) -> Outcome:
    return Outcome(spool.counts(), spool.bugs())


def worklist_head(
    *,
    as_of: date,
    counts: Mapping[str, int],
    due_within: str,
    statuses: Sequence[str] | None,
    settings_file: str | None,
) -> dict[str, Any]:
    """The worklist document without its patients: what every format opens with."""
    by_status = {status: counts.get(status, 0) for status in LISTED}
    listed = sum(n for s, n in by_status.items() if statuses is None or s in statuses)
    return {
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "b12plan", "version": __version__},
        "as_of": as_of.isoformat(),
        "disclaimer": DISCLAIMER,
        "settings": settings_file,
        "due_within": due_within,
        "statuses": None if statuses is None else list(statuses),
        "summary": {"patients": sum(by_status.values()), "listed": listed, "by_status": by_status},
    }


def check_statuses(statuses: Sequence[str] | None) -> list[str] | None:
    """`--status` values, checked against the statuses the worklist has."""
    if statuses is None:
        return None
    wanted = [s.strip().lower() for s in statuses if s.strip()]
    unknown = [s for s in wanted if s not in AUDIT_STATUSES]
    if unknown or not wanted:
        shown = ", ".join(quote(s) for s in unknown) or "nothing"
        msg = f"{shown} is not a status; allowed: {', '.join(AUDIT_STATUSES)}"
        raise InvalidInput(("status",), msg)
    return list(dict.fromkeys(wanted))


def audit(
    events: str | os.PathLike[str] | bytes,
    *,
    patients: str | os.PathLike[str] | bytes | None = None,
    as_of: date | str | None = None,
    due_within: str = DEFAULT_DUE_WITHIN,
    status: Sequence[str] | None = None,
    clinic: Mapping[str, Any] | None = None,
    dayfirst: bool = False,
    jobs: int = 1,
    notice: Callable[[str], None] | None = None,
) -> Worklist:
    """A clinic's records as one worklist, most urgent first: what `b12plan audit` writes.

    `events` is the path of an events CSV, of JSON Lines of patient documents or of a FHIR R4
    Bundle (or their bytes); `patients` a patients CSV keyed by `patient_id`. `as_of` is the
    day the worklist is seen from (today when omitted). `due_within` (`28d`, `2w`, `1mo`) is
    how far ahead a next dose makes a patient `due-soon`; `status` keeps only those statuses
    (the summary still counts everyone); `clinic` is the practice's days, as the patient
    document's `clinic`; `dayfirst` reads `DD/MM/YYYY` dates; `jobs` plans on that many
    processes. Notices about the input (columns left out) go to `notice`.

    Every patient is read and planned before this returns, one at a time: the entries wait in
    order in a temporary file, not in memory, and the `Worklist` reads them back as it is
    iterated, so a health board's million patients take no more memory than a clinic's
    hundred. A patient whose rows cannot be read is `needs-review`, listing every problem with
    its row; the others are planned as usual. Raises `InvalidInput` when a file cannot be read
    at all.

    >>> import b12plan
    >>> rows = b"patient_id,date,event,cause\\nA1,2026-09-01,given,pernicious-anaemia\\n"
    >>> worklist = b12plan.audit(rows, as_of="2026-12-07")
    >>> worklist.head["summary"]["by_status"]["overdue"]
    1
    >>> for entry in worklist:  # read from disk, one patient at a time
    ...     print(entry["ref"], entry["status"], entry["next_due"], entry["days_overdue"])
    A1 overdue 2026-09-03 95
    >>> worklist.close()  # or use the worklist in a `with` block
    """
    from b12plan.io.audit_input import AuditInput
    from b12plan.io.spool import Spool

    when = as_of_date(as_of)
    wanted = check_statuses(status)
    settings = AuditSettings(
        when, due_within_days(due_within, when), {"clinic": dict(clinic)} if clinic else {}
    )
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= 64:
        raise InvalidInput(("jobs",), "must be a whole number from 1 to 64")
    spool = Spool()
    try:
        source = AuditInput(
            events if isinstance(events, bytes) else os.fspath(events),
            spool,
            patients=patients
            if patients is None or isinstance(patients, bytes)
            else os.fspath(patients),
            dayfirst=dayfirst,
            notice=notice or (lambda _: None),
        )
        try:
            outcome = run_audit(source, spool, settings, jobs=jobs)
        finally:
            source.close()
    except BaseException:
        spool.close()
        raise
    head = worklist_head(
        as_of=when,
        counts=outcome.counts,
        due_within=due_within,
        statuses=wanted,
        settings_file=None,
    )
    return Worklist(head, spool, wanted, outcome.crashed)


@final
class Worklist:
    """A clinic's worklist, made by `audit`: its `head` at once, its patients read from disk as
    they are iterated.

    Iterating gives each listed patient's entry, most urgent first, as a dict (the json
    worklist's `patients` items: `ref`, `status`, `next_due`, `days_overdue`, `last_given`,
    `interval`, `protocol`, `tests_due`, `findings`, `doses` with their evaluations,
    `problems`); it can be iterated again. Entries are read one at a time, so memory stays flat
    however many patients there are; `to_dict` holds them all at once.

    The entries wait in a temporary file, removed by `close()` or at the end of a `with` block
    (else when the worklist is garbage-collected); a closed worklist cannot be read.
    """

    __slots__ = ("__weakref__", "_closer", "_crashed", "_head", "_spool", "_statuses")

    def __init__(
        self, head: dict[str, Any], spool: Spool, statuses: Sequence[str] | None, crashed: int
    ) -> None:
        import weakref

        self._head = head
        self._crashed = crashed
        self._spool: Spool | None = spool
        self._statuses = statuses
        self._closer = weakref.finalize(self, spool.close)

    def __repr__(self) -> str:
        listed, patients = self._head["summary"]["listed"], self._head["summary"]["patients"]
        return f"<Worklist as of {self._head['as_of']}: {listed} of {patients} patients listed>"

    @property
    def head(self) -> dict[str, Any]:
        """The worklist document without its patients: `schema_version`, `generator`,
        `as_of`, `disclaimer`, `settings` (null: a settings file is the command line's),
        `due_within`, `statuses` and `summary` (`patients`, `listed`, and `by_status`, every
        status counted)."""
        return self._head

    @property
    def internal_errors(self) -> int:
        """How many patients met an internal error (a bug: each is `needs-review`, naming it;
        the command line then exits 70)."""
        return self._crashed

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (json.loads(line) for line in self._lines())

    def to_json_lines(self) -> Iterator[bytes]:
        """Each listed patient's entry as a line of JSON Lines, UTF-8, ending in a newline,
        most urgent first: the lines `audit --format ndjson` writes (no dict is made)."""
        return (line + b"\n" for line in self._lines())

    def to_dict(self) -> dict[str, Any]:
        """The whole worklist document, every listed patient in `patients`, as `audit --format
        json` writes it (in memory: for a clinic, not a health board)."""
        return {**self.head, "patients": list(self)}

    def _lines(self) -> Iterator[bytes]:
        if self._spool is None:
            raise ValueError("the worklist is closed")
        return self._spool.ordered(self._statuses)

    def close(self) -> None:
        """Remove the temporary file the entries wait in."""
        self._spool = None
        self._closer()

    def __enter__(self) -> Worklist:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
