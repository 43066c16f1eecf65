"""`plan_many`: many patients planned in order, on one process or N; `schedule --batch` runs on it.

A plan here goes straight from the engine's plain document to JSON (`b12plan.contract.documents`):
validating forty-odd output models per patient would cost half as much again as planning it.
The `Plan` model is built only when a caller asks for `PlanResult.plan`.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar, final

from b12plan.api import as_of_date, patient_record, read_protocol_file
from b12plan.contract.vocab import is_blocked
from b12plan.engine.plan import plan_document
from b12plan.errors import InvalidInput, OutputError, ReaderGoneError
from b12plan.io.output import Sink, write_err
from b12plan.io.parsing import parse_json_line
from b12plan.render.jsonout import plan_document_bytes

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext
    from multiprocessing.pool import AsyncResult

    from b12plan.api import PatientInput
    from b12plan.contract.models import Plan
    from b12plan.contract.records import Protocol

# Patients per task sent to a worker process: large enough that inter-process traffic is cheap
# next to planning, small enough that results keep flowing.
CHUNK: Final = 200
# Tasks queued ahead per worker: keeps every worker busy while bounding memory for any input.
AHEAD_PER_JOB: Final = 4
MAX_JOBS: Final = 64


@final
class PlanResult:
    """One patient's plan from `plan_many`: its JSON at once, the `Plan` model when asked for.

    A batch writes JSON Lines faster than it could build the model of every plan; ask for
    `.plan` when you need the doses and findings as objects.
    """

    __slots__ = ("_blocked", "_data", "_plan")

    def __init__(self, data: bytes, blocked: bool) -> None:
        self._data = data
        self._blocked = blocked
        self._plan: Plan | None = None

    def __repr__(self) -> str:
        return f"<PlanResult blocked={self._blocked} {len(self._data)} bytes>"

    @property
    def blocked(self) -> bool:
        """True when a `block` finding stopped the plan (as `Plan.blocked`)."""
        return self._blocked

    def to_json_line(self) -> bytes:
        """The plan document as one line of JSON Lines, UTF-8, ending in a newline: the line
        `schedule --batch` writes for this patient."""
        return self._data

    @property
    def plan(self) -> Plan:
        """The plan as the `Plan` model (read from the JSON on first use)."""
        if self._plan is None:
            from b12plan.contract.models import Plan

            self._plan = Plan.model_validate_json(self._data)
        return self._plan


Outcome = PlanResult | Exception
"""What one patient gives: a plan, `InvalidInput`, or the exception a bug raised."""


class _Settings(NamedTuple):
    """What every patient of a batch shares (a tuple: it travels to worker processes)."""

    as_of: date
    custom: Protocol | None
    explain: bool
    overrides: Mapping[str, Any]


def plan_many(
    patients: Iterable[PatientInput | InvalidInput],
    *,
    as_of: date | str | None = None,
    jobs: int = 1,
    protocol_file: str | os.PathLike[str] | None = None,
    explain: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> Generator[PlanResult | Exception, None, None]:
    """Plan each patient in turn, yielding one outcome per patient, in their order.

    Each patient is in any form `plan` takes. Each outcome is a `PlanResult`, or the
    `InvalidInput` that patient raised (the rest are still planned). An `InvalidInput` among
    the patients is yielded in its place (a reader can report a line it could not read); any
    other exception is a bug met on that patient, yielded too: raise it to stop.

    `as_of` is read once for all (today when omitted); `protocol_file` is read once, before
    the first patient (`InvalidInput` if it is unusable). `jobs` plans on that many processes
    (1-64), keeping the order. `explain` keeps each dose's trace in the JSON. `overrides` are
    fields set on every patient: each replaces the patient's own, an object (`clinic`,
    `conditions`) is merged into it, and None removes the field. Patients are read as the
    outcomes are asked for; `close()` the generator to stop early (it ends the processes).
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int) or not 1 <= jobs <= MAX_JOBS:
        raise InvalidInput(("jobs",), f"must be a whole number from 1 to {MAX_JOBS}")
    custom = read_protocol_file(protocol_file)
    settings = _Settings(as_of_date(as_of), custom, explain, dict(overrides or {}))
    if jobs == 1:
        return (_plan_one(patient, settings) for patient in patients)
    return _parallel(patients, settings, jobs)


