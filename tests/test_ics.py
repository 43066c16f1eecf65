"""`--format ics`: an RFC 5545 calendar, one all-day event per dose, parsed back with icalendar."""

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


def _events(calendar: icalendar.Calendar) -> list[icalendar.Event]:
    return list(calendar.walk("VEVENT"))


def test_calendar_properties() -> None:
    """PRODID names b12plan and its version; VERSION 2.0, GREGORIAN, PUBLISH and a name."""
    calendar, plan = _calendar(str(AIG), "--as-of", AS_OF)
    assert str(calendar["PRODID"]) == f"-//b12plan//b12plan {plan['generator']['version']}//EN"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["CALSCALE"]) == "GREGORIAN"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(calendar["X-WR-CALNAME"]) == "B12 injections (uk-bnf-hydroxo-nonneuro)"


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


def test_stamps_come_from_as_of_not_the_clock() -> None:
    """DTSTAMP and LAST-MODIFIED are as_of at 00:00 UTC; SEQUENCE counts days from 1900-01-01."""
    calendar, _ = _calendar(str(AIG), "--as-of", AS_OF)
    midnight = datetime(2026, 11, 24, tzinfo=UTC)
    for event in _events(calendar):
        assert event.decoded("DTSTAMP") == midnight
        assert event.decoded("LAST-MODIFIED") == midnight
        assert event.decoded("SEQUENCE") == (date(2026, 11, 24) - date(1900, 1, 1)).days == 46348


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
    digest = hashlib.sha256(canonical).hexdigest()[:24]
    uids = [str(e["UID"]) for e in _events(calendar)]
    assert uids == [f"{digest}-{n}@b12plan" for n in range(1, len(uids) + 1)]


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


def test_blocked_plan_is_an_empty_calendar() -> None:
    """A blocked plan still parses as a calendar, with no events (and exit 1)."""
    blocked = ("--start", "2026-12-01", "--cause", "dietary", "--route", "iv")
    result = run("schedule", *blocked, "--format", "ics")
    assert result.code == 1
    calendar = icalendar.Calendar.from_ical(result.out)
    assert _events(calendar) == []
    assert str(calendar["METHOD"]) == "PUBLISH"


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
