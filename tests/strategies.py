"""Hypothesis strategies for valid patient documents and their histories.

`patients()` draws `(document, as_of)`: a JSON-ready patient document that the models accept
and the engine can plan from, with an `as_of` on or after everything that has happened. The
given history follows the chosen protocol's own gaps, on time, early or late, so that both
matched and re-anchored doses occur.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from b12plan.contract.intervals import Interval
from b12plan.contract.records import Protocol
from b12plan.contract.vocab import CAUSE_ALIASES, CAUSES, STOP_REASONS
from b12plan.engine.derived import open_repletion
from b12plan.engine.maintenance import within_steps
from b12plan.protocols import bundled

FIRST = date(2000, 1, 1)
LAST = date(2040, 12, 31)
STRENGTHS = ("1000 mcg/mL", "1 mg/mL", "500 mcg/mL", "5000 mcg/mL", "100 mcg/mL", "2.5 mg/mL")
INTERVALS = ("1mo", "2mo", "3mo", "4mo", "6mo", "2w", "8w", "30d", "12w", "45d")
# (analyte, unit, low, high, tenths): values drawn inside each unit's plausibility window.
LAB_RANGES: tuple[tuple[str, str, int, int, bool], ...] = (
    ("b12", "ng/L", 30, 2000, False),
    ("b12", "pg/mL", 30, 2000, False),
    ("b12", "pmol/L", 30, 1500, False),
    ("active-b12", "pmol/L", 5, 300, False),
    ("mma", "µmol/L", 1, 50, True),
    ("mma", "nmol/L", 50, 5000, False),
    ("homocysteine", "umol/L", 3, 100, False),
    ("hb", "g/L", 40, 200, False),
    ("hb", "g/dL", 40, 200, True),
    ("mcv", "fL", 60, 140, False),
    ("folate", "nmol/L", 2, 100, False),
    ("folate", "ng/mL", 1, 40, False),
    ("potassium", "mmol/L", 25, 65, True),
    ("egfr", "mL/min/1.73m2", 10, 120, False),
    ("platelets", "10^9/L", 20, 600, False),
    ("inr", "ratio", 8, 40, True),
    ("retic", "%", 3, 60, True),
    ("retic", "10^9/L", 10, 300, False),
)


def automatic_protocol(product: str | None, neuro: bool, cause: str, leber: bool = False) -> str:
    """The reference's automatic choice (clinical/reference.md), restated for the tests."""
    if product == "cyanocobalamin":
        return "us-cyano-1000"
    if leber:
        return "uk-hydroxo-leber"
    if neuro:
        return "uk-bnf-hydroxo-neuro"
    if cause == "dietary":
        return "uk-hydroxo-dietary"
    return "uk-bnf-hydroxo-nonneuro"


@st.composite
def start_dates(draw: st.DrawFn) -> date:
    """Dates in 2000–2040, often a month end or 29 February."""
    year = draw(st.integers(FIRST.year, LAST.year))
    month = draw(st.integers(1, 12))
    kind = draw(st.sampled_from(["any", "any", "month-end", "feb-29"]))
    if kind == "feb-29":
        leap = draw(st.sampled_from([y for y in range(FIRST.year, LAST.year + 1) if y % 4 == 0]))
        return date(leap, 2, 29)
    if kind == "month-end":
        return date(year, month, calendar.monthrange(year, month)[1])
    return draw(st.dates(FIRST, LAST))


def _repletion_gaps(protocol: Protocol, repletion_end: date | None, start: date) -> list[int]:
    """Days between consecutive repletion doses as the protocol plans them (no history)."""
    gaps: list[int] = []
    for s_idx, segment in enumerate(protocol.repletion):
        if segment.count is not None:
            for j in range(segment.count):
                if s_idx == 0 and j == 0:
                    continue
                index = j - 1 if s_idx == 0 else j
                gaps.append(segment.gaps_days[index % len(segment.gaps_days)])
        else:
            # Open-ended (neuro): alternate days up to repletion_end, or a provisional count.
            count = segment.provisional_count or 1
            if repletion_end is not None:
                count = (repletion_end - start).days // segment.gaps_days[0] + 1
            gaps += [segment.gaps_days[0]] * (count - 1)
    return gaps


