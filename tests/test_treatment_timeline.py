"""Treatment as it happens, the engine's timeline (reference, "Treatment as it happens
(2026-12-07)" and its settled readings): one test per rule, each through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import codes, dates, plan_for, run_patient

# Non-neurological AIG patient from Monday 2026-01-05, the loading course given on time; the
# first maintenance dose is due 04-16, every 3 months.
START = "2026-01-05"
LOADING = ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"]


def aig(*given: str, **extra: Any) -> dict[str, Any]:
    """The AIG patient with the loading course and these maintenance doses given."""
    return {"start": START, "cause": "autoimmune-gastritis", "given": [*LOADING, *given], **extra}


def messages(plan: dict[str, Any], code: str) -> list[str]:
    """The messages of every finding with this code."""
    return [f["message"] for f in plan["findings"] if f["code"] == code]


def severity(plan: dict[str, Any], code: str) -> str:
    """The severity of the one finding with this code."""
    (found,) = [f["severity"] for f in plan["findings"] if f["code"] == code]
    return found


def follow_up(plan: dict[str, Any], test: str) -> list[tuple[str, str | None, str]]:
    """(date, until, status) of each follow-up item named `test`."""
    return [(f["date"], f["until"], f["status"]) for f in plan["follow_up"] if f["test"] == test]


# ------------------------------------------------------------------------ forecast from today


def test_an_overdue_repletion_dose_sets_next_due_and_re_plans_the_rest() -> None:
    """Dose 3 (01-09) not given by 01-20: it alone is overdue and is next_due; doses 4-6 count
    from 01-20 by the protocol's gaps (3, 2, 2), maintenance from the last of them."""
    doc = {"start": START, "cause": "autoimmune-gastritis", "given": LOADING[:2]}
    plan = plan_for(doc, "2026-01-20")
    assert [(d["date"], d["status"]) for d in plan["doses"][:6]] == [
        ("2026-01-05", "given"),
        ("2026-01-07", "given"),
        ("2026-01-09", "overdue"),
        ("2026-01-23", "planned"),
        ("2026-01-25", "planned"),
        ("2026-01-27", "planned"),
    ]
    assert plan["maintenance"]["next_due"] == "2026-01-09"
    assert dates(plan, "maintenance")[0] == "2026-04-27"


def test_the_overdue_dose_is_re_planned_on_the_next_open_day() -> None:
    """Seen on a Saturday by a Monday-Friday clinic, the later doses count from Monday."""
    doc = {**aig("2026-04-16"), "clinic": {"open": ["mon", "tue", "wed", "thu", "fri"]}}
    plan = plan_for(doc, "2026-08-08")  # Saturday; 07-16 is overdue
    pending = [d for d in plan["doses"] if d["status"] != "given"]
    assert (pending[0]["date"], pending[0]["status"]) == ("2026-07-16", "overdue")
    assert pending[1]["date"] == "2026-11-10"  # Monday 08-10 + 3 months (a Tuesday)
    assert pending[1]["why"].endswith(
        "re-planned as if the overdue dose of 2026-07-16 were given on 2026-08-10"
    )


def test_an_open_neurological_course_resumes_from_as_of_and_reviews_from_the_first_dose() -> None:
    """Open course, first dose given 12-03 (start 12-01), 12-05 not given by 12-09: the
    provisional doses go on from 12-09 and the day-14 review counts from 12-03."""
    doc = {
        "start": "2026-12-01",
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "given": ["2026-12-03"],
    }
    plan = plan_for(doc, "2026-12-09")
    assert [d["status"] for d in plan["doses"][:3]] == ["given", "overdue", "provisional"]
    assert dates(plan)[:3] == ["2026-12-03", "2026-12-05", "2026-12-11"]
    assert len(plan["doses"]) == 8
    assert plan["maintenance"]["next_due"] == "2026-12-05"
    assert follow_up(plan, "clinical review (repletion response)") == [
        ("2026-12-17", None, "planned")
    ]


# ------------------------------------------------------------------------------------ gaps


