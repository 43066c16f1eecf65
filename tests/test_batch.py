"""`schedule --batch`: JSON Lines in, one plan a line out, in order, bad lines reported in place."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b12plan import api
from b12plan.cli.batch import BatchSettings, run_batch
from b12plan.io.loading import MAX_DOCUMENT_BYTES
from tests import processes
from tests.conftest import EXAMPLES, break_planning, run

EXAMPLES_AS_OF = "2026-11-24"
DIETARY = {"start": "2025-03-03", "cause": "dietary"}
BLOCKED = {"start": "2025-03-03", "cause": "dietary", "route": "iv"}


def _jsonl(*documents: Any) -> str:
    return "".join((d if isinstance(d, str) else json.dumps(d)) + "\n" for d in documents)


def _lines(text: str) -> list[Any]:
    return [json.loads(line) for line in text.splitlines()]


def _example_patients() -> list[tuple[dict[str, Any], Path]]:
    """Every example patient as a document, with its reviewed golden plan."""
    out = []
    for path in sorted(EXAMPLES.glob("patient-*")):
        if ".plan" in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            # TOML dates are date objects; as JSON they are the same ISO strings.
            text = json.dumps(tomllib.loads(text), default=date.isoformat)
        document = json.loads(text)
        out.append((document, path.with_name(path.stem + ".plan.json")))
    return out


def test_each_line_is_the_golden_plan_compact() -> None:
    """Every example patient a line gives exactly its golden plan, compact, in input order."""
    examples = _example_patients()
    result = run(
        "schedule", "--batch", "--as-of", EXAMPLES_AS_OF, stdin=_jsonl(*(d for d, _ in examples))
    )
    assert result.code == 0, result.err
    assert result.err == ""
    out = result.out.splitlines()
    assert len(out) == len(examples) >= 5
    for line, (_, golden) in zip(out, examples, strict=True):
        plan = json.loads(golden.read_text(encoding="utf-8"))
        assert line == json.dumps(plan, separators=(",", ":"), ensure_ascii=False)


def test_batch_line_equals_single_patient_json() -> None:
    """A batch line is the same document as `--format json` for that patient alone."""
    single = run(
        "schedule", "--as-of", "2025-03-01", "--format", "json", "-", stdin=_jsonl(DIETARY)
    )
    batch = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=_jsonl(DIETARY))
    assert batch.code == single.code == 0
    assert "\n" not in batch.out.rstrip("\n")
    assert json.loads(batch.out) == single.json()


def test_bad_lines_are_reported_in_place_and_the_rest_planned() -> None:
    """A bad line becomes an error object naming its line, on that output line and on stderr."""
    stdin = _jsonl(DIETARY, {"start": "2025-03-03", "cause": "scurvy"}, DIETARY, "{not json")
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=stdin)
    assert result.code == 2
    first, second, third, fourth = _lines(result.out)
    assert first["protocol"]["id"] == third["protocol"]["id"] == "uk-hydroxo-dietary"
    assert second["schema_version"] == "1"
    assert second["line"] == 2
    assert second["error"]["errors"][0]["loc"] == ["cause"]
    assert "unknown cause 'scurvy'" in second["error"]["message"]
    assert fourth["line"] == 4
    assert fourth["error"]["message"].startswith("not valid JSON")
    err = result.err.splitlines()
    assert err[0].startswith("b12plan: error: line 2: cause: unknown cause 'scurvy'")
    assert err[1].startswith("b12plan: error: line 4: not valid JSON")
    assert err[2] == "b12plan: 2 of 4 lines failed"
    assert "Traceback" not in result.err


def test_error_object_keys_follow_the_contract() -> None:
    """An error line is the contract's error object with the line number and the line's ref
    (null without one) after schema_version."""
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=_jsonl({"cause": "dietary"}))
    assert result.code == 2
    assert result.out == (
        '{"schema_version":"1","line":1,"ref":null,"error":{"message":"start: is required",'
        '"errors":[{"loc":["start"],"msg":"is required"}]}}\n'
    )


def test_a_failed_line_names_its_ref() -> None:
    """A line that fails still echoes the ref it carries, in its error object and on stderr;
    a ref that is itself wrong is not echoed (contract, Additions of 2026-12-07)."""
    lines = _jsonl(
        {"cause": "dietary", "ref": "clinic-0042"},
        {"start": "2026-12-10", "cause": "dietary", "ref": "ok-1"},
        {"start": "2026-12-10", "cause": "scurvy", "ref": "bad\u001bref"},
    )
    result = run("schedule", "--batch", "--as-of", "2026-12-05", stdin=lines)
    assert result.code == 2
    out = [json.loads(line) for line in result.out.splitlines()]
    assert [line["ref"] for line in out] == ["clinic-0042", "ok-1", None]
    assert result.err.splitlines()[0].startswith("b12plan: error: line 1 (ref clinic-0042): start")
    assert "ref: holds a control character" in result.err


def test_ref_option_names_every_line() -> None:
    """`--ref` sets the ref of every line, the failed ones too."""
    lines = _jsonl({"cause": "dietary"}, {"start": "2026-12-10", "cause": "dietary"})
    result = run("schedule", "--batch", "--as-of", "2026-12-05", "--ref", "R1", stdin=lines)
    assert [json.loads(line)["ref"] for line in result.out.splitlines()] == ["R1", "R1"]


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        (b"", "blank line"),
        (b"   \t", "blank line"),
        (b'["a", "list"]', "not an array"),
        (b"42", "not a number"),
        (b"null", "not null"),
        (b'{"start": "2025-03-03", "start": "2025-03-04", "cause": "dietary"}', "duplicate key"),
        (b'{"start": "2025-03-03", "cause": "dietary", "neuro": NaN}', "NaN"),
        (b'{"start": "2025-03-03", "cause": "di\xe9tary"}', "not UTF-8"),
    ],
)
def test_malformed_lines_get_an_error_line_each(line: bytes, wanted: str) -> None:
    """Blank, non-object, duplicate-key, NaN and non-UTF-8 lines each answer with an error line."""
    stdin = json.dumps(DIETARY).encode() + b"\n" + line + b"\n" + json.dumps(DIETARY).encode()
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=stdin)
    assert result.code == 2
    plans = _lines(result.out)
    assert len(plans) == 3
    assert plans[1]["line"] == 2
    assert wanted in plans[1]["error"]["message"]
    assert plans[0]["complete"] is plans[2]["complete"] is True


def test_over_long_line_is_an_error_and_the_next_line_still_planned() -> None:
    """A line over the document size limit is skipped as an error without losing the next one."""
    huge = b'{"cause": "' + b"x" * (MAX_DOCUMENT_BYTES + 10) + b'"}'
    stdin = huge + b"\n" + json.dumps(DIETARY).encode() + b"\n"
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=stdin)
    assert result.code == 2
    error, plan = _lines(result.out)
    assert error["line"] == 1
    assert "longer than" in error["error"]["message"]
    assert plan["protocol"]["id"] == "uk-hydroxo-dietary"


def test_crlf_line_endings_and_a_missing_final_newline_are_accepted() -> None:
    """Windows line endings and an unterminated last line still give one plan a line."""
    stdin = (json.dumps(DIETARY) + "\r\n" + json.dumps(DIETARY)).encode()
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=stdin)
    assert result.code == 0, result.err
    assert len(_lines(result.out)) == 2


def test_exit_code_is_1_when_a_plan_is_blocked_and_no_line_failed() -> None:
    """A blocked plan is a good line (exit 1); a failed line wins over it (exit 2)."""
    blocked = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=_jsonl(DIETARY, BLOCKED))
    assert blocked.code == 1
    plans = _lines(blocked.out)
    assert plans[1]["complete"] is False
    assert plans[1]["doses"] == []
    assert "IV_ROUTE" in [f["code"] for f in plans[1]["findings"]]
    failed = run(
        "schedule", "--batch", "--as-of", "2025-03-01", stdin=_jsonl(BLOCKED, {"cause": "x"})
    )
    assert failed.code == 2


def test_empty_input_gives_no_output_and_exit_0() -> None:
    """No lines in, no lines out: nothing failed."""
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=b"")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_options_override_every_line() -> None:
    """Command-line options replace the same field of each line, as for a single patient."""
    lines = _jsonl(DIETARY, {"start": "2025-04-07", "cause": "gastrectomy", "until": "2030-01-01"})
    result = run(
        "schedule", "--batch", "--as-of", "2025-03-01", "--until", "2025-12-31", stdin=lines
    )
    assert result.code == 0, result.err
    first, second = _lines(result.out)
    # Dietary: 6 doses 3 to 14 March (gaps 2,2,3,2,2), then every 6 months: 14 September only.
    assert [d["date"] for d in first["doses"] if d["phase"] == "maintenance"] == ["2025-09-14"]
    # Gastrectomy: repletion 7 to 18 April, then every 3 months: 18 July and 18 October.
    assert [d["date"] for d in second["doses"] if d["phase"] == "maintenance"] == [
        "2025-07-18",
        "2025-10-18",
    ]


def test_option_that_makes_lines_invalid_fails_each_line() -> None:
    """An override is validated per line: a --dob after a line's start fails that line only."""
    lines = _jsonl(
        {"start": "2025-03-03", "cause": "dietary"}, {"start": "1990-03-03", "cause": "x"}
    )
    result = run(
        "schedule", "--batch", "--as-of", "2025-03-01", "--dob", "2000-01-01", "--cause", "dietary",
        stdin=lines,
    )  # fmt: skip
    assert result.code == 2
    good, bad = _lines(result.out)
    assert good["protocol"]["id"] == "uk-hydroxo-dietary"
    assert bad["line"] == 2
    assert "dob 2000-01-01 must be before start 1990-03-03" in bad["error"]["message"]


