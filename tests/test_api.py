"""The library face: `b12plan.plan`, `check`, their plain-document forms, `to_text`, `plan_many`
and `InvalidInput`.

Calendar used throughout (as_of Tue 2026-11-24, dietary deficiency, protocol uk-hydroxo-dietary:
1 mg three times a week for two weeks, then every 6 months):

    start Mon 2026-12-07: repletion Mon 7, Wed 9, Fri 11, Mon 14, Wed 16, Fri 18 Dec;
                          maintenance Fri 2027-06-18 (six months after the last loading dose).
    start Mon 2026-12-21, clinic closed on GB-ENG public holidays: Mon 21, Wed 23 Dec; Fri 25
                          (Christmas Day) moves to Sun 27 (Sat 26 is Boxing Day); Wed 30 Dec;
                          Fri 2027-01-01 (New Year's Day) moves to Sat 2 Jan; Mon 4 Jan;
                          maintenance Sun 2027-07-04.

Every result is compared with what the command line prints for the same input: one path.
"""

from __future__ import annotations

import json
import pickle
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import b12plan
from b12plan import api
from tests import processes
from tests.conftest import EXAMPLES, ROOT, break_planning, run

AS_OF = "2026-11-24"
DIETARY = {"start": "2026-12-07", "cause": "dietary"}
DIETARY_DATES = [
    "2026-12-07",
    "2026-12-09",
    "2026-12-11",
    "2026-12-14",
    "2026-12-16",
    "2026-12-18",
    "2027-06-18",
]
REGIMEN = {"patient": DIETARY, "regimen": "1000mcg im every 2d x6; then 1000mcg im every 6mo"}
# Four problems, as tests/test_error_lists.py lists them for the command line.
BAD = {"dob": "x", "labs": ["b12=15"]}


def _dates(plan: b12plan.Plan) -> list[str]:
    return [dose.date.isoformat() for dose in plan.doses]


def _cli_errors(*args: str, stdin: str = "") -> list[tuple[tuple[str | int, ...], str]]:
    """The problems the command line reports, from its JSON error object."""
    result = run(*args, "--format", "json", stdin=stdin)
    assert result.code == 2, result.err
    return [(tuple(e["loc"]), e["msg"]) for e in json.loads(result.err)["error"]["errors"]]


# ---------------------------------------------------------------- plan


def test_plan_gives_the_dated_doses() -> None:
    """`plan` returns the Plan model with every dose dated as the rules say."""
    plan = b12plan.plan(DIETARY, as_of=AS_OF)
    assert isinstance(plan, b12plan.Plan)
    assert _dates(plan) == DIETARY_DATES
    assert [dose.phase for dose in plan.doses] == ["repletion"] * 6 + ["maintenance"]
    assert plan.protocol.id == "uk-hydroxo-dietary"
    assert not plan.blocked
    assert [f.code for f in plan.findings] == [
        "CAUSE_REVERSIBLE_REVIEW",
        "DIETARY_ORAL_OPTION",
        "AGE_ASSUMED_ADULT",
    ]


@pytest.mark.parametrize(
    "patient",
    [
        pytest.param(EXAMPLES / "patient-aig-new.json", id="Path"),
        pytest.param(str(EXAMPLES / "patient-aig-new.json"), id="str"),
        pytest.param(json.loads((EXAMPLES / "patient-aig-new.json").read_text()), id="dict"),
        pytest.param((EXAMPLES / "patient-aig-new.json").read_bytes(), id="bytes"),
    ],
)
def test_plan_to_json_is_the_cli_json_for_every_input_form(patient: Any) -> None:
    """A path, a dict or JSON bytes: `to_json()` is the golden `schedule --format json` wrote."""
    golden = (EXAMPLES / "patient-aig-new.plan.json").read_text(encoding="utf-8")
    plan = b12plan.plan(patient, as_of=json.loads(golden)["as_of"])
    assert plan.to_json() == golden