@pytest.mark.parametrize(("as_of", "lapsed"), [("2026-10-16", False), ("2026-10-17", True)])
def test_lapsed_once_the_overdue_dose_is_an_interval_late(as_of: str, lapsed: bool) -> None:
    """07-16 overdue: on 10-16 (07-16 + 3 months) not yet lapsed, on 10-17 LAPSED (warning),
    naming the last dose given and how long ago."""
    plan = plan_for(aig("2026-04-16"), as_of)
    assert ("LAPSED" in codes(plan)) is lapsed
    if lapsed:
        assert severity(plan, "LAPSED") == "warning"
        (message,) = messages(plan, "LAPSED")
        assert message.startswith("treatment lapsed: no dose since 2026-04-16 (184 days by ")
        assert "consider a new loading course" in message


@pytest.mark.parametrize(("given", "lapsed"), [("2026-10-16", False), ("2026-10-17", True)])
def test_lapsed_when_a_dose_came_more_than_two_intervals_after_the_one_before(
    given: str, lapsed: bool
) -> None:
    """After 04-16, a dose given on 10-16 (two intervals) is late but not a lapse; on 10-17 it
    is LAPSED, with the gap in days."""
    plan = plan_for(aig("2026-04-16", given), given)
    assert ("LAPSED" in codes(plan)) is lapsed
    assert "LATE_DOSE" in codes(plan)
    if lapsed:
        assert messages(plan, "LAPSED")[0].startswith(
            "treatment lapsed: 184 days without B12 between the doses given 2026-04-16 and "
            "2026-10-17"
        )


def test_a_first_dose_never_given_is_overdue_but_not_lapsed() -> None:
    """Nothing has been given: the patient has not lapsed, only not begun."""
    plan = plan_for({"start": "2025-01-06", "cause": "autoimmune-gastritis"}, "2026-01-06")
    assert "OVERDUE_DOSE" in codes(plan)
    assert "LAPSED" not in codes(plan)


# ------------------------------------------------------------------------------- follow-up


def test_results_before_day_0_never_complete_a_check() -> None:
    """First dose given 10-01 (start 09-29): a reticulocyte count and an Hb of 09-30 complete
    neither the day 7-10 check (10-08..10-11) nor anything else."""
    doc = {
        "start": "2026-09-29",
        "cause": "autoimmune-gastritis",
        "given": ["2026-10-01"],
        "labs": ["retic=2 %@2026-09-30", "hb=110 g/L@2026-09-30", "folate=9 ug/L@2026-09-30"],
    }
    plan = plan_for(doc, "2026-10-20")
    assert follow_up(plan, "reticulocytes and FBC") == [("2026-10-08", "2026-10-11", "overdue")]
    assert follow_up(plan, "serum folate") == []  # a folate from 90 days before day 0 on


def test_us_protocols_take_one_reticulocyte_check() -> None:
    """us-cyano-1000: haematocrit and reticulocytes on days 4-6, no NHS day 7-10 check."""
    doc = {"start": "2026-12-01", "cause": "gastrectomy", "product": "cyanocobalamin"}
    plan = plan_for(doc, "2026-11-30")
    assert follow_up(plan, "haematocrit and reticulocytes") == [
        ("2026-12-05", "2026-12-07", "planned")
    ]
    assert follow_up(plan, "reticulocytes and FBC") == []


def test_a_transfer_in_gets_the_review_only() -> None:
    """repletion_done with Hb 75 g/L before the first recorded dose: HYPOKALAEMIA_RISK is
    raised but no potassium test; the 3-month review from the first recorded dose, and the
    1-month review when pregnant."""
    doc = {
        "cause": "autoimmune-gastritis",
        "repletion_done": True,
        "given": ["2026-09-10", "2026-12-10"],
        "labs": ["hb=75 g/L@2026-09-01"],
        "conditions": {"pregnant": True},
    }
    plan = plan_for(doc, "2026-12-11")
    assert "HYPOKALAEMIA_RISK" in codes(plan)
    assert [(f["test"], f["date"]) for f in plan["follow_up"]] == [
        ("clinical review (pregnancy)", "2026-10-10"),
        ("clinical review", "2026-12-10"),
    ]


def test_baseline_folate_is_not_listed_with_a_folate_in_its_window() -> None:
    """A folate dated 90 days before day 0 (12-10) removes the item; 91 days does not."""
    base = {"start": "2026-12-10", "cause": "autoimmune-gastritis"}
    inside = plan_for({**base, "labs": ["folate=8 ug/L@2026-09-11"]}, "2026-12-01")
    outside = plan_for({**base, "labs": ["folate=8 ug/L@2026-09-10"]}, "2026-12-01")
    assert follow_up(inside, "serum folate") == []
    assert follow_up(outside, "serum folate") == [("2026-09-11", "2026-12-10", "due")]


