"""For any history, the maintenance interval stays within the protocol's steps unless overridden,
and the engine never lengthens it (clinical/reference.md, "Frequency follows symptoms; labs never
lengthen")."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from b12plan.contract.intervals import Interval
from b12plan.contract.models import Plan
from b12plan.contract.records import Patient
from b12plan.contract.validation import validated
from b12plan.engine import build_plan
from b12plan.engine.derived import step_intervals
from b12plan.engine.maintenance import step_below
from b12plan.errors import InvalidInput
from b12plan.protocols import bundled

PROTOCOLS: dict[str, dict[str, Any]] = {
    "uk-bnf-hydroxo-nonneuro": {"cause": "autoimmune-gastritis"},
    "uk-bnf-hydroxo-neuro": {"cause": "autoimmune-gastritis", "neuro": True},
    "uk-hydroxo-dietary": {"cause": "dietary"},
    "uk-hydroxo-prophylaxis": {"cause": "malabsorption", "protocol": "uk-hydroxo-prophylaxis"},
    "us-fda-cyano-label": {"cause": "gastrectomy", "protocol": "us-fda-cyano-label"},
    "us-cyano-1000": {"cause": "autoimmune-gastritis", "product": "cyanocobalamin"},
    "us-asmbs-bariatric": {"cause": "bariatric-surgery", "protocol": "us-asmbs-bariatric"},
}
INTERVALS = ["30d", "2w", "8w", "10w", "1mo", "2mo", "3mo", "4mo", "5mo", "6mo", "9mo", "12mo"]
# Results that are deficient, indeterminate or normal, so every adjustment path is reachable.
LABS = [
    "b12=120 ng/L",
    "b12=250 ng/L",
    "b12=600 ng/L",
    "b12=100 pmol/L",
    "b12=400 pmol/L",
    "active-b12=20 pmol/L",
    "active-b12=90 pmol/L",
    "mma=0.8 umol/L",
    "mma=200 nmol/L",
    "homocysteine=25 umol/L",
    "homocysteine=9 umol/L",
    "hb=100 g/L",
    "mcv=108 fL",
]
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _day(start: date, offset: int) -> str:
    return (start + timedelta(days=offset)).isoformat()


@st.composite
def histories(draw: st.DrawFn) -> tuple[Patient, date]:
    """A patient with a random history of doses, symptoms, labs and clinician interval."""
    pid = draw(st.sampled_from(sorted(PROTOCOLS)))
    start = date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 730)))
    doc: dict[str, Any] = {"start": start.isoformat(), **PROTOCOLS[pid]}
    if pid == "uk-bnf-hydroxo-neuro" and draw(st.booleans()):
        doc["repletion_end"] = _day(start, 2 * draw(st.integers(0, 10)))
    # Short gaps first (repletion-like), then maintenance-like ones around the usual intervals.
    gaps = draw(st.lists(st.integers(1, 6), max_size=20))
    gaps += draw(st.lists(st.integers(14, 200), max_size=10))
    offsets, offset = [], draw(st.integers(0, 2))
    for gap in gaps:
        offsets.append(offset)
        offset += gap
    doc["given"] = [_day(start, o) for o in offsets]
    horizon = offset + 60
    symptoms = draw(st.lists(st.integers(0, horizon), max_size=4, unique=True))
    doc["symptoms_returned"] = [_day(start, o) for o in sorted(symptoms)]
    drawn = draw(st.lists(st.tuples(st.sampled_from(LABS), st.integers(-10, horizon)), max_size=8))
    unique = {(text.split("=")[0], o): text for text, o in drawn}
    doc["labs"] = [f"{text}@{_day(start, o)}" for (_, o), text in sorted(unique.items())]
    if draw(st.booleans()):
        doc["interval"] = draw(st.sampled_from(INTERVALS))
        if draw(st.booleans()):
            doc["override_reason"] = "clinician's judgement after relapse"
    events = [o for o in [*offsets, *symptoms, *(o for _, o in unique)] if o >= 0]
    as_of = start + timedelta(days=max(events, default=0) + draw(st.integers(0, 90)))
    doc["until"] = (as_of + timedelta(days=400)).isoformat()
    return validated("patient", doc), as_of


def _plan(patient: Patient, as_of: date) -> tuple[Plan, list[Interval]]:
    plan = build_plan(patient, as_of=as_of)
    steps = step_intervals(bundled()[plan.protocol.id].maintenance)
    return plan, steps


def _within(text: str, steps: list[Interval]) -> bool:
    days = Interval.parse(text).approx_days
    return steps[0].approx_days <= days <= steps[-1].approx_days


@FAST
@given(histories())
def test_interval_stays_within_steps(history: tuple[Patient, date]) -> None:
    """Without an override reason, the interval in force and every change stay within the
    steps, and an interval outside them is refused (exit 2), never substituted."""
    patient, as_of = history
    if patient.override_reason is None:
        if _refused(patient):
            with pytest.raises(InvalidInput, match=r"outside .* steps"):
                build_plan(patient, as_of=as_of)
            return
        plan, steps = _plan(patient, as_of)
        codes = [f.code for f in plan.findings]
        assert "OFFLABEL_INTERVAL" not in codes
        assert plan.maintenance is not None
        assert plan.maintenance.interval is not None
        assert _within(plan.maintenance.interval, steps)
        assert all(_within(a.to, steps) for a in plan.adjustments)


def _refused(patient: Patient) -> bool:
    """An interval outside the protocol's steps without a reason: the record is refused."""
    steps = step_intervals(bundled()[_protocol_id(patient)].maintenance)
    wanted, reason = patient.interval, patient.override_reason
    return wanted is not None and reason is None and not _within(wanted, steps)