def test_plan_reads_toml_and_accepts_the_model() -> None:
    """A TOML file plans as the CLI plans it; the validated Patient model is accepted as is."""
    path = EXAMPLES / "patient-dietary.toml"
    golden = path.with_name("patient-dietary.plan.json").read_text(encoding="utf-8")
    as_of = json.loads(golden)["as_of"]
    plan = b12plan.plan(path, as_of=as_of)
    assert plan.to_json() == golden
    assert plan._patient is not None
    assert b12plan.plan(plan._patient, as_of=as_of).to_json() == golden


def test_explain_keeps_the_trace_as_the_cli_does() -> None:
    """`to_json(explain=True)` is `schedule --format json --explain`, byte for byte."""
    plan = b12plan.plan(DIETARY, as_of=AS_OF)
    cli = run("schedule", "-", "--as-of", AS_OF, "--format", "json", "--explain",
              stdin=json.dumps(DIETARY))  # fmt: skip
    assert plan.to_json(explain=True) == cli.out
    assert '"trace"' not in plan.to_json()


def test_as_of_is_a_date_or_an_iso_string() -> None:
    """`date(2026, 11, 24)` and `"2026-11-24"` give the same plan."""
    assert b12plan.plan(DIETARY, as_of=date(2026, 11, 24)) == b12plan.plan(DIETARY, as_of=AS_OF)


def test_as_of_defaults_to_today_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `as_of` the clock is read once, in `api._today`, the one place it is read."""
    calls: list[date] = []

    def today() -> date:
        calls.append(date(2026, 11, 24))
        return calls[-1]

    monkeypatch.setattr(api, "_today", today)
    assert b12plan.plan(DIETARY).as_of == date(2026, 11, 24)
    assert b12plan.check(REGIMEN).as_of == date(2026, 11, 24)
    assert len(list(b12plan.plan_many([DIETARY, DIETARY, DIETARY]))) == 3
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2026-13-01", "'2026-13-01' is not a real calendar date"),
        ("24/11/2026", "'24/11/2026' is not a date of the form YYYY-MM-DD"),
        (20261124, "must be a date of the form YYYY-MM-DD"),
    ],
)
def test_a_bad_as_of_is_invalid_input(as_of: Any, message: str) -> None:
    """A date that is not one is InvalidInput naming `as_of`, not a TypeError deep inside."""
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.plan(DIETARY, as_of=as_of)
    assert caught.value.errors == [(("as_of",), message)]


def test_clinic_holidays_move_doses_as_the_cli_moves_them() -> None:
    """`clinic.holidays` is looked up for the library as for the CLI: same moves, same bytes."""
    patient = {"start": "2026-12-21", "cause": "dietary", "clinic": {"holidays": "GB-ENG"}}
    plan = b12plan.plan(patient, as_of=AS_OF)
    assert _dates(plan) == [
        "2026-12-21",
        "2026-12-23",
        "2026-12-27",
        "2026-12-30",
        "2027-01-02",
        "2027-01-04",
        "2027-07-04",
    ]
    assert [d.moved_from for d in plan.doses if d.moved_from] == [
        date(2026, 12, 25),
        date(2027, 1, 1),
    ]
    cli = run("schedule", "-", "--as-of", AS_OF, "--format", "json", stdin=json.dumps(patient))
    assert plan.to_json() == cli.out


def test_overrides_replace_fields_merge_objects_and_none_removes() -> None:
    """`overrides` replace a field, merge into an object field, and remove a field for None."""
    patient = {**DIETARY, "dob": "1990-01-01", "clinic": {"closed": ["2026-12-09"]}}
    merged = api.apply_overrides(
        patient, {"start": "2026-12-21", "clinic": {"holidays": "GB-ENG"}, "dob": None}
    )
    assert merged == {
        "start": "2026-12-21",
        "cause": "dietary",
        "clinic": {"closed": ["2026-12-09"], "holidays": "GB-ENG"},
    }
    plan = b12plan.plan(patient, as_of=AS_OF, overrides={"start": "2026-12-21"})
    assert _dates(plan)[:3] == ["2026-12-21", "2026-12-23", "2026-12-25"]


def test_a_custom_protocol_file_is_followed(tmp_path: Path) -> None:
    """`protocol_file` plans with a custom protocol, as `--protocol-file` does."""
    text = (ROOT / "src/b12plan/protocols/uk-hydroxo-dietary.toml").read_text(encoding="utf-8")
    custom = tmp_path / "clinic.toml"
    custom.write_text(text.replace('id = "uk-hydroxo-dietary"', 'id = "clinic-dietary"'))
    plan = b12plan.plan(DIETARY, as_of=AS_OF, protocol_file=custom)
    assert plan.protocol.id == "clinic-dietary"
    assert _dates(plan) == DIETARY_DATES
    cli = run("schedule", "-", "--as-of", AS_OF, "--format", "json", "--protocol-file",
              str(custom), stdin=json.dumps(DIETARY))  # fmt: skip
    assert plan.to_json() == cli.out


# ---------------------------------------------------------------- InvalidInput


def test_every_validation_problem_is_listed_as_the_cli_lists_it() -> None:
    """All four problems, as `(location, message)` pairs equal to the CLI's error list."""
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.plan(BAD, as_of=AS_OF)
    error = caught.value
    assert error.errors == _cli_errors("schedule", "-", stdin=json.dumps(BAD))
    assert [loc for loc, _ in error.errors] == [("start",), ("cause",), ("dob",), ("labs", 0)]
    assert str(error) == "start: is required (and 3 more)"
    assert error.lines()[2] == "dob: 'x' is not a date of the form YYYY-MM-DD"
    assert isinstance(error, ValueError)