@pytest.mark.parametrize(
    ("labs", "says"),
    [
        (["b12=250 ng/L@2026-12-01"], "consider MMA to confirm"),
        (
            ["b12=250 ng/L@2026-12-01", "mma=0.8 umol/L@2026-12-01"],
            "mma 0.8 µmol/L on 2026-12-01 (high) on record confirms deficiency",
        ),
        (
            ["b12=250 ng/L@2026-12-01", "active-b12=90 pmol/L@2026-12-01"],
            "active-b12 90 pmol/L on 2026-12-01 (normal) on record makes deficiency unlikely",
        ),
    ],
    ids=["nothing-on-record", "mma-confirms", "active-b12-rules-out"],
)
def test_indeterminate_b12_never_asks_for_a_test_on_record(labs: list[str], says: str) -> None:
    """INDETERMINATE_B12 names the MMA or active B12 on record, and asks for MMA only without."""
    plan = plan_for(
        {"start": "2026-12-10", "cause": "autoimmune-gastritis", "labs": labs}, "2026-12-05"
    )
    (message,) = messages(plan, "INDETERMINATE_B12")
    assert message == f"b12 250 ng/L on 2026-12-01 (indeterminate) is indeterminate: {says}"


# ------------------------------------------------------------------------------ escalation


@pytest.mark.parametrize(
    ("labs", "severe"),
    [
        (["hb=69 g/L@2026-12-01"], True),
        (["hb=75 g/L@2026-12-01", "platelets=90 10^9/L@2026-11-28"], True),
        (["hb=75 g/L@2026-12-01", "platelets=120 10^9/L@2026-11-28"], False),
        (["hb=65 g/L@2026-11-25"], False),  # 15 days before day 0
        (["hb=65 g/L@2026-11-27", "hb=95 g/L@2026-12-04"], False),  # since corrected
    ],
    ids=["hb-69", "hb-75-platelets-90", "hb-75-platelets-120", "too-old", "corrected"],
)
def test_severe_anaemia(labs: list[str], severe: bool) -> None:
    """SEVERE_ANAEMIA (warning): the latest Hb from day 0 - 14 on below 70 g/L, or below 80 with
    platelets below 100; same-day assessment, do not delay B12."""
    plan = plan_for(
        {"start": "2026-12-10", "cause": "autoimmune-gastritis", "labs": labs}, "2026-12-05"
    )
    assert ("SEVERE_ANAEMIA" in codes(plan)) is severe
    if severe:
        assert severity(plan, "SEVERE_ANAEMIA") == "warning"
        assert "same-day medical assessment" in messages(plan, "SEVERE_ANAEMIA")[0]


@pytest.mark.parametrize(("day", "raised"), [("2026-03-01", False), ("2026-03-02", True)])
def test_anaemia_on_treatment_from_day_56(day: str, raised: bool) -> None:
    """An Hb below range 55 days after day 0 (01-05) is not yet ANAEMIA_ON_TREATMENT; 56 days
    after it is (warning), naming the macrocytosis; it never shortens the interval."""
    doc = aig(labs=[f"hb=100 g/L@{day}", f"mcv=110 fL@{day}"])
    plan = plan_for(doc, "2026-03-05")
    assert ("ANAEMIA_ON_TREATMENT" in codes(plan)) is raised
    assert plan["adjustments"] == []
    if raised:
        (message,) = messages(plan, "ANAEMIA_ON_TREATMENT")
        assert "56 days after the first dose on 2026-01-05" in message
        assert "macrocytosis despite B12 treatment" in message


