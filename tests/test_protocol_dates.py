"""Every bundled protocol with its dates written out by hand (reference: "Date conventions")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from b12plan.contract.intervals import Interval
from tests.conftest import codes, dates, plan_for, run_patient

# How to reach each protocol: the automatic choice where it applies, else by name.
PATIENTS: dict[str, dict[str, Any]] = {
    "uk-bnf-hydroxo-nonneuro": {"cause": "autoimmune-gastritis"},
    "uk-bnf-hydroxo-neuro": {"cause": "autoimmune-gastritis", "neuro": True},
    "uk-hydroxo-dietary": {"cause": "dietary"},
    "uk-hydroxo-prophylaxis": {"cause": "malabsorption", "protocol": "uk-hydroxo-prophylaxis"},
    "us-fda-cyano-label": {"cause": "autoimmune-gastritis", "protocol": "us-fda-cyano-label"},
    "us-cyano-1000": {"cause": "autoimmune-gastritis", "product": "cyanocobalamin"},
    "us-asmbs-bariatric": {"cause": "bariatric-surgery", "protocol": "us-asmbs-bariatric"},
}


def plan(protocol: str, start: str, as_of: str | None = None, **extra: Any) -> dict[str, Any]:
    """The JSON plan for a patient on `protocol`, seen the day before the start by default."""
    doc = {"start": start, **PATIENTS[protocol], **extra}
    if protocol == "uk-bnf-hydroxo-neuro" and "repletion_end" not in doc:
        doc["repletion_end"] = _plus(start, 14)  # 8 alternate-day doses, days 0-14
    result = plan_for(doc, as_of or _plus(start, -1))
    assert result["protocol"]["id"] == protocol
    return result


def _plus(day: str, n: int) -> str:
    return date.fromordinal(date.fromisoformat(day).toordinal() + n).isoformat()


def days(text: str) -> list[str]:
    """Dates written out as one space-separated string."""
    return text.split()


# ----------------------------------------------------------------- a normal start, in full
# Start Monday 2026-04-13; maintenance listed up to 2027-04-30.
NORMAL: dict[str, tuple[list[str], list[str], int, float, str]] = {
    # 3 times a week for 2 weeks: gaps 2, 2, 3, 2, 2 [C]; then every 3 months
    "uk-bnf-hydroxo-nonneuro": (
        ["2026-04-13", "2026-04-15", "2026-04-17", "2026-04-20", "2026-04-22", "2026-04-24"],
        ["2026-07-24", "2026-10-24", "2027-01-24", "2027-04-24"],
        1000,
        1.0,
        "im",
    ),
    # alternate days up to and including repletion_end (2026-04-27); then every 2 months
    "uk-bnf-hydroxo-neuro": (
        days(
            "2026-04-13 2026-04-15 2026-04-17 2026-04-19 2026-04-21 2026-04-23 "
            "2026-04-25 2026-04-27"
        ),
        ["2026-06-27", "2026-08-27", "2026-10-27", "2026-12-27", "2027-02-27", "2027-04-27"],
        1000,
        1.0,
        "im",
    ),
    # as non-neuro; then every 6 months
    "uk-hydroxo-dietary": (
        ["2026-04-13", "2026-04-15", "2026-04-17", "2026-04-20", "2026-04-22", "2026-04-24"],
        ["2026-10-24", "2027-04-24"],
        1000,
        1.0,
        "im",
    ),
    # no repletion: the first maintenance dose on the start date [C]; every 3 months
    "uk-hydroxo-prophylaxis": (
        [],
        ["2026-04-13", "2026-07-13", "2026-10-13", "2027-01-13", "2027-04-13"],
        1000,
        1.0,
        "im",
    ),
    # 100 mcg daily x7, alternate days x7, then gaps 3,4,3,4,3,4 [C]; then monthly
    "us-fda-cyano-label": (
        days(
            "2026-04-13 2026-04-14 2026-04-15 2026-04-16 2026-04-17 2026-04-18 "
            "2026-04-19 2026-04-21 2026-04-23 2026-04-25 2026-04-27 2026-04-29 "
            "2026-05-01 2026-05-03 2026-05-06 2026-05-10 2026-05-13 2026-05-17 "
            "2026-05-20 2026-05-24"
        ),
        days(
            "2026-06-24 2026-07-24 2026-08-24 2026-09-24 2026-10-24 2026-11-24 "
            "2026-12-24 2027-01-24 2027-02-24 2027-03-24 2027-04-24"
        ),
        100,
        0.1,
        "im",
    ),
    # daily x7, then weekly x4; then monthly
    "us-cyano-1000": (
        days(
            "2026-04-13 2026-04-14 2026-04-15 2026-04-16 2026-04-17 2026-04-18 "
            "2026-04-19 2026-04-26 2026-05-03 2026-05-10 2026-05-17"
        ),
        days(
            "2026-06-17 2026-07-17 2026-08-17 2026-09-17 2026-10-17 2026-11-17 "
            "2026-12-17 2027-01-17 2027-02-17 2027-03-17 2027-04-17"
        ),
        1000,
        1.0,
        "im",
    ),
    # no repletion; monthly from the start date
    "us-asmbs-bariatric": (
        [],
        days(
            "2026-04-13 2026-05-13 2026-06-13 2026-07-13 2026-08-13 2026-09-13 "
            "2026-10-13 2026-11-13 2026-12-13 2027-01-13 2027-02-13 2027-03-13 "
            "2027-04-13"
        ),
        1000,
        1.0,
        "im",
    ),
}


@pytest.mark.parametrize("protocol", NORMAL)
def test_every_dose_of_a_normal_start(protocol: str) -> None:
    """Each protocol lists exactly these doses, phases, amounts, volumes and routes."""
    repletion, maintenance, dose_mcg, volume_ml, route = NORMAL[protocol]
    got = plan(protocol, "2026-04-13", until="2027-04-30")
    want = [
        {"n": n, "date": d, "phase": phase}
        for n, (d, phase) in enumerate(
            [(d, "repletion") for d in repletion] + [(d, "maintenance") for d in maintenance],
            start=1,
        )
    ]
    assert [{k: dose[k] for k in ("n", "date", "phase")} for dose in got["doses"]] == want
    for dose in got["doses"]:
        assert (dose["dose_mcg"], dose["volume_ml"], dose["route"], dose["status"]) == (
            dose_mcg,
            volume_ml,
            route,
            "planned",
        )
    assert got["complete"] is True


@pytest.mark.parametrize("protocol", NORMAL)
def test_every_dose_cites_its_source(protocol: str) -> None:
    """Each dose's `why` ends with the source id of the rule that placed it."""
    got = plan(protocol, "2026-04-13", until="2026-12-31")
    sources = set(got["protocol"]["sources"])
    for dose in got["doses"]:
        cited = dose["why"].rsplit("(", 1)[1].rstrip(")")
        assert cited in sources, dose["why"]


