"""Records over time (reference: "Records over time", "More labs that change what happens",
"Clarified readings"): the engine replays a dated record, and each decision applies from its date.

The main patient (uk-bnf-hydroxo-nonneuro, pernicious anaemia) starts Monday 2026-01-05:
repletion 01-05, 01-07, 01-09, 01-12, 01-14, 01-16 (gaps 2, 2, 3, 2, 2), then every 3 months
from 01-16, each dose given on time: 04-16, 07-16, 10-16. Next by the default: 2027-01-16.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import codes, dates, plan_for, run, run_patient

REPLETION = ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"]
ON_TIME = [*REPLETION, "2026-04-16", "2026-07-16", "2026-10-16"]
AS_OF = "2026-11-24"


def given_args(dates_given: list[str]) -> list[str]:
    """`--given D` for each date."""
    return [arg for day in dates_given for arg in ("--given", day)]


def schedule(*args: str) -> dict[str, Any]:
    """`b12plan schedule` for the main patient with these options; the JSON plan (exit 0)."""
    base = ("--start", "2026-01-05", "--cause", "pernicious-anaemia", "--dob", "1960-01-01")
    result = run("schedule", *base, *given_args(ON_TIME), "--as-of", AS_OF,
                 "--format", "json", *args)  # fmt: skip
    assert result.code == 0, result.err
    plan: dict[str, Any] = result.json()
    return plan


def pending(plan: dict[str, Any]) -> list[str]:
    """Maintenance dates not yet given."""
    return [
        d["date"] for d in plan["doses"] if d["phase"] == "maintenance" and d["status"] != "given"
    ]


def messages(plan: dict[str, Any], code: str) -> list[str]:
    """The message of every finding with this code."""
    return [f["message"] for f in plan["findings"] if f["code"] == code]


# ---------------------------------------------------------------- dated interval decisions


def test_an_undated_interval_applies_from_as_of_not_from_the_start() -> None:
    """Issue 12: `--interval 2mo` is a decision dated as_of: doses 7-9, on time under 3 months,
    are not late, and the next dose is the later of 11-24 and 10-16 + 2 months = 12-16."""
    plan = schedule("--interval", "2mo")
    assert [(a["date"], a["from"], a["to"], a["code"]) for a in plan["adjustments"]] == [
        ("2026-11-24", "3mo", "2mo", "CLINICIAN_INTERVAL")
    ]
    assert "LATE_DOSE" not in codes(plan)
    assert [d["planned_date"] for d in plan["doses"][6:9]] == [None, None, None]
    assert pending(plan)[:3] == ["2026-12-16", "2027-02-16", "2027-04-16"]
    assert plan["maintenance"]["changes"] == [
        {
            "date": "2026-01-05",
            "interval": "3mo",
            "code": "PROTOCOL_DEFAULT",
            "why": "1 mg every 2–3 months (SMPC-HYDROXO)",
        },
        {
            "date": "2026-11-24",
            "interval": "2mo",
            "code": "CLINICIAN_INTERVAL",
            "why": "clinician set every 2 months from as_of 2026-11-24, within the protocol's "
            "steps 2mo, 3mo",
        },
    ]


def test_an_off_label_interval_never_places_the_next_dose_in_the_past() -> None:
    """Issue 12: `--interval 1mo` with a reason: 10-16 + 1 month is 11-16, before the decision,
    so the next dose is the decision's date, 11-24 (due today); no "shortest interval" text."""
    plan = schedule("--interval", "1mo", "--override-reason", "symptoms at 4 weeks")
    assert pending(plan)[:3] == ["2026-11-24", "2026-12-24", "2027-01-24"]
    assert plan["doses"][9]["status"] == "due"
    assert messages(plan, "OFFLABEL_INTERVAL") == [
        "clinician set every 1 month from as_of 2026-11-24, outside the protocol's steps 2mo, "
        "3mo: symptoms at 4 weeks"
    ]
    assert "INTERVAL_AT_MINIMUM" not in codes(plan)
    assert "OVERDUE_DOSE" not in codes(plan)