@pytest.mark.parametrize(
    ("given", "end", "as_of", "short"),
    [
        (["2026-11-02", "2026-11-04"], "2026-11-10", "2026-11-04", True),  # before day 14
        (["2026-11-02", "2026-11-04"], "2026-11-30", "2026-11-05", False),  # under way
        (["2026-11-02", "2026-11-04", "2026-11-06"], "2026-11-20", "2026-11-21", True),
        (
            [f"2026-11-{d:02d}" for d in (2, 4, 6, 8, 10, 12, 14, 16)],
            "2026-11-16",
            "2026-11-20",
            False,
        ),
    ],
    ids=["ended-before-day-14", "course-under-way", "ended-with-3-given", "eight-given"],
)
def test_neuro_repletion_short(given: list[str], end: str, as_of: str, short: bool) -> None:
    """NEURO_REPLETION_SHORT (warning): repletion_end before day 0 + 14 always; fewer than 6
    doses given only once the end has passed."""
    doc = {
        "start": "2026-11-02",
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "given": given,
        "repletion_end": end,
    }
    plan = plan_for(doc, as_of)
    assert ("NEURO_REPLETION_SHORT" in codes(plan)) is short
    if short:
        assert severity(plan, "NEURO_REPLETION_SHORT") == "warning"


# ------------------------------------------------------------------------- held doses


INR_PATIENT = {"start": "2026-12-10", "cause": "autoimmune-gastritis"}


def test_a_high_inr_holds_the_doses_of_the_week_after_it() -> None:
    """INR 3.4 on 12-05: the doses of 12-10 and 12-12 carry `held`, each with an INR recheck
    from 7 days before it to its day; 12-14 is not held."""
    plan = plan_for({**INR_PATIENT, "labs": ["inr=3.4 ratio@2026-12-05"]}, "2026-12-05")
    assert [(d["date"], d["held"]) for d in plan["doses"][:3]] == [
        ("2026-12-10", "INR 3.4 on 2026-12-05 is above 3.0"),
        ("2026-12-12", "INR 3.4 on 2026-12-05 is above 3.0"),
        ("2026-12-14", None),
    ]
    assert follow_up(plan, "INR recheck") == [
        ("2026-12-03", "2026-12-10", "due"),
        ("2026-12-05", "2026-12-12", "due"),
    ]
    assert "INR_RECHECK" not in codes(plan)


def test_the_labs_own_range_names_the_threshold() -> None:
    """An INR with its own ref_high 3.5 is held above 3.5 and says so."""
    inr = {"analyte": "inr", "value": 3.8, "unit": "ratio", "date": "2026-12-05", "ref_high": 3.5}
    plan = plan_for({**INR_PATIENT, "labs": [inr]}, "2026-12-05")
    assert plan["doses"][0]["held"] == "INR 3.8 on 2026-12-05 is above 3.5"


def test_an_inr_in_range_since_releases_the_overdue_dose() -> None:
    """Dose 1 (12-10) overdue on 12-12: INR 3.6 on 12-06, then 2.4 on 12-11: to be given now,
    it is not held (its INR is read up to as_of) [C]."""
    labs = ["inr=3.6 ratio@2026-12-06", "inr=2.4 ratio@2026-12-11"]
    plan = plan_for({**INR_PATIENT, "labs": labs}, "2026-12-12")
    assert plan["doses"][0]["status"] == "overdue"
    assert [d["held"] for d in plan["doses"]] == [None] * len(plan["doses"])
    assert follow_up(plan, "INR recheck") == []


@pytest.mark.parametrize(
    ("labs", "as_of", "clinic", "window"),
    [
        (["inr=3.4@2026-08-08"], "2026-08-10", None, ("2026-08-09", "2026-08-10", "due")),
        # Seen on a Saturday by a Monday-Friday clinic: the dose is given on Monday.
        (["inr=3.4@2026-08-14"], "2026-08-15", "mon-fri", ("2026-08-15", "2026-08-17", "due")),
        # The high INR taken today: only tomorrow's INR can release the dose.
        (["inr=3.4@2026-08-10"], "2026-08-10", None, ("2026-08-11", "2026-08-11", "planned")),
        # A stale high INR (INR_RECHECK) before the overdue dose: the week before it is given.
        (["inr=3.6@2026-07-01"], "2026-08-10", None, ("2026-08-03", "2026-08-10", "due")),
    ],
    ids=["held", "held-next-open-day", "held-inr-today", "stale"],
)
def test_the_inr_recheck_before_the_overdue_dose_can_be_done(
    labs: list[str], as_of: str, clinic: str | None, window: tuple[str, str, str]
) -> None:
    """Dose 8 (07-16) overdue: its INR recheck runs up to the day it is re-planned as given
    (as_of, or the next open day), opening no earlier than the day after the high INR, never
    overdue at once [C]."""
    doc = aig("2026-04-16", labs=labs)
    if clinic is not None:
        doc["clinic"] = {"open": ["mon", "tue", "wed", "thu", "fri"]}
    plan = plan_for(doc, as_of)
    assert plan["doses"][7]["status"] == "overdue"
    assert follow_up(plan, "INR recheck") == [window]
    assert any("INR recheck before the overdue dose" in c for c in plan["protocol"]["conventions"])