def test_nonneuro_why_and_maintenance_block() -> None:
    """The non-neuro plan explains each phase and states the maintenance interval and steps."""
    got = plan("uk-bnf-hydroxo-nonneuro", "2026-04-13", until="2026-12-31")
    assert got["doses"][0]["why"] == "1 mg 3 times a week for 2 weeks (BNF-HYDROXO)"
    assert got["doses"][6]["why"] == "1000 mcg every 3 months (SMPC-HYDROXO)"
    assert got["maintenance"] == {
        "interval": "3mo",
        "lifelong": True,
        "next_due": "2026-07-24",
        "steps": ["2mo", "3mo"],
        "why": "1 mg every 2–3 months (SMPC-HYDROXO)",
        "changes": [
            {
                "date": "2026-04-13",
                "interval": "3mo",
                "code": "PROTOCOL_DEFAULT",
                "why": "1 mg every 2–3 months (SMPC-HYDROXO)",
            }
        ],
    }


# ------------------------------------------------------------------- month-end starts
# (protocol, start) -> (repletion, first maintenance doses)
MONTH_END: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    # --- start 2027-01-31 (February 2027 has 28 days)
    ("uk-bnf-hydroxo-nonneuro", "2027-01-31"): (
        ["2027-01-31", "2027-02-02", "2027-02-04", "2027-02-07", "2027-02-09", "2027-02-11"],
        ["2027-05-11", "2027-08-11", "2027-11-11"],
    ),
    ("uk-bnf-hydroxo-neuro", "2027-01-31"): (
        days(
            "2027-01-31 2027-02-02 2027-02-04 2027-02-06 2027-02-08 2027-02-10 "
            "2027-02-12 2027-02-14"
        ),
        ["2027-04-14", "2027-06-14", "2027-08-14"],
    ),
    ("uk-hydroxo-dietary", "2027-01-31"): (
        ["2027-01-31", "2027-02-02", "2027-02-04", "2027-02-07", "2027-02-09", "2027-02-11"],
        ["2027-08-11", "2028-02-11", "2028-08-11"],
    ),
    ("uk-hydroxo-prophylaxis", "2027-01-31"): (
        [],
        ["2027-01-31", "2027-04-30", "2027-07-31", "2027-10-31"],
    ),
    ("us-fda-cyano-label", "2027-01-31"): (
        days(
            "2027-01-31 2027-02-01 2027-02-02 2027-02-03 2027-02-04 2027-02-05 "
            "2027-02-06 2027-02-08 2027-02-10 2027-02-12 2027-02-14 2027-02-16 "
            "2027-02-18 2027-02-20 2027-02-23 2027-02-27 2027-03-02 2027-03-06 "
            "2027-03-09 2027-03-13"
        ),
        ["2027-04-13", "2027-05-13", "2027-06-13"],
    ),
    ("us-cyano-1000", "2027-01-31"): (
        days(
            "2027-01-31 2027-02-01 2027-02-02 2027-02-03 2027-02-04 2027-02-05 "
            "2027-02-06 2027-02-13 2027-02-20 2027-02-27 2027-03-06"
        ),
        ["2027-04-06", "2027-05-06", "2027-06-06"],
    ),
    ("us-asmbs-bariatric", "2027-01-31"): (
        [],
        ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30"],
    ),
    # --- start 2028-02-29 (leap day)
    ("uk-bnf-hydroxo-nonneuro", "2028-02-29"): (
        ["2028-02-29", "2028-03-02", "2028-03-04", "2028-03-07", "2028-03-09", "2028-03-11"],
        ["2028-06-11", "2028-09-11", "2028-12-11"],
    ),
    ("uk-bnf-hydroxo-neuro", "2028-02-29"): (
        days(
            "2028-02-29 2028-03-02 2028-03-04 2028-03-06 2028-03-08 2028-03-10 "
            "2028-03-12 2028-03-14"
        ),
        ["2028-05-14", "2028-07-14", "2028-09-14"],
    ),
    ("uk-hydroxo-dietary", "2028-02-29"): (
        ["2028-02-29", "2028-03-02", "2028-03-04", "2028-03-07", "2028-03-09", "2028-03-11"],
        ["2028-09-11", "2029-03-11", "2029-09-11"],
    ),
    ("uk-hydroxo-prophylaxis", "2028-02-29"): (
        [],
        ["2028-02-29", "2028-05-29", "2028-08-29", "2028-11-29", "2029-02-28", "2029-05-29"],
    ),
    ("us-fda-cyano-label", "2028-02-29"): (
        days(
            "2028-02-29 2028-03-01 2028-03-02 2028-03-03 2028-03-04 2028-03-05 "
            "2028-03-06 2028-03-08 2028-03-10 2028-03-12 2028-03-14 2028-03-16 "
            "2028-03-18 2028-03-20 2028-03-23 2028-03-27 2028-03-30 2028-04-03 "
            "2028-04-06 2028-04-10"
        ),
        ["2028-05-10", "2028-06-10", "2028-07-10"],
    ),
    ("us-cyano-1000", "2028-02-29"): (
        days(
            "2028-02-29 2028-03-01 2028-03-02 2028-03-03 2028-03-04 2028-03-05 "
            "2028-03-06 2028-03-13 2028-03-20 2028-03-27 2028-04-03"
        ),
        ["2028-05-03", "2028-06-03", "2028-07-03"],
    ),
    ("us-asmbs-bariatric", "2028-02-29"): (
        [],
        ["2028-02-29", "2028-03-29", "2028-04-29", "2028-05-29"],
    ),
    # --- start 2026-08-31 (September has 30 days)
    ("uk-bnf-hydroxo-nonneuro", "2026-08-31"): (
        ["2026-08-31", "2026-09-02", "2026-09-04", "2026-09-07", "2026-09-09", "2026-09-11"],
        ["2026-12-11", "2027-03-11", "2027-06-11"],
    ),
    ("uk-bnf-hydroxo-neuro", "2026-08-31"): (
        days(
            "2026-08-31 2026-09-02 2026-09-04 2026-09-06 2026-09-08 2026-09-10 "
            "2026-09-12 2026-09-14"
        ),
        ["2026-11-14", "2027-01-14", "2027-03-14"],
    ),
    ("uk-hydroxo-dietary", "2026-08-31"): (
        ["2026-08-31", "2026-09-02", "2026-09-04", "2026-09-07", "2026-09-09", "2026-09-11"],
        ["2027-03-11", "2027-09-11", "2028-03-11"],
    ),
    ("uk-hydroxo-prophylaxis", "2026-08-31"): (
        [],
        ["2026-08-31", "2026-11-30", "2027-02-28", "2027-05-31", "2027-08-31"],
    ),
    ("us-fda-cyano-label", "2026-08-31"): (
        days(
            "2026-08-31 2026-09-01 2026-09-02 2026-09-03 2026-09-04 2026-09-05 "
            "2026-09-06 2026-09-08 2026-09-10 2026-09-12 2026-09-14 2026-09-16 "
            "2026-09-18 2026-09-20 2026-09-23 2026-09-27 2026-09-30 2026-10-04 "
            "2026-10-07 2026-10-11"
        ),
        ["2026-11-11", "2026-12-11", "2027-01-11"],
    ),
    ("us-cyano-1000", "2026-08-31"): (
        days(
            "2026-08-31 2026-09-01 2026-09-02 2026-09-03 2026-09-04 2026-09-05 "
            "2026-09-06 2026-09-13 2026-09-20 2026-09-27 2026-10-04"
        ),
        ["2026-11-04", "2026-12-04", "2027-01-04"],
    ),
    ("us-asmbs-bariatric", "2026-08-31"): (
        [],
        days(
            "2026-08-31 2026-09-30 2026-10-31 2026-11-30 2026-12-31 2027-01-31 "
            "2027-02-28 2027-03-31"
        ),
    ),
    # --- start 2026-11-30 (anchored: Feb 28, then back to the 30th)
    ("uk-bnf-hydroxo-nonneuro", "2026-11-30"): (
        ["2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11"],
        ["2027-03-11", "2027-06-11", "2027-09-11"],
    ),
    ("uk-bnf-hydroxo-neuro", "2026-11-30"): (
        days(
            "2026-11-30 2026-12-02 2026-12-04 2026-12-06 2026-12-08 2026-12-10 "
            "2026-12-12 2026-12-14"
        ),
        ["2027-02-14", "2027-04-14", "2027-06-14"],
    ),
    ("uk-hydroxo-dietary", "2026-11-30"): (
        ["2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11"],
        ["2027-06-11", "2027-12-11", "2028-06-11"],
    ),
    ("uk-hydroxo-prophylaxis", "2026-11-30"): (
        [],
        ["2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30", "2027-11-30"],
    ),
    ("us-fda-cyano-label", "2026-11-30"): (
        days(
            "2026-11-30 2026-12-01 2026-12-02 2026-12-03 2026-12-04 2026-12-05 "
            "2026-12-06 2026-12-08 2026-12-10 2026-12-12 2026-12-14 2026-12-16 "
            "2026-12-18 2026-12-20 2026-12-23 2026-12-27 2026-12-30 2027-01-03 "
            "2027-01-06 2027-01-10"
        ),
        ["2027-02-10", "2027-03-10", "2027-04-10"],
    ),
    ("us-cyano-1000", "2026-11-30"): (
        days(
            "2026-11-30 2026-12-01 2026-12-02 2026-12-03 2026-12-04 2026-12-05 "
            "2026-12-06 2026-12-13 2026-12-20 2026-12-27 2027-01-03"
        ),
        ["2027-02-03", "2027-03-03", "2027-04-03"],
    ),
    ("us-asmbs-bariatric", "2026-11-30"): (
        [],
        ["2026-11-30", "2026-12-30", "2027-01-30", "2027-02-28", "2027-03-30", "2027-04-30"],
    ),
}


