"""Maintenance interval adjustment (reference: "Interval adjustment" and "Frequency follows
symptoms; labs never lengthen"), path by path."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import codes, dates, run_patient

# Non-neuro AIG patient from Monday 2026-01-05: repletion given on time, the last on 01-16,
# so maintenance is due every 3 months from 2026-01-16: 04-16, 07-16, 10-16 ...
START = "2026-01-05"
REPLETION = ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"]
# us-cyano-1000 from the same day: daily 01-05..01-11, weekly 01-18..02-08; monthly from 02-08.
CYANO_REPLETION = [
    "2026-01-05",
    "2026-01-06",
    "2026-01-07",
    "2026-01-08",
    "2026-01-09",
    "2026-01-10",
    "2026-01-11",
    "2026-01-18",
    "2026-01-25",
    "2026-02-01",
    "2026-02-08",
]


def aig(*given: str, **extra: Any) -> dict[str, Any]:
    """Non-neuro AIG patient, repletion given, then these maintenance doses."""
    return {
        "start": START,
        "cause": "autoimmune-gastritis",
        "given": [*REPLETION, *given],
        "until": "2026-12-31",
        **extra,
    }


def cyano(*given: str, **extra: Any) -> dict[str, Any]:
    """us-cyano-1000 patient, repletion given, then these maintenance doses."""
    return {
        "start": START,
        "cause": "autoimmune-gastritis",
        "product": "cyanocobalamin",
        "given": [*CYANO_REPLETION, *given],
        "until": "2026-12-31",
        **extra,
    }


def change(interval: str, reason: str | None = None, when: str = START) -> list[dict[str, Any]]:
    """A clinician's interval decision, by default from the start of the course."""
    return [{"date": when, "interval": interval, **({"reason": reason} if reason else {})}]


def run(doc: dict[str, Any], as_of: str, *args: str) -> dict[str, Any]:
    """The JSON plan (exit 0)."""
    result = run_patient(doc, "--as-of", as_of, "--format", "json", *args)
    assert result.code == 0, result.err
    got: dict[str, Any] = result.json()
    return got


def pending(got: dict[str, Any]) -> list[str]:
    """Maintenance dates not yet given."""
    return [
        d["date"] for d in got["doses"] if d["phase"] == "maintenance" and d["status"] != "given"
    ]