def test_as_of_defaults_to_today_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --as-of the clock is read once, and every plan carries that date."""
    calls: list[int] = []

    def today() -> date:
        calls.append(1)
        return date(2025, 3, 1)

    monkeypatch.setattr(api, "_today", today)
    result = run("schedule", "--batch", stdin=_jsonl(DIETARY, DIETARY, DIETARY))
    assert result.code == 0, result.err
    assert [p["as_of"] for p in _lines(result.out)] == ["2025-03-01"] * 3
    assert len(calls) == 1


def test_format_json_puts_json_error_objects_on_stderr() -> None:
    """With --format json, stderr gets the same error object as the output line, no summary."""
    stdin = _jsonl(DIETARY, {"start": "2025-03-03"})
    result = run("schedule", "--batch", "--format", "json", "--as-of", "2025-03-01", stdin=stdin)
    assert result.code == 2
    assert result.err == result.out.splitlines(keepends=True)[1]
    assert json.loads(result.err)["line"] == 2


def test_batch_reads_a_file_argument(tmp_path: Path) -> None:
    """PATIENT_FILE names the JSON Lines file; without it the batch reads stdin."""
    source = tmp_path / "patients.jsonl"
    source.write_text(_jsonl(DIETARY, BLOCKED), encoding="utf-8")
    result = run("schedule", str(source), "--batch", "--as-of", "2025-03-01")
    assert result.code == 1
    assert [p["complete"] for p in _lines(result.out)] == [True, False]


def test_output_file_holds_every_line_including_errors(tmp_path: Path) -> None:
    """-o is written when the batch ends, error lines included, with the batch's exit code."""
    target = tmp_path / "plans.jsonl"
    stdin = _jsonl(DIETARY, {"start": "2025-03-03", "cause": "scurvy"})
    result = run("schedule", "--batch", "--as-of", "2025-03-01", "-o", str(target), stdin=stdin)
    assert result.code == 2
    assert result.out == ""
    plan, error = _lines(target.read_text(encoding="utf-8"))
    assert plan["protocol"]["id"] == "uk-hydroxo-dietary"
    assert error["line"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["plans.jsonl"]


def test_output_file_untouched_when_the_whole_run_fails(tmp_path: Path) -> None:
    """A failure of the run itself (here an unreadable input file) writes nothing to -o."""
    target = tmp_path / "plans.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    missing = str(tmp_path / "missing.jsonl")
    result = run("schedule", missing, "--batch", "--as-of", "2025-03-01", "-o", str(target))
    assert result.code == 2
    assert result.err.startswith("b12plan: error: file: cannot read")
    assert len(result.err.splitlines()) == 1
    assert target.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plans.jsonl"]


def test_bad_protocol_file_fails_the_whole_batch(tmp_path: Path) -> None:
    """A custom protocol is loaded once; if it is invalid nothing is planned (exit 2)."""
    protocol = tmp_path / "bad.toml"
    protocol.write_text('id = "x"\n', encoding="utf-8")
    result = run(
        "schedule", "--batch", "--protocol-file", str(protocol), "--as-of", "2025-03-01",
        stdin=_jsonl(DIETARY),
    )  # fmt: skip
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("b12plan: error: protocol_file")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--jobs", "2"], "jobs"),
        (["--batch", "--format", "table"], "format"),
    ],
)
def test_batch_usage_errors(args: list[str], field: str) -> None:
    """--jobs needs --batch, and a batch writes only JSON Lines: exit 2 naming the option."""
    result = run("schedule", *args, "--as-of", "2025-03-01", stdin=_jsonl(DIETARY))
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"b12plan: error: {field}: ")