def test_interval_from_dates_the_decision() -> None:
    """`--interval 2mo --interval-from 11-02` is the records.json mid-course change."""
    plan = schedule("--interval", "2mo", "--interval-from", "2026-11-02")
    assert plan["adjustments"][0]["date"] == "2026-11-02"
    assert pending(plan)[:2] == ["2026-12-16", "2027-02-16"]


def test_a_dose_given_before_a_change_is_judged_by_the_interval_then_in_force() -> None:
    """A change to 2 months on 06-01: dose 8 on 07-16 was due 06-16 under the new interval
    (later of 06-01 and 04-16 + 2mo), so it is late; dose 7 (04-16) is untouched."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": ON_TIME,
        "interval_changes": [{"date": "2026-06-01", "interval": "2mo", "reason": "tired"}],
    }
    plan = plan_for(doc, AS_OF)
    assert [(d["date"], d["planned_date"]) for d in plan["doses"][6:9]] == [
        ("2026-04-16", None),
        ("2026-07-16", "2026-06-16"),
        ("2026-10-16", "2026-09-16"),
    ]
    assert pending(plan)[:2] == ["2026-12-16", "2027-02-16"]


def test_a_dose_given_on_the_change_date_is_judged_by_the_new_interval() -> None:
    """Change to 2 months dated 07-16, the day dose 8 was given: due later of 07-16 and
    04-16 + 2mo (06-16) = 07-16, so on time; the next is 09-16."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": ON_TIME[:8],
        "interval_changes": [{"date": "2026-07-16", "interval": "2mo"}],
    }
    plan = plan_for(doc, "2026-08-01")
    assert "LATE_DOSE" not in codes(plan)
    assert pending(plan)[:2] == ["2026-09-16", "2026-11-16"]


def test_on_the_same_day_the_clinicians_change_wins() -> None:
    """Symptoms and a clinician's change on one day: no automatic shortening is recorded."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": ON_TIME,
        "symptoms_returned": ["2026-11-02"],
        "interval_changes": [{"date": "2026-11-02", "interval": "3mo"}],
    }
    plan = plan_for(doc, AS_OF)
    assert "INTERVAL_SHORTENED" not in codes(plan)
    assert plan["maintenance"]["interval"] == "3mo"


def test_a_trigger_on_an_off_label_interval_is_not_at_minimum() -> None:
    """Below the protocol's shortest step by the clinician's choice, a trigger changes nothing
    and says so as OFFLABEL_INTERVAL, never INTERVAL_AT_MINIMUM (reference)."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": ON_TIME,
        "interval_changes": [{"date": "2026-10-16", "interval": "1mo", "reason": "relapse"}],
        "symptoms_returned": ["2026-11-10"],
    }
    plan = plan_for(doc, AS_OF)
    assert "INTERVAL_AT_MINIMUM" not in codes(plan)
    assert messages(plan, "OFFLABEL_INTERVAL")[-1] == (
        "symptoms returned on 2026-11-10, while on the clinician's off-label interval of every "
        "1 month (the protocol's shortest step is every 2 months): no automatic change; "
        "clinician decision"
    )