def adjustments(got: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(date, from, to, code) of each interval change."""
    return [(a["date"], a["from"], a["to"], a["code"]) for a in got["adjustments"]]


def finding(got: dict[str, Any], code: str) -> tuple[str, str]:
    """(severity, source) of the one finding with this code."""
    (item,) = [(f["severity"], f["source"]) for f in got["findings"] if f["code"] == code]
    return item


# ----------------------------------------------------------------------------- shorten
def test_shorten_on_symptoms_after_last_dose_plus_new_interval() -> None:
    """Symptoms on 06-20, later than 04-16 + 2 months: the next dose is on the symptom date."""
    got = run(aig("2026-04-16"), "2026-06-20", "--symptoms-returned", "2026-06-20")
    assert got["adjustments"] == [
        {
            "date": "2026-06-20",
            "from": "3mo",
            "to": "2mo",
            "code": "INTERVAL_SHORTENED",
            "why": "symptoms returned on 2026-06-20: interval shortened one step, every 3 "
            "months to every 2 months; next dose the later of 2026-06-20 and last dose "
            "2026-04-16 + 2mo = 2026-06-20",
        }
    ]
    assert pending(got) == ["2026-06-20", "2026-08-20", "2026-10-20", "2026-12-20"]
    assert got["doses"][7]["status"] == "due"
    assert got["maintenance"]["interval"] == "2mo"
    assert got["maintenance"]["next_due"] == "2026-06-20"
    assert finding(got, "INTERVAL_SHORTENED") == ("info", "NICE-NG239")
    assert "LAB_TRIGGERED_ADJUSTMENT" not in codes(got)


def test_shorten_on_symptoms_before_last_dose_plus_new_interval() -> None:
    """Symptoms on 05-01, before 04-16 + 2 months: the next dose is 06-16."""
    got = run(aig("2026-04-16", symptoms_returned=["2026-05-01"]), "2026-05-01")
    assert adjustments(got) == [("2026-05-01", "3mo", "2mo", "INTERVAL_SHORTENED")]
    assert pending(got) == ["2026-06-16", "2026-08-16", "2026-10-16", "2026-12-16"]


# Deficiency labs in the current cycle (after the 04-16 dose): (labs, trigger date).
DEFICIENCY_LABS = [
    (["b12=150 ng/L@2026-06-01"], "2026-06-01"),
    (["b12=130 pmol/L@2026-06-01"], "2026-06-01"),
    (["active-b12=20 pmol/L@2026-06-01"], "2026-06-01"),
    (["mma=0.5 umol/L@2026-06-01"], "2026-06-01"),
    (["mma=460 nmol/L@2026-06-01"], "2026-06-01"),
    (["homocysteine=16 umol/L@2026-06-01"], "2026-06-01"),
]


@pytest.mark.parametrize(("labs", "when"), DEFICIENCY_LABS)
def test_shorten_on_a_deficiency_lab(labs: list[str], when: str) -> None:
    """A deficiency lab in the current cycle shortens one step, with LAB_TRIGGERED_ADJUSTMENT."""
    got = run(aig("2026-04-16", labs=labs), "2026-06-05")
    assert adjustments(got) == [(when, "3mo", "2mo", "INTERVAL_SHORTENED")]
    assert pending(got) == ["2026-06-16", "2026-08-16", "2026-10-16", "2026-12-16"]
    assert finding(got, "LAB_TRIGGERED_ADJUSTMENT") == ("info", "NICE-NG239")


def test_lab_after_last_dose_plus_new_interval() -> None:
    """A low B12 on 07-01, after 04-16 + 2 months: the next dose is on the lab's date."""
    got = run(aig("2026-04-16", labs=["b12=150 ng/L@2026-07-01"]), "2026-07-01")
    assert adjustments(got) == [("2026-07-01", "3mo", "2mo", "INTERVAL_SHORTENED")]
    assert pending(got)[:2] == ["2026-07-01", "2026-09-01"]


@pytest.mark.parametrize(
    "labs",
    [
        ["b12=180 ng/L@2026-06-01"],
        ["b12=133 pmol/L@2026-06-01"],
        ["active-b12=25 pmol/L@2026-06-01"],
        ["mma=0.45 umol/L@2026-06-01"],
        ["homocysteine=15 umol/L@2026-06-01"],
        ["hb=110 g/L@2026-06-01"],
        ["mcv=104 fL@2026-06-01"],
        ["hb=110 g/L@2026-06-01", "mcv=100 fL@2026-06-01"],
        ["hb=110 g/L@2026-06-01", "mcv=104 fL@2026-06-01"],
        ["homocysteine=16 umol/L@2026-06-01", "folate=2 ug/L@2026-06-01"],
        ["mma=0.5 umol/L@2026-06-01", "egfr=25 mL/min/1.73m2@2026-05-01"],
    ],
)
def test_no_shortening_without_a_deficiency_marker(labs: list[str]) -> None:
    """Indeterminate or boundary results, anaemia (with or without macrocytosis: reference
    2026-12-07), homocysteine with a low folate, or MMA with eGFR < 30 change nothing."""
    got = run(aig("2026-04-16", labs=labs), "2026-06-05")
    assert got["adjustments"] == []
    assert pending(got) == ["2026-07-16", "2026-10-16"]


def test_symptoms_and_lab_in_one_cycle_is_not_lab_only() -> None:
    """When symptoms recurred too, the change is not flagged as lab-triggered."""
    doc = aig("2026-04-16", labs=["b12=150 ng/L@2026-05-20"], symptoms_returned=["2026-06-01"])
    got = run(doc, "2026-06-01")
    assert adjustments(got) == [("2026-05-20", "3mo", "2mo", "INTERVAL_SHORTENED")]
    assert "LAB_TRIGGERED_ADJUSTMENT" not in codes(got)


def test_one_step_per_cycle() -> None:
    """Two events in one cycle shorten only one step."""
    got = run(
        cyano(
            interval_changes=change("3mo"),
            symptoms_returned=["2026-03-01", "2026-03-20"],
        ),
        "2026-03-20",
    )
    assert adjustments(got) == [
        ("2026-01-05", "1mo", "3mo", "CLINICIAN_INTERVAL"),
        ("2026-03-01", "3mo", "2mo", "INTERVAL_SHORTENED"),
    ]


def test_shorten_cycle_by_cycle_to_the_floor() -> None:
    """3mo -> 2mo -> 1mo over two cycles, then INTERVAL_AT_MINIMUM with no further change."""
    doc = cyano(
        "2026-05-08",
        "2026-07-08",
        "2026-08-08",
        interval_changes=change("3mo"),
        symptoms_returned=["2026-06-10", "2026-08-01", "2026-08-20"],
    )
    got = run(doc, "2026-08-20")
    assert adjustments(got) == [
        ("2026-01-05", "1mo", "3mo", "CLINICIAN_INTERVAL"),
        ("2026-06-10", "3mo", "2mo", "INTERVAL_SHORTENED"),
        ("2026-08-01", "2mo", "1mo", "INTERVAL_SHORTENED"),
    ]
    assert pending(got) == ["2026-09-08", "2026-10-08", "2026-11-08", "2026-12-08"]
    assert finding(got, "INTERVAL_AT_MINIMUM") == ("warning", "STABLER-2013")
    assert "LATE_DOSE" not in codes(got)


def test_at_the_floor() -> None:
    """Neuro maintenance (2 months only): symptoms change nothing but warn INTERVAL_AT_MINIMUM."""
    doc = {
        "start": START,
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "repletion_end": "2026-01-19",
        "given": [
            *("2026-01-05", "2026-01-07", "2026-01-09", "2026-01-11"),
            *("2026-01-13", "2026-01-15", "2026-01-17", "2026-01-19"),
            "2026-03-19",
        ],
        "symptoms_returned": ["2026-04-01"],
        "until": "2026-09-30",
    }
    got = run(doc, "2026-04-01")
    assert got["adjustments"] == []
    assert got["maintenance"]["interval"] == "2mo"
    assert pending(got) == ["2026-05-19", "2026-07-19", "2026-09-19"]
    assert finding(got, "INTERVAL_AT_MINIMUM") == ("warning", "BNF-HYDROXO")
    (item,) = [f for f in got["findings"] if f["code"] == "INTERVAL_AT_MINIMUM"]
    assert item["message"] == (
        "symptoms returned on 2026-04-01, but every 2 months is already the shortest interval "
        "of this protocol; more frequent dosing is outside the product information: "
        "clinician decision"
    )


def test_symptoms_before_maintenance_do_not_shorten() -> None:
    """Symptoms during repletion are a response question, not a maintenance trigger."""
    doc = {
        "start": START,
        "cause": "autoimmune-gastritis",
        "given": REPLETION[:3],
        "symptoms_returned": ["2026-01-08"],
    }
    got = run(doc, "2026-01-09")
    assert got["adjustments"] == []
    assert finding(got, "SYMPTOMS_BEFORE_MAINTENANCE") == ("info", "NICE-NG239")


# ---------------------------------------------------------------------- never lengthen
THREE_MONTHLY = ["2026-03-08", "2026-04-08", "2026-05-08"]


@pytest.mark.parametrize(
    ("given", "labs"),
    [
        (THREE_MONTHLY, ["b12=500 ng/L@2026-04-01"]),
        (THREE_MONTHLY, ["b12=1200 ng/L@2026-04-01", "active-b12=150 pmol/L@2026-04-20"]),
        (THREE_MONTHLY, ["mma=0.2 umol/L@2026-04-01", "homocysteine=9 umol/L@2026-04-01"]),
        ([*THREE_MONTHLY, "2026-06-08", "2026-07-08", "2026-08-08"], ["b12=500 ng/L@2026-07-01"]),
    ],
    ids=["normal-b12", "high-b12", "normal-mma", "six-cycles"],
)
def test_stable_cycles_and_normal_labs_never_lengthen(given: list[str], labs: list[str]) -> None:
    """Stable given cycles with normal (or high) labs keep the interval: the engine never
    lengthens (INTERVAL_EXTENDED withdrawn, reference 2026-12-07)."""
    got = run(cyano(*given, labs=labs), given[-1])
    assert got["adjustments"] == []
    assert got["maintenance"]["interval"] == "1mo"
    assert "INTERVAL_EXTENDED" not in codes(got)


def test_a_shortening_for_symptoms_is_not_undone_by_a_high_b12() -> None:
    """3mo -> 2mo on symptoms, then a B12 of 1200 ng/L: the 2mo stays (issue 23)."""
    doc = aig(
        "2026-04-16",
        "2026-06-16",
        "2026-08-16",
        symptoms_returned=["2026-05-01"],
        labs=["b12=1200 ng/L@2026-07-01"],
    )
    got = run(doc, "2026-08-16")
    assert adjustments(got) == [("2026-05-01", "3mo", "2mo", "INTERVAL_SHORTENED")]
    assert got["maintenance"]["interval"] == "2mo"
    assert pending(got)[:1] == ["2026-10-16"]


def test_homocysteine_explained_by_low_folate_is_reported() -> None:
    """A high homocysteine with a low folate known on its date changes nothing: info
    HOMOCYSTEINE_FOLATE naming both results."""
    labs = ["folate=2 ug/L@2026-05-10", "homocysteine=40 umol/L@2026-05-20"]
    got = run(aig("2026-04-16", labs=labs), "2026-06-01")
    assert got["adjustments"] == []
    assert finding(got, "HOMOCYSTEINE_FOLATE") == ("info", "BSH-2014-FOLATE")
    (item,) = [f for f in got["findings"] if f["code"] == "HOMOCYSTEINE_FOLATE"]
    assert "homocysteine 40 µmol/L on 2026-05-20 (high)" in item["message"]
    assert "folate 2 µg/L on 2026-05-10 (low)" in item["message"]


def test_homocysteine_with_folate_not_low_still_shortens() -> None:
    """A normal folate leaves a high homocysteine a trigger (eGFR unknown)."""
    labs = ["folate=9 ug/L@2026-05-10", "homocysteine=40 umol/L@2026-05-20"]
    got = run(aig("2026-04-16", labs=labs), "2026-06-01")
    assert adjustments(got) == [("2026-05-20", "3mo", "2mo", "INTERVAL_SHORTENED")]
    assert "HOMOCYSTEINE_FOLATE" not in codes(got)


# ----------------------------------------------------------------- clinician's interval
def test_clinician_interval_within_steps() -> None:
    """A clinician's 2mo on a 2-3 month protocol is used as is, recorded, and not warned about."""
    got = run(aig(interval_changes=change("2mo")), "2026-01-16")
    assert got["adjustments"] == [
        {
            "date": START,
            "from": "3mo",
            "to": "2mo",
            "code": "CLINICIAN_INTERVAL",
            "why": "clinician set every 2 months from 2026-01-05, within the protocol's steps "
            "2mo, 3mo",
        }
    ]
    assert dates(got, "maintenance") == [
        "2026-03-16",
        "2026-05-16",
        "2026-07-16",
        "2026-09-16",
        "2026-11-16",
    ]
    assert "OFFLABEL_INTERVAL" not in codes(got)


def test_clinician_interval_in_weeks_within_the_range() -> None:
    """10 weeks lies between 2 and 3 months: honoured, counted in days."""
    got = run(aig(interval_changes=change("10w")), "2026-01-16")
    assert dates(got, "maintenance")[:3] == ["2026-03-27", "2026-06-05", "2026-08-14"]
    assert adjustments(got) == [(START, "3mo", "10w", "CLINICIAN_INTERVAL")]


def test_clinician_interval_equal_to_default() -> None:
    """Setting the default interval is no change."""
    got = run(aig(interval_changes=change("3mo")), "2026-01-16")
    assert got["adjustments"] == []


def test_override_reason_inside_steps_is_not_off_label() -> None:
    """An override reason for an interval within the steps raises no off-label warning."""
    got = run(aig(interval_changes=change("2mo", "fatigue before doses")), "2026-01-16")
    assert adjustments(got) == [(START, "3mo", "2mo", "CLINICIAN_INTERVAL")]
    assert "OFFLABEL_INTERVAL" not in codes(got)


def test_outside_steps_with_override_reason() -> None:
    """Outside the steps with a reason: honoured, OFFLABEL_INTERVAL (warning), reason recorded."""
    doc = aig(interval_changes=change("1mo", "relapse on 2-monthly dosing"))
    got = run(doc, "2026-01-16")
    assert got["adjustments"] == [
        {
            "date": START,
            "from": "3mo",
            "to": "1mo",
            "code": "OFFLABEL_INTERVAL",
            "why": "clinician set every 1 month from 2026-01-05, outside the protocol's steps "
            "2mo, 3mo: relapse on 2-monthly dosing",
        }
    ]
    assert finding(got, "OFFLABEL_INTERVAL") == ("warning", "SMPC-HYDROXO")
    assert got["maintenance"]["interval"] == "1mo"
    assert dates(got, "maintenance")[:3] == ["2026-02-16", "2026-03-16", "2026-04-16"]


@pytest.mark.parametrize(
    ("doc", "wanted", "steps"),
    [
        (aig(interval_changes=change("1mo")), "1mo", "uk-bnf-hydroxo-nonneuro's steps (2mo, 3mo)"),
        (aig(interval_changes=change("6mo")), "6mo", "uk-bnf-hydroxo-nonneuro's steps (2mo, 3mo)"),
        (aig(interval_changes=change("8w")), "8w", "uk-bnf-hydroxo-nonneuro's steps (2mo, 3mo)"),
        (aig(interval_changes=change("12mo"), cause="dietary"), "12mo", "(3mo, 6mo)"),
        (aig(interval_changes=change("1mo"), cause="dietary"), "1mo", "(3mo, 6mo)"),
        (cyano(interval_changes=change("6mo")), "6mo", "us-cyano-1000's steps (1mo, 2mo, 3mo)"),
    ],
    ids=["1mo-nonneuro", "6mo-nonneuro", "8w-nonneuro", "12mo-dietary", "1mo-dietary", "6mo-cyano"],
)
def test_outside_steps_without_reason_is_refused(
    doc: dict[str, Any], wanted: str, steps: str
) -> None:
    """A dated change outside the steps without a reason is an input error (exit 2): one line
    naming the allowed steps and where the reason goes; nothing is substituted."""
    result = run_patient(doc, "--as-of", "2026-02-08")
    assert (result.code, result.out) == (2, "")
    (line,) = result.err.splitlines()
    assert line.startswith(f"b12plan: error: interval_changes[0].interval: '{wanted}' is outside")
    assert steps in line
    assert "--override-reason" in line


def test_interval_option_outside_steps_without_reason_is_refused() -> None:
    """`--interval 1mo` without `--override-reason` on a 2-3 month protocol: exit 2 naming the
    steps and the option; with the reason it is honoured off-label."""
    result = run_patient(aig(), "--as-of", "2026-01-16", "--interval", "1mo")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "b12plan: error: interval: '1mo' is outside uk-bnf-hydroxo-nonneuro's steps (2mo, 3mo): "
        "choose one of them, or give the reason for an off-label interval with override_reason "
        "(--override-reason)\n"
    )
    got = run(aig(), "2026-01-16", "--interval", "1mo", "--override-reason", "relapse")
    assert got["maintenance"]["interval"] == "1mo"
    assert finding(got, "OFFLABEL_INTERVAL") == ("warning", "SMPC-HYDROXO")