@pytest.mark.parametrize(("protocol", "start"), MONTH_END, ids=[f"{p}@{s}" for p, s in MONTH_END])
def test_month_end_start(protocol: str, start: str) -> None:
    """Month-end starts: day gaps cross month ends; months clamp and are counted from the anchor."""
    repletion, maintenance = MONTH_END[protocol, start]
    got = plan(protocol, start, until="2029-12-31")
    assert dates(got, "repletion") == repletion
    assert dates(got, "maintenance")[: len(maintenance)] == maintenance


# The last repletion dose on a month end: maintenance counts months from it, clamping each
# time and never chaining from a clamped date.
ANCHORED_ON_MONTH_END = [
    (
        "uk-bnf-hydroxo-nonneuro",
        "2027-01-20",
        {},
        "2027-01-31",
        ["2027-04-30", "2027-07-31", "2027-10-31", "2028-01-31"],
    ),
    (
        "uk-bnf-hydroxo-nonneuro",
        "2026-11-19",
        {},
        "2026-11-30",
        ["2027-02-28", "2027-05-30", "2027-08-30", "2027-11-30"],
    ),
    (
        "uk-bnf-hydroxo-nonneuro",
        "2027-11-19",
        {},
        "2027-11-30",
        ["2028-02-29", "2028-05-30", "2028-08-30", "2028-11-30"],
    ),
    (
        "uk-bnf-hydroxo-nonneuro",
        "2026-08-20",
        {},
        "2026-08-31",
        ["2026-11-30", "2027-02-28", "2027-05-31", "2027-08-31"],
    ),
    (
        "uk-bnf-hydroxo-neuro",
        "2028-02-15",
        {"repletion_end": "2028-02-29"},
        "2028-02-29",
        ["2028-04-29", "2028-06-29", "2028-08-29", "2028-10-29", "2028-12-29", "2029-02-28"],
    ),
    (
        "uk-bnf-hydroxo-neuro",
        "2026-12-17",
        {"repletion_end": "2026-12-31"},
        "2026-12-31",
        ["2027-02-28", "2027-04-30", "2027-06-30", "2027-08-31", "2027-10-31", "2027-12-31"],
    ),
    (
        "uk-hydroxo-dietary",
        "2027-08-20",
        {},
        "2027-08-31",
        ["2028-02-29", "2028-08-31", "2029-02-28", "2029-08-31"],
    ),
    (
        "us-fda-cyano-label",
        "2026-07-21",
        {},
        "2026-08-31",
        days("2026-09-30 2026-10-31 2026-11-30 2026-12-31 2027-01-31 2027-02-28 2027-03-31"),
    ),
    (
        "us-cyano-1000",
        "2026-12-28",
        {},
        "2027-01-31",
        ["2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"],
    ),
]


