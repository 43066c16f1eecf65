"""Properties of the replay (issue 12): a decision never rewrites the past, and a patient entered
as already on treatment gets the dates the full history would give."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from b12plan.contract.intervals import Interval
from b12plan.contract.models import Plan
from b12plan.contract.validation import validated
from b12plan.engine import build_plan
from b12plan.engine.maintenance import within_steps
from b12plan.protocols import bundled
from tests.strategies import INTERVALS, patients

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _plan(document: dict[str, Any], as_of: date) -> Plan:
    return build_plan(validated("patient", document), as_of=as_of)


def _late_findings(plan: Plan, n: int) -> list[str]:
    return [f.message for f in plan.findings if f.message.startswith(f"dose {n} given ")]


@st.composite
def changed_histories(draw: st.DrawFn) -> tuple[dict[str, Any], date, dict[str, Any]]:
    """A patient (without the single `interval` field), its as_of, and one more dated decision."""
    document, as_of = draw(patients())
    document = {k: v for k, v in document.items() if k not in ("interval", "override_reason")}
    start = date.fromisoformat(document["start"])
    taken = {c["date"] for c in document.get("interval_changes", [])}
    day = draw(st.dates(start, max(start, as_of)).filter(lambda d: str(d) not in taken))
    change: dict[str, Any] = {"date": str(day), "interval": draw(st.sampled_from(INTERVALS))}
    if draw(st.booleans()):
        change["reason"] = "clinician's judgement"
    return document, as_of, change


@FAST
@given(changed_histories())
def test_a_decision_never_changes_a_dose_given_before_it(
    case: tuple[dict[str, Any], date, dict[str, Any]],
) -> None:
    """Adding an interval change dated D leaves the status, date, due date, reason and findings
    of every dose given before D exactly as they were, and every adjustment before D."""
    document, as_of, change = case
    before = _plan(document, as_of)
    spec = bundled()[before.protocol.id].maintenance
    if not within_steps(Interval.parse(change["interval"]), spec):
        change = {**change, "reason": "clinician's judgement"}  # else refused (exit 2)
    changes = sorted([*document.get("interval_changes", []), change], key=lambda c: c["date"])
    after = _plan({**document, "interval_changes": changes}, as_of)
    cut = date.fromisoformat(change["date"])
    old = [d for d in before.doses if d.status == "given" and d.date < cut]
    assert after.doses[: len(old)] == old
    for dose in old:
        assert _late_findings(after, dose.n) == _late_findings(before, dose.n)
    assert [a for a in after.adjustments if a.date < cut] == [
        a for a in before.adjustments if a.date < cut
    ]


# Protocols with a fixed loading course, and the cause that leads to each.
FIXED = {
    "uk-bnf-hydroxo-nonneuro": {"cause": "autoimmune-gastritis"},
    "uk-hydroxo-dietary": {"cause": "dietary"},
    "us-cyano-1000": {"cause": "autoimmune-gastritis", "product": "cyanocobalamin"},
    "us-fda-cyano-label": {"cause": "gastrectomy", "product": "cyanocobalamin"},
}


@st.composite
def full_histories(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any], date]:
    """A full course (the loading doses given on time, then maintenance doses D1..Dn) and the
    same patient entered as already on treatment with D1..Dn, plus events after D1."""
    pid = draw(st.sampled_from(sorted(FIXED)))
    start = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    common: dict[str, Any] = {"protocol": pid, **FIXED[pid]}
    course = _plan({"start": str(start), **common}, start)
    loading = [d.date for d in course.doses if d.phase == "repletion"]
    last, doses = loading[-1], []
    for gap in draw(st.lists(st.integers(10, 150), min_size=1, max_size=8)):
        last += timedelta(days=gap)
        doses.append(last)
    # The full history knows the day of the anchor a first dose given on time was clamped from
    # (31 Jan + 3 months = 30 Apr, then 31 Jul); a record that starts at that dose cannot, so
    # that one case is left out (see test_the_one_case_a_transfer_in_record_cannot_know).
    default = Interval.parse(bundled()[pid].maintenance.default)
    first_due = default.after(loading[-1])
    assume(not (doses[0] == first_due and first_due.day < loading[-1].day))
    as_of = doses[-1] + timedelta(days=draw(st.integers(0, 200)))
    events: dict[str, Any] = {"until": str(as_of + timedelta(days=400))}
    after_first = st.dates(doses[0] + timedelta(days=1), max(doses[0], as_of))
    if as_of > doses[0] and draw(st.booleans()):
        events["symptoms_returned"] = [
            str(d) for d in sorted(draw(st.lists(after_first, max_size=3, unique=True)))
        ]
    if as_of > doses[0] and draw(st.booleans()):
        events["interval_changes"] = [
            {"date": str(d), "interval": draw(st.sampled_from(INTERVALS)), "reason": "review"}
            for d in sorted(draw(st.lists(after_first, min_size=1, max_size=2, unique=True)))
        ]
    full = {"start": str(start), **common, "given": [str(d) for d in loading + doses], **events}
    transfer = {**common, "repletion_done": True, "given": [str(d) for d in doses], **events}
    return full, transfer, as_of


@FAST
@given(full_histories())
def test_a_transfer_in_record_gives_the_full_historys_maintenance_dates(
    case: tuple[dict[str, Any], dict[str, Any], date],
) -> None:
    """Entered with repletion_done and doses D1..Dn, a patient gets the maintenance dates (given
    and planned), statuses and interval of the full history from the start of the course,
    unless the record's own interval is read from it (INTERVAL_FROM_RECORD: the full history
    knows the protocol's default, a record only its doses; see the test after this one)."""
    full, transfer, as_of = case
    whole, entered = _plan(full, as_of), _plan(transfer, as_of)
    assume("INTERVAL_FROM_RECORD" not in {f.code for f in entered.findings})

    def maintenance(plan: Plan) -> list[tuple[date, str]]:
        return [(d.date, d.status) for d in plan.doses if d.phase == "maintenance"]

    assert maintenance(entered) == maintenance(whole)
    assert entered.maintenance == whole.maintenance or (
        entered.maintenance is not None
        and whole.maintenance is not None
        and (entered.maintenance.interval, entered.maintenance.next_due)
        == (whole.maintenance.interval, whole.maintenance.next_due)
    )
    assert not any(d.phase == "repletion" for d in entered.doses)