def _protocol_id(patient: Patient) -> str:
    """The protocol the histories choose (named, or automatic from PROTOCOLS)."""
    if patient.protocol != "auto":
        return patient.protocol
    if patient.product == "cyanocobalamin":
        return "us-cyano-1000"
    if patient.neuro:
        return "uk-bnf-hydroxo-neuro"
    return "uk-hydroxo-dietary" if patient.cause == "dietary" else "uk-bnf-hydroxo-nonneuro"


@FAST
@given(histories().filter(lambda h: h[0].override_reason is not None))
def test_override_reason_allows_and_records_an_off_label_interval(
    history: tuple[Patient, date],
) -> None:
    """With an override reason, an interval outside the steps is honoured and recorded."""
    patient, as_of = history
    plan, steps = _plan(patient, as_of)
    wanted = patient.interval
    assert wanted is not None
    off_label = not _within(wanted, steps)
    codes = [f.code for f in plan.findings]
    assert ("OFFLABEL_INTERVAL" in codes) is off_label
    assert "INTERVAL_CAPPED" not in codes
    assert plan.maintenance is not None
    assert plan.maintenance.interval is not None
    allowed = {wanted} if off_label else set()
    assert _within(plan.maintenance.interval, steps) or plan.maintenance.interval in allowed
    assert all(_within(a.to, steps) or a.to in allowed for a in plan.adjustments)
    if off_label:
        # The single interval field is a decision dated as_of, the last change of all.
        last = plan.adjustments[-1]
        assert (last.date, last.to, last.code) == (as_of, wanted, "OFFLABEL_INTERVAL")
        assert patient.override_reason in last.why


@FAST
@given(histories())
def test_each_change_moves_one_step_and_never_lengthens(history: tuple[Patient, date]) -> None:
    """The engine's own changes shorten one step, in date order; it never produces a longer
    interval than the one in force: only the clinician lengthens."""
    patient, as_of = history
    assume(not _refused(patient))
    plan, steps = _plan(patient, as_of)
    by_clinician = {"CLINICIAN_INTERVAL", "OFFLABEL_INTERVAL", "PROTOCOL_DEFAULT"}
    for change in plan.adjustments:
        before, after = Interval.parse(change.from_), Interval.parse(change.to)
        if change.code not in by_clinician:
            assert change.code == "INTERVAL_SHORTENED"
            assert step_below(before, steps) == after
            assert after.approx_days < before.approx_days
    moved = [a.date for a in plan.adjustments]
    assert moved == sorted(moved)
    assert plan.maintenance is not None
    in_force = plan.maintenance.changes
    for earlier, later in itertools.pairwise(in_force):
        if later.code not in by_clinician:
            assert Interval.parse(later.interval).approx_days < (
                Interval.parse(earlier.interval).approx_days
            )
    assert "INTERVAL_EXTENDED" not in {f.code for f in plan.findings}