def test_jobs_zero_is_a_usage_error() -> None:
    """--jobs must be at least 1."""
    result = run("schedule", "--batch", "--jobs", "0", stdin=_jsonl(DIETARY))
    assert result.code == 2
    assert "jobs" in result.err


def _mixed_lines(count: int, bad_every: int) -> tuple[bytes, set[int]]:
    """`count` small patients, every `bad_every`-th line broken in one of four ways."""
    bad_kinds = ('{"start": "2025-03-03"}', "{", '{"start": "2025-03-03", "cause": "x"}', "")
    causes = ("gastrectomy", "dietary", "bariatric-surgery")
    lines, bad = [], set()
    first = date(2024, 1, 1)
    for number in range(1, count + 1):
        if number % bad_every == 0:
            bad.add(number)
            lines.append(bad_kinds[(number // bad_every) % len(bad_kinds)])
            continue
        start = first + timedelta(days=number % 700)
        patient = {
            "start": start.isoformat(),
            "cause": causes[number % 3],
            "protocol": "uk-hydroxo-prophylaxis",
            "until": (start + timedelta(days=200)).isoformat(),
        }
        lines.append(json.dumps(patient))
    return "\n".join(lines).encode() + b"\n", bad


@pytest.mark.usefixtures("forks")
def test_100k_lines_with_1_percent_bad_keep_every_plan(tmp_path: Path) -> None:
    """Over 100,000 lines (1% bad, two processes) every good plan is kept in place and every
    bad line is reported, in the output and on stderr."""
    count = 100_000
    stdin, bad = _mixed_lines(count, bad_every=100)
    target = tmp_path / "plans.jsonl"
    args = ("schedule", "--batch", "--jobs", "2", "--as-of", "2026-01-01", "-o", str(target))
    result = run(*args, stdin=stdin)
    assert result.code == 2
    reported = set()
    with target.open(encoding="utf-8") as plans:
        for number, line in enumerate(plans, 1):
            if number in bad:
                assert json.loads(line)["line"] == number
                reported.add(number)
            else:
                assert line.startswith('{"schema_version":"1","ref":null,"generator":'), number
                assert line.endswith('"complete":true}\n') or '"complete":true,' in line
    assert number == count
    assert reported == bad
    err = result.err.splitlines()
    assert [int(e.split()[3].rstrip(":")) for e in err[:-1]] == sorted(bad)
    assert err[-1] == f"b12plan: {len(bad)} of {count} lines failed"


@pytest.mark.usefixtures("forks")
def test_jobs_2_gives_the_same_bytes_as_jobs_1() -> None:
    """Spreading a batch over processes keeps output order and content exactly."""
    stdin, _ = _mixed_lines(1_000, bad_every=37)
    one = run("schedule", "--batch", "--as-of", "2025-01-01", stdin=stdin)
    two = run("schedule", "--batch", "--jobs", "2", "--as-of", "2025-01-01", stdin=stdin)
    assert one.code == two.code == 2
    assert one.out == two.out
    assert one.err == two.err


def test_run_batch_streams_into_any_text_sink() -> None:
    """run_batch is usable without the CLI: bytes in, text out, counts back."""
    sink, errors = io.StringIO(), io.StringIO()
    source = io.BytesIO(_jsonl(DIETARY, BLOCKED, "").encode())
    summary = run_batch(source, sink, errors, BatchSettings({}, date(2025, 3, 1)))
    assert (summary.lines, summary.failed, summary.blocked, summary.exit_code) == (3, 1, 1, 2)
    assert len(sink.getvalue().splitlines()) == 3
    assert errors.getvalue() == (
        "b12plan: error: line 3: blank line; expected one patient document (a JSON object) a line\n"
    )


def test_a_byte_order_mark_before_the_first_line_is_accepted() -> None:
    """Files saved with a UTF-8 byte order mark still plan their first line."""
    stdin = b"\xef\xbb\xbf" + _jsonl(DIETARY, DIETARY).encode()
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=stdin)
    assert result.code == 0, result.err
    assert [p["protocol"]["id"] for p in _lines(result.out)] == ["uk-hydroxo-dietary"] * 2


def test_an_internal_error_on_one_line_is_that_lines_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug (not bad input) on one line becomes that line's error object, later lines are
    still planned, and the batch ends with exit 70."""
    break_planning(monkeypatch, "autoimmune-gastritis")
    other = {"start": "2025-03-03", "cause": "autoimmune-gastritis"}
    result = run("schedule", "--batch", "--as-of", "2025-03-01", stdin=_jsonl(other, DIETARY))
    assert result.code == 70
    first, second = _lines(result.out)
    assert first == {
        "schema_version": "1",
        "line": 1,
        "ref": None,
        "error": {
            "message": "internal error (KeyError: 'boom'); please report it with this line",
            "errors": [
                {
                    "loc": [],
                    "msg": "internal error (KeyError: 'boom'); please report it with this line",
                }
            ],
        },
    }
    assert second["protocol"]["id"] == "uk-hydroxo-dietary"
    assert result.err == (
        "b12plan: line 1: internal error (KeyError: 'boom'); please report it with this line\n"
        "b12plan: 1 of 2 lines failed\n"
    )


def test_explain_keeps_each_dose_trace_in_a_batch() -> None:
    """--explain applies to every line, as for a single patient: each dose carries its trace."""
    plain = _lines(run("schedule", "--batch", "--as-of", "2025-03-01", stdin=_jsonl(DIETARY)).out)
    explained = run(
        "schedule", "--batch", "--explain", "--as-of", "2025-03-01", stdin=_jsonl(DIETARY)
    )
    assert explained.code == 0, explained.err
    doses = _lines(explained.out)[0]["doses"]
    assert all(dose["trace"] for dose in doses)
    assert "trace" not in plain[0]["doses"][0]
    assert doses[0]["trace"][-1] == "first dose on the start date 2025-03-03"


def test_a_program_can_feed_lines_and_read_each_plan_as_it_goes() -> None:
    """From a pipe, each plan is written as soon as it is made: a co-process can wait for it."""
    command = [sys.executable, "-m", "b12plan", "schedule", "--batch", "--as-of", "2025-03-01"]
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    with processes.started(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        for document in (DIETARY, BLOCKED):
            process.stdin.write(_jsonl(document).encode())
            process.stdin.flush()
            # Output held back in a buffer would never come while the next line is awaited.
            ready, _, _ = select.select([process.stdout], [], [], 30)
            assert ready, "no plan within 30 s of its line"
            assert json.loads(process.stdout.readline())["protocol"]["id"] == "uk-hydroxo-dietary"
        process.stdin.close()
        assert process.stdout.read() == b""
        assert process.wait(timeout=30) == 1


def test_run_batch_writes_bytes_into_a_binary_sink() -> None:
    """A binary sink gets the UTF-8 lines as they are, the same as a text sink gets them."""
    source = _jsonl(
        DIETARY, {"start": "2025-03-03", "cause": "dietary", "labs": ["mma=600 nmol/L@2025-03-01"]}
    )
    binary, text = io.BytesIO(), io.StringIO()
    settings = BatchSettings({}, date(2025, 3, 1))
    run_batch(io.BytesIO(source.encode()), binary, io.StringIO(), settings)
    run_batch(io.BytesIO(source.encode()), text, io.StringIO(), settings)
    assert binary.getvalue() == text.getvalue().encode("utf-8")
    assert "µmol/L" in text.getvalue()


def _b12plan(*args: str, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess[bytes]:
    """`b12plan ARGS` in its own process (so that `--jobs` workers write real files)."""
    command = [sys.executable, "-m", "b12plan", *args]
    return processes.run(command, stdout=stdout, stderr=subprocess.PIPE)


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_workers_write_the_same_bytes_as_one_process(tmp_path: Path, jobs: str) -> None:
    """With --jobs onto a file (-o) or a pipe, the worker processes write their own lines,
    and the output and stderr are byte for byte those of one process."""
    stdin, _ = _mixed_lines(3_000, bad_every=37)
    source = tmp_path / "patients.jsonl"
    source.write_bytes(stdin)
    base = ("schedule", "--batch", str(source), "--as-of", "2026-01-01")
    one = _b12plan(*base, "-o", str(tmp_path / "one.jsonl"))
    many = _b12plan(*base, "--jobs", jobs, "-o", str(tmp_path / "many.jsonl"))
    piped = _b12plan(*base, "--jobs", jobs)
    assert one.returncode == many.returncode == piped.returncode == 2
    expected = (tmp_path / "one.jsonl").read_bytes()
    assert (tmp_path / "many.jsonl").read_bytes() == expected
    assert piped.stdout == expected
    assert one.stderr == many.stderr == piped.stderr
    assert len(expected.splitlines()) == 3_000


def test_workers_stop_when_the_reader_goes(tmp_path: Path) -> None:
    """Workers writing a pipe whose reader left: exit 141, nothing said, no worker left."""
    stdin, _ = _mixed_lines(20_000, bad_every=10_000)
    source = tmp_path / "patients.jsonl"
    source.write_bytes(stdin)
    command = [sys.executable, "-m", "b12plan", "schedule", "--batch", str(source)]
    command += ["--as-of", "2026-01-01", "--jobs", "2"]
    with processes.started(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(b'{"schema_version":"1"')
        process.stdout.close()
        _, err = process.communicate(timeout=60)
        with pytest.raises(ProcessLookupError):  # its group is empty: no worker outlived it
            os.killpg(process.pid, 0)
    assert process.returncode == 141
    assert b"Traceback" not in err


@pytest.mark.usefixtures("forks")
def test_write_many_has_each_worker_write_its_own_lines_in_order(tmp_path: Path) -> None:
    """`write_many`: the answers are made and written by the worker processes, in input order;
    only their tags (here, the writer's process id) come back."""
    from b12plan.batch import CHUNK, workers_can_write, write_many
    from b12plan.io.output import Sink

    patients = [{"start": "2025-03-03", "cause": "dietary"}] * (CHUNK * 6 + 7)
    path = tmp_path / "answers.txt"
    with path.open("wb") as handle:
        sink = Sink(handle, str(path))
        assert workers_can_write(sink)
        tags = list(
            write_many(
                patients,
                sink,
                lambda n, outcome: (f"{n} {type(outcome).__name__}\n".encode(), None, os.getpid()),
                jobs=2,
                as_of="2025-03-01",
            )
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines == [f"{n} PlanResult" for n in range(1, len(patients) + 1)]
    assert len(tags) == len(patients)
    assert os.getpid() not in tags


def test_an_in_memory_output_is_written_by_this_process() -> None:
    """Workers cannot write what lives in this process's memory: the batch writes it here."""
    from b12plan.batch import workers_can_write
    from b12plan.io.output import Sink

    assert not workers_can_write(Sink(io.BytesIO(), "memory"))


JSON_TEXTS = st.one_of(
    st.sampled_from(
        [
            '{"a": 1}',
            '{"a": 1} ',
            ' {"a": 1}',
            '{"a": 1}x',
            '{"a": 1}{"b": 2}',
            '{"a": 1, "a": 2}',
            '{"a": NaN}',
            '{"a": [1, 2',
            '{"a": "\\u001b"}',
            "{}",
            "{",
            "[]",
        ]
    ),
    st.text(alphabet='{}[]":,1a \\', max_size=12),
)


@settings(max_examples=300, deadline=None)
@given(JSON_TEXTS)
def test_strict_parse_reads_as_the_decoder_does(text: str) -> None:
    """A line is read to the document, or refused with the message, that the strict decoder's
    own `decode` gives, whatever shortcut a line that is one object takes."""
    import json

    from b12plan.io.parsing import _no_duplicate_keys, _reject_constant, loads_strict

    decoder = json.JSONDecoder(
        object_pairs_hook=_no_duplicate_keys, parse_constant=_reject_constant
    )

    def outcome(read: Any) -> Any:
        try:
            return read(text)
        except (ValueError, RecursionError) as exc:
            return type(exc), str(exc)

    assert outcome(loads_strict) == outcome(decoder.decode)