@FAST
@given(full_histories())
def test_a_transfer_ins_record_interval_is_never_longer_than_the_default(
    case: tuple[dict[str, Any], dict[str, Any], date],
) -> None:
    """Read from the record, the interval in force is the record's (shorter than the default,
    within the steps) or the default; it is never longer than the default."""
    _, transfer, as_of = case
    entered = _plan(transfer, as_of)
    assert entered.maintenance is not None and entered.maintenance.interval is not None
    spec = bundled()[entered.protocol.id].maintenance
    first = entered.maintenance.changes[0]
    default = Interval.parse(spec.default)
    if first.code == "INTERVAL_FROM_RECORD":
        record = Interval.parse(first.interval)
        assert record.approx_days < default.approx_days
        assert within_steps(record, spec)
    else:
        assert (first.code, first.interval) == ("PROTOCOL_DEFAULT", spec.default)


def test_the_one_case_a_transfer_in_record_cannot_know() -> None:
    """Loading from 01-20 ends on 01-31; D1 given on time on 04-30 (31 Jan + 3 months, clamped):
    the full
    history counts on from 31 January (07-31); a record starting at 04-30 counts from it (07-30).
    Both follow the reference; only the full history knows the anchor's day."""
    start = date(2027, 1, 20)
    course = _plan({"start": str(start), "cause": "autoimmune-gastritis"}, start)
    loading = [d.date for d in course.doses if d.phase == "repletion"]
    assert loading == [
        date(2027, 1, 20),
        date(2027, 1, 22),
        date(2027, 1, 24),
        date(2027, 1, 27),
        date(2027, 1, 29),
        date(2027, 1, 31),
    ]
    common = {"cause": "autoimmune-gastritis", "until": "2027-08-31"}
    full = {"start": str(start), **common, "given": [*map(str, loading), "2027-04-30"]}
    transfer = {**common, "repletion_done": True, "given": ["2027-04-30"]}
    as_of = date(2027, 5, 1)

    def planned(plan: Plan) -> list[date]:
        return [d.date for d in plan.doses if d.phase == "maintenance" and d.status != "given"]

    assert planned(_plan(full, as_of)) == [date(2027, 7, 31)]
    assert planned(_plan(transfer, as_of)) == [date(2027, 7, 30)]
