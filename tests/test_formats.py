"""What every dose-only format (ndjson, csv, ics, fhir) shares: blocked and incomplete plans are
reported on stderr, errors keep the contract, and `-o` writes the same bytes atomically."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from b12plan.cli.schedule import DOSE_FORMATS, SCHEDULE_FORMATS
from tests.conftest import EXAMPLES, run

DOSE_ONLY = list(DOSE_FORMATS)
BLOCKED = ("--start", "2026-12-01", "--cause", "dietary", "--route", "iv", "--as-of", "2026-11-24")
OPEN_NEURO = ("--start", "2026-12-01", "--cause", "dietary", "--neuro", "--as-of", "2026-11-24")
IV_LINE = (
    "b12plan: blocked: IV_ROUTE: IV route: most of an intravenous dose is lost in the urine; "
    "give it IM (or deep SC for cyanocobalamin) (FDA-CYANO)\n"
)


def test_schedule_offers_every_format_of_the_contract() -> None:
    """`--format` accepts the contract's six formats and the handout, table first (the default)."""
    assert SCHEDULE_FORMATS == ("table", "json", "ndjson", "csv", "ics", "fhir", "html")
    assert DOSE_FORMATS == ("ndjson", "csv", "ics", "fhir")


@pytest.mark.parametrize("fmt", DOSE_ONLY)
def test_blocked_plan_prints_a_valid_empty_document_and_each_block_on_stderr(fmt: str) -> None:
    """A blocked plan exits 1 like json, with each block finding as one stderr line."""
    result = run("schedule", *BLOCKED, "--format", fmt)
    assert result.code == 1
    assert result.err == IV_LINE
    if fmt == "ndjson":
        assert result.out == ""
    if fmt == "csv":
        assert result.out.count("\r\n") == 1
        assert result.out.startswith("n,date,weekday,")


def test_two_block_findings_give_two_lines() -> None:
    """Every block finding is reported, in the plan's order."""
    result = run(
        "schedule",
        *BLOCKED,
        "--dob",
        "2012-01-01",
        "--format",
        "csv",
    )
    assert result.code == 1
    lines = result.err.splitlines()
    assert [line.split(": ")[2] for line in lines] == ["IV_ROUTE", "AGE_OUT_OF_SCOPE"]
    assert all(line.startswith("b12plan: blocked: ") for line in lines)


def test_json_and_table_keep_stderr_quiet_for_a_blocked_plan() -> None:
    """The plan document already carries its findings: no stderr line with json or table."""
    for fmt in ("json", "table"):
        result = run("schedule", *BLOCKED, "--format", fmt)
        assert result.code == 1
        assert result.err == ""


@pytest.mark.parametrize("fmt", DOSE_ONLY)
def test_incomplete_plan_says_so_on_stderr_and_exits_0(fmt: str) -> None:
    """An open neuro repletion is planned (exit 0) and its incompleteness named on stderr."""
    result = run("schedule", *OPEN_NEURO, "--format", fmt)
    assert result.code == 0
    assert result.err.startswith(
        "b12plan: incomplete: NEURO_REPLETION_OPEN: 1 mg on alternate days until no further "
    )
    assert result.err.endswith("(review on 2026-12-15) (BNF-HYDROXO)\n")
    assert result.err.count("\n") == 1


@pytest.mark.parametrize("fmt", DOSE_ONLY)
def test_complete_plan_writes_nothing_to_stderr(fmt: str) -> None:
    """A complete plan has no stderr line, whatever its warnings."""
    patient = EXAMPLES / "patient-history-late-dose.json"
    result = run("schedule", str(patient), "--as-of", "2026-11-24", "--format", fmt)
    assert result.code == 0
    assert result.err == ""


@pytest.mark.parametrize("fmt", DOSE_ONLY)
def test_bad_input_gives_the_json_error_object(fmt: str) -> None:
    """Like json, every non-table format reports bad input as the contract's JSON error object."""
    result = run("schedule", "--start", "2026-12-01", "--cause", "nope", "--format", fmt)
    assert result.code == 2
    assert result.out == ""
    document = json.loads(result.err)
    assert document["schema_version"] == "1"
    assert document["error"]["errors"][0]["loc"] == ["cause"]


@pytest.mark.parametrize("fmt", DOSE_ONLY)
def test_output_file_holds_the_same_bytes_as_stdout(fmt: str, tmp_path: Path) -> None:
    """`-o FILE` writes exactly what stdout would show, and nothing else is left behind."""
    patient = str(EXAMPLES / "patient-aig-new.json")
    shown = run("schedule", patient, "--as-of", "2026-11-24", "--format", fmt)
    target = tmp_path / f"plan.{fmt}"
    written = run("schedule", patient, "--as-of", "2026-11-24", "--format", fmt, "-o", str(target))
    assert written.code == 0, written.err
    assert written.out == ""
    assert target.read_bytes() == shown.out.encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


@pytest.mark.parametrize("fmt", DOSE_ONLY)
def test_output_file_untouched_on_bad_input(fmt: str, tmp_path: Path) -> None:
    """A failed run leaves an existing output file as it was and no temporary file."""
    target = tmp_path / "plan.out"
    target.write_text("before", encoding="utf-8")
    result = run(
        "schedule", "--start", "2026-12-01", "--cause", "nope", "--format", fmt, "-o", str(target)
    )
    assert result.code == 2
    assert target.read_text(encoding="utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.out"]


def test_output_file_gets_ordinary_permissions(tmp_path: Path) -> None:
    """-o gives a new file the umask's default mode and keeps a replaced file's mode."""
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "plan.json"
        args = ("schedule", str(EXAMPLES / "patient-aig-new.json"), "--as-of", "2026-11-24")
        assert run(*args, "--format", "json", "-o", str(fresh)).code == 0
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        kept = tmp_path / "plan.csv"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o640)
        assert run(*args, "--format", "csv", "-o", str(kept)).code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
        assert kept.read_text(encoding="utf-8") != "old"
    finally:
        os.umask(old)