@pytest.mark.parametrize(
    ("protocol", "start", "extra", "last_repletion", "maintenance"),
    ANCHORED_ON_MONTH_END,
    ids=[f"{row[0]}@{row[3]}" for row in ANCHORED_ON_MONTH_END],
)
def test_maintenance_anchored_on_a_month_end(
    protocol: str, start: str, extra: dict[str, str], last_repletion: str, maintenance: list[str]
) -> None:
    """First maintenance = last repletion + interval; later ones count k intervals from it."""
    got = plan(protocol, start, until="2029-12-31", **extra)
    assert dates(got, "repletion")[-1] == last_repletion
    assert dates(got, "maintenance")[: len(maintenance)] == maintenance


def test_month_arithmetic_counts_from_the_anchor() -> None:
    """Jan 31 + 1 month = Feb 28/29, + 2 months = Mar 31, + 3 months = Apr 30 (never chained)."""
    month = Interval.parse("1mo")
    anchor = date(2027, 1, 31)
    assert [month.after(anchor, k) for k in range(1, 4)] == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]
    assert month.after(date(2028, 1, 31)) == date(2028, 2, 29)
    assert Interval.parse("2w").after(date(2026, 12, 25)) == date(2027, 1, 8)
    assert Interval.parse("10d").after(date(2028, 2, 25)) == date(2028, 3, 6)


