"""`schedule --batch`: JSON Lines in, one plan a line out, in order, on one or N processes.

Choices where the contract is silent (documented in the README):
- Output line N always answers input line N. A line that fails in any way (bad input, a blank
  line, or a bug it hits) becomes an error object naming its line number, on that line of
  output and on stderr; the batch goes on.
- Exit code: 70 if any line hit a bug, else 2 if any line failed, else 1 if any plan is
  blocked, else 0.
- `-o FILE` is replaced atomically when the batch ends, error lines included; only a failure of
  the whole run (bad options, unreadable input, a failed write) leaves it untouched.
- `--as-of` defaults to today once for the whole batch; options override every line's fields.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO

from b12plan.cli._shared import (
    EXIT_BLOCKED,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    as_of_date,
    error_document,
    internal_error,
    load_custom_protocol,
    merge_patient,
)
from b12plan.closures import holidays_for
from b12plan.engine.document import PlanDocument, is_blocked
from b12plan.engine.plan import plan_document
from b12plan.errors import InputError, validated
from b12plan.loading import MAX_DOCUMENT_BYTES, stdin_bytes
from b12plan.models import Patient
from b12plan.output import Sink, open_output, sink_for, write_err
from b12plan.parsing import loads_strict, parse_problem
from b12plan.protocols import Protocol
from b12plan.render.jsonout import plan_document_bytes

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

# Lines per task sent to a worker process: large enough that inter-process traffic is cheap
# next to planning, small enough that output keeps flowing.
CHUNK_LINES = 200
# Tasks queued ahead per worker: keeps every worker busy while bounding memory for any input size.
AHEAD_PER_JOB = 4

_JSON_KINDS = {
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "null",
}

Line = bytes | None
"""One input line without its line ending; None when it is longer than MAX_DOCUMENT_BYTES."""
Outcome = Literal["planned", "blocked", "failed", "crashed"]
"""What became of one line: `crashed` is a bug it hit, not bad input."""


@dataclass(frozen=True)
class BatchSettings:
    """What every line of a batch shares."""

    options: dict[str, Any]
    """Command-line options; they override the same fields of every line."""
    as_of: date
    custom: Protocol | None = None
    explain: bool = False
    json_errors: bool = False
    """Errors on stderr as JSON objects (`--format json`) rather than one-line messages."""
    overrides: dict[str, Any] = field(init=False, repr=False, compare=False)
    """The fields the options set, worked out once rather than on every line."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "overrides", merge_patient({}, self.options))


@dataclass(frozen=True)
class ChunkResult:
    """The output of consecutive lines: their text, their stderr lines, and what they were."""

    data: bytes
    """The output lines, UTF-8."""
    errors: list[str]
    lines: int
    failed: int
    blocked: int
    crashed: int = 0


@dataclass
class BatchSummary:
    """Counts over the whole batch, and the exit code they give."""

    lines: int = 0
    failed: int = 0
    """Lines answered with an error object, `crashed` ones included."""
    blocked: int = 0
    crashed: int = 0
    """Lines that hit a bug rather than bad input."""

    def add(self, outcome: Outcome) -> None:
        """Count one answered line."""
        self.lines += 1
        self.failed += outcome in ("failed", "crashed")
        self.blocked += outcome == "blocked"
        self.crashed += outcome == "crashed"

    @property
    def exit_code(self) -> int:
        """70 if any line hit a bug, else 2 if any line failed, else 1 if any plan is blocked,
        else 0."""
        if self.crashed:
            return EXIT_INTERNAL
        if self.failed:
            return EXIT_INPUT
        return EXIT_BLOCKED if self.blocked else EXIT_OK


