"""Follow-up tests and reviews, and their status [C, from NHS practice and FDA-CYANO].

A test is `done` once a lab of each kind it names is on record from the first day of its window
(however late); past its window without one it is `overdue`; otherwise `due` (the window holds
`as_of`) or `planned`. A clinical review has no lab: its status follows the date alone
(clinical/reference.md, "Records over time"). Windows count from `start` and never move.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from b12plan.contract.intervals import Interval
from b12plan.contract.records import Patient, Protocol
from b12plan.engine.labs import ClassifiedLab

if TYPE_CHECKING:
    from b12plan.contract.documents import FollowUpDocument

PRACTICE = "NHS-PRACTICE"  # the `FollowUp.source` default
FBC = frozenset({"hb", "mcv"})
RETIC = frozenset({"retic"})
POTASSIUM = frozenset({"potassium"})
# What completes each test: a lab of every kind listed. Haematocrit is part of a full blood
# count, so an Hb or MCV result of the same sample stands for it [C].
KINDS: Mapping[str, tuple[frozenset[str], ...]] = {
    "reticulocytes and FBC": (RETIC, FBC),
    "FBC": (FBC,),
    "serum potassium": (POTASSIUM,),
    "haematocrit and reticulocytes": (FBC, RETIC),
}


def _test(
    when: date, test: str, why: str, source: str = PRACTICE, until: date | None = None
) -> FollowUpDocument:
    return {
        "date": when,
        "until": until,
        "test": test,
        "why": why,
        "source": source,
        "status": "planned",
    }


def follow_up_tests(
    patient: Patient,
    protocol: Protocol,
    baseline: Mapping[str, ClassifiedLab],
    review_date: date | None,
    *,
    as_of: date,
    labs: Sequence[ClassifiedLab],
) -> list[FollowUpDocument]:
    """The dated tests and reviews with their status, sorted by date (plain data)."""
    start = patient.start
    out: list[FollowUpDocument] = []
    hb = baseline.get("hb")
    severe = hb is not None and hb.classification == "severely-low"
    with_repletion = bool(protocol.repletion) and not patient.repletion_done
    if with_repletion:
        out += _repletion_tests(patient, protocol, baseline, review_date)
    pernicious_us = (
        with_repletion and protocol.region == "us" and patient.cause == "autoimmune-gastritis"
    )
    # Hb < 80 g/L asks for potassium on every protocol, those without repletion included
    # (reference, "Clarified readings"); the window is start to start + 2.
    if severe or pernicious_us:
        why = "Hb < 80 g/L" if severe else "US protocol in pernicious anaemia"
        out.append(
            _test(
                start,
                "serum potassium",
                f"hypokalaemia risk as haemopoiesis restarts ({why}); by day 2",
                "FDA-CYANO" if pernicious_us else PRACTICE,
                until=start + timedelta(days=2),
            )
        )
    for item in out:
        item["status"] = follow_up_status(item, as_of, labs)
    out.sort(key=lambda f: (f["date"], f["test"]))
    return out


def _repletion_tests(
    patient: Patient,
    protocol: Protocol,
    baseline: Mapping[str, ClassifiedLab],
    review_date: date | None,
) -> list[FollowUpDocument]:

    start = patient.start
    out: list[FollowUpDocument] = []
    hb, mcv = baseline.get("hb"), baseline.get("mcv")
    reasons = []
    if hb is None:
        reasons.append("no baseline FBC given")
    elif hb.is_anaemic:
        reasons.append("Hb is low")
    if mcv is not None and mcv.is_macrocytic:
        reasons.append("MCV > 100 fL")
    if reasons:
        out.append(
            _test(
                start + timedelta(days=7),
                "reticulocytes and FBC",
                f"response to treatment on days 7–10 ({', '.join(reasons)})",
                until=start + timedelta(days=10),
            )
        )
    out.append(_test(start + timedelta(days=56), "FBC", "blood count recovered by day 56"))
    out.append(
        _test(Interval(3, "mo").after(start), "clinical review", "clinical review at 3 months")
    )
    if patient.conditions.pregnant or patient.conditions.breastfeeding:
        out.append(
            _test(
                Interval(1, "mo").after(start),
                "clinical review (pregnancy)",
                "pregnant or breastfeeding: review at 1 month",
                "NICE-NG239",
            )
        )
    if protocol.region == "us":
        # FDA-CYANO's "fifth to seventh days" count the first injection day as day 1.
        out.append(
            _test(
                start + timedelta(days=4),
                "haematocrit and reticulocytes",
                "response to treatment on days 5–7 of therapy",
                "FDA-CYANO",
                until=start + timedelta(days=6),
            )
        )
    if review_date is not None:
        out.append(
            _test(
                review_date,
                "clinical review (repletion response)",
                "decide whether alternate-day repletion continues (set repletion_end)",
                "BNF-HYDROXO",
            )
        )
    return out


def follow_up_status(item: FollowUpDocument, as_of: date, labs: Sequence[ClassifiedLab]) -> str:
    """done, overdue, due or planned (see the module's rule)."""
    first = item["date"]
    last = item["until"] or first
    kinds = KINDS.get(item["test"], ())
    if kinds and all(
        any(lab.analyte in kind and lab.date >= first for lab in labs) for kind in kinds
    ):
        return "done"
    if as_of > last:
        return "overdue"
    return "due" if as_of >= first else "planned"
