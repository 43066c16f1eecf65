"""What `b12plan audit` reads: an events CSV (with `--patients`), JSON Lines of patient
documents, or a FHIR R4 Bundle, told apart by their first bytes, as one patient at a time.

`AuditInput.patients(stream=True)` streams a CSV sorted by patient_id and raises
`NotGroupedError` at the first row out of order; `patients(stream=False)` (after `rewind`)
groups the rows on disk instead. Standard input cannot be read twice: it is always grouped on
disk.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Final, Literal

from b12plan.contract.text import PATH_CHARS, quote
from b12plan.errors import InvalidInput
from b12plan.io.events import (
    CsvTable,
    NotGroupedError,
    Rows,
    add_patient_rows,
    open_table,
    patient_of,
    sorted_groups,
)
from b12plan.io.gathering import Gathered, PatientBuilder, Problem, clean_ref
from b12plan.io.spool import Spool

Kind = Literal["csv", "jsonl", "fhir"]
KINDS: Final = ("csv", "jsonl", "fhir")
PEEK: Final = 1 << 16
MAX_BUNDLE_BYTES: Final = 1 << 30
"""A FHIR Bundle is one JSON document, read whole: 1 GiB at most (a health board's export
belongs in CSV or JSON Lines, which stream)."""
SEEN_BATCH: Final = 5000
"""Patients with event rows are noted on disk this many at a time."""

__all__ = ["AuditInput", "NotGroupedError"]


def _open(path: str | bytes, what: str) -> IO[bytes]:
    if isinstance(path, bytes):
        return io.BufferedReader(io.BytesIO(path))
    if path == "-":
        stdin = sys.stdin.buffer
        # Peeking tells the format; a stream that cannot peek gets a buffer that can.
        return stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin)  # type: ignore[type-var]
    try:
        return Path(path).open("rb")
    except OSError as exc:
        msg = f"cannot read {quote(path, PATH_CHARS)}: {exc.strerror or exc}"
        raise InvalidInput([what], msg) from None


def detect(head: bytes) -> Kind:
    """csv, jsonl or fhir, from the first bytes of the input."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return "csv"
    first = text.split(b"\n", 1)[0]
    import json

    try:
        document = json.loads(first)
    except ValueError:
        return "fhir"  # a document over several lines: a Bundle, as FHIR servers write them
    if isinstance(document, dict) and document.get("resourceType") == "Bundle":
        return "fhir"
    return "jsonl"