def test_a_later_high_inr_holds_the_overdue_dose_until_tomorrow() -> None:
    """INR 3.4 on 08-08, still high (3.2) on 08-10: the later INR holds the dose now, and its
    recheck waits for tomorrow's INR."""
    labs = ["inr=3.4@2026-08-08", "inr=3.2@2026-08-10"]
    plan = plan_for(aig("2026-04-16", labs=labs), "2026-08-10")
    assert plan["doses"][7]["held"] == "INR 3.2 on 2026-08-10 is above 3.0"
    assert follow_up(plan, "INR recheck") == [("2026-08-11", "2026-08-11", "planned")]


@pytest.mark.parametrize(
    ("given", "repletion_end"),
    [([], "2026-12-30"), (["2026-12-10"], None)],
    ids=["before-the-first-dose", "open-course"],
)
def test_a_neurological_patient_is_never_held(given: list[str], repletion_end: str | None) -> None:
    """Before the first dose, or during open neurological repletion, nothing is held and no INR
    recheck is listed: ANTICOAG_IM says not to delay treatment."""
    doc: dict[str, Any] = {**INR_PATIENT, "neuro": True, "given": given}
    if repletion_end:
        doc["repletion_end"] = repletion_end
    plan = plan_for({**doc, "labs": ["inr=4.4 ratio@2026-12-10"]}, "2026-12-10")
    assert [d["held"] for d in plan["doses"]] == [None] * len(plan["doses"])
    assert follow_up(plan, "INR recheck") == []
    (do_not_delay,) = [m for m in messages(plan, "ANTICOAG_IM") if "do not delay" in m]
    assert "agree the route and timing with the prescriber and the anticoagulation clinic" in (
        do_not_delay
    )


def test_a_closed_neurological_course_under_way_is_held() -> None:
    """Once the first dose is given and the course has its end date, a high INR holds."""
    doc = {**INR_PATIENT, "neuro": True, "given": ["2026-12-10"], "repletion_end": "2026-12-30"}
    plan = plan_for({**doc, "labs": ["inr=4.4 ratio@2026-12-11"]}, "2026-12-11")
    assert plan["doses"][1]["held"] == "INR 4.4 on 2026-12-11 is above 3.0"


def test_a_stale_high_inr_asks_for_a_recheck() -> None:
    """INR 3.6 on 11-20, more than 7 days before the first dose (12-10): not held, INR_RECHECK
    (warning) and an INR recheck before that dose; the same for a neurological patient."""
    for neuro in (False, True):
        doc = {**INR_PATIENT, "neuro": neuro, "labs": ["inr=3.6 ratio@2026-11-20"]}
        plan = plan_for(doc, "2026-12-01")
        assert severity(plan, "INR_RECHECK") == "warning"
        assert follow_up(plan, "INR recheck") == [("2026-12-03", "2026-12-10", "planned")]
        assert plan["doses"][0]["held"] is None


def test_no_hold_off_the_im_route() -> None:
    """Cyanocobalamin deep SC: an INR holds nothing (the hold is for IM injections)."""
    doc = {**INR_PATIENT, "product": "cyanocobalamin", "route": "sc"}
    plan = plan_for({**doc, "labs": ["inr=3.4 ratio@2026-12-05"]}, "2026-12-05")
    assert [d["held"] for d in plan["doses"]] == [None] * len(plan["doses"])
    assert "INR_RECHECK" not in codes(plan)


def test_an_interval_outside_the_steps_is_refused_before_anything_is_written() -> None:
    """exit 2, one line, nothing on stdout, for --interval as for a dated change."""
    result = run_patient(aig(), "--as-of", "2026-02-01", "--interval", "6mo", "--format", "json")
    assert (result.code, result.out) == (2, "")
    assert '"loc": ["interval"]' in result.err