@pytest.mark.parametrize(
    ("name", "text", "loc"),
    [
        ("broken.json", '{"start": ', ("file",)),
        ("broken.toml", "start = ", ("file",)),
        ("empty.json", "", ("file",)),
        ("list.json", "[1]", ("file",)),
    ],
)
def test_file_and_parser_problems_are_invalid_input(
    tmp_path: Path, name: str, text: str, loc: tuple[str, ...]
) -> None:
    """Unparseable JSON or TOML, an empty file, a non-object: InvalidInput, as the CLI says."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.plan(path, as_of=AS_OF)
    assert caught.value.loc == loc
    assert caught.value.errors == _cli_errors("schedule", str(path), "--as-of", AS_OF)


def test_an_unreadable_file_and_a_bad_protocol_file_are_invalid_input(tmp_path: Path) -> None:
    """A missing patient file and a broken protocol file raise InvalidInput naming each."""
    with pytest.raises(b12plan.InvalidInput) as missing:
        b12plan.plan(tmp_path / "absent.json", as_of=AS_OF)
    assert missing.value.loc == ("file",)
    assert "absent.json" in missing.value.msg
    protocol = tmp_path / "broken.toml"
    protocol.write_text("id = ", encoding="utf-8")
    with pytest.raises(b12plan.InvalidInput) as broken:
        b12plan.plan(DIETARY, as_of=AS_OF, protocol_file=protocol)
    assert broken.value.loc[0] == "protocol_file"


def test_engine_and_holiday_problems_are_invalid_input() -> None:
    """What only the engine or the holiday lookup can see is the same InvalidInput."""
    with pytest.raises(b12plan.InvalidInput) as late:
        b12plan.plan({**DIETARY, "symptoms_returned": ["2026-12-20"]}, as_of="2026-12-10")
    assert late.value.errors == [(("symptoms_returned", 0), "2026-12-20 is after as_of 2026-12-10")]
    with pytest.raises(b12plan.InvalidInput) as region:
        b12plan.plan({**DIETARY, "clinic": {"holidays": "ZZ"}}, as_of=AS_OF)
    assert region.value.loc == ("clinic", "holidays")


def test_a_patient_of_another_type_is_invalid_input() -> None:
    """A list is no patient: InvalidInput says which forms are."""
    with pytest.raises(b12plan.InvalidInput, match="a dict, the path of a JSON or TOML file"):
        b12plan.plan([DIETARY], as_of=AS_OF)  # type: ignore[arg-type]


def test_invalid_input_pickles_and_nests() -> None:
    """Every problem survives pickling (batch workers), and `within` locates them all deeper."""
    error = b12plan.InvalidInput(("labs", 0), "bad", more=[(("dob",), "worse")])
    assert pickle.loads(pickle.dumps(error)).errors == error.errors  # noqa: S301 - our own bytes
    assert error.within("patient").errors == [
        (("patient", "labs", 0), "bad"),
        (("patient", "dob"), "worse"),
    ]


def test_a_regimens_patient_problems_are_all_listed() -> None:
    """Every problem inside a regimen's patient is listed, located under `patient`."""
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.check({"patient": BAD, "regimen": REGIMEN["regimen"]}, as_of=AS_OF)
    assert [loc[0] for loc, _ in caught.value.errors] == ["patient"] * 4
    assert caught.value.errors == _cli_errors(
        "check", "-", stdin=json.dumps({"patient": BAD, "regimen": REGIMEN["regimen"]})
    )