@pytest.mark.parametrize("text", ["3m", "0mo", "mo", "3 months", "-1d", "1y", ""])
def test_interval_spelling_is_strict(text: str) -> None:
    """Only Nmo, Nw and Nd (N from 1) are intervals."""
    with pytest.raises(ValueError, match="Nmo, Nw or Nd"):
        Interval.parse(text)


# ------------------------------------------------------------------------ neuro repletion
def test_neuro_repletion_end_off_the_alternate_day() -> None:
    """Alternate-day doses stop on or before repletion_end; maintenance counts from the last."""
    got = plan("uk-bnf-hydroxo-neuro", "2026-04-13", repletion_end="2026-04-20", until="2026-10-31")
    assert dates(got, "repletion") == ["2026-04-13", "2026-04-15", "2026-04-17", "2026-04-19"]
    assert dates(got, "maintenance") == ["2026-06-19", "2026-08-19", "2026-10-19"]
    assert got["complete"] is True
    assert "NEURO_REPLETION_OPEN" not in codes(got)


def test_neuro_repletion_end_on_the_start() -> None:
    """repletion_end on the start date gives one repletion dose."""
    got = plan("uk-bnf-hydroxo-neuro", "2026-04-13", repletion_end="2026-04-13", until="2026-08-31")
    assert dates(got, "repletion") == ["2026-04-13"]
    assert dates(got, "maintenance") == ["2026-06-13", "2026-08-13"]