@st.composite
def histories(
    draw: st.DrawFn, protocol: Protocol, start: date, as_of: date, repletion_end: date | None
) -> list[date]:
    """Given doses following the protocol's gaps, each on time, early or late, up to as_of."""
    gaps = _repletion_gaps(protocol, repletion_end, start)
    step = Interval.parse(protocol.maintenance.default)
    limit = draw(st.integers(0, len(gaps) + 1 + draw(st.integers(0, 10))))
    out: list[date] = []
    when = start + timedelta(days=draw(st.sampled_from([0, 0, 0, 1, 3])))
    for i in range(limit):
        if when > as_of:
            break
        out.append(when)
        nominal = when + timedelta(days=gaps[i]) if i < len(gaps) else step.after(when)
        jitter = draw(st.sampled_from([0, 0, 0, -1, 1, 2, 7, -7, 30]))
        when = max(nominal + timedelta(days=jitter), when + timedelta(days=1))
    return out


@st.composite
def labs(
    draw: st.DrawFn, start: date, as_of: date, normal_b12_on: Sequence[date] = ()
) -> list[Any]:
    """Up to four labs with accepted units and plausible values, dated up to as_of, plus a
    normal total B12 on each of `normal_b12_on` (what lets a stable interval lengthen)."""
    earliest = start - timedelta(days=90)
    taken = {("b12", d) for d in normal_b12_on}
    drawn = draw(
        st.lists(
            st.tuples(st.sampled_from(LAB_RANGES), st.dates(earliest, max(earliest, as_of))),
            max_size=4,
            unique_by=lambda t: (t[0][0], t[1]),
        ).map(lambda items: [t for t in items if (t[0][0], t[1]) not in taken])
    )
    out: list[Any] = [f"b12={draw(st.integers(400, 1500))} ng/L@{d}" for d in normal_b12_on]
    for (analyte, unit, low, high, tenths), when in drawn:
        raw = draw(st.integers(low, high))
        value: int | float = raw / 10 if tenths else raw
        if draw(st.booleans()):
            out.append(f"{analyte}={value} {unit}@{when}")
        else:
            out.append({"analyte": analyte, "value": value, "unit": unit, "date": str(when)})
    return out


@st.composite
def patients(draw: st.DrawFn) -> tuple[dict[str, Any], date]:
    """A valid patient document and the `as_of` to plan it on."""
    start = draw(start_dates())
    cause = draw(st.sampled_from((*CAUSES, *CAUSE_ALIASES)))
    neuro = draw(st.booleans())
    leber = draw(st.integers(1, 30)) == 1
    catalogue = bundled()
    named = draw(st.sampled_from(["auto", "auto", "auto", *catalogue]))
    if named == "auto":
        product = draw(st.sampled_from([None, "hydroxocobalamin", "cyanocobalamin"]))
        canonical = CAUSE_ALIASES.get(cause, cause)
        protocol = catalogue[automatic_protocol(product, neuro, canonical, leber)]
    else:
        protocol = catalogue[named]
        product = draw(st.sampled_from([None, protocol.product]))
    as_of = start + timedelta(days=draw(st.integers(-60, 900)))
    doc: dict[str, Any] = {"start": str(start), "cause": cause, "protocol": named}
    if neuro or draw(st.booleans()):
        doc["neuro"] = neuro
    if product is not None:
        doc["product"] = product
    route = draw(st.sampled_from([None, *protocol.routes]))
    if route is not None:
        doc["route"] = route
    strength = draw(st.sampled_from([None, *STRENGTHS]))
    if strength is not None:
        doc["strength"] = strength
    sex = draw(st.sampled_from([None, "female", "male"]))
    if sex is not None:
        doc["sex"] = sex
    if draw(st.booleans()):
        age = draw(st.integers(16, 95))
        doc["dob"] = str(date(start.year - age, 1, 1) + timedelta(days=draw(st.integers(0, 364))))
    repletion_end = None
    if open_repletion(protocol) and draw(st.booleans()):
        repletion_end = start + timedelta(days=draw(st.integers(0, 60)))
        doc["repletion_end"] = str(repletion_end)
    history = draw(histories(protocol, start, as_of, repletion_end))
    if history:
        doc["given"] = [
            str(d) if draw(st.booleans()) else {"date": str(d), "dose_mcg": 1000, "site": "deltoid"}
            for d in history
        ]
    later = [d for d in history if d > start]
    if as_of > start and draw(st.booleans()):
        doc["symptoms_returned"] = [
            str(d)
            for d in draw(st.lists(st.dates(start, as_of), max_size=3, unique=True))
            + draw(st.lists(st.sampled_from(later), max_size=1) if later else st.just([]))
        ]
    stable = history[-4:] if len(history) >= 12 and draw(st.booleans()) else []
    doc["labs"] = draw(labs(start, as_of, stable))
    conditions: dict[str, Any] = {}
    if sex != "male" and draw(st.booleans()):
        conditions["pregnant"] = draw(st.booleans())
    for flag, one_in in (
        ("anticoagulant", 10),
        ("bleeding_disorder", 10),
        ("cobalt_allergy", 30),  # with cyanocobalamin these block the plan
        ("b12_hypersensitivity", 40),  # blocks every plan
        ("vegan", 10),
    ):
        if draw(st.integers(1, one_in)) == 1:
            conditions[flag] = True
    if leber:
        conditions["leber"] = True
    if draw(st.integers(0, 4)) == 0:
        conditions["folic_acid_started"] = str(min(as_of, start))
    if conditions:
        doc["conditions"] = conditions
    decided = draw(st.integers(0, 5))
    if decided <= 1:
        doc["interval"] = draw(st.sampled_from(INTERVALS))
        # Outside the steps a reason is required (without one the record is refused).
        if draw(st.booleans()) or not _within_steps(doc["interval"], protocol):
            doc["override_reason"] = "stable on this interval for years"
    elif decided == 2:
        doc["interval_changes"] = draw(interval_changes(start, as_of, protocol))
    doc.update(draw(history_extras(start, as_of, history, protocol, repletion_end)))
    if draw(st.integers(0, 3)) == 0:
        doc["until"] = str(max(start, as_of) + timedelta(days=draw(st.integers(0, 3 * 365))))
    if draw(st.integers(0, 9)) == 0:
        # A stop on or after the last dose given (a dose after it is refused), before or after
        # as_of (reference, "Stopping treatment").
        after = max([start, *history])
        doc["stopped"] = {
            "date": str(after + timedelta(days=draw(st.integers(0, 400)))),
            "reason": draw(st.sampled_from(STOP_REASONS)),
        }
    return doc, as_of