def _plan_one(patient: PatientInput | InvalidInput, settings: _Settings) -> Outcome:
    if isinstance(patient, InvalidInput):
        return patient
    try:
        record = patient_record(patient, settings.overrides)
        document = plan_document(
            record,
            as_of=settings.as_of,
            custom=settings.custom,
            explain=settings.explain,
        )
        return PlanResult(plan_document_bytes(document, indent=None), is_blocked(document))
    except InvalidInput as exc:
        exc.ref = _readable_ref(patient, settings.overrides)
        return exc
    except Exception as exc:  # one patient's bug must not cost the others: the caller decides
        return exc


def _readable_ref(patient: object, overrides: Mapping[str, Any]) -> str | None:
    """The `ref` of a patient that could not be planned, where it can still be read: the one
    every patient is given, else the document's own if it is a valid ref (contract: batch
    error lines echo it too)."""
    from b12plan.contract.validators import ref_text

    ref = overrides.get("ref")
    if ref is None:
        document: object = patient
        if isinstance(patient, bytes):
            try:
                document = parse_json_line(patient, "patient")
            except InvalidInput:
                return None
        ref = document.get("ref") if isinstance(document, Mapping) else None
    try:
        return str(ref_text(ref))
    except ValueError:
        return None


Sent = tuple[bytes, bool] | Exception
"""An outcome as a worker sends it back: a plan's JSON line and whether it is blocked."""


def _plan_portable(patient: PatientInput | InvalidInput, settings: _Settings) -> Sent:
    return _portable(_plan_one(patient, settings))


def _portable(outcome: Outcome) -> Sent:
    """The outcome as a worker sends it: a plan as a tuple (it pickles fastest), a bug that
    cannot pickle as a RuntimeError naming it."""
    if isinstance(outcome, PlanResult):
        return outcome.to_json_line(), outcome.blocked
    if isinstance(outcome, InvalidInput):
        return outcome
    try:
        pickle.dumps(outcome)
    except Exception:  # whatever stops it pickling, say what it was
        return RuntimeError(f"{type(outcome).__name__}: {outcome}")
    return outcome


def _received(sent: Sent) -> Outcome:
    return PlanResult(*sent) if isinstance(sent, tuple) else sent


_worker_settings: _Settings | None = None


def _start_worker(settings: Any) -> None:
    import signal

    global _worker_settings  # noqa: PLW0603 - set once per worker process, read per task
    _worker_settings = settings
    # Ctrl-C is the parent's to handle: workers would otherwise each print a traceback. The
    # parent's SIGTERM handler (the CLI's: it unwinds to remove a temporary -o file) is not the
    # workers': the pool ends them with SIGTERM, and they should simply go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGHUP, signal.SIG_DFL)


def _chunks(patients: Iterable[Item]) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    for patient in patients:
        chunk.append(patient)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _pool_context() -> BaseContext:
    import multiprocessing  # only here: jobs=1 never starts a process

    # fork shares the loaded engine with the workers; elsewhere each worker imports it anew.
    return multiprocessing.get_context(FORK if sys.platform == "linux" else "spawn")


def _parallel(
    patients: Iterable[PatientInput | InvalidInput], settings: _Settings, jobs: int
) -> Generator[Outcome, None, None]:
    """Outcomes planned by `jobs` processes, yielded in input order with bounded look-ahead."""
    return (_received(sent) for sent in in_processes(_plan_portable, patients, settings, jobs))


Item = TypeVar("Item")
Setting = TypeVar("Setting")
Result = TypeVar("Result")
_task: tuple[Callable[[Any, Any], Any], Any] | None = None


def in_processes(
    work: Callable[[Item, Setting], Result],
    items: Iterable[Item],
    settings: Setting,
    jobs: int,
) -> Generator[Result, None, None]:
    """`work(item, settings)` for each item on `jobs` processes, yielded in input order, with
    bounded look-ahead (memory stays flat for any number of items). `work` is a module-level
    function and its results pickle; `settings` travels to each worker once. The audit plans
    on this too."""
    with _pool_context().Pool(jobs, initializer=_start_task, initargs=(work, settings)) as pool:
        pending: deque[AsyncResult[list[Result]]] = deque()
        for chunk in _chunks(items):
            pending.append(pool.apply_async(_task_chunk, (chunk,)))
            if len(pending) >= jobs * AHEAD_PER_JOB:
                yield from pending.popleft().get()
        while pending:
            yield from pending.popleft().get()


