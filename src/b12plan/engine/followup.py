"""Follow-up tests for protocols with repletion [C, from NHS practice and FDA-CYANO]."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from b12plan.engine.labs import ClassifiedLab
from b12plan.intervals import Interval
from b12plan.models import FollowUp, Patient
from b12plan.protocols import Protocol


def follow_up_tests(
    patient: Patient,
    protocol: Protocol,
    baseline: Mapping[str, ClassifiedLab],
    review_date: date | None,
) -> list[FollowUp]:
    """The dated tests and reviews, sorted by date."""
    if not protocol.repletion:
        return []
    start = patient.start
    out: list[FollowUp] = []
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
            FollowUp(
                date=start + timedelta(days=7),
                until=start + timedelta(days=10),
                test="reticulocytes and FBC",
                why=f"response to treatment on days 7–10 ({', '.join(reasons)})",
            )
        )
    out.append(
        FollowUp(date=start + timedelta(days=56), test="FBC", why="blood count recovered by day 56")
    )
    out.append(
        FollowUp(
            date=Interval(3, "mo").after(start),
            test="clinical review",
            why="clinical review at 3 months",
        )
    )
    if patient.conditions.pregnant or patient.conditions.breastfeeding:
        out.append(
            FollowUp(
                date=Interval(1, "mo").after(start),
                test="clinical review (pregnancy)",
                why="pregnant or breastfeeding: review at 1 month",
                source="NICE-NG239",
            )
        )
    severe = hb is not None and hb.classification == "severely-low"
    pernicious_us = protocol.region == "us" and patient.cause == "autoimmune-gastritis"
    if severe or pernicious_us:
        why = "Hb < 80 g/L" if severe else "US protocol in pernicious anaemia"
        out.append(
            FollowUp(
                date=start + timedelta(days=2),
                test="serum potassium",
                why=f"hypokalaemia risk as haemopoiesis restarts ({why}); by day 2",
                source="FDA-CYANO" if pernicious_us else "NHS-PRACTICE",
            )
        )
    if protocol.region == "us":
        out.append(
            FollowUp(
                date=start + timedelta(days=5),
                until=start + timedelta(days=7),
                test="haematocrit and reticulocytes",
                why="response to treatment on days 5–7",
                source="FDA-CYANO",
            )
        )
    if review_date is not None:
        out.append(
            FollowUp(
                date=review_date,
                test="clinical review (repletion response)",
                why="decide whether alternate-day repletion continues (set repletion_end)",
                source="BNF-HYDROXO",
            )
        )
    out.sort(key=lambda f: (f.date, f.test))
    return out