def test_neuro_without_repletion_end() -> None:
    """No repletion_end: 8 provisional doses (days 0-14), review on day 14, no maintenance."""
    doc = {"start": "2026-04-13", "cause": "autoimmune-gastritis", "neuro": True}
    got = plan_for(doc, "2026-04-12")
    assert got["complete"] is False
    assert [(d["date"], d["phase"], d["status"]) for d in got["doses"]] == [
        (day, "repletion", "provisional")
        for day in days(
            "2026-04-13 2026-04-15 2026-04-17 2026-04-19 2026-04-21 2026-04-23 "
            "2026-04-25 2026-04-27"
        )
    ]
    assert got["maintenance"]["interval"] == "2mo"
    assert got["maintenance"]["next_due"] is None
    review = [f for f in got["follow_up"] if f["test"] == "clinical review (repletion response)"]
    assert [(f["date"], f["source"]) for f in review] == [("2026-04-27", "BNF-HYDROXO")]
    found = {f["code"]: (f["severity"], f["source"]) for f in got["findings"]}
    assert found["NEURO_REPLETION_OPEN"] == ("warning", "BNF-HYDROXO")
    assert found["NEURO_URGENT"] == ("warning", "NICE-NG239")
    (open_finding,) = [f for f in got["findings"] if f["code"] == "NEURO_REPLETION_OPEN"]
    assert open_finding["message"] == (
        "1 mg on alternate days until no further improvement: doses not yet given are "
        "provisional and no maintenance is planned until the clinician sets repletion_end "
        "(review on 2026-04-27)"
    )


def test_neuro_open_exit_code_is_zero() -> None:
    """An incomplete (not blocked) plan is still a plan: exit 0."""
    result = run_patient(
        {"start": "2026-04-13", "cause": "autoimmune-gastritis", "neuro": True},
        "--as-of",
        "2026-04-12",
    )
    assert result.code == 0
    assert "PLAN INCOMPLETE" in result.out


def test_repletion_end_ends_a_fixed_course_early() -> None:
    """repletion_end applies to every protocol: dietary from Monday 04-13 gives 04-13, 04-15,
    04-17 (04-20 is after repletion_end 04-17), REPLETION_SHORT says 3 of 6, and maintenance
    counts from the last loading dose: 04-17 + 6 months = 10-17."""
    got = plan_for(
        {"start": "2026-04-13", "cause": "dietary", "repletion_end": "2026-04-17"}, "2026-04-12"
    )
    assert dates(got, "repletion") == ["2026-04-13", "2026-04-15", "2026-04-17"]
    assert dates(got, "maintenance") == ["2026-10-17"]  # until: 12 months after start
    (short,) = [f for f in got["findings"] if f["code"] == "REPLETION_SHORT"]
    assert short["severity"] == "warning"  # was info before 2026-12-07 ("Escalation")
    assert short["message"] == (
        "3 loading doses up to repletion_end 2026-04-17 (0 on record as given); "
        "uk-hydroxo-dietary gives 6 (1 mg 3 times a week for 2 weeks)"
    )


# -------------------------------------------------------------------------------- until
def test_until_includes_a_dose_on_that_day() -> None:
    """A maintenance dose on `until` is listed; one the day after is not."""
    on = plan("uk-bnf-hydroxo-nonneuro", "2026-04-13", until="2027-01-24")
    before = plan("uk-bnf-hydroxo-nonneuro", "2026-04-13", until="2027-01-23")
    assert dates(on, "maintenance") == ["2026-07-24", "2026-10-24", "2027-01-24"]
    assert dates(before, "maintenance") == ["2026-07-24", "2026-10-24"]


