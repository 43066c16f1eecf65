"""`schedule --batch`: JSON Lines in, one plan a line out, in order, on one or N processes.

Choices where the contract is silent (documented in the README):
- Output line N always answers input line N. A bad line, a blank one included, becomes an error
  object naming its line number, on that line of output and on stderr; the batch goes on.
- Exit code: 2 if any line failed, else 1 if any plan is blocked, else 0.
- `-o FILE` is replaced atomically when the batch ends, error lines included; only a failure of
  the whole run (bad options, unreadable input, an internal error) leaves it untouched.
- `--as-of` defaults to today once for the whole batch; options override every line's fields.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import stat
import sys
import typing
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from pydantic import ValidationError

from b12plan.cli._shared import (
    EXIT_BLOCKED,
    EXIT_INPUT,
    EXIT_OK,
    as_of_date,
    error_document,
    load_custom_protocol,
    merge_patient,
    validation_failure,
)
from b12plan.engine.document import PlanDocument, is_blocked
from b12plan.engine.plan import plan_document
from b12plan.errors import InputError
from b12plan.loading import MAX_DOCUMENT_BYTES, loads_strict
from b12plan.models import Patient
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


@dataclass
class BatchSummary:
    """Counts over the whole batch, and the exit code they give."""

    lines: int = 0
    failed: int = 0
    blocked: int = 0

    @property
    def exit_code(self) -> int:
        """2 if any line failed, else 1 if any plan is blocked, else 0."""
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
        raise InputError((), f"not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        kind = _JSON_KINDS.get(type(document), "a scalar")
        raise InputError((), f"must be one patient document (a JSON object), not {kind}")
    if settings.overrides:
        document = merge_patient(document, settings.options)
    try:
        patient = Patient.model_validate(document)
    except ValidationError as exc:
        raise validation_failure(exc, (), as_json=False).error from None
    return plan_document(
        patient,
        as_of=settings.as_of,
        custom=settings.custom,
        explain=settings.explain,
    )


def error_line(number: int, exc: InputError) -> str:
    """The contract's error object, with the line number, as one compact JSON line."""
    document = error_document(exc.line(), exc.errors)
    ordered = {"schema_version": document["schema_version"], "line": number, **document}
    return json.dumps(ordered, separators=(",", ":")) + "\n"


def answer_line(number: int, line: Line, settings: BatchSettings) -> tuple[bytes, str | None, bool]:
    """Output line `number` (UTF-8), its stderr line if it failed, and whether it is blocked."""
    try:
        document = plan_line(line, settings)
    except InputError as exc:
        text = error_line(number, exc)
        return text.encode(), text if settings.json_errors else _error_text(number, exc), False
    except Exception as exc:
        # A bug, not bad input: stop the batch (exit 70), naming the line that found it.
        msg = f"line {number}: {type(exc).__name__}: {exc}"
        raise RuntimeError(msg) from exc
    return plan_document_bytes(document, indent=None), None, is_blocked(document)


def plan_chunk(first: int, lines: list[Line], settings: BatchSettings) -> ChunkResult:
    """Plan consecutive lines numbered from `first`."""
    out: list[bytes] = []
    errors: list[str] = []
    blocked = 0
    for number, line in enumerate(lines, first):
        data, error, is_blocked_plan = answer_line(number, line, settings)
        out.append(data)
        if error is not None:
            errors.append(error)
        blocked += is_blocked_plan
    return ChunkResult(b"".join(out), errors, len(lines), len(errors), blocked)


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


class BinarySink(typing.Protocol):
    """Where output lines go: a binary stream."""

    def write(self, data: bytes, /) -> int:
        """Write UTF-8 bytes."""

    def flush(self) -> None:
        """Pass what is buffered on."""


class _TextSink:
    """Bytes into a text stream with no binary layer (such as io.StringIO)."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, data: bytes, /) -> int:
        self.stream.write(data.decode("utf-8"))
        return len(data)

    def flush(self) -> None:
        self.stream.flush()


def _binary(sink: IO[bytes] | TextIO) -> BinarySink:
    # Plans are serialised to UTF-8; decoding them only to have the text layer encode them
    # again cost as much as a tenth of planning.
    if isinstance(sink, io.RawIOBase | io.BufferedIOBase):
        return sink
    text = cast("TextIO", sink)
    buffer: BinarySink | None = getattr(text, "buffer", None)
    if buffer is None:
        return _TextSink(text)
    text.flush()
    return buffer


def _may_wait(source: IO[bytes]) -> bool:
    """Whether reading `source` can wait for a writer (a pipe, a terminal), unlike a file."""
    try:
        return not stat.S_ISREG(os.fstat(source.fileno()).st_mode)
    except (OSError, ValueError):  # in memory (io.UnsupportedOperation is both): never waits
        return False


def _is_terminal(stream: IO[bytes] | TextIO) -> bool:
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def run_batch(
    source: IO[bytes],
    sink: IO[bytes] | TextIO,
    errors: TextIO,
    settings: BatchSettings,
    *,
    jobs: int = 1,
) -> BatchSummary:
    """Plan every line of `source` into `sink`, in order; errors also go to `errors`.

    `sink` may be binary or text.
    """
    summary = BatchSummary()
    out = _binary(sink)
    if jobs == 1:
        # From a pipe or a terminal, or onto a terminal, each plan is flushed as soon as it is
        # written, so a program can feed lines and read plans as it goes; from a file into a
        # file or a pipe, the whole input is there and a flush (a system call) per line would
        # only slow the batch down.
        flush_each = _may_wait(source) or _is_terminal(sink)
        for number, line in enumerate(read_lines(source), 1):
            data, error, blocked = answer_line(number, line, settings)
            out.write(data)
            if flush_each:
                out.flush()
            if error is not None:
                errors.write(error)
                summary.failed += 1
            summary.lines += 1
            summary.blocked += blocked
        out.flush()
        return summary
    for result in _parallel(_chunks(read_lines(source), CHUNK_LINES), settings, jobs):
        out.write(result.data)
        out.flush()
        errors.writelines(result.errors)
        summary.lines += result.lines
        summary.failed += result.failed
        summary.blocked += result.blocked
    return summary


_worker_settings: BatchSettings | None = None


def _start_worker(settings: BatchSettings) -> None:
    import signal

    global _worker_settings  # noqa: PLW0603 - set once per worker process, read per task
    _worker_settings = settings
    # Ctrl-C is the parent's to handle: workers would otherwise each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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
    from b12plan.output import atomic_writer

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
            source: IO[bytes] = sys.stdin.buffer
        else:
            try:
                source = stack.enter_context(Path(patient_file).open("rb"))
            except OSError as exc:
                msg = f"cannot read {patient_file}: {exc.strerror or exc}"
                raise InputError(["file"], msg) from None
        sink = sys.stdout
        if output is not None and output != "-":
            sink = stack.enter_context(atomic_writer(output))
        summary = run_batch(source, sink, sys.stderr, settings, jobs=jobs or 1)
    if summary.failed and not json_errors:
        sys.stderr.write(f"b12plan: {summary.failed} of {summary.lines} lines failed\n")
    return summary.exit_code