# ---------------------------------------------------------------- check


def test_check_compares_the_regimen_as_the_cli_does() -> None:
    """`check` returns the CheckReport; its `to_json()` is `check --format json`, byte for byte."""
    report = b12plan.check(REGIMEN, as_of=AS_OF)
    assert isinstance(report, b12plan.CheckReport)
    assert report.verdict == "clean"
    assert report.expected.text == "1000mcg im every 2d x6; then 1000mcg im every 6mo"
    cli = run("check", "-", "--as-of", AS_OF, "--format", "json", stdin=json.dumps(REGIMEN))
    assert report.to_json() == cli.out


def test_check_reads_regimen_files_and_applies_fail_on() -> None:
    """An example regimen file checks to its golden; `fail_on` moves the verdict."""
    path = EXAMPLES / "regimen-underdosed.json"
    golden = path.with_name("regimen-underdosed.check.json").read_text(encoding="utf-8")
    as_of = json.loads(golden)["as_of"]
    assert b12plan.check(path, as_of=as_of).to_json() == golden
    assert b12plan.check(path, as_of=as_of).verdict == "problems"
    assert b12plan.check(path, as_of=as_of, fail_on="block").regimen_verdict == "clean"


def test_a_bad_fail_on_is_invalid_input() -> None:
    """`fail_on` outside info, warning, block is InvalidInput naming it."""
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.check(REGIMEN, as_of=AS_OF, fail_on="fatal")  # type: ignore[arg-type]
    assert caught.value.loc == ("fail_on",)


# ---------------------------------------------------------------- to_text


FORMAT_GOLDENS = {
    "json": ".plan.json",
    "ndjson": ".plan.ndjson",
    "csv": ".plan.csv",
    "ics": ".plan.ics",
    "fhir": ".plan.fhir.json",
    "html": ".plan.html",
}


@pytest.mark.parametrize("fmt", sorted(FORMAT_GOLDENS))
def test_to_text_gives_every_format_as_the_cli_does(fmt: str) -> None:
    """Each format of an example is its reviewed golden, byte for byte: no shelling out."""
    patient = EXAMPLES / "patient-history-late-dose.json"
    golden = patient.with_name(patient.stem + FORMAT_GOLDENS[fmt]).read_bytes()
    as_of = json.loads(patient.with_name(patient.stem + ".plan.json").read_text())["as_of"]
    text = b12plan.to_text(b12plan.plan(patient, as_of=as_of), fmt)
    assert text.encode("utf-8") == golden