@st.composite
def interval_changes(
    draw: st.DrawFn, start: date, as_of: date, protocol: Protocol
) -> list[dict[str, Any]]:
    """One to three dated clinician decisions, on distinct days up to max(start, as_of), each
    outside the protocol's steps with a reason."""
    last = max(start, as_of)
    days = draw(st.lists(st.dates(start - timedelta(days=30), last), min_size=1, max_size=3,
                         unique=True))  # fmt: skip
    out: list[dict[str, Any]] = []
    for day in sorted(days):
        change: dict[str, Any] = {"date": str(day), "interval": draw(st.sampled_from(INTERVALS))}
        if draw(st.booleans()) or not _within_steps(change["interval"], protocol):
            change["reason"] = "symptoms before the next dose"
        out.append(change)
    return out


@st.composite
def history_extras(
    draw: st.DrawFn,
    start: date,
    as_of: date,
    history: Sequence[date],
    protocol: Protocol,
    repletion_end: date | None,
) -> dict[str, Any]:
    """The record fields of 2026-12-01: misses, a loading course on record, clinic days."""
    out: dict[str, Any] = {}
    if as_of >= start and draw(st.integers(0, 3)) == 0:
        misses = draw(st.lists(st.dates(start, as_of), max_size=2, unique=True))
        reasons = ["declined", "did-not-attend", "unavailable", "other"]
        out["missed"] = [
            {"date": str(d), "reason": draw(st.sampled_from(reasons))}
            for d in sorted(misses)
            if d not in history
        ]
    if repletion_end is None and history and draw(st.integers(0, 7)) == 0:
        out["repletion_done"] = True
    elif protocol.repletion and not open_repletion(protocol) and draw(st.integers(0, 9)) == 0:
        out["repletion_end"] = str(start + timedelta(days=draw(st.integers(0, 20))))
    if draw(st.integers(0, 5)) == 0:
        weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        clinic: dict[str, Any] = {
            "open": draw(st.lists(st.sampled_from(weekdays), min_size=1, max_size=7, unique=True))
        }
        clinic["closed"] = [
            str(d)
            for d in draw(
                st.lists(st.dates(start, start + timedelta(days=400)), max_size=4, unique=True)
            )
        ]
        if draw(st.integers(0, 4)) == 0:
            clinic["holidays"] = draw(st.sampled_from(["GB-ENG", "US", "GB-SCT"]))
        out["clinic"] = clinic
    return out


def _within_steps(interval: str, protocol: Protocol) -> bool:
    """Whether a clinician's interval needs no reason under `protocol`."""
    return within_steps(Interval.parse(interval), protocol.maintenance)