def test_interval_and_interval_changes_together_are_refused() -> None:
    """One or the other (reference): exit 2 naming interval_changes."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "interval": "2mo",
        "interval_changes": [{"date": "2026-01-05", "interval": "2mo"}],
    }
    result = run_patient(doc, "--as-of", AS_OF)
    assert result.code == 2
    assert result.err.startswith("b12plan: error: interval_changes: give interval")


# ---------------------------------------------------------------- patients already on treatment


def test_a_transfer_in_patient_on_maintenance() -> None:
    """Issue 12: 3-monthly, last dose 09-26, entered without inventing a loading course: no
    repletion doses, next 12-26, nothing overdue, REPLETION_ON_RECORD; start defaults to the
    first dose given; the follow-up is the review only, 3 months from the first dose on record
    (reference, 2026-12-07)."""
    result = run(
        "schedule", "--cause", "pernicious-anaemia", "--repletion-done", "--given", "2026-09-26",
        "--as-of", AS_OF, "--until", "2027-06-30", "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    plan = result.json()
    assert dates(plan, "repletion") == []
    assert [(d["date"], d["status"]) for d in plan["doses"]] == [
        ("2026-09-26", "given"),
        ("2026-12-26", "planned"),
        ("2027-03-26", "planned"),
        ("2027-06-26", "planned"),
    ]
    assert "REPLETION_ON_RECORD" in codes(plan)
    assert not {"OVERDUE_DOSE", "LATE_DOSE", "REPLETION_SKIPPED"} & set(codes(plan))
    assert [(f["test"], f["date"], f["status"]) for f in plan["follow_up"]] == [
        ("clinical review", "2026-12-26", "planned")
    ]


def test_repletion_end_is_accepted_for_every_protocol() -> None:
    """Issue 12: `--repletion-end` ends a fixed loading course: three doses on record, then
    maintenance from the last (01-09 + 3 months), REPLETION_SHORT naming how many."""
    result = run(
        "schedule", "--start", "2026-01-05", "--cause", "pernicious-anaemia",
        *given_args(REPLETION[:3]), "--repletion-end", "2026-01-09", "--as-of", "2026-02-01",
        "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    plan = result.json()
    assert dates(plan, "repletion") == REPLETION[:3]
    assert pending(plan)[:2] == ["2026-04-09", "2026-07-09"]
    assert messages(plan, "REPLETION_SHORT") == [
        "3 loading doses up to repletion_end 2026-01-09 (3 on record as given); "
        "uk-bnf-hydroxo-nonneuro gives 6 (1 mg 3 times a week for 2 weeks)"
    ]


def test_a_deficient_patient_on_a_maintenance_only_protocol_is_warned() -> None:
    """Issue 12: schedule raises REPLETION_SKIPPED as check does, unless loading is on record."""
    doc = {
        "start": "2026-12-01",
        "cause": "malabsorption",
        "protocol": "uk-hydroxo-prophylaxis",
        "labs": ["b12=120 ng/L@2026-11-20"],
    }
    plan = plan_for(doc, AS_OF)
    assert messages(plan, "REPLETION_SKIPPED") == [
        "uk-hydroxo-prophylaxis is a maintenance-only protocol, but the patient needs loading "
        "doses first (b12 120 ng/L on 2026-11-20 (low)): treat the deficiency first, or record "
        "the loading course (repletion_done)"
    ]
    on_record = plan_for({**doc, "repletion_done": True}, AS_OF)
    assert "REPLETION_SKIPPED" not in codes(on_record)
    assert "REPLETION_ON_RECORD" in codes(on_record)


# ---------------------------------------------------------------- NEURO_URGENT


def test_neuro_urgent_only_before_the_first_dose() -> None:
    """Issue 12: "start without delay" is said until a dose is given, never after."""
    doc = {"start": "2026-11-02", "cause": "autoimmune-gastritis", "neuro": True}
    assert "NEURO_URGENT" in codes(plan_for(doc, "2026-11-01"))
    started = plan_for({**doc, "given": ["2026-11-02"]}, "2026-11-03")
    assert "NEURO_URGENT" not in codes(started)
    assert "NEURO_PROTOCOL_MISMATCH" not in codes(started)


def test_the_neuro_protocol_regimen_checks_clean_for_a_neuro_patient() -> None:
    """Issue 12: the protocol's own regimen, for the patient it is for, exits 0."""
    result = run(
        "check", "--regimen", "1000mcg im every 2d x8; then 1000mcg im every 2mo",
        "--start", "2026-12-01", "--cause", "autoimmune-gastritis", "--neuro",
        "--as-of", "2026-11-24",
    )  # fmt: skip
    assert result.code == 0, result.out


# ---------------------------------------------------------------- missed doses