class AuditInput:
    """The audit's input files, opened; `patients()` gives one `Gathered` a patient."""

    def __init__(
        self,
        events: str | bytes,
        spool: Spool,
        *,
        patients: str | bytes | None = None,
        dayfirst: bool = False,
        notice: Callable[[str], None] = lambda _: None,
        kind: Kind | None = None,
    ) -> None:
        self.spool = spool
        self.dayfirst = dayfirst
        self.notice = notice
        self._stack = contextlib.ExitStack()
        self.name = "events" if isinstance(events, bytes) else _shown(events)
        self._source = self._stack.enter_context(_closing(_open(events, "events"), events))
        self._seekable = not isinstance(events, str) or events != "-"
        head = self._peek()
        self.kind: Kind = kind or detect(head)
        self._patients_table: CsvTable | None = None
        if patients is not None:
            if self.kind == "jsonl":
                raise InvalidInput(
                    ["patients"],
                    "--patients goes with an events CSV or a FHIR Bundle; JSON Lines documents "
                    "hold the patient's fields themselves",
                )
            source = self._stack.enter_context(_closing(_open(patients, "patients"), patients))
            name = "patients" if isinstance(patients, bytes) else _shown(patients)
            table = open_table(source, name, "patients", notice)
            spool.add_rows("patients", table.rows())
            self._patients_table = table

    def _peek(self) -> bytes:
        try:
            peek = getattr(self._source, "peek", None)
            return bytes(peek(PEEK)[:PEEK]) if peek is not None else b""
        except OSError as exc:
            raise InvalidInput(["events"], f"cannot read {self.name}: {exc.strerror}") from None

    def close(self) -> None:
        """Close the files."""
        self._stack.close()

    @property
    def can_stream(self) -> bool:
        """Whether a sorted CSV can be streamed (the file can be read again if it is not)."""
        return self.kind == "csv" and self._seekable

    def rewind(self) -> None:
        """Back to the first byte, to read again (grouped on disk this time)."""
        self._source.seek(0)
        self.spool.clear("seen")

    def patients(self, *, stream: bool) -> Iterator[Gathered]:
        """Every patient, one at a time."""
        if self.kind == "jsonl":
            yield from self._lines()
            return
        if self.kind == "fhir":
            yield from self._bundle()
            return
        table = open_table(self._source, self.name, "events", self.notice)
        try:
            yield from self._grouped(table, stream=stream)
        finally:
            table.release()

    def _grouped(self, table: CsvTable, *, stream: bool) -> Iterator[Gathered]:
        if stream:
            groups = sorted_groups(table)
        else:
            self.spool.clear("events")
            self.spool.add_rows("events", table.rows())
            groups = self.spool.event_groups()
        people = self._patients_table
        if people is None:
            for pid, rows in groups:
                yield patient_of(pid, rows, table, [], None, self.dayfirst)
            return
        # Both come in patient_id order: each patient's --patients rows are met on the way.
        own = self.spool.patient_groups()
        seen: list[str] = []
        try:
            waiting = next(own, None)
            for pid, rows in groups:
                while waiting is not None and waiting[0] < pid:
                    waiting = next(own, None)
                extra: Rows = []
                if waiting is not None and waiting[0] == pid:
                    extra, waiting = waiting[1], next(own, None)
                seen.append(pid)
                if len(seen) == SEEN_BATCH:
                    self.spool.mark_seen(seen)
                    seen.clear()
                yield patient_of(pid, rows, table, extra, people, self.dayfirst)
        finally:
            own.close()
        self.spool.mark_seen(seen)
        for pid, rows in self.spool.unseen_patients():
            yield patient_of(pid, [], table, rows, people, self.dayfirst)

    def _lines(self) -> Iterator[Gathered]:
        from b12plan.io.loading import read_lines
        from b12plan.io.parsing import parse_json_line

        for n, line in enumerate(read_lines(self._source), 1):
            if isinstance(line, InvalidInput):
                yield _unreadable(n, line)
                continue
            if not line.strip():
                continue
            try:
                document = parse_json_line(line)
            except InvalidInput as exc:
                yield _unreadable(n, exc)
                continue
            raw_ref = document.get("ref")
            ref, problem = clean_ref(raw_ref if isinstance(raw_ref, str) else f"line {n}")
            rows: dict[str, Any] = {"*": ("line", n)}
            problems = [] if problem is None else [Problem("line", n, "ref", problem)]
            yield Gathered(ref, document, problems, rows)

    def _bundle(self) -> Iterator[Gathered]:
        import json

        from b12plan.io.fhir_bundle import bundle_patients

        data = self._source.read(MAX_BUNDLE_BYTES + 1)
        if len(data) > MAX_BUNDLE_BYTES:
            msg = f"{self.name} is larger than {MAX_BUNDLE_BYTES} bytes; export CSV instead"
            raise InvalidInput(["events"], msg)
        try:
            bundle = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidInput(["events"], f"{self.name} is not JSON: {exc}") from None
        table = self._patients_table
        if table is None:
            yield from bundle_patients(bundle, self.notice, dayfirst=self.dayfirst)
            return

        def more(builder: PatientBuilder) -> None:
            # The bundle's Patient.identifier is the patients file's patient_id.
            self.spool.mark_seen((builder.ref,))
            add_patient_rows(builder, self.spool.patient_rows(builder.ref), table)

        yield from bundle_patients(bundle, self.notice, dayfirst=self.dayfirst, more=more)
        for pid, rows in self.spool.unseen_patients():
            builder = PatientBuilder(clean_ref(pid)[0], dayfirst=self.dayfirst)
            add_patient_rows(builder, rows, table)
            yield builder.gathered()


def _unreadable(n: int, exc: InvalidInput) -> Gathered:
    problems = [
        Problem("line", n, ".".join(map(str, loc)) or "line", msg) for loc, msg in exc.errors
    ]
    return Gathered(f"line {n}", {}, problems, {})


def _shown(path: str) -> str:
    # Problems name the file as a clinician knows it (`records.csv row 12`), not its folder.
    return "stdin" if path == "-" else Path(path).name


@contextlib.contextmanager
def _closing(source: IO[bytes], path: str | bytes) -> Iterator[IO[bytes]]:
    try:
        yield source
    finally:
        if path != "-":
            source.close()
