"""IM injections and anticoagulation: held doses, their INR rechecks, and a stale high INR
(reference, "Anticoagulants: held doses are held everywhere" and its settled reading; SPS-ANTICOAG:
do not give an IM injection while the INR is above the therapeutic range).

- A planned IM dose whose latest INR from 7 days before it to its day is above range is held:
  the dose carries `held` (the INR, its value and date), one `ANTICOAG_IM` finding per INR names
  the doses it holds, and each held dose gets an "INR recheck" follow-up item from 7 days before
  it to its day, done only by an INR dated after the high one. The overdue dose is to be given
  on as_of (the next open day with a clinic): its INR is read up to as_of, so an INR in range
  since releases it, and its recheck runs from 7 days before that day to that day, opening no
  earlier than the day after the high INR, so that the INR which can complete it is inside it
  and the item is never overdue at once [C] (`engine.conventions.OVERDUE_RECHECK`).
- With neurological involvement, before the first dose or during open neurological repletion,
  nothing is held: `ANTICOAG_IM` says not to delay treatment.
- `INR_RECHECK`: the latest INR on record is above range and dated more than 7 days before the
  first dose not given: warning, and an "INR recheck" item before that dose.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from b12plan.contract.plain import Record
from b12plan.contract.vocab import INR_HOLD
from b12plan.engine.findings import finding
from b12plan.engine.labs import ClassifiedLab, describe

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, FindingDocument, FollowUpDocument

# The IM hold reads the latest INR from this many days before a dose to the day itself [C].
INR_LOOKBACK = timedelta(days=7)
SOURCE = "SPS-ANTICOAG"
RECHECK = "INR recheck"
ONE_DAY = timedelta(days=1)
DO_NOT_DELAY = (
    "do not delay treatment: agree the route and timing with the prescriber and the "
    "anticoagulation clinic"
)


class Anticoag(Record):
    """What a high INR does to a plan (a plain record: a NamedTuple costs every planning
    command more to define)."""

    __slots__ = ("findings", "rechecks", "overdue_recheck")  # noqa: RUF023 - in reading order

    findings: list[FindingDocument]
    rechecks: list[FollowUpDocument]
    """The "INR recheck" items, each with its status."""
    overdue_recheck: bool
    """One of them is before the overdue dose (`OVERDUE_RECHECK` shaped it)."""

    # Spelled out, where `Record` fills the slots from keywords by name: made for every plan.
    def __init__(
        self,
        *,
        findings: list[FindingDocument],
        rechecks: list[FollowUpDocument],
        overdue_recheck: bool,
    ) -> None:
        self.findings, self.rechecks, self.overdue_recheck = findings, rechecks, overdue_recheck


def anticoag_plan(
    doses: Sequence[DoseDocument],
    labs: Sequence[ClassifiedLab],
    *,
    route: str,
    as_of: date,
    resumed_on: date | None,
    neuro_exempt: bool,
) -> Anticoag:
    """Hold the IM doses a high INR holds (setting each one's `held`), and say so: the findings
    and the "INR recheck" items. `resumed_on` is the day the overdue dose, if any, is re-planned
    as given."""
    inrs = [lab for lab in labs if lab.analyte == "inr"]
    if route != "im" or not inrs:
        return Anticoag(findings=[], rechecks=[], overdue_recheck=False)
    findings: list[FindingDocument] = []
    # Each dose an "INR recheck" comes before, with the high INR it answers.
    rechecked: list[tuple[DoseDocument, ClassifiedLab]] = []
    holding: dict[int, list[DoseDocument]] = {}
    for dose in doses:
        high = _holding_inr(dose, inrs, as_of)
        if high is not None:
            holding.setdefault(high, []).append(dose)
    for i, held in holding.items():
        lab = inrs[i]
        names = ", ".join(f"dose {d['n']} ({d['date']})" for d in held)
        if neuro_exempt:
            findings.append(
                finding(
                    "ANTICOAG_IM",
                    "warning",
                    f"neurological involvement with {describe(lab)} before {names}: "
                    f"{DO_NOT_DELAY} (the INR is above the therapeutic range)",
                    SOURCE,
                )
            )
            continue
        findings.append(
            finding(
                "ANTICOAG_IM",
                "warning",
                f"{INR_HOLD} ({describe(lab)}): hold the IM injection of {names} until the INR "
                "is back in range; do not switch route without the prescriber",
                SOURCE,
            )
        )
        for dose in held:
            dose["held"] = held_reason(lab)
            rechecked.append((dose, lab))
    stale = _stale(doses, inrs)
    if stale is not None:
        dose, lab = stale
        findings.append(
            finding(
                "INR_RECHECK",
                "warning",
                f"the latest INR, {describe(lab)}, is above the therapeutic range and more than "
                f"7 days before the next IM dose (dose {dose['n']}, {dose['date']}): recheck the "
                "INR before giving it",
                SOURCE,
            )
        )
        rechecked.append((dose, lab))
    given_on = as_of if resumed_on is None else resumed_on
    return Anticoag(
        findings=findings,
        rechecks=[recheck_item(dose, lab, inrs, as_of, given_on) for dose, lab in rechecked],
        overdue_recheck=any(dose["status"] == "overdue" for dose, _ in rechecked),
    )


def _holding_inr(dose: DoseDocument, inrs: Sequence[ClassifiedLab], as_of: date) -> int | None:
    """The index of the high INR that holds `dose`, if one does: the latest INR from 7 days
    before the dose to its day (to as_of for the overdue dose)."""
    if dose["status"] == "given":
        return None
    when = dose["date"]
    last = max(when, as_of) if dose["status"] == "overdue" else when
    recent = [i for i, lab in enumerate(inrs) if when - INR_LOOKBACK <= lab.date <= last]
    if recent and inrs[recent[-1]].classification == "high":
        return recent[-1]
    return None


def _stale(
    doses: Sequence[DoseDocument], inrs: Sequence[ClassifiedLab]
) -> tuple[DoseDocument, ClassifiedLab] | None:
    """The first dose not given and the latest INR, when that INR is above range and dated more
    than 7 days before the dose (`INR_RECHECK`)."""
    latest = inrs[-1]
    if latest.classification != "high":
        return None
    first = next((d for d in doses if d["status"] != "given"), None)
    if first is None or latest.date >= first["date"] - INR_LOOKBACK:
        return None
    return first, latest


def held_reason(lab: ClassifiedLab) -> str:
    """`INR 3.5 on 2026-12-04 is above 3.0`: what a held dose carries."""
    return f"INR {lab.lab.value:g} on {lab.date} is above {_upper(lab)}"


def _upper(lab: ClassifiedLab) -> str:
    """The top of the INR's therapeutic range: the lab's own, else the default 3.0 [C]."""
    from b12plan.contract import units

    high = lab.lab.ref_high
    return str(units.INR_HIGH if high is None else Decimal(repr(high)))


def recheck_item(
    dose: DoseDocument,
    high: ClassifiedLab,
    inrs: Sequence[ClassifiedLab],
    as_of: date,
    given_on: date,
) -> FollowUpDocument:
    """An "INR recheck" from 7 days before `dose` to its day; done only by an INR dated after
    the high one, else by date (overdue, due or planned). The overdue dose's day is `given_on`,
    the day it is re-planned as given, and its window opens no earlier than the day after the
    high INR (`engine.conventions.OVERDUE_RECHECK`)."""
    if dose["status"] == "overdue":
        first = max(given_on - INR_LOOKBACK, high.date + ONE_DAY)
        last = max(given_on, first)
        before = f"the overdue dose {dose['n']} (due {dose['date']}, re-planned for {given_on})"
    else:
        first, last = dose["date"] - INR_LOOKBACK, dose["date"]
        before = f"dose {dose['n']} ({dose['date']})"
    if any(lab.date > high.date for lab in inrs):
        status = "done"
    elif as_of > last:
        status = "overdue"
    else:
        status = "due" if as_of >= first else "planned"
    return {
        "date": first,
        "until": last,
        "test": RECHECK,
        "why": (
            f"{held_reason(high)}: recheck the INR before {before}; give the IM injection once "
            "it is in range"
        ),
        "source": SOURCE,
        "status": status,
    }