def test_until_before_first_maintenance() -> None:
    """With `until` before maintenance starts, no maintenance dose is listed but next_due is."""
    got = plan("uk-bnf-hydroxo-nonneuro", "2026-04-13", until="2026-05-01")
    assert len(dates(got, "repletion")) == 6
    assert dates(got, "maintenance") == []
    assert got["maintenance"]["next_due"] == "2026-07-24"


def test_until_defaults_to_twelve_months_after_the_later_of_start_and_as_of() -> None:
    """Default until: start (or as_of, if later) + 12 months."""
    doc = {"start": "2026-04-13", "cause": "autoimmune-gastritis"}
    early = plan_for(doc, "2026-04-01")
    loading = ["2026-04-13", "2026-04-15", "2026-04-17", "2026-04-20", "2026-04-22", "2026-04-24"]
    late = plan_for({**doc, "given": loading}, "2026-05-01")
    assert dates(early, "maintenance") == ["2026-07-24", "2026-10-24", "2027-01-24"]
    assert dates(late, "maintenance") == ["2026-07-24", "2026-10-24", "2027-01-24", "2027-04-24"]


def test_until_does_not_cut_repletion() -> None:
    """`until` bounds maintenance only: the whole repletion course is always listed."""
    got = plan("us-cyano-1000", "2026-04-13", until="2026-04-14")
    assert len(dates(got, "repletion")) == 11
    assert dates(got, "maintenance") == []


# ----------------------------------------------------------------------------- statuses
def test_statuses_relative_to_as_of() -> None:
    """given, overdue (before as_of, not given: only the first such dose; the rest count from
    as_of), due (on as_of), planned (after)."""
    doc = {"start": "2026-04-13", "cause": "autoimmune-gastritis", "given": ["2026-04-13"]}
    due = plan_for(doc, "2026-04-15", "--until", "2026-10-31")
    assert [d["status"] for d in due["doses"][:3]] == ["given", "due", "planned"]
    got = plan_for(doc, "2026-04-17", "--until", "2026-10-31")
    assert [(d["date"], d["status"]) for d in got["doses"]] == [
        ("2026-04-13", "given"),
        ("2026-04-15", "overdue"),
        ("2026-04-19", "planned"),
        ("2026-04-22", "planned"),
        ("2026-04-24", "planned"),
        ("2026-04-26", "planned"),
        ("2026-07-26", "planned"),
        ("2026-10-26", "planned"),
    ]
    overdue = [f for f in got["findings"] if f["code"] == "OVERDUE_DOSE"]
    assert [(f["severity"], f["message"]) for f in overdue] == [
        ("warning", "not recorded as given: dose 2 (2026-04-15); give now or record it")
    ]


def test_provisional_status_after_as_of() -> None:
    """Open neuro repletion: past doses given, the first not given overdue, the rest (from
    as_of) provisional; on the day a dose falls due it is due."""
    doc = {
        "start": "2026-04-13",
        "cause": "autoimmune-gastritis",
        "neuro": True,
        "given": ["2026-04-13"],
    }
    got = plan_for(doc, "2026-04-17")
    assert [d["status"] for d in got["doses"]] == ["given", "overdue"] + ["provisional"] * 6
    assert dates(got)[2] == "2026-04-19"
    got = plan_for(doc, "2026-04-15")
    assert [d["status"] for d in got["doses"]] == ["given", "due"] + ["provisional"] * 6


def test_as_of_moves_nothing_until_a_dose_is_overdue() -> None:
    """With nothing overdue as_of moves no date; once the first dose is overdue, the later
    ones count from as_of (reference, "Forecast from today")."""
    doc = {"start": "2026-04-13", "cause": "autoimmune-gastritis", "until": "2027-04-30"}
    seen = [dates(plan_for(doc, day)) for day in ("2026-01-01", "2026-04-01", "2026-04-13")]
    assert seen[0] == seen[1] == seen[2]
    later = dates(plan_for(doc, "2026-04-20"))
    assert later[:3] == ["2026-04-13", "2026-04-22", "2026-04-24"]