def plan_line(line: Line, settings: BatchSettings) -> PlanDocument:
    """The plan document for one input line; InputError says what is wrong with it."""
    if line is None:
        raise InputError((), f"the line is longer than {MAX_DOCUMENT_BYTES} bytes")
    try:
        text = line.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise InputError((), "the line is not UTF-8 text") from None
    if not text.strip():
        raise InputError((), "blank line; expected one patient document (a JSON object) a line")
    try:
        document = loads_strict(text)
    except json.JSONDecodeError as exc:
        raise InputError((), f"not valid JSON: {exc.msg} at column {exc.colno}") from None
    except (ValueError, RecursionError) as exc:
        raise InputError((), f"not valid JSON: {parse_problem(exc)}") from None
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), "a scalar")
        raise InputError((), f"must be one patient document (a JSON object), not {kind}")
    if settings.overrides:
        document = merge_patient(document, settings.options)
    patient = validated(Patient, document, schema="patient")
    return plan_document(
        patient,
        as_of=settings.as_of,
        custom=settings.custom,
        explain=settings.explain,
        holidays=holidays_for(patient),
    )


def error_line(number: int, exc: InputError) -> str:
    """The contract's error object, with the line number, as one compact JSON line."""
    document = error_document(exc.line(), exc.errors)
    ordered = {"schema_version": document["schema_version"], "line": number, **document}
    return json.dumps(ordered, separators=(",", ":")) + "\n"


def answer_line(
    number: int, line: Line, settings: BatchSettings
) -> tuple[bytes, str | None, Outcome]:
    """Output line `number` (UTF-8), its stderr line if it failed, and what became of it."""
    try:
        document = plan_line(line, settings)
        data = plan_document_bytes(document, indent=None)
    except InputError as exc:
        text = error_line(number, exc)
        return text.encode(), text if settings.json_errors else _error_text(number, exc), "failed"
    except Exception as exc:
        # A bug, not bad input: this line says so and the batch goes on (exit 70 at the end),
        # so one odd line cannot cost the plans of the lines after it.
        bug = InputError((), f"{internal_error(exc)}; please report it with this line")
        text = error_line(number, bug)
        say = text if settings.json_errors else f"b12plan: line {number}: {bug.msg}\n"
        return text.encode(), say, "crashed"
    return data, None, "blocked" if is_blocked(document) else "planned"


def plan_chunk(first: int, lines: list[Line], settings: BatchSettings) -> ChunkResult:
    """Plan consecutive lines numbered from `first`."""
    out: list[bytes] = []
    errors: list[str] = []
    counts = BatchSummary()
    for number, line in enumerate(lines, first):
        data, error, outcome = answer_line(number, line, settings)
        out.append(data)
        if error is not None:
            errors.append(error)
        counts.add(outcome)
    return ChunkResult(
        b"".join(out), errors, counts.lines, counts.failed, counts.blocked, counts.crashed
    )


def _error_text(number: int, exc: InputError) -> str:
    return "".join(f"b12plan: error: line {number}: {line}\n" for line in exc.lines())