def test_to_text_table_and_since_match_the_cli() -> None:
    """The table at a width, and `since` in the record formats, are the CLI's output."""
    plan = b12plan.plan(DIETARY, as_of=AS_OF)
    cli = run("schedule", "-", "--as-of", AS_OF, stdin=json.dumps(DIETARY))
    assert b12plan.to_text(plan, width=120) == cli.out
    since = b12plan.to_text(plan, "csv", since="2026-12-14")
    assert [row.split(",")[1] for row in since.splitlines()[1:]] == DIETARY_DATES[3:]
    cli = run("schedule", "-", "--as-of", AS_OF, "--format", "csv", "--from", "2026-12-14",
              stdin=json.dumps(DIETARY))  # fmt: skip
    assert since == cli.out
    report = b12plan.check(REGIMEN, as_of=AS_OF)
    cli = run("check", "-", "--as-of", AS_OF, stdin=json.dumps(REGIMEN))
    assert b12plan.to_text(report, width=120) == cli.out


@pytest.mark.parametrize(
    ("fmt", "options", "loc"),
    [
        ("pdf", {}, ("format",)),
        ("fhir", {"explain": True}, ("explain",)),
        ("json", {"since": "2026-12-14"}, ("since",)),
        ("csv", {"since": "14/12/2026"}, ("since",)),
    ],
)
def test_to_text_refuses_what_a_format_cannot_do(
    fmt: str, options: dict[str, Any], loc: tuple[str, ...]
) -> None:
    """An unknown format, explain with fhir, since with json or a bad date: InvalidInput."""
    plan = b12plan.plan(DIETARY, as_of=AS_OF)
    with pytest.raises(b12plan.InvalidInput) as caught:
        b12plan.to_text(plan, fmt, **options)
    assert caught.value.loc == loc


def test_ics_needs_the_plan_as_plan_made_it() -> None:
    """A plan read back from JSON has no patient for the ics UIDs: InvalidInput says so."""
    plan = b12plan.Plan.model_validate_json(b12plan.plan(DIETARY, as_of=AS_OF).to_json())
    with pytest.raises(b12plan.InvalidInput, match=r"make the plan with b12plan\.plan\(\)"):
        b12plan.to_text(plan, "ics")
    assert b12plan.to_text(plan, "csv").startswith("n,date,")


def test_a_check_report_has_table_and_json_only() -> None:
    """A check report renders as table or json; csv is InvalidInput listing those two."""
    report = b12plan.check(REGIMEN, as_of=AS_OF)
    assert b12plan.to_text(report, "json") == report.to_json()
    with pytest.raises(b12plan.InvalidInput, match="allowed: table, json"):
        b12plan.to_text(report, "csv")


@pytest.mark.parametrize("fmt", sorted(FORMAT_GOLDENS))
def test_a_plain_plan_renders_every_format_as_plan_does(fmt: str) -> None:
    """The plain document (`plain=True`: no model built) gives every golden too, and its
    JSON."""
    patient = EXAMPLES / "patient-history-late-dose.json"
    golden = patient.with_name(patient.stem + FORMAT_GOLDENS[fmt]).read_bytes()
    json_golden = patient.with_name(patient.stem + ".plan.json").read_text(encoding="utf-8")
    planned = b12plan.plan(patient, as_of=json.loads(json_golden)["as_of"], plain=True)
    assert isinstance(planned, b12plan.PlanDocument)
    assert planned.blocked is False
    assert planned.to_json() == json_golden
    assert b12plan.to_text(planned, fmt).encode("utf-8") == golden


