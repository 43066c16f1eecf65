"""A held dose (`held`: the engine's reason, such as a high INR) is marked in every format.

The renderers read the dose's `held` field: csv and ndjson as a field (a column after the
existing ones, before `ref`), ics as `STATUS:TENTATIVE` with the reason in its SUMMARY (RFC 5545
3.8.1.11), the table and the handout as "wait: INR check first". These tests mark doses held on
real plans, so they hold whatever the engine's rule for holding is.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from typing import Any

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import b12plan
from b12plan import api
from b12plan.render.rows import ROW_FIELDS
from tests.strategies import patients

REASON = "INR 3.4 on 2026-12-05 is above 3.0"
PATIENT = {"start": "2026-12-10", "cause": "autoimmune-gastritis", "ref": "clinic-0042"}
AS_OF = date(2026, 12, 5)
FORMATS = ("json", "ndjson", "csv", "ics", "table", "html")


def _held(planned: api.PlanDocument, numbers: set[int]) -> api.PlanDocument:
    """The plan with the doses numbered `numbers` held for REASON, and no other (whatever the
    engine held)."""
    document = planned.document
    doses = [{**d, "held": REASON if d["n"] in numbers else None} for d in document["doses"]]
    return planned.replaced(document={**document, "doses": doses})


def _plan(patient: dict[str, Any] = PATIENT, as_of: date = AS_OF) -> api.PlanDocument:
    return b12plan.plan(patient, as_of=as_of, plain=True)


def marked(fmt: str, text: str) -> set[int] | set[str]:
    """What each format marks as held: dose numbers (json, ndjson, csv, ics) or dates as the
    table and the handout show them."""
    if fmt == "json":
        return {d["n"] for d in json.loads(text)["doses"] if d.get("held")}
    if fmt == "ndjson":
        return {r["n"] for r in map(json.loads, text.splitlines()) if r["held"]}
    if fmt == "csv":
        return {int(r["n"]) for r in csv.DictReader(io.StringIO(text)) if r["held"]}
    if fmt == "ics":
        events = icalendar.Calendar.from_ical(text).walk("VEVENT")
        return {
            int(str(e["UID"]).split("@")[0].rsplit("-", 1)[1])
            for e in events
            if str(e["STATUS"]) == "TENTATIVE" and f"held: {REASON}" in str(e["SUMMARY"])
        }
    if fmt == "table":
        return {
            line.split()[1]
            for line in text.splitlines()
            if re.match(r"^\s*\d+\s+\d{4}-", line) and "wait: INR check first" in line
        }
    rows = re.findall(r"<tr class=\"[a-z]+\">(.*?)</tr>", text, re.S)
    return {
        re.sub(r"<[^>]+>", "", row.split("</td>")[0]).strip()
        for row in rows
        if "wait: INR check first" in row
    }


def test_csv_puts_held_after_the_existing_columns_and_ref_last() -> None:
    """The header ends `missed_reason,held,ref`; a held dose's row carries the reason."""
    text = b12plan.to_text(_held(_plan(), {1}), "csv")
    header, first, second = list(csv.reader(io.StringIO(text)))[:3]
    assert header[-3:] == ["missed_reason", "held", "ref"]
    assert header == list(ROW_FIELDS)
    assert first[-2:] == [REASON, "clinic-0042"]
    assert second[-2:] == ["", "clinic-0042"]


def test_ndjson_carries_held_as_a_field() -> None:
    """Each line has `held`: the reason on a held dose, null on the others."""
    lines = [json.loads(x) for x in b12plan.to_text(_held(_plan(), {2}), "ndjson").splitlines()]
    assert [line["held"] for line in lines[:3]] == [None, REASON, None]
    assert list(lines[0])[-2:] == ["held", "ref"]


def test_ics_marks_a_held_dose_tentative_with_the_reason_in_its_summary() -> None:
    """RFC 5545: a held dose is TENTATIVE, its SUMMARY and DESCRIPTION say why; the next is
    CONFIRMED as before."""
    events = icalendar.Calendar.from_ical(b12plan.to_text(_held(_plan(), {1}), "ics"))
    first, second = events.walk("VEVENT")[:2]
    assert str(first["STATUS"]) == "TENTATIVE"
    assert str(first["SUMMARY"]) == f"B12 1000 mcg IM — repletion 1/6 (held: {REASON})"
    assert f"Held: {REASON}" in str(first["DESCRIPTION"])
    assert str(second["STATUS"]) == "CONFIRMED"
    assert "held" not in str(second["SUMMARY"])


def test_the_table_says_wait_for_the_inr_check() -> None:
    """The held dose's note reads "wait: INR check first" with the engine's reason."""
    text = b12plan.to_text(_held(_plan(), {1}), "table", width=160)
    (row,) = [line for line in text.splitlines() if "2026-12-10" in line and "Thu" in line]
    assert f"wait: INR check first ({REASON})" in row


def test_the_handout_says_wait_for_the_inr_check() -> None:
    """The patient reads "wait: INR check first" beside the dose, and nothing else changes."""
    html = b12plan.to_text(_held(_plan(), {1}), "html")
    assert marked("html", html) == {"Thu 10 Dec 2026"}
    assert REASON not in html  # the engine's wording is for the prescriber


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=patients(), data=st.data())
def test_a_held_dose_is_marked_in_every_format(
    case: tuple[dict[str, Any], date], data: st.DataObject
) -> None:
    """Whatever the plan, each dose marked held (and only those) is marked in json, ndjson,
    csv, ics, the table and the handout; a dose already given is never shown as held."""
    document, as_of = case
    planned = _plan(document, as_of)
    open_doses = [d for d in planned.document["doses"] if d["status"] != "given"]
    if not open_doses:
        return
    chosen = data.draw(st.sets(st.sampled_from([d["n"] for d in open_doses]), max_size=3))
    held = _held(planned, chosen)
    shown = {d["n"]: d for d in held.document["doses"]}
    for fmt in FORMATS:
        text = b12plan.to_text(held, fmt, width=200)
        got = marked(fmt, text)
        if fmt in ("json", "ndjson", "csv", "ics"):
            assert got == chosen, fmt
        elif fmt == "table":
            assert got == {shown[n]["date"].isoformat() for n in chosen}, fmt
        else:
            from b12plan.render.handout_words import short_date

            assert got == {short_date(shown[n]["date"]) for n in chosen}, fmt


def test_an_inr_hold_from_the_engine_is_held_in_every_format() -> None:
    """End to end: INR 3.4 (no unit) on 12-05 holds the doses of 12-10 and 12-12, and the csv,
    ndjson, ics, table and handout all say so for those two and no other."""
    from tests.conftest import run_patient

    patient = {**PATIENT, "labs": ["inr=3.4@2026-12-05"]}
    args = ("--as-of", "2026-12-05", "--format")
    plan = run_patient(patient, *args, "json").json()
    held = {d["n"] for d in plan["doses"] if d.get("held")}
    assert held == {1, 2}
    reason = plan["doses"][0]["held"]
    for fmt in ("ndjson", "csv", "ics"):
        text = run_patient(patient, *args, fmt).out
        if fmt == "ics":
            text = text.replace(reason, REASON)  # marked() looks for REASON
        elif fmt == "csv":
            assert next(iter(csv.DictReader(io.StringIO(text))))["held"] == reason
        assert marked(fmt, text) == held, fmt
    table = run_patient(patient, *args, "table").out
    assert table.count("wait: INR check first") >= 2
    html = run_patient(patient, *args, "html").out
    assert marked("html", html) == {"Thu 10 Dec 2026", "Sat 12 Dec 2026"}
