"""`schedule --batch`: JSON Lines in, one plan a line out, in order, on one or N processes.

The planning is `b12plan.plan_many`'s, as a script would call it; this module reads the lines,
writes the answers and counts them.

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
from collections.abc import Generator, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import IO, Any, Literal, TextIO

import b12plan
from b12plan.batch import workers_can_write
from b12plan.cli._shared import (
    EXIT_BLOCKED,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    error_document,
    option_fields,
)
from b12plan.contract.text import PATH_CHARS, internal_error, quote
from b12plan.errors import InvalidInput
from b12plan.io.loading import read_lines, stdin_bytes
from b12plan.io.output import Sink, open_output, sink_for, write_err

Outcome = Literal["planned", "blocked", "failed", "crashed"]
"""What became of one line: `crashed` is a bug it hit, not bad input."""


class BatchSettings:
    """What every line of a batch shares."""

    __slots__ = ("as_of", "explain", "json_errors", "options", "protocol_file", "settings_file")

    def __init__(
        self,
        options: dict[str, Any],
        as_of: date | str | None = None,
        protocol_file: str | None = None,
        explain: bool = False,
        json_errors: bool = False,
        settings_file: str | None = None,
    ) -> None:
        self.options = options
        """Command-line options; they override the same fields of every line."""
        self.as_of = as_of
        """Today when None, read once for the whole batch."""
        self.protocol_file = protocol_file
        self.explain = explain
        self.json_errors = json_errors
        """Errors on stderr as JSON objects (`--format json`) rather than one-line messages."""
        self.settings_file = settings_file
        """The settings file read (b12plan.toml), named in every plan, or None."""


class BatchSummary:
    """Counts over the whole batch, and the exit code they give."""

    __slots__ = ("blocked", "crashed", "failed", "lines")

    def __init__(self) -> None:
        self.lines = 0
        self.failed = 0
        """Lines answered with an error object, `crashed` ones included."""
        self.blocked = 0
        self.crashed = 0
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


def error_line(number: int, exc: InvalidInput) -> str:
    """The contract's error object, with the line number and the line's `ref` (null where
    none could be read), as one compact JSON line."""
    document = error_document(exc.line(), exc.errors)
    ordered = {
        "schema_version": document["schema_version"],
        "line": number,
        "ref": exc.ref,
        **document,
    }
    return json.dumps(ordered, separators=(",", ":")) + "\n"


def answer(
    number: int,
    result: b12plan.PlanResult | Exception,
    json_errors: bool,
    settings_file: str | None = None,
) -> tuple[bytes, str | None, Outcome]:
    """Output line `number` (UTF-8), its stderr text if it failed, and what became of it; a
    plan names `settings_file` if one was read."""
    if isinstance(result, b12plan.PlanResult):
        line = result.to_json_line()
        if settings_file is not None:
            line = with_settings(line, settings_file)
        return line, None, "blocked" if result.blocked else "planned"
    if isinstance(result, InvalidInput):
        text = error_line(number, result)
        return text.encode(), text if json_errors else _error_text(number, result), "failed"
    # A bug, not bad input: this line says so and the batch goes on (exit 70 at the end), so
    # one odd line cannot cost the plans of the lines after it.
    bug = InvalidInput((), f"{internal_error(result)}; please report it with this line")
    text = error_line(number, bug)
    say = text if json_errors else f"b12plan: line {number}: {bug.msg}\n"
    return text.encode(), say, "crashed"


def with_settings(line: bytes, settings_file: str) -> bytes:
    """A plan's JSON line with `settings` added last, as `schedule --format json` has it: the
    object's closing brace is the line's last byte but its newline."""
    field = json.dumps(settings_file, ensure_ascii=False).encode()
    return line[:-2] + b',"settings":' + field + b"}\n"


def _error_text(number: int, exc: InvalidInput) -> str:
    where = f"line {number}" if exc.ref is None else f"line {number} (ref {exc.ref})"
    return "".join(f"b12plan: error: {where}: {line}\n" for line in exc.lines())


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
    return write_answers(plan_lines(source, settings, jobs), source, sink, errors, settings)


def plan_lines(
    source: IO[bytes], settings: BatchSettings, jobs: int
) -> Generator[b12plan.PlanResult | Exception, None, None]:
    """`b12plan.plan_many` over the lines of `source`, as they are read; the protocol file and
    the date are read now (InvalidInput), the lines only as the answers are asked for."""
    return b12plan.plan_many(
        read_lines(source),
        as_of=settings.as_of,
        jobs=jobs,
        protocol_file=settings.protocol_file,
        explain=settings.explain,
        overrides=option_fields(settings.options),
    )


def write_answers(
    results: Iterable[b12plan.PlanResult | Exception],
    source: IO[bytes],
    sink: IO[bytes] | TextIO | Sink,
    errors: TextIO | None,
    settings: BatchSettings,
) -> BatchSummary:
    """Write each line's answer to `sink` (and a failed one's error to `errors`), counting."""
    summary = BatchSummary()
    out = sink if isinstance(sink, Sink) else sink_for(sink, "the output")
    say = write_err if errors is None else errors.write
    # From a pipe or a terminal, or onto a terminal, each plan is flushed as soon as it is
    # written, so a program can feed lines and read plans as it goes; from a file into a file
    # or a pipe, the whole input is there and a flush (a system call) per line would only slow
    # the batch down.
    flush_each = _may_wait(source) or out.is_terminal
    try:
        for number, result in enumerate(results, 1):
            data, error, outcome = answer(
                number, result, settings.json_errors, settings.settings_file
            )
            out.write_bytes(data)
            if flush_each:
                out.flush()
            if error is not None:
                say(error)
            summary.add(outcome)
        out.flush()
    finally:
        # Stopped early (the reader left, the disk is full, Ctrl-C): end the worker processes
        # now, while unwinding, rather than whenever the generator is collected.
        if isinstance(results, Generator):
            results.close()
    return summary


def _workers_can_write(sink: Sink) -> bool:

    return workers_can_write(sink)


def write_in_workers(
    source: IO[bytes], sink: Sink, settings: BatchSettings, jobs: int
) -> BatchSummary:
    """`--jobs N` onto a file or a pipe: each worker process writes the answers of the lines it
    planned (and their stderr lines) itself, in input order, so that no plan passes through
    this process; only what became of each line comes back, to count."""
    from b12plan.batch import write_many

    summary = BatchSummary()
    answers = write_many(
        read_lines(source),
        sink,
        partial(answer, json_errors=settings.json_errors, settings_file=settings.settings_file),
        jobs=jobs,
        as_of=settings.as_of,
        protocol_file=settings.protocol_file,
        explain=settings.explain,
        overrides=option_fields(settings.options),
    )
    try:
        for outcome in answers:
            summary.add(outcome)
    finally:
        answers.close()  # stopped early: end the worker processes now
    return summary


def batch_command(
    patient_file: str | None,
    options: dict[str, Any],
    *,
    fmt: str | None,
    output: str | None,
    explain: bool,
    batch: bool,
    jobs: int | None,
    settings_file: str | None = None,
) -> int:
    """`schedule --batch`: check the options, open input and output, run, return the exit code.

    `fmt` is None unless `--format` was given; only `json` (the default for a batch) fits.
    `settings_file`, the settings file read, is named in every plan.
    """
    if not batch:
        raise InvalidInput(["jobs"], "applies only with --batch")
    if fmt not in (None, "json"):
        raise InvalidInput(
            ["format"],
            f"--batch writes JSON Lines (one plan document a line): use --format json or "
            f"leave --format out, not {fmt!r}",
        )
    json_errors = fmt == "json"
    options = dict(options)
    protocol_file, as_of = options.pop("protocol_file", None), options.pop("as_of", None)
    settings = BatchSettings(options, as_of, protocol_file, explain, json_errors, settings_file)
    with contextlib.ExitStack() as stack:
        if patient_file is None or patient_file == "-":
            source: IO[bytes] = stdin_bytes()
        else:
            try:
                source = stack.enter_context(Path(patient_file).open("rb"))
            except OSError as exc:
                msg = f"cannot read {quote(patient_file, PATH_CHARS)}: {exc.strerror or exc}"
                raise InvalidInput(["file"], msg) from None
        # Before any output is opened: a bad protocol file leaves `-o` untouched.
        results = plan_lines(source, settings, jobs or 1)
        sink = stack.enter_context(open_output(output))
        if (jobs or 1) > 1 and _workers_can_write(sink):
            results.close()  # not started: the workers plan, and write, instead
            summary = write_in_workers(source, sink, settings, jobs or 1)
        else:
            summary = write_answers(results, source, sink, None, settings)
    if summary.failed and not json_errors:
        write_err(f"b12plan: {summary.failed} of {summary.lines} lines failed\n")
    return summary.exit_code
