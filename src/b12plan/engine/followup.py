"""Follow-up tests for protocols with repletion [C, from NHS practice and FDA-CYANO]."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from b12plan.engine.document import FollowUpDocument
from b12plan.engine.labs import ClassifiedLab
from b12plan.intervals import Interval
from b12plan.models import Patient
from b12plan.protocols import Protocol

PRACTICE = "NHS-PRACTICE"  # the `FollowUp.source` default


def _test(
    when: date, test: str, why: str, source: str = PRACTICE, until: date | None = None
) -> FollowUpDocument:
    return {"date": when, "until": until, "test": test, "why": why, "source": source}


def follow_up_tests(
    patient: Patient,
    protocol: Protocol,
    baseline: Mapping[str, ClassifiedLab],
    review_date: date | None,
) -> list[FollowUpDocument]:
    """The dated tests and reviews, sorted by date (plain data, see engine.document)."""
    if not protocol.repletion:
        return []
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
    severe = hb is not None and hb.classification == "severely-low"
    pernicious_us = protocol.region == "us" and patient.cause == "autoimmune-gastritis"
    if severe or pernicious_us:
        why = "Hb < 80 g/L" if severe else "US protocol in pernicious anaemia"
        out.append(
            _test(
                start + timedelta(days=2),
                "serum potassium",
                f"hypokalaemia risk as haemopoiesis restarts ({why}); by day 2",
                "FDA-CYANO" if pernicious_us else PRACTICE,
            )
        )
    if protocol.region == "us":
        out.append(
            _test(
                start + timedelta(days=5),
                "haematocrit and reticulocytes",
                "response to treatment on days 5–7",
                "FDA-CYANO",
                until=start + timedelta(days=7),
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
    out.sort(key=lambda f: (f["date"], f["test"]))
    return out