def test_override_reason_without_interval_is_refused() -> None:
    """override_reason alone is an input error naming it."""
    result = run_patient(aig(override_reason="because"), "--as-of", "2026-01-16")
    assert result.code == 2
    assert result.err.startswith("b12plan: error: override_reason: ")


def test_bad_interval_spelling_is_refused() -> None:
    """`--interval 3m` is refused with the forms allowed."""
    result = run_patient(aig(), "--as-of", "2026-01-16", "--interval", "3m")
    assert result.code == 2
    assert "interval" in result.err
    assert "Nmo, Nw or Nd" in result.err


# ------------------------------------------------------------------ the table's section
TABLE_ROWS = [
    (
        aig("2026-04-16", symptoms_returned=["2026-06-20"]),
        "2026-06-20",
        r"2026-06-20\s+3mo\s+2mo\s+INTERVAL_SHORTENED\s+symptoms returned on 2026-06-20",
    ),
    (
        aig(interval_changes=change("1mo", "relapse")),
        "2026-01-16",
        r"2026-01-05\s+3mo\s+1mo\s+OFFLABEL_INTERVAL\s+clinician set every 1 month",
    ),
    (
        aig(interval_changes=change("2mo")),
        "2026-01-16",
        r"2026-01-05\s+3mo\s+2mo\s+CLINICIAN_INTERVAL\s+clinician set every 2 months",
    ),
]


@pytest.mark.parametrize(
    ("doc", "as_of", "row"),
    TABLE_ROWS,
    ids=["shortened", "offlabel", "clinician"],
)
def test_adjustment_has_its_own_table_section(doc: dict[str, Any], as_of: str, row: str) -> None:
    """The table shows an "Interval changes" section with date, from, to, code and why."""
    result = run_patient(doc, "--as-of", as_of)
    assert result.code == 0, result.err
    section = result.out.split("Interval changes", 1)[1]
    header = section.splitlines()[1]
    assert header.split() == ["date", "from", "to", "code", "why"]
    assert re.search(row, section), section