def test_a_plain_plan_loads_no_model() -> None:
    """A plain plan and its text, in a fresh process, load neither pydantic nor the models."""
    code = (
        "import sys, b12plan\n"
        "planned = b12plan.plan({'start': '2026-12-07', 'cause': 'dietary'},"
        " as_of='2026-11-24', plain=True)\n"
        "b12plan.to_text(planned, 'json')\n"
        "print(sorted(m for m in ('pydantic', 'b12plan.contract.models') if m in sys.modules))\n"
    )
    import sys

    done = processes.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_a_plain_check_is_the_check_reports_document() -> None:
    """The plain check document (`plain=True`) is the report `check` returns, and renders the
    same."""
    checked = b12plan.check(REGIMEN, as_of=AS_OF, plain=True)
    report = b12plan.check(REGIMEN, as_of=AS_OF)
    assert checked["verdict"] == report.verdict
    assert b12plan.to_text(checked, "json") == report.to_json()
    assert b12plan.to_text(checked, width=120) == b12plan.to_text(report, width=120)


def test_a_blocked_plain_plan_says_so() -> None:
    """An IV route blocks the plan: `blocked` is true and the document has no doses."""
    planned = b12plan.plan({**DIETARY, "route": "iv"}, as_of=AS_OF, plain=True)
    assert planned.blocked is True
    assert planned.document["doses"] == []


def test_only_a_plain_plan_leaves_the_traces_out_unless_explained() -> None:
    """A plain plan's doses carry their trace only with `explain`; a `Plan` always has them
    (its `to_json(explain=True)` writes them), as the document `--explain` writes."""
    plain = b12plan.plan(DIETARY, as_of=AS_OF, plain=True)
    explained = b12plan.plan(DIETARY, as_of=AS_OF, plain=True, explain=True)
    model = b12plan.plan(DIETARY, as_of=AS_OF)
    assert all("trace" not in dose for dose in plain.document["doses"])
    assert all(dose["trace"] for dose in explained.document["doses"])
    assert explained.to_json() == model.to_json(explain=True) != plain.to_json()


@pytest.mark.parametrize(
    ("older", "call", "instead"),
    [
        ("plan_document", "plan", r"use b12plan\.plan\(\.\.\., plain=True\)"),
        ("check_document", "check", r"use b12plan\.check\(\.\.\., plain=True\)"),
    ],
)
def test_the_older_names_of_the_plain_form_warn_and_give_the_same(
    older: str, call: str, instead: str
) -> None:
    """`b12plan.plan_document` and `check_document` still work for one release: the same
    document as `plain=True`, with a DeprecationWarning naming the call to use; they are no
    longer among the public names."""
    given = DIETARY if call == "plan" else REGIMEN
    with pytest.warns(DeprecationWarning, match=instead) as caught:
        made = getattr(b12plan, older)(given, as_of=AS_OF)
    assert caught[0].filename == __file__  # the warning points at the caller
    plain = getattr(b12plan, call)(given, as_of=AS_OF, plain=True)
    assert b12plan.to_text(made, "json") == b12plan.to_text(plain, "json")
    assert older not in b12plan.__all__
    assert older not in dir(b12plan)


# ---------------------------------------------------------------- plan_many


def test_plan_many_yields_results_and_errors_in_order() -> None:
    """Each patient's outcome in its place: plans, then InvalidInput for the bad ones."""
    line = json.dumps(DIETARY).encode()
    unread = b12plan.InvalidInput((), "the line is longer than 1048576 bytes")
    outcomes = list(b12plan.plan_many([DIETARY, b"{", line, BAD, unread], as_of=AS_OF))
    first, broken, third, bad, passed = outcomes
    assert isinstance(first, b12plan.PlanResult)
    assert isinstance(third, b12plan.PlanResult)
    assert _dates(first.plan) == DIETARY_DATES
    assert not first.blocked
    assert isinstance(broken, b12plan.InvalidInput)
    assert broken.msg.startswith("not valid JSON")
    assert isinstance(bad, b12plan.InvalidInput)
    assert len(bad.errors) == 4
    assert passed is unread


