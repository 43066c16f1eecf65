"""A prompt that helps (issue 22): help that names what an option takes, errors that say what
to type, and nothing offered that is then ignored."""

from __future__ import annotations

import json
import re
import shlex

import click
import pytest

import b12plan
from b12plan.cli import cli
from tests.conftest import ROOT, run

BLOCKED_CHILD = shlex.split(
    "schedule --start 2026-12-01 --cause dietary --dob 2015-01-01 --as-of 2026-11-24"
)


def _help(command: str) -> str:
    result = run(command, "--help")
    assert result.code == 0, result.err
    return " ".join(result.out.split())


@pytest.mark.parametrize("command", ["schedule", "check"])
def test_cause_help_names_the_aliases(command: str) -> None:
    """`--cause` help lists the aliases a clinician types, pernicious-anaemia first among them."""
    text = _help(command)
    assert "pernicious-anaemia" in text
    assert "pernicious-anemia" in text


@pytest.mark.parametrize("command", ["schedule", "check"])
def test_lab_help_names_analytes_and_units(command: str) -> None:
    """`--lab` help names every analyte and the units each takes."""
    text = _help(command)
    from b12plan.contract.units import ANALYTE_UNITS

    for analyte, spec in ANALYTE_UNITS.items():
        assert f"{analyte} (" in text, analyte
        for unit in spec.factors:
            assert unit in text, (analyte, unit)


def test_the_help_units_are_the_units_table() -> None:
    """The cheap copy of the units the help shows (vocab.LAB_UNITS) is the units table's."""
    from b12plan.contract.units import ANALYTE_UNITS
    from b12plan.contract.vocab import LAB_UNITS

    assert {a: tuple(spec.factors) for a, spec in ANALYTE_UNITS.items()} == LAB_UNITS


# Patient fields that describe a schedule rather than the patient: `check` lists them in the
# document's `not_used` and changes nothing for them.
CHECK_IGNORES = ("--until", "--missed", "--open", "--closed", "--holidays", "--symptoms-returned")


def test_check_offers_no_option_it_ignores() -> None:
    """`check --help` offers none of the schedule's options that a check would ignore, and
    they are still `schedule` options."""
    offered = {o for p in cli.commands["check"].params for o in getattr(p, "opts", [])}
    assert offered.isdisjoint(CHECK_IGNORES)
    schedule = {o for p in cli.commands["schedule"].params for o in getattr(p, "opts", [])}
    assert set(CHECK_IGNORES) <= schedule


def test_check_refuses_an_ignored_option() -> None:
    """`check --until DATE` is a usage error naming the option, not silently ignored."""
    result = run("check", str(ROOT / "examples/regimen-correct.json"), "--until", "2027-01-01")
    assert result.code == 2
    assert "--until" in result.err


def test_check_still_names_the_files_unused_fields() -> None:
    """A regimen file whose patient has schedule fields still lists them in `not_used`."""
    regimen = json.loads((ROOT / "examples/regimen-correct.json").read_text(encoding="utf-8"))
    regimen["patient"]["until"] = "2027-06-30"
    result = run(
        "check", "-", "--as-of", "2026-11-24", "--format", "json", stdin=json.dumps(regimen)
    )
    assert result.json()["not_used"] == ["until"]


def test_a_blocked_plan_is_headed_blocked_not_incomplete() -> None:
    """A blocked plan's header says no schedule can be given, not "PLAN INCOMPLETE"."""
    result = run(*BLOCKED_CHILD)
    assert result.code == 1
    assert "PLAN INCOMPLETE" not in result.out
    assert "BLOCKED: no schedule" in result.out


def test_a_blocked_child_gets_no_adult_oral_advice() -> None:
    """A child (out of scope) with a dietary cause is not offered the adult oral dose."""
    plan = run(*BLOCKED_CHILD, "--format", "json").json()
    codes = [f["code"] for f in plan["findings"]]
    assert "AGE_OUT_OF_SCOPE" in codes
    assert "DIETARY_ORAL_OPTION" not in codes


def test_an_open_neuro_plan_is_still_incomplete() -> None:
    """An open neurological loading course keeps its "PLAN INCOMPLETE" header."""
    result = run(
        *shlex.split("schedule --start 2026-12-01 --cause dietary --neuro --as-of 2026-11-24")
    )
    assert result.code == 0
    assert "PLAN INCOMPLETE" in result.out


def test_brief_leaves_out_the_conventions() -> None:
    """`--brief` leaves out the Conventions paragraph and keeps the disclaimer, in `schedule`
    and `check` tables."""
    plan = shlex.split("schedule examples/patient-aig-new.json --as-of 2026-11-24")
    plan[1] = str(ROOT / plan[1])
    full, brief = run(*plan), run(*plan, "--brief")
    assert "Conventions [C]" in full.out
    assert "Conventions [C]" not in brief.out
    assert "Decision support only" in brief.out
    assert brief.out in full.out or len(brief.out) < len(full.out)
    regimen = str(ROOT / "examples/regimen-underdosed.json")
    checked = run("check", regimen, "--as-of", "2026-11-24", "--brief")
    assert "Conventions [C]" not in checked.out
    assert "Decision support only" in checked.out