def test_a_declined_dose_stays_owed_and_moves_no_date() -> None:
    """records.json (changed 2026-12-07): declined on 12-02, the dose stays overdue on its date
    and the later doses are planned as if it were given on as_of 12-03."""
    doc = {
        "start": "2026-11-30",
        "cause": "pernicious-anaemia",
        "given": ["2026-11-30"],
        "missed": [{"date": "2026-12-02", "reason": "declined"}],
    }
    plan = plan_for(doc, "2026-12-03")
    assert [(d["date"], d["status"], d["missed"]) for d in plan["doses"][:3]] == [
        ("2026-11-30", "given", None),
        ("2026-12-02", "overdue", {"date": "2026-12-02", "reason": "declined"}),
        ("2026-12-05", "planned", None),
    ]
    assert messages(plan, "OVERDUE_DOSE") == [
        "not recorded as given: dose 2 (2026-12-02; missed 2026-12-02, declined); give now or "
        "record it"
    ]


def test_a_missed_dose_given_later_is_a_late_dose_that_names_the_miss() -> None:
    """Did not attend on 12-02, given on 12-05: dose 2 is late, and the later ones follow it."""
    doc = {
        "start": "2026-11-30",
        "cause": "pernicious-anaemia",
        "given": ["2026-11-30", "2026-12-05"],
        "missed": ["2026-12-02"],
    }
    result = run_patient(
        doc, "--as-of", "2026-12-05", "--format", "json", "--missed", "2026-12-02:did-not-attend"
    )
    plan = result.json()
    assert dates(plan, "repletion")[:3] == ["2026-11-30", "2026-12-05", "2026-12-07"]
    assert messages(plan, "LATE_DOSE") == [
        "dose 2 given 2026-12-05, 3 days after it was due (2026-12-02; missed 2026-12-02, did "
        "not attend): later doses follow the actual date, count kept"
    ]


# ---------------------------------------------------------------- labs that change care