def test_plan_many_json_lines_are_the_batch_lines() -> None:
    """`to_json_line()` is the line `schedule --batch` writes, and the one-line `to_json`."""
    result = next(b12plan.plan_many([DIETARY], as_of=AS_OF, explain=True))
    assert isinstance(result, b12plan.PlanResult)
    batch = run("schedule", "--batch", "--explain", "--as-of", AS_OF, stdin=json.dumps(DIETARY))
    assert result.to_json_line().decode() == batch.out
    plan = b12plan.plan(DIETARY, as_of=AS_OF)
    assert result.to_json_line().decode() == plan.to_json(explain=True, indent=None)


@pytest.mark.usefixtures("forks")
def test_plan_many_on_two_processes_gives_the_same_outcomes() -> None:
    """`jobs=2` keeps the order and the bytes of `jobs=1` across several chunks."""
    patients: list[Any] = [
        {**DIETARY, "start": f"2026-12-{day:02d}"} for day in range(1, 29)
    ] * 20  # 560 patients: three chunks of 200
    patients[250] = BAD
    one = list(b12plan.plan_many(patients, as_of=AS_OF))
    two = list(b12plan.plan_many(patients, as_of=AS_OF, jobs=2))
    assert len(one) == len(two) == 560

    def key(outcome: b12plan.PlanResult | Exception) -> Any:
        if isinstance(outcome, b12plan.PlanResult):
            return outcome.to_json_line()
        assert isinstance(outcome, b12plan.InvalidInput)
        return outcome.errors

    assert [key(o) for o in one] == [key(o) for o in two]
    assert isinstance(two[250], b12plan.InvalidInput)


def test_a_bug_on_one_patient_is_yielded_and_the_rest_are_planned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug (not bad input) is that patient's outcome; the next patient is still planned."""
    break_planning(monkeypatch, "autoimmune-gastritis")
    other = {"start": "2026-12-07", "cause": "autoimmune-gastritis"}
    bug, fine = b12plan.plan_many([other, DIETARY], as_of=AS_OF)
    assert isinstance(bug, KeyError)
    assert not isinstance(bug, b12plan.InvalidInput)
    assert isinstance(fine, b12plan.PlanResult)


def test_plan_many_reads_its_settings_before_the_first_patient(tmp_path: Path) -> None:
    """A bad protocol file, `as_of` or `jobs` raises at the call, before any patient is read."""
    read: list[int] = []

    def patients() -> Any:
        read.append(1)
        yield DIETARY

    with pytest.raises(b12plan.InvalidInput) as protocol:
        b12plan.plan_many(patients(), protocol_file=tmp_path / "absent.toml")
    assert protocol.value.loc == ("protocol_file",)
    with pytest.raises(b12plan.InvalidInput) as as_of:
        b12plan.plan_many(patients(), as_of="soon")
    assert as_of.value.loc == ("as_of",)
    with pytest.raises(b12plan.InvalidInput) as jobs:
        b12plan.plan_many(patients(), as_of=AS_OF, jobs=0)
    assert jobs.value.loc == ("jobs",)
    assert read == []


def test_plan_many_overrides_every_patient() -> None:
    """`overrides` set the same fields on every patient, as the CLI's options do in a batch."""
    outcomes = list(
        b12plan.plan_many([DIETARY, {"cause": "dietary"}], as_of=AS_OF, overrides=DIETARY)
    )
    assert all(isinstance(o, b12plan.PlanResult) for o in outcomes)
    assert [_dates(o.plan) for o in outcomes if isinstance(o, b12plan.PlanResult)] == [
        DIETARY_DATES
    ] * 2


@pytest.mark.usefixtures("forks")
def test_closing_plan_many_early_ends_its_worker_processes() -> None:
    """A caller that stops after the first plan and closes the iterator leaves no workers."""
    import multiprocessing

    outcomes = b12plan.plan_many([DIETARY] * 1000, as_of=AS_OF, jobs=2)
    assert isinstance(next(outcomes), b12plan.PlanResult)
    assert len(multiprocessing.active_children()) == 2
    outcomes.close()
    assert multiprocessing.active_children() == []