def read_lines(source: IO[bytes]) -> Iterator[Line]:
    """Lines without their endings; an over-long line is skipped in pieces and yields None."""
    while True:
        raw = _read(source, MAX_DOCUMENT_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_DOCUMENT_BYTES and not raw.endswith(b"\n"):
            while (rest := _read(source, MAX_DOCUMENT_BYTES)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield raw.rstrip(b"\r\n")


def _read(source: IO[bytes], limit: int) -> bytes:
    try:
        return source.readline(limit)
    except OSError as exc:
        raise InputError(["file"], f"cannot read the input: {exc.strerror or exc}") from None


def _chunks(lines: Iterable[Line], size: int) -> Iterator[tuple[int, list[Line]]]:
    first, chunk = 1, []
    for line in lines:
        chunk.append(line)
        if len(chunk) == size:
            yield first, chunk
            first, chunk = first + size, []
    if chunk:
        yield first, chunk


def _may_wait(source: IO[bytes]) -> bool:
    """Whether reading `source` can wait for a writer (a pipe, a terminal), unlike a file."""
    try:
        return not stat.S_ISREG(os.fstat(source.fileno()).st_mode)
    except (OSError, ValueError):  # in memory (io.UnsupportedOperation is both): never waits
        return False


def run_batch(
    source: IO[bytes],
    sink: IO[bytes] | TextIO | Sink,
    errors: TextIO | None,
    settings: BatchSettings,
    *,
    jobs: int = 1,
) -> BatchSummary:
    """Plan every line of `source` into `sink`, in order; errors also go to `errors` (None:
    b12plan's stderr).

    `sink` may be binary or text; a failed write raises OutputError or ReaderGoneError.
    """
    summary = BatchSummary()
    out = sink if isinstance(sink, Sink) else sink_for(sink, "the output")
    say = write_err if errors is None else errors.write
    if jobs == 1:
        # From a pipe or a terminal, or onto a terminal, each plan is flushed as soon as it is
        # written, so a program can feed lines and read plans as it goes; from a file into a
        # file or a pipe, the whole input is there and a flush (a system call) per line would
        # only slow the batch down.
        flush_each = _may_wait(source) or out.is_terminal
        for number, line in enumerate(read_lines(source), 1):
            data, error, outcome = answer_line(number, line, settings)
            out.write_bytes(data)
            if flush_each:
                out.flush()
            if error is not None:
                say(error)
            summary.add(outcome)
        out.flush()
        return summary
    for result in _parallel(_chunks(read_lines(source), CHUNK_LINES), settings, jobs):
        out.write_bytes(result.data)
        out.flush()
        for error in result.errors:
            say(error)
        summary.lines += result.lines
        summary.failed += result.failed
        summary.blocked += result.blocked
        summary.crashed += result.crashed
    return summary


_worker_settings: BatchSettings | None = None


def _start_worker(settings: BatchSettings) -> None:
    import signal

    global _worker_settings  # noqa: PLW0603 - set once per worker process, read per task
    _worker_settings = settings
    # Ctrl-C is the parent's to handle: workers would otherwise each print a traceback. The
    # parent's SIGTERM handler (it unwinds to remove a temporary -o file) is not the workers':
    # the pool ends them with SIGTERM, and they should simply go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _worker_chunk(first: int, lines: list[Line]) -> ChunkResult:
    assert _worker_settings is not None  # noqa: S101 - set by _start_worker
    return plan_chunk(first, lines, _worker_settings)


def _parallel(
    chunks: Iterable[tuple[int, list[Line]]], settings: BatchSettings, jobs: int
) -> Iterator[ChunkResult]:
    """Chunks planned by `jobs` processes, yielded in input order with bounded look-ahead."""
    import multiprocessing  # only here: --jobs 1 never starts a process

    # fork shares the loaded engine with the workers; elsewhere each worker imports it anew.
    method = "fork" if sys.platform == "linux" else "spawn"
    context = multiprocessing.get_context(method)
    with context.Pool(jobs, initializer=_start_worker, initargs=(settings,)) as pool:
        pending: deque[AsyncResult[ChunkResult]] = deque()
        for chunk in chunks:
            pending.append(pool.apply_async(_worker_chunk, chunk))
            if len(pending) >= jobs * AHEAD_PER_JOB:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def batch_command(
    patient_file: str | None,
    options: dict[str, Any],
    *,
    fmt: str | None,
    output: str | None,
    explain: bool,
    batch: bool,
    jobs: int | None,
) -> int:
    """`schedule --batch`: check the options, open input and output, run, return the exit code.

    `fmt` is None unless `--format` was given; only `json` (the default for a batch) fits.
    """
    if not batch:
        raise InputError(["jobs"], "applies only with --batch")
    if fmt not in (None, "json"):
        raise InputError(
            ["format"],
            f"--batch writes JSON Lines (one plan document a line): use --format json or "
            f"leave --format out, not {fmt!r}",
        )
    json_errors = fmt == "json"
    options = dict(options)
    custom = load_custom_protocol(options.pop("protocol_file", None))
    as_of_text = options.pop("as_of", None)
    as_of = as_of_date(as_of_text)
    settings = BatchSettings(options, as_of, custom, explain, json_errors)
    with contextlib.ExitStack() as stack:
        if patient_file is None or patient_file == "-":
            source: IO[bytes] = stdin_bytes()
        else:
            try:
                source = stack.enter_context(Path(patient_file).open("rb"))
            except OSError as exc:
                msg = f"cannot read {patient_file}: {exc.strerror or exc}"
                raise InputError(["file"], msg) from None
        sink = stack.enter_context(open_output(output))
        summary = run_batch(source, sink, None, settings, jobs=jobs or 1)
    if summary.failed and not json_errors:
        write_err(f"b12plan: {summary.failed} of {summary.lines} lines failed\n")
    return summary.exit_code
