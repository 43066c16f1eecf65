"""The README stays true: its set-up commands work and CI runs its test command."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from tests.conftest import ROOT, run

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP = re.search(r"## Set-up\n(.*?)\n## ", README, re.S)


def _sh_blocks() -> list[str]:
    assert SETUP is not None, "README has a Set-up section"
    return re.findall(r"```sh\n(.*?)\n```", SETUP.group(1), re.S)


def test_setup_is_two_commands() -> None:
    """Set-up is exactly two one-line commands: install-and-run, install-and-test."""
    blocks = _sh_blocks()
    assert len(blocks) == 2
    assert all("\n" not in block for block in blocks)
    assert "b12plan schedule" in blocks[0]
    assert "pytest" in blocks[1]


def test_setup_main_job_runs() -> None:
    """The first set-up command's `b12plan schedule ...` part succeeds on the shipped example."""
    command = _sh_blocks()[0].split("&&")[-1]
    args = shlex.split(command)
    assert args[0].endswith("b12plan")
    assert (ROOT / args[2]).exists()
    result = run(*[str(ROOT / a) if a.startswith("examples/") else a for a in args[1:]])
    assert result.code == 0, result.err
    assert "Decision support only" in result.out


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` installs the test extra and runs the same pytest command as the README."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _sh_blocks()[1].split("&&")[-1].strip()
    assert ".[test]" in ci
    assert test_command in ci


def test_setup_says_how_to_run_b12plan_and_what_else_is_needed() -> None:
    """Set-up says how to get `b12plan` on PATH (the sessions type it bare) and names jq, which
    the pipeline examples use; contributors install editable, so tests see their edits."""
    assert SETUP is not None
    setup = SETUP.group(1)
    assert "`. .venv/bin/activate`" in setup
    assert "`.venv/bin/b12plan`" in setup
    assert "| jq " in README
    assert "jq" in setup
    assert "pip install -q -e '.[test]'" in _sh_blocks()[1]
    assert "pip install -q -e '.[test]'" in _section("Development")


def _section(title: str) -> str:
    match = re.search(rf"\n## {re.escape(title)}\n(.*?)\n## ", README, re.S)
    assert match is not None, f"README has a {title} section"
    return match.group(1)


def test_readme_csv_rows_are_real() -> None:
    """The csv header and rows shown under Output formats are lines of the real output."""
    shown = [
        line
        for line in _section("Output formats").splitlines()
        if line.startswith(("n,date,", "7,2026-08-24,", "8,2026-11-10,"))
    ]
    real = run(
        "schedule",
        str(ROOT / "examples/patient-history-late-dose.json"),
        "--as-of",
        "2026-11-24",
        "--format",
        "csv",
    ).out.split("\r\n")
    assert len(shown) == 4
    assert all(line in real for line in shown)


def test_readme_blocked_line_is_real() -> None:
    """The blocked-plan stderr line shown in the README is what b12plan writes."""
    result = run(
        *shlex.split("schedule --start 2026-12-01 --cause dietary --route iv --as-of 2026-11-24"),
        "--format",
        "csv",
    )
    assert result.code == 1
    assert result.err.strip() in _section("Output formats")


def test_readme_fhir_timing_lines_are_real() -> None:
    """The jq summary of us-cyano-1000's Dosages in the README matches the real document."""
    resource = run(
        "schedule",
        str(ROOT / "examples/patient-us-cyano-1000.json"),
        "--as-of",
        "2026-11-24",
        "--format",
        "fhir",
    ).json()
    for dosage in resource["dosageInstruction"]:
        summary = {
            "sequence": dosage["sequence"],
            "repeat": dosage["timing"]["repeat"],
            "first": dosage["timing"]["event"][0],
            "n": len(dosage["timing"]["event"]),
        }
        assert json.dumps(summary, separators=(",", ":")) in _section("Output formats")


def test_readme_documents_completion_for_each_shell() -> None:
    """Shell completion lines for bash, zsh and fish use click's _B12PLAN_COMPLETE variable."""
    section = _section("Shell completion")
    for shell in ("bash", "zsh", "fish"):
        assert f"_B12PLAN_COMPLETE={shell}_source b12plan" in section


def test_readme_schema_summary_is_real() -> None:
    """The jq summary of `b12plan schema plan` in the README matches the real schema."""
    schema = run("schema", "plan").json()
    summary = {k: schema[k] for k in ("$schema", "$id", "title", "required")}
    assert json.dumps(summary, separators=(",", ":")) in _section("Schemas")


def _console_blocks() -> list[tuple[list[str], str]]:
    """(argv, printed output) of each README console block that runs b12plan on its own."""
    found = []
    for block in re.findall(r"```console\n(.*?)```\n", README, re.S):
        lines = block.split("\n")
        command = lines[0]
        while command.endswith("\\"):
            lines = lines[1:]
            command = command[:-1] + lines[0]
        if not command.startswith("$ b12plan ") or "|" in command or ";" in command:
            continue
        output = "\n".join(lines[1:])
        found.append((shlex.split(command[2:])[1:], output))
    return found


def test_readme_sessions_are_real_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every README session of a plain b12plan command shows what it prints (at 80 columns),
    except where the README cuts it short with '…'."""
    monkeypatch.setenv("COLUMNS", "80")
    blocks = _console_blocks()
    assert len(blocks) >= 3
    for argv, shown in blocks:
        args = [str(ROOT / a) if a.startswith("examples/") else a for a in argv]
        result = run(*args)
        printed = "\n".join(line.rstrip() for line in (result.out + result.err).split("\n"))
        if "…" in shown:
            kept = shown[: shown.index("…")].rsplit("\n", 1)[0]
            assert printed.startswith(kept), argv
        else:
            assert printed.rstrip("\n") == shown.rstrip("\n"), argv


def test_readme_record_summaries_are_real() -> None:
    """The jq summaries under "Patients already on treatment" and "Clinic days" are the real
    interval history, the doses around a missed appointment, and the doses a clinic moved."""
    records = _section("Patients already on treatment")
    plan = run(
        "schedule", str(ROOT / "examples/patient-interval-changed.json"),
        "--as-of", "2026-11-24", "--format", "json",
    ).json()  # fmt: skip
    for change in plan["maintenance"]["changes"]:
        row = [change["date"], change["interval"], change["code"]]
        assert json.dumps(row, separators=(",", ":")) in records
    for dose in plan["doses"][8:11]:
        missed = dose["missed"]["reason"] if dose["missed"] else None
        row = [dose["n"], dose["date"], dose["status"], dose["planned_date"], missed]
        assert json.dumps(row, separators=(",", ":")) in records
    moved = run(
        "schedule", "--start", "2026-12-04", "--cause", "pernicious-anaemia", "--open",
        "mon-fri", "--as-of", "2026-12-01", "--format", "json",
    ).json()  # fmt: skip
    for dose in moved["doses"][:4]:
        row = [dose["date"], dose["moved_from"]]
        assert json.dumps(row, separators=(",", ":")) in _section("Clinic days")