# ---------------------------------------------------------------------- protocol choice
@pytest.mark.parametrize(
    ("doc", "protocol", "because"),
    [
        ({"cause": "autoimmune-gastritis"}, "uk-bnf-hydroxo-nonneuro", "no neurological"),
        ({"cause": "autoimmune-gastritis", "neuro": True}, "uk-bnf-hydroxo-neuro", "neurological"),
        ({"cause": "dietary"}, "uk-hydroxo-dietary", "dietary cause"),
        ({"cause": "dietary", "neuro": True}, "uk-bnf-hydroxo-neuro", "neurological"),
        ({"cause": "bariatric-surgery"}, "uk-bnf-hydroxo-nonneuro", "no neurological"),
        ({"cause": "dietary", "product": "cyanocobalamin"}, "us-cyano-1000", "cyanocobalamin"),
        (
            {"cause": "gastrectomy", "neuro": True, "product": "cyanocobalamin"},
            "us-cyano-1000",
            "cyanocobalamin",
        ),
        (
            {"cause": "dietary", "protocol": "uk-bnf-hydroxo-nonneuro"},
            "uk-bnf-hydroxo-nonneuro",
            "named",
        ),
    ],
)
def test_automatic_choice(doc: dict[str, Any], protocol: str, because: str) -> None:
    """The reference's automatic choice [C]; prophylaxis protocols are never chosen for you."""
    got = plan_for({"start": "2026-04-13", **doc}, "2026-04-12")
    assert got["protocol"]["id"] == protocol
    assert because in got["protocol"]["chosen_because"]


# ---------------------------------------------------------------------------- conventions
def convention_heads(got: dict[str, Any]) -> list[str]:
    """The first words of each convention the plan names."""
    return [" ".join(c.split()[:3]) for c in got["protocol"]["conventions"]]


def test_conventions_named_for_an_automatic_plan() -> None:
    """Each [C] choice that shaped a plan is named in it: gaps, choice, months, follow-up."""
    got = plan_for({"start": "2026-04-13", "cause": "autoimmune-gastritis"}, "2026-04-12")
    assert convention_heads(got) == [
        "'3 times a",
        "Automatic protocol choice:",
        "Maintenance months are",
        "Follow-up tests follow",
    ]
    assert all(c.endswith("[C].") for c in got["protocol"]["conventions"])
    months = got["protocol"]["conventions"][2]
    assert "month ends clamp (Jan 31 → Feb 28/29)" in months
    assert "never chained from" in months


def test_conventions_for_labs_adjustment_and_named_protocol() -> None:
    """Lab bands and the adjustment reading appear when they applied; naming is no choice."""
    doc = {
        "start": "2026-04-13",
        "cause": "dietary",
        "protocol": "uk-hydroxo-dietary",
        "labs": ["b12=350 ng/L@2026-04-01"],
        "symptoms_returned": ["2026-04-15"],
    }
    got = plan_for(doc, "2026-04-16")
    assert convention_heads(got) == [
        "Repletion as for",
        "Maintenance months are",
        "Interval adjustment: a",
        "Forecast from today:",
        "Labs are compared",
        "Follow-up tests follow",
    ]
    labs = got["protocol"]["conventions"][4]
    assert "includes both boundaries (total B12 180 and 350 ng/L, 133 and 258 pmol/L" in labs
    assert "0.45 µmol/L" in labs


@pytest.mark.parametrize(
    "blocked",
    [{"cause": "dietary", "route": "iv"}, {"cause": "autoimmune-gastritis", "dob": "2020-01-01"}],
    ids=["iv-route", "a-child"],
)
def test_conventions_of_a_blocked_plan(blocked: dict[str, Any]) -> None:
    """A blocked plan has no doses: it names only the choices it still made, the protocol and
    the lab bands, never the protocol's own conventions on dosing gaps."""
    doc = {"start": "2026-04-13", "labs": ["hb=100 g/L@2026-04-01"], **blocked}
    result = run_patient(doc, "--as-of", "2026-04-12", "--format", "json")
    assert result.code == 1
    assert result.json()["doses"] == []
    assert convention_heads(result.json()) == ["Automatic protocol choice:", "Labs are compared"]


def test_no_month_convention_without_month_arithmetic() -> None:
    """Open neuro repletion plans no months; a weekly interval counts no months either."""
    neuro = plan_for({"start": "2026-04-13", "cause": "gastrectomy", "neuro": True}, "2026-04-12")
    weekly = plan("uk-bnf-hydroxo-nonneuro", "2026-04-13", interval="10w")
    for got in (neuro, weekly):
        assert "Maintenance months are" not in convention_heads(got)