def _start_task(work: Callable[[Any, Any], Any], settings: Any) -> None:
    global _task  # noqa: PLW0603 - set once per worker process, read per task
    _start_worker(settings)
    _task = (work, settings)


def _task_chunk(items: list[Any]) -> list[Any]:
    assert _task is not None  # noqa: S101 - set by _start_task
    work, settings = _task
    return [work(item, settings) for item in items]


# ---------------------------------------------------------------- workers that write


FORK: Final = "fork"
T = TypeVar("T")
if TYPE_CHECKING:
    Answer = Callable[[int, Outcome], tuple[bytes, str | None, T]]
    """What a line's outcome becomes: its output bytes, its stderr text (or None), a tag."""


def workers_can_write(out: Sink) -> bool:
    """Whether worker processes can write `out` and stderr themselves: both are open files the
    workers inherit (forked, as on Linux), not objects in this process's memory."""
    if _pool_context().get_start_method() != FORK or out.fileno() is None:
        return False
    try:
        sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return False
    return True


def write_many(
    patients: Iterable[PatientInput | InvalidInput],
    out: Sink,
    answer: Answer[T],
    *,
    jobs: int,
    as_of: date | str | None = None,
    protocol_file: str | os.PathLike[str] | None = None,
    explain: bool = False,
    overrides: Mapping[str, Any] | None = None,
) -> Generator[T, None, None]:
    """`plan_many` on `jobs` processes that write each answer themselves, in input order: line
    N's answer (`answer(N, outcome)`) to `out` and its stderr text to stderr, and send back
    only its tag, yielded here in order. The plans never pass through this process.

    For `workers_can_write(out)` only. The processes take turns by chunk: one writes its
    chunk's answers and flushes them, then the next may. A failed write stops every later one
    and is raised here (OutputError or ReaderGoneError).
    """
    custom = read_protocol_file(protocol_file)
    settings = _Settings(as_of_date(as_of), custom, explain, dict(overrides or {}))
    context = _pool_context()
    turn = context.Value("q", 0, lock=False)
    ready = context.Condition()
    out.flush()  # nothing of ours may sit in a buffer the workers inherit
    writer = (answer, out, turn, ready)
    with context.Pool(jobs, initializer=_start_writer, initargs=(settings, writer)) as pool:
        pending: deque[AsyncResult[list[T] | Exception]] = deque()
        first = 1
        for index, chunk in enumerate(_chunks(patients)):
            pending.append(pool.apply_async(_write_chunk, (index, first, chunk)))
            first += len(chunk)
            if len(pending) >= jobs * AHEAD_PER_JOB:
                yield from _tags(pending.popleft().get())
        while pending:
            yield from _tags(pending.popleft().get())


def _tags(result: list[T] | Exception) -> list[T]:
    if isinstance(result, Exception):
        raise result
    return result


_writer: tuple[Answer[Any], Sink, Any, Any] | None = None


def _start_writer(settings: _Settings, writer: tuple[Answer[Any], Sink, Any, Any]) -> None:
    global _writer  # noqa: PLW0603 - set once per worker process, read per task
    _start_worker(settings)
    _writer = writer


def _write_chunk(index: int, first: int, patients: list[PatientInput | InvalidInput]) -> Any:
    """Plan and answer a chunk, then, on its turn, write it: its tags, or the write's error."""
    assert _writer is not None  # noqa: S101 - set by _start_writer
    assert _worker_settings is not None  # noqa: S101 - set by _start_worker
    answer, out, turn, ready = _writer
    answers = [
        answer(first + i, _plan_one(patient, _worker_settings))
        for i, patient in enumerate(patients)
    ]
    with ready:
        ready.wait_for(lambda: turn.value in (index, STOPPED))
        if turn.value == STOPPED:
            return []  # an earlier chunk could not be written: neither can this one
        try:
            for data, error, _ in answers:
                out.write_bytes(data)
                if error is not None:
                    write_err(error)
            out.flush()
        except (OutputError, ReaderGoneError) as exc:
            turn.value = STOPPED
            return exc
        finally:
            if turn.value != STOPPED:
                turn.value = index + 1
            ready.notify_all()
    return [tag for _, _, tag in answers]


STOPPED: Final = -1
"""The turn once a write failed: no chunk writes after it."""
