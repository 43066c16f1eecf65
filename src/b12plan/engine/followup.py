"""Follow-up tests and reviews, and their status [C, from NHS practice and FDA-CYANO].

Windows count from day 0: the first dose given; before any, the first planned dose, or the day
it is re-planned as given when it is overdue (reference, "Follow-up counts from the first dose"
and its settled reading); they never move for closures. A test is `done` once a lab of each
kind it names is on record from the first day of its window (however late), so a result from
before treatment never completes a check after it; past its window without one it is
`overdue`; otherwise `due` (the window holds `as_of`) or `planned`. A clinical review has no
lab: its status follows the date alone (reference, "Records over time").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from operator import itemgetter
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
FOLATE = frozenset({"folate"})
# What completes each test: a lab of every kind listed. Haematocrit is part of a full blood
# count, so an Hb or MCV result of the same sample stands for it [C].
KINDS: Mapping[str, tuple[frozenset[str], ...]] = {
    "reticulocytes and FBC": (RETIC, FBC),
    "FBC": (FBC,),
    "serum potassium": (POTASSIUM,),
    "haematocrit and reticulocytes": (FBC, RETIC),
    "serum folate": (FOLATE,),
}
TRANSFER_REVIEW_WHY = "clinical review 3 months after the first dose on record"
# Baseline folate: a result from this many days before day 0 on stands for it [C].
FOLATE_LOOKBACK = timedelta(days=90)
# The other windows, in days from day 0: made once, as every plan adds them.
US_RETIC_FROM, US_RETIC_UNTIL = timedelta(days=4), timedelta(days=6)
RETIC_FROM, RETIC_UNTIL = timedelta(days=7), timedelta(days=10)
FBC_AFTER = timedelta(days=56)
POTASSIUM_BY = timedelta(days=2)
REVIEW_AFTER = Interval(3, "mo")
PREGNANCY_REVIEW_AFTER = Interval(1, "mo")
# The order of the list: by date, then by test (a C key: every plan sorts its follow-up).
BY_DATE_AND_TEST = itemgetter("date", "test")


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
    day0: date,
    as_of: date,
    labs: Sequence[ClassifiedLab],
    latest: Mapping[str, ClassifiedLab],
    judged: Sequence[FollowUpDocument] = (),
) -> list[FollowUpDocument]:
    """The dated tests and reviews with their status, sorted by date (plain data).

    `labs` are in date order, `latest` the latest of each analyte among them (the facts'):
    whether there is a result from a day on is whether the latest is from then, so a test is
    done by a result from its window's first day on, and the baseline folate is not asked for
    past one (each would scan every lab otherwise). `judged` are items whose status their own
    rule has set (the INR rechecks).
    """
    out: list[FollowUpDocument] = []
    if patient.repletion_done:
        # A transfer-in: the review only, from the first recorded dose (settled reading), which
        # may lie long before as_of; its words say where it counts from, not "at 3 months" of a
        # treatment that began elsewhere.
        out.append(_review(day0, TRANSFER_REVIEW_WHY))
    elif protocol.repletion:
        out += _repletion_tests(protocol, baseline, review_date, day0)
        out += _baseline_folate(day0, latest)
    if patient.conditions.pregnant or patient.conditions.breastfeeding:
        out.append(
            _test(
                PREGNANCY_REVIEW_AFTER.after(day0),
                "clinical review (pregnancy)",
                "pregnant or breastfeeding: review at 1 month",
                "SPS-NG239",
            )
        )
    potassium = _potassium(patient, protocol, baseline, day0)
    if potassium is not None:
        out.append(potassium)
    # Most plans' labs all predate every window: then no test can be done, and none needs its
    # kinds looked up (every item of every plan).
    newest = labs[-1].date if labs else None
    for item in out:
        item["status"] = follow_up_status(item, as_of, latest, newest)
    out += judged
    out.sort(key=BY_DATE_AND_TEST)
    return out


def _review(day0: date, why: str = "clinical review at 3 months") -> FollowUpDocument:
    return _test(REVIEW_AFTER.after(day0), "clinical review", why)


def _potassium(
    patient: Patient, protocol: Protocol, baseline: Mapping[str, ClassifiedLab], day0: date
) -> FollowUpDocument | None:
    """Serum potassium day 0 to day 2 when Hb < 80 g/L (every protocol, those without repletion
    included: reference, "Clarified readings") or on a US protocol with repletion in pernicious
    anaemia (FDA-CYANO); never for a transfer-in (settled reading of 2026-12-07)."""
    if patient.repletion_done:
        return None
    hb = baseline.get("hb")
    severe = hb is not None and hb.classification == "severely-low"
    pernicious_us = (
        bool(protocol.repletion)
        and protocol.region == "us"
        and patient.cause == "autoimmune-gastritis"
    )
    if not severe and not pernicious_us:
        return None
    why = "Hb < 80 g/L" if severe else "US protocol in pernicious anaemia"
    return _test(
        day0,
        "serum potassium",
        f"hypokalaemia risk as haemopoiesis restarts ({why}); by day 2",
        "FDA-CYANO" if pernicious_us else PRACTICE,
        until=day0 + POTASSIUM_BY,
    )


def _repletion_tests(
    protocol: Protocol,
    baseline: Mapping[str, ClassifiedLab],
    review_date: date | None,
    day0: date,
) -> list[FollowUpDocument]:
    out: list[FollowUpDocument] = []
    if protocol.region == "us":
        # FDA-CYANO's "fifth to seventh days" count the first injection day as day 1; on US
        # protocols this one reticulocyte check replaces the NHS one of days 7-10.
        out.append(
            _test(
                day0 + US_RETIC_FROM,
                "haematocrit and reticulocytes",
                "response to treatment on days 5–7 of therapy",
                "FDA-CYANO",
                until=day0 + US_RETIC_UNTIL,
            )
        )
    else:
        reticulocytes = _reticulocytes(baseline, day0)
        if reticulocytes is not None:
            out.append(reticulocytes)
    out.append(_test(day0 + FBC_AFTER, "FBC", "blood count recovered by day 56"))
    out.append(_review(day0))
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


def _reticulocytes(baseline: Mapping[str, ClassifiedLab], day0: date) -> FollowUpDocument | None:
    """Reticulocytes and FBC on days 7-10 when Hb is low, MCV > 100 fL or no FBC is given."""
    hb, mcv = baseline.get("hb"), baseline.get("mcv")
    reasons = []
    if hb is None:
        reasons.append("no baseline FBC given")
    elif hb.is_anaemic:
        reasons.append("Hb is low")
    if mcv is not None and mcv.is_macrocytic:
        reasons.append("MCV > 100 fL")
    if not reasons:
        return None
    return _test(
        day0 + RETIC_FROM,
        "reticulocytes and FBC",
        f"response to treatment on days 7–10 ({', '.join(reasons)})",
        until=day0 + RETIC_UNTIL,
    )


def _baseline_folate(day0: date, latest: Mapping[str, ClassifiedLab]) -> list[FollowUpDocument]:
    """Serum folate before or with the first dose, from 90 days before day 0 to day 0 [C]; not
    listed at all where a folate result lies in that window or after it (settled reading):
    where the latest does."""
    since = day0 - FOLATE_LOOKBACK
    folate = latest.get("folate")
    if folate is not None and folate.date >= since:
        return []
    return [
        _test(
            since,
            "serum folate",
            "before or with the first dose: folate deficiency changes what to give (never "
            "folic acid alone)",
            "FDA-CYANO",
            until=day0,
        )
    ]


def follow_up_status(
    item: FollowUpDocument,
    as_of: date,
    latest: Mapping[str, ClassifiedLab],
    newest: date | None,
) -> str:
    """done, overdue, due or planned (see the module's rule); `latest` is the latest result of
    each analyte on record, `newest` the date of the latest of them (None: no lab)."""
    first = item["date"]
    last = item["until"] or first
    if newest is not None and newest >= first:
        kinds = KINDS.get(item["test"])
        if kinds is not None and _all_taken_from(first, kinds, latest):
            return "done"
    if as_of > last:
        return "overdue"
    return "due" if as_of >= first else "planned"


def _all_taken_from(
    first: date, kinds: tuple[frozenset[str], ...], latest: Mapping[str, ClassifiedLab]
) -> bool:
    """A result of each of `kinds` is on record from `first` on."""
    # A loop, not all() over a generator (several times its cost): every item of every plan.
    for kind in kinds:  # noqa: SIM110
        if not _taken_from(first, kind, latest):
            return False
    return True


def _taken_from(first: date, kind: frozenset[str], latest: Mapping[str, ClassifiedLab]) -> bool:
    """A result of one of the analytes of `kind` is on record from `first` on."""
    for analyte in kind:
        lab = latest.get(analyte)
        if lab is not None and lab.date >= first:
            return True
    return False
