"""`--format ics`: an RFC 5545 calendar, parsed back with icalendar.

One all-day event per dose and per follow-up test or review; a blocked plan gets one event saying
so. For aig-new (as of 2026-11-24; record: 4 labs) the tests are reticulocytes and FBC on
8-11 Dec 2026, FBC on 26 Jan 2027 and the clinical review on 1 Mar 2027.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest

from tests.conftest import EXAMPLES, run

AIG = EXAMPLES / "patient-aig-new.json"
LATE = EXAMPLES / "patient-history-late-dose.json"
AS_OF = "2026-11-24"


def _calendar(*args: str, stdin: str = "") -> tuple[icalendar.Calendar, dict[str, Any]]:
    """The parsed calendar and the JSON plan for the same arguments."""
    ics = run("schedule", *args, "--format", "ics", stdin=stdin)
    plan = run("schedule", *args, "--format", "json", stdin=stdin)
    assert ics.code == plan.code == 0, ics.err
    return icalendar.Calendar.from_ical(ics.out), plan.json()


def _events(calendar: icalendar.Calendar, category: str = "B12 injection") -> list[icalendar.Event]:
    """The events of one category: injections by default."""
    return [e for e in calendar.walk("VEVENT") if category in e["CATEGORIES"].cats]


def _course_digest() -> str:
    """The documented course hash of aig-new (see the UID test)."""
    course = {
        "cause": "autoimmune-gastritis",
        "dob": "1961-07-09",
        "product": "hydroxocobalamin",
        "protocol": "uk-bnf-hydroxo-nonneuro",
        "route": "im",
        "sex": "female",
        "start": "2026-12-01",
    }
    canonical = json.dumps(course, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.sha256(canonical).hexdigest()[:24]


def test_calendar_properties() -> None:
    """PRODID names b12plan and its version; VERSION 2.0, GREGORIAN and a name."""
    calendar, plan = _calendar(str(AIG), "--as-of", AS_OF)
    assert str(calendar["PRODID"]) == f"-//b12plan//b12plan {plan['generator']['version']}//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["X-WR-CALNAME"]) == "B12 injections (uk-bnf-hydroxo-nonneuro)"


def test_no_method_so_no_organizer_is_needed() -> None:
    """A plain published file: no METHOD, since iTIP's PUBLISH requires an ORGANIZER (RFC 5546
    3.2.1) that a plan for a patient does not have; libical rejects PUBLISH without one."""
    out = run("schedule", str(AIG), "--as-of", AS_OF, "--format", "ics").out
    assert "\r\nMETHOD:" not in out
    assert "ORGANIZER" not in out


@pytest.mark.parametrize("patient", [AIG, LATE], ids=["new", "history"])
def test_every_event_has_the_required_properties_and_a_unique_uid(patient: Path) -> None:
    """RFC 5545 3.6.1: each VEVENT has one UID, DTSTAMP and DTSTART; UIDs never repeat."""
    calendar, _ = _calendar(str(patient), "--as-of", AS_OF)
    events = list(calendar.walk("VEVENT"))
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
            assert not isinstance(event[name], list), name
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))


@pytest.mark.parametrize("patient", [AIG, LATE], ids=["new", "history"])
def test_every_dose_is_one_all_day_event_matching_the_json_plan(patient: Path) -> None:
    """One VEVENT per dose, given ones too: date, next-day end, dose, status and why agree."""
    calendar, plan = _calendar(str(patient), "--as-of", AS_OF)
    events = _events(calendar)
    assert len(events) == len(plan["doses"])
    for event, dose in zip(events, plan["doses"], strict=True):
        start = event.decoded("DTSTART")
        assert type(start) is date  # all-day: VALUE=DATE, not a date-time
        assert start.isoformat() == dose["date"]
        assert event.decoded("DTEND") == start + timedelta(days=1)
        assert event["DTSTART"].params["VALUE"] == "DATE"
        text = str(event["DESCRIPTION"])
        assert f"{dose['volume_ml']:.2f} mL" in text
        assert f" {dose['route'].upper()} " in text
        assert f"Status as of {AS_OF}: {dose['status']}." in text
        assert f"Why: {dose['why']}." in text
        assert text.endswith(plan["disclaimer"])
        summary = str(event["SUMMARY"])
        assert summary.startswith(f"B12 {dose['dose_mcg']} mcg {dose['route'].upper()} — ")
        assert dose["phase"] in summary
        assert (f"({dose['status']})" in summary) == (dose["status"] != "planned")
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["TRANSP"]) == "TRANSPARENT"


def test_summaries_number_repletion_doses_within_the_phase() -> None:
    """Repletion reads `k/N`; maintenance reads `maintenance`; given and overdue say so."""
    calendar, _ = _calendar(str(LATE), "--as-of", AS_OF)
    summaries = [str(e["SUMMARY"]) for e in _events(calendar)]
    assert summaries[0] == "B12 1000 mcg IM — repletion 1/6 (given)"
    assert summaries[5] == "B12 1000 mcg IM — repletion 6/6 (given)"
    assert summaries[6] == "B12 1000 mcg IM — maintenance (given)"
    assert summaries[7] == "B12 1000 mcg IM — maintenance (overdue)"
    assert summaries[8] == "B12 1000 mcg IM — maintenance"


def test_a_late_given_dose_says_when_it_was_due_and_where_it_was_given() -> None:
    """The description of a dose given off its date names the due date and the site."""
    calendar, _ = _calendar(str(LATE), "--as-of", AS_OF)
    text = str(_events(calendar)[6]["DESCRIPTION"])
    assert "Given 2026-08-24; it was due 2026-08-15." in text
    assert "Site: left deltoid." in text


def test_stamps_come_from_as_of_and_the_record_not_the_clock() -> None:
    """DTSTAMP and LAST-MODIFIED are as_of at 00:00 UTC; SEQUENCE is the days from 1900-01-01
    to as_of times 10,000, plus the entries of the record (aig-new: 4 labs)."""
    calendar, _ = _calendar(str(AIG), "--as-of", AS_OF)
    midnight = datetime(2026, 11, 24, tzinfo=UTC)
    days = (date(2026, 11, 24) - date(1900, 1, 1)).days
    assert days == 46348
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 14  # 10 doses, 4 follow-up items
    for event in events:
        assert event.decoded("DTSTAMP") == midnight
        assert event.decoded("LAST-MODIFIED") == midnight
        assert event.decoded("SEQUENCE") == days * 10_000 + 4 == 463_480_004


def test_recording_a_dose_on_the_same_day_raises_the_sequence() -> None:
    """A dose recorded and the plan re-made on the same as_of: every event is newer."""
    document = json.loads(AIG.read_text(encoding="utf-8"))
    document["given"] = ["2026-12-01"]
    before, _ = _calendar("-", "--as-of", "2026-12-02", stdin=json.dumps(document))
    document["given"].append("2026-12-02")
    after, _ = _calendar("-", "--as-of", "2026-12-02", stdin=json.dumps(document))
    old = {str(e["UID"]): e for e in before.walk("VEVENT")}
    new = {str(e["UID"]): e for e in after.walk("VEVENT")}
    assert set(new) == set(old)
    for uid, event in new.items():
        assert event.decoded("SEQUENCE") == old[uid].decoded("SEQUENCE") + 1
        assert event.decoded("DTSTAMP") == old[uid].decoded("DTSTAMP")
    second = next(e for uid, e in new.items() if uid.endswith("-2@b12plan"))
    assert second.decoded("DTSTART") == date(2026, 12, 2)
    assert str(second["SUMMARY"]).endswith("(given)")


def test_a_later_as_of_with_the_same_record_is_newer() -> None:
    """With no new entry, a plan made on a later day still supersedes: SEQUENCE and DTSTAMP rise."""
    before, _ = _calendar(str(AIG), "--as-of", AS_OF)
    after, _ = _calendar(str(AIG), "--as-of", "2026-11-25")
    for old, new in zip(before.walk("VEVENT"), after.walk("VEVENT"), strict=True):
        assert str(old["UID"]) == str(new["UID"])
        assert new.decoded("SEQUENCE") > old.decoded("SEQUENCE")
        assert new.decoded("DTSTAMP") > old.decoded("DTSTAMP")


def test_every_patient_field_is_classed_as_history_or_not() -> None:
    """A new patient field must be placed: counted in the history (it changes events when added)
    or not (identity of the course, or a setting)."""
    from b12plan.contract.models import Patient
    from b12plan.render.ics import HISTORY_DECISIONS, HISTORY_LISTS, NOT_HISTORY

    classes = (HISTORY_LISTS, HISTORY_DECISIONS, NOT_HISTORY)
    for name in Patient.model_fields:
        assert sum(name in c for c in classes) == 1, name


def test_same_input_gives_the_same_bytes() -> None:
    """Two runs give identical calendars, byte for byte."""
    args = ("schedule", str(LATE), "--as-of", AS_OF, "--format", "ics")
    assert run(*args).out == run(*args).out


def test_lines_end_in_crlf_and_fold_within_75_octets() -> None:
    """RFC 5545 content lines: CRLF, at most 75 octets each (multi-byte text included)."""
    out = run("schedule", str(LATE), "--as-of", AS_OF, "--format", "ics").out
    assert out.endswith("END:VCALENDAR\r\n")
    lines = out.split("\r\n")[:-1]
    assert "\n" not in "".join(lines)
    assert max(len(line.encode("utf-8")) for line in lines) <= 75


def test_uid_is_the_documented_hash_of_the_course_and_the_dose_number() -> None:
    """UID = 24 hex of sha256 over the sorted compact JSON of the course inputs, `-n@b12plan`."""
    calendar, _ = _calendar(str(AIG), "--as-of", AS_OF)
    digest = _course_digest()
    uids = [str(e["UID"]) for e in _events(calendar)]
    assert uids == [f"{digest}-{n}@b12plan" for n in range(1, len(uids) + 1)]


def test_follow_up_tests_and_reviews_are_all_day_events() -> None:
    """Each follow-up is an all-day event over its window, with a UID named after the test."""
    calendar, plan = _calendar(str(AIG), "--as-of", AS_OF)
    events = _events(calendar, "B12 follow-up")
    assert len(events) == len(plan["follow_up"]) == 4
    digest = _course_digest()
    expected = [
        ("serum-folate", date(2026, 9, 2), date(2026, 12, 2)),
        ("reticulocytes-and-fbc", date(2026, 12, 8), date(2026, 12, 12)),
        ("fbc", date(2027, 1, 26), date(2027, 1, 27)),
        ("clinical-review", date(2027, 3, 1), date(2027, 3, 2)),
    ]
    for event, item, (slug, start, end) in zip(events, plan["follow_up"], expected, strict=True):
        assert str(event["UID"]) == f"{digest}-test-{slug}@b12plan"
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert (event.decoded("DTSTART"), event.decoded("DTEND")) == (start, end)
        status = "" if item["status"] == "planned" else f" ({item['status']})"
        assert str(event["SUMMARY"]) == f"B12 follow-up: {item['test']}{status}"
        text = str(event["DESCRIPTION"])
        assert f"Why: {item['why']} ({item['source']})." in text
        assert text.endswith(plan["disclaimer"])
        assert str(event["TRANSP"]) == "TRANSPARENT"
    assert "between 2026-12-08 and 2026-12-11" in str(events[1]["DESCRIPTION"])


def test_follow_up_uids_stay_when_a_dose_is_recorded() -> None:
    """Recording doses changes no follow-up UID, so re-importing updates the same events."""
    document = json.loads(AIG.read_text(encoding="utf-8"))
    before, _ = _calendar("-", "--as-of", AS_OF, stdin=json.dumps(document))
    document["given"] = ["2026-12-01", "2026-12-04"]
    after, _ = _calendar("-", "--as-of", "2026-12-05", stdin=json.dumps(document))
    old = [str(e["UID"]) for e in _events(before, "B12 follow-up")]
    assert len(old) == 4
    assert old == [str(e["UID"]) for e in _events(after, "B12 follow-up")]


def test_recording_a_dose_keeps_every_uid_and_raises_the_sequence() -> None:
    """Recording doses and planning later re-imports as updates: same UIDs, higher SEQUENCE."""
    document = json.loads(AIG.read_text(encoding="utf-8"))
    before, _ = _calendar("-", "--as-of", AS_OF, stdin=json.dumps(document))
    document["given"] = ["2026-12-01", "2026-12-04"]
    document["labs"].append("b12=400 ng/L@2026-12-04")
    after, plan = _calendar("-", "--as-of", "2026-12-05", stdin=json.dumps(document))
    old = {str(e["UID"]): e for e in _events(before)}
    new = {str(e["UID"]): e for e in _events(after)}
    assert set(new) == set(old)
    assert new[next(iter(new))].decoded("SEQUENCE") > old[next(iter(old))].decoded("SEQUENCE")
    second = next(e for uid, e in new.items() if uid.endswith("-2@b12plan"))
    assert second.decoded("DTSTART") == date(2026, 12, 4)
    assert str(second["SUMMARY"]).endswith("(given)")
    assert plan["doses"][1]["status"] == "given"


def test_a_different_course_gets_different_uids() -> None:
    """Another start date (or protocol) is another course: no UID is shared."""
    first, _ = _calendar(str(AIG), "--as-of", AS_OF)
    second, _ = _calendar(str(AIG), "--as-of", AS_OF, "--start", "2026-12-02")
    third, _ = _calendar(str(AIG), "--as-of", AS_OF, "--protocol", "uk-hydroxo-dietary")
    uids = [{str(e["UID"]) for e in _events(c)} for c in (first, second, third)]
    assert uids[0].isdisjoint(uids[1])
    assert uids[0].isdisjoint(uids[2])


def test_spelling_out_a_default_keeps_the_uids() -> None:
    """UIDs hash the resolved product and route: naming the defaults changes nothing."""
    first, _ = _calendar(str(AIG), "--as-of", AS_OF)
    second, _ = _calendar(
        str(AIG), "--as-of", AS_OF, "--product", "hydroxocobalamin", "--route", "im"
    )
    assert [str(e["UID"]) for e in _events(first)] == [str(e["UID"]) for e in _events(second)]


def test_provisional_doses_are_tentative() -> None:
    """Open neuro repletion: provisional doses are TENTATIVE, numbered without a total."""
    args = ("--start", "2026-12-01", "--cause", "dietary", "--neuro", "--as-of", AS_OF)
    calendar, plan = _calendar(*args)
    events = _events(calendar)
    assert len(events) == len(plan["doses"]) == 8
    assert all(str(e["STATUS"]) == "TENTATIVE" for e in events)
    assert str(events[2]["SUMMARY"]) == "B12 1000 mcg IM — repletion 3 (provisional)"


def test_blocked_plan_is_one_event_saying_no_schedule() -> None:
    """A calendar needs a component (RFC 5545 3.6): a blocked plan (exit 1) is one all-day event
    on as_of that says no schedule could be made, and why."""
    blocked = ("--start", "2026-12-01", "--cause", "dietary", "--route", "iv", "--as-of", AS_OF)
    result = run("schedule", *blocked, "--format", "ics")
    assert result.code == 1
    calendar = icalendar.Calendar.from_ical(result.out)
    (event,) = calendar.walk("VEVENT")
    assert calendar.subcomponents == [event]
    assert event.decoded("DTSTART") == date(2026, 11, 24)
    assert event.decoded("DTEND") == date(2026, 11, 25)
    assert str(event["SUMMARY"]) == "B12 injections: no schedule (blocked): see the prescriber"
    assert str(event["UID"]).endswith("-blocked@b12plan")
    assert list(event["CATEGORIES"].cats) == ["B12 plan blocked"]
    text = str(event["DESCRIPTION"])
    assert text.startswith("No injection schedule could be made. Talk to the prescriber")
    assert "IV_ROUTE: IV route: most of an intravenous dose is lost in the urine" in text


def test_explain_adds_the_rules_to_each_description() -> None:
    """With --explain each description lists the dose's chain of rules."""
    calendar, _ = _calendar(str(LATE), "--as-of", AS_OF, "--explain")
    text = str(_events(calendar)[6]["DESCRIPTION"])
    assert (
        "Rules: maintenance every 3mo (SMPC-HYDROXO) > interval in force: every 3mo, the "
        "protocol's default (SMPC-HYDROXO) > anchor 2026-05-15"
    ) in text
    plain, _ = _calendar(str(LATE), "--as-of", AS_OF)
    assert "Rules:" not in str(_events(plain)[6]["DESCRIPTION"])


@pytest.mark.parametrize("data", [b"", b"abc", "dob \u00e9 \u2192".encode(), bytes(range(256)) * 5])
def test_the_built_in_sha256_is_hashlibs(data: bytes) -> None:
    """The sha256 that names a course (CPython's built-in one, without OpenSSL) is hashlib's."""
    from b12plan.render.ics import sha256_hex

    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