def test_labs_on_the_command_line_change_the_plan() -> None:
    """Issue 12: INR, potassium and folate are no longer ignored, and conditions can be set on
    the command line. INR 3.5 on 11-23 holds the IM doses of the next 7 days: dose 1 (overdue
    on 11-24) and doses 2 and 3, re-planned from 11-24."""
    result = run(
        "schedule", "--start", "2026-11-23", "--cause", "pernicious-anaemia",
        "--lab", "inr=3.5 ratio@2026-11-23", "--lab", "potassium=2.6 mmol/L@2026-11-23",
        "--lab", "folate=2 ug/L@2026-11-23", "--condition", "pregnant", "--as-of", AS_OF,
        "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    plan = result.json()
    assert {"HYPOKALAEMIA", "FOLATE_LOW", "PREGNANCY"} <= set(codes(plan))
    holds = [m for m in messages(plan, "ANTICOAG_IM") if m.startswith("INR above")]
    assert holds == [
        "INR above the therapeutic range (inr 3.5 ratio on 2026-11-23 (high)): hold the IM "
        "injection of dose 1 (2026-11-23), dose 2 (2026-11-26), dose 3 (2026-11-28) until the "
        "INR is back in range; do not switch route without the prescriber"
    ]


def test_an_inr_in_range_still_means_an_anticoagulant() -> None:
    """records.json: any INR on record means an anticoagulant: ANTICOAG_IM, but no hold."""
    doc = {
        "start": "2026-12-01",
        "cause": "autoimmune-gastritis",
        "labs": ["inr=2.4 ratio@2026-11-27"],
    }
    plan = plan_for(doc, "2026-11-30")
    assert messages(plan, "ANTICOAG_IM") == [
        "IM injection with an anticoagulant (INR on record: inr 2.4 ratio on 2026-11-27 "
        "(normal)): risk of haematoma; apply pressure, consider deep SC (off-label for "
        "hydroxocobalamin) or specialist advice"
    ]


def test_low_potassium_outside_the_start_window_is_not_hypokalaemia() -> None:
    """The watch runs from 7 days before start to the last repletion dose (01-16)."""
    doc = {"start": "2026-01-05", "cause": "autoimmune-gastritis", "given": ON_TIME}
    early = plan_for({**doc, "labs": ["potassium=3.0 mmol/L@2025-12-28"]}, AS_OF)
    inside = plan_for({**doc, "labs": ["potassium=3.0 mmol/L@2026-01-16"]}, AS_OF)
    late = plan_for({**doc, "labs": ["potassium=3.0 mmol/L@2026-01-17"]}, AS_OF)
    assert ["HYPOKALAEMIA" in codes(p) for p in (early, inside, late)] == [False, True, False]


def test_low_egfr_names_the_unreliable_markers() -> None:
    """eGFR < 30: RENAL_MARKERS (info); with cyanocobalamin RENAL (warning) too."""
    doc = {
        "start": "2026-12-01",
        "cause": "autoimmune-gastritis",
        "labs": ["egfr=25 mL/min/1.73m2@2026-11-20"],
    }
    assert "RENAL_MARKERS" in codes(plan_for(doc, AS_OF))
    cyano = plan_for({**doc, "product": "cyanocobalamin"}, AS_OF)
    assert {"RENAL_MARKERS", "RENAL"} <= set(codes(cyano))


def test_renal_impairment_keeps_mma_and_homocysteine_from_shortening() -> None:
    """A high MMA or homocysteine in a maintenance cycle shortens while eGFR is 30 or more or
    unknown, and not when the eGFR known on its date is below 30 [C]."""
    cyano_repletion = [
        *("2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-10"),
        *("2026-01-11", "2026-01-18", "2026-01-25", "2026-02-01", "2026-02-08"),
    ]
    for marker in ("mma=0.8 umol/L@2026-04-01", "homocysteine=30 umol/L@2026-04-01"):
        doc = {
            "start": "2026-01-05",
            "cause": "autoimmune-gastritis",
            "product": "cyanocobalamin",
            "given": [*cyano_repletion, "2026-03-08"],
            "labs": [marker],
            "interval_changes": [{"date": "2026-01-05", "interval": "3mo"}],
        }
        assert "INTERVAL_SHORTENED" in codes(plan_for(doc, "2026-04-02"))
        renal = {**doc, "labs": [*doc["labs"], "egfr=20 mL/min/1.73m2@2026-03-20"]}
        assert "INTERVAL_SHORTENED" not in codes(plan_for(renal, "2026-04-02"))


def test_a_b12_on_treatment_is_reported_once_and_changes_nothing() -> None:
    """Normal or above-range total and active B12 after day 0 (expected on injections): one
    info B12_ON_TREATMENT naming the latest, the interval unchanged (reference 2026-12-07)."""
    cyano_repletion = [
        *("2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-10"),
        *("2026-01-11", "2026-01-18", "2026-01-25", "2026-02-01", "2026-02-08"),
    ]
    high = {"analyte": "b12", "value": 1500, "unit": "ng/L", "date": "2026-04-01", "ref_high": 900}
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "product": "cyanocobalamin",
        "given": [*cyano_repletion, "2026-03-08", "2026-04-08", "2026-05-08"],
        "labs": ["b12=600 ng/L@2026-02-20", high, "b12=200 ng/L@2025-12-20"],
    }
    plan = plan_for(doc, "2026-05-08")
    assert [lab["classification"] for lab in plan["labs"]] == ["indeterminate", "normal", "high"]
    assert messages(plan, "B12_ON_TREATMENT") == [
        "b12 1500 ng/L on 2026-04-01 (high): expected on injections; symptoms, not serum B12, "
        "guide the frequency (no change to the interval)"
    ]
    assert plan["adjustments"] == []
    assert plan["maintenance"]["interval"] == "1mo"


# ---------------------------------------------------------------- follow-up status