def test_brief_is_for_the_table() -> None:
    """`--brief` with a document format is refused rather than ignored."""
    result = run(*BLOCKED_CHILD, "--format", "json", "--brief")
    assert result.code == 2
    assert "brief" in result.err


@pytest.mark.parametrize(
    ("flag", "word", "pair"),
    [
        ("--neuro", "yes", "--no-neuro"),
        ("--neuro", "no", "--no-neuro"),
        ("--neuro", "true", "--no-neuro"),
        ("--no-neuro", "false", "--neuro"),
        ("--neuro", "y", "--no-neuro"),
        ("--repletion-done", "yes", "--no-repletion-done"),
    ],
)
def test_a_flag_with_a_value_says_what_it_takes(flag: str, word: str, pair: str) -> None:
    """`--neuro yes` says that --neuro and --no-neuro take no value, not "cannot read yes"."""
    result = run("schedule", "--start", "2026-12-01", "--cause", "dietary", flag, word)
    assert result.code == 2
    assert "cannot read" not in result.err
    assert flag in result.err
    assert pair in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_every_flag_pair_refuses_a_value() -> None:
    """Every --X/--no-X flag of every command is one that `--X yes` is explained for."""
    from b12plan.cli._shared import FLAG_PAIRS

    pairs = {
        name
        for command in cli.commands.values()
        for param in command.params
        if isinstance(param, click.Option) and param.secondary_opts
        for name in (*param.opts, *param.secondary_opts)
    }
    assert pairs
    assert pairs <= set(FLAG_PAIRS)


@pytest.mark.parametrize(
    ("lab", "hint"),
    [
        ("hb=112 g/dL@2026-11-20", "expected 3–25 g/dL"),
        ("hb=1120 g/L@2026-11-20", "expected 30–250 g/L"),
        ("mma=900 µmol/L@2026-11-20", "expected 0.03–100 µmol/L"),
        ("mma=0.2 nmol/L@2026-11-20", "expected 30–100000 nmol/L"),
        ("folate=200 nmol/L@2026-11-20", "nmol/L"),
        ("b12=9 pmol/L@2026-11-20", "pmol/L"),
    ],
)
def test_an_implausible_lab_hints_in_the_unit_typed(lab: str, hint: str) -> None:
    """A value outside its window names the window in the unit the user typed."""
    result = run("schedule", "--start", "2026-12-01", "--cause", "dietary", "--lab", lab)
    assert result.code == 2
    assert hint in result.err
    window = re.search(r"expected ([^)]*)\)", result.err)
    assert window is not None
    assert window.group(1).endswith(lab.split("@", maxsplit=1)[0].split(" ", 1)[1])


def test_a_source_a_message_names_is_not_repeated(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns, where the source joins the message, a message that already names its
    source ("(NICE-NG239 scope)") is not followed by "(NICE-NG239)" again."""
    args = ("schedule", "--start", "2026-12-01", "--cause", "dietary", "--as-of", "2026-11-24")
    monkeypatch.setenv("COLUMNS", "80")
    result = run(*args)
    text = " ".join(result.out.split())
    assert "(NICE-NG239 scope)" in text
    assert "(NICE-NG239 scope) (NICE-NG239)" not in text


def test_every_command_line_error_is_reported() -> None:
    """A bad --start does not hide the other mistakes: each is its own line."""
    result = run(
        "schedule", "--start", "2026-13-01", "--cause", "dietry", "--lab", "b12=150",
        "--sex", "x", "--given", "2026-02-30", "--as-of", "2026-11-24",
    )  # fmt: skip
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 5, result.err
    for named in ("'--start'", "cause:", "labs[0]:", "'--sex'", "'--given'"):
        assert any(named in line for line in lines), named
    assert not any("is required" in line for line in lines)


def test_a_bad_as_of_does_not_hide_the_patients_errors() -> None:
    """A bad --as-of and a bad --cause are both reported, one line each."""
    result = run("schedule", "--start", "2026-12-01", "--cause", "dietry", "--as-of", "2026-13-01")
    assert result.code == 2
    lines = result.err.strip().splitlines()
    assert len(lines) == 2, result.err
    assert "--as-of" in lines[0]
    assert "cause" in lines[1]


def test_every_error_is_in_the_json_error_object() -> None:
    """With --format json, the option errors and the patient's are one error object."""
    result = run(
        "schedule", "--start", "2026-13-01", "--cause", "dietry", "--as-of", "2026-13-01",
        "--format", "json",
    )  # fmt: skip
    assert result.code == 2
    errors = json.loads(result.err)["error"]["errors"]
    assert len(errors) == 3


def test_the_library_says_json_text_is_not_a_file_name() -> None:
    """`b12plan.plan('{"start": ...}')` says to pass a dict, bytes or a path."""
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.plan('{"start": "2026-12-01", "cause": "dietary"}', as_of="2026-11-24")
    assert "pass a dict, bytes or a path" in str(caught.value)
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.check('{"patient": {}}', as_of="2026-11-24")
    assert "pass a dict, bytes or a path" in str(caught.value)