def test_follow_up_tests_become_done_or_overdue() -> None:
    """Issue 12: retic + Hb from 01-12 complete "reticulocytes and FBC"; FBC at day 56 (03-02)
    has no lab from its day on: overdue; the review at 3 months goes by date alone."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": REPLETION,
        "labs": ["retic=2.1 %@2026-01-13", "hb=115 g/L@2026-01-14", "hb=100 g/L@2025-12-20"],
    }
    status = {f["test"]: f["status"] for f in plan_for(doc, "2026-03-02")["follow_up"]}
    assert status == {
        "serum folate": "overdue",  # none on record from 90 days before day 0 to day 0
        "reticulocytes and FBC": "done",
        "FBC": "due",
        "clinical review": "planned",
    }
    later = {f["test"]: f["status"] for f in plan_for(doc, "2026-04-06")["follow_up"]}
    assert later == {
        "serum folate": "overdue",
        "reticulocytes and FBC": "done",
        "FBC": "overdue",
        "clinical review": "overdue",
    }
    late_fbc = {**doc, "labs": [*doc["labs"], "mcv=90 fL@2026-03-20"]}
    assert {f["test"]: f["status"] for f in plan_for(late_fbc, "2026-04-06")["follow_up"]}[
        "FBC"
    ] == "done"  # a lab on or after the window's first day completes it, however late


def test_a_test_naming_two_kinds_needs_a_lab_of_each() -> None:
    """An Hb alone does not complete "reticulocytes and FBC": it stays overdue."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": REPLETION,
        "labs": ["hb=110 g/L@2026-01-13"],
    }
    status = {f["test"]: f["status"] for f in plan_for(doc, "2026-01-20")["follow_up"]}
    assert status["reticulocytes and FBC"] == "overdue"


def test_severe_anaemia_gets_the_potassium_test_on_every_protocol() -> None:
    """Clarified reading: Hb < 80 g/L on a protocol without repletion still lists the test."""
    doc = {
        "start": "2026-12-01",
        "cause": "malabsorption",
        "protocol": "uk-hydroxo-prophylaxis",
        "labs": ["hb=75 g/L@2026-11-20"],
    }
    plan = plan_for(doc, AS_OF)
    assert [(f["test"], f["date"], f["until"], f["status"]) for f in plan["follow_up"]] == [
        ("serum potassium", "2026-12-01", "2026-12-03", "planned")
    ]
    assert "HYPOKALAEMIA_RISK" in codes(plan)


# ---------------------------------------------------------------- clarified readings


def test_a_late_neuro_dose_after_repletion_end_is_a_late_repletion_dose() -> None:
    """Neuro from 03-02 with repletion_end 03-10: doses owed 03-02, 04, 06, 08, 10. Given 03-02,
    03-04, then 03-12: that is dose 3, late (was due 03-06); dose 4 would be 03-14, after
    repletion_end, so repletion ends and maintenance counts from 03-12: 05-12."""
    doc = {
        "start": "2026-03-02",
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "repletion_end": "2026-03-10",
        "given": ["2026-03-02", "2026-03-04", "2026-03-12"],
    }
    plan = plan_for(doc, "2026-03-12")
    assert [(d["date"], d["phase"], d["status"]) for d in plan["doses"][:4]] == [
        ("2026-03-02", "repletion", "given"),
        ("2026-03-04", "repletion", "given"),
        ("2026-03-12", "repletion", "given"),
        ("2026-05-12", "maintenance", "planned"),
    ]
    assert "LATE_DOSE" in codes(plan)
    assert "OVERDUE_DOSE" not in codes(plan)


def test_symptoms_before_the_last_repletion_dose_is_given_do_not_shorten() -> None:
    """Clarified reading: repletion overdue since 01-16, symptoms on 02-10 change nothing."""
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": REPLETION[:5],
        "symptoms_returned": ["2026-02-10"],
    }
    plan = plan_for(doc, "2026-02-20")
    assert plan["adjustments"] == []
    assert "SYMPTOMS_BEFORE_MAINTENANCE" in codes(plan)
