"""The table a clinician reads (TERM=dumb; COLUMNS=120 unless a test sets it): columns, runs of
doses under their reason, sections, the disclaimer last.

The patient: AIG, first dose given 2026-04-13, seen on 2026-04-15. Repletion Mon 13, Wed 15,
Fri 17, Mon 20, Wed 22, Fri 24 April (gaps 2, 2, 3, 2, 2); maintenance every 3 months from the
last repletion dose: 24 July, 24 October (until 31 October).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from b12plan.contract.models import DISCLAIMER
from tests.conftest import run_patient

PATIENT: dict[str, Any] = {
    "start": "2026-04-13",
    "dob": "1970-05-01",
    "cause": "autoimmune-gastritis",
    "given": ["2026-04-13"],
    "labs": ["b12=150 ng/L@2026-04-06", "hb=112 g/L@2026-04-06"],
    "until": "2026-10-31",
}
DATA = Path(__file__).parent / "data"
ROW = re.compile(r" +\d+  \d{4}-\d{2}-\d{2}  ")


def table(doc: dict[str, Any], as_of: str, *args: str) -> list[str]:
    """The table's lines; the run must succeed."""
    result = run_patient(doc, "--as-of", as_of, *args)
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out.splitlines()


def test_injection_columns_runs_and_rows() -> None:
    """Columns #, date, day, dose, volume, route, status; each run of doses under its reason."""
    lines = table(PATIENT, "2026-04-15")
    start = lines.index("Injections")
    assert lines[start + 1 : start + 15] == [
        " #  date        day      dose   volume  route  status",
        " " + "━" * 53,
        " repletion: 1 mg 3 times a week for 2 weeks (BNF-HYDROXO)",
        " 1  2026-04-13  Mon  1000 mcg  1.00 mL  IM     given",
        " 2  2026-04-15  Wed  1000 mcg  1.00 mL  IM     due",
        " 3  2026-04-17  Fri  1000 mcg  1.00 mL  IM     planned",
        " 4  2026-04-20  Mon  1000 mcg  1.00 mL  IM     planned",
        " 5  2026-04-22  Wed  1000 mcg  1.00 mL  IM     planned",
        " 6  2026-04-24  Fri  1000 mcg  1.00 mL  IM     planned",
        " maintenance: 1000 mcg every 3 months (SMPC-HYDROXO)",
        " 7  2026-07-24  Fri  1000 mcg  1.00 mL  IM     planned",
        " 8  2026-10-24  Sat  1000 mcg  1.00 mL  IM     planned",
        "",
        "Maintenance: every 3mo, lifelong; next due 2026-07-24; allowed 2mo, 3mo",
    ]


def test_follow_up_labs_and_findings() -> None:
    """The follow-up, labs and findings sections, line by line (a folate on record: no
    baseline folate item)."""
    labs = [*PATIENT["labs"], "folate=8 ug/L@2026-04-06"]
    lines = table({**PATIENT, "labs": labs}, "2026-04-15")
    for row in [
        " 2026-04-20  2026-04-23  planned  reticulocytes and FBC  response to treatment on days "
        "7–10 (Hb is low)  NHS-PRACTICE",
        " 2026-06-08              planned  FBC                    blood count recovered by day 56"
        "                 NHS-PRACTICE",
        " 2026-04-06  b12      150 ng/L  110.7 pmol/L  low",
        " 2026-04-06  hb       112 g/L   11.2 g/dL     low",
        " info      LIFELONG       autoimmune-gastritis is irreversible: maintenance is lifelong"
        "                       NICE-NG239",
        " info      WEEKEND_DOSES  1 planned dose falls on a Saturday or Sunday, on Saturday"
        " 2026-10-24; with no       B12PLAN",
    ]:
        assert row in lines


def test_sections_in_order_with_disclaimer_last() -> None:
    """Header, injections, maintenance, changes, follow-up, labs, findings, conventions, then
    the disclaimer."""
    history = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "given": [
            *("2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14"),
            *("2026-01-16", "2026-04-16"),
        ],
        "labs": ["b12=150 ng/L@2026-01-01"],
        "symptoms_returned": ["2026-06-20"],
        "until": "2026-12-31",
    }
    text = "\n".join(table(history, "2026-06-20"))
    titles = ["b12plan", "Injections", "Maintenance:", "Interval changes", "Follow-up"]
    titles += ["Labs", "Findings", "Conventions [C]:"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert " ".join(text.split("Conventions [C]:")[1].split())[-len(DISCLAIMER) :] == DISCLAIMER


def test_statuses_overdue_and_provisional_are_shown() -> None:
    """The status column shows overdue and provisional doses as words."""
    doc = {"start": "2026-04-13", "cause": "autoimmune-gastritis", "neuro": True}
    lines = table(doc, "2026-04-16")
    statuses = [line.split()[-1] for line in lines if ROW.match(line)]
    assert statuses == ["overdue"] + ["provisional"] * 7
    assert any("PLAN INCOMPLETE" in line for line in lines)


HISTORY: dict[str, Any] = {
    "start": "2026-05-04",
    "cause": "autoimmune-gastritis",
    "given": [
        *("2026-05-04", "2026-05-06", "2026-05-08", "2026-05-11", "2026-05-13", "2026-05-15"),
        {"date": "2026-08-24", "dose_mcg": 1000, "site": "left deltoid"},
    ],
    "symptoms_returned": ["2026-11-10"],
    "until": "2029-11-30",
}
"""Three and a half years: 6 repletion doses, a late maintenance dose (due 2026-08-15, given
2026-08-24 in the left deltoid), then every 2 months from 2026-11-10 after symptoms returned;
seen on 2026-11-24 that dose is overdue and the rest are re-planned from then: the 24th of every
other month to 2029-11-24, 26 doses in four runs."""
SHORTENED = "1000 mcg every 2 months (SMPC-HYDROXO); shortened after symptoms returned on"


@pytest.mark.parametrize("width", [60, 80, 100, 160])
def test_each_reason_heads_its_run_once(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    """A reason shared by a run of doses is printed once, above the run, at any width."""
    monkeypatch.setenv("COLUMNS", str(width))
    lines = table(HISTORY, "2026-11-24")
    text = "\n".join(lines)
    assert text.count("1 mg 3 times a week for 2 weeks (BNF-HYDROXO)") == 1
    # The overdue dose's run, then the run re-planned from it.
    assert " ".join(text.split()).count(SHORTENED) == 2
    assert " ".join(text.split()).count("re-planned as if the overdue dose") == 1
    assert sum(1 for line in lines if ROW.match(line)) == 26


def test_a_three_year_plan_at_80_columns_is_a_dose_a_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 80 columns nothing is wider than the terminal and each of the 26 doses is one line,
    with the site and the date it was due beside it."""
    monkeypatch.setenv("COLUMNS", "80")
    lines = table(HISTORY, "2026-11-24")
    assert max(len(line) for line in lines) <= 80
    start = lines.index("Injections (each 1000 mcg = 1.00 mL IM)")
    rows = lines[start + 3 : lines.index("", start)]
    assert len(rows) == 26 + 7  # the doses and four reasons, on 1, 1, 2 and 3 lines
    assert "  7  2026-08-24  Mon  given    left deltoid  was due 2026-08-15" in rows


def test_site_column_only_when_a_dose_has_a_site() -> None:
    """The site column appears when any dose has a site, and not otherwise."""
    with_site = table(HISTORY, "2026-11-24")
    header = next(line.split() for line in with_site if line.split()[:2] == ["#", "date"])
    assert header[-2:] == ["site", "note"]
    without = table(PATIENT, "2026-04-15")
    assert "site" not in next(line.split() for line in without if line.startswith(" #  date"))


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_from_hides_earlier_doses_and_says_how_many(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """`--upcoming` shows doses from the as-of date on, says how many earlier ones it hides
    and what they were, and still shows a dose overdue from before it."""
    monkeypatch.setenv("COLUMNS", str(width))
    lines = table(HISTORY, "2026-11-24", "--upcoming")
    assert "7 earlier doses not shown (before 2026-11-24: 7 given)" in " ".join(
        " ".join(lines).split()
    )
    dated = [line.split()[1] for line in lines if ROW.match(line)]
    # The overdue dose 8, then the next, re-planned as if it were given on as_of.
    assert dated[:2] == ["2026-11-10", "2027-01-24"]
    assert len(dated) == 19
    assert table(HISTORY, "2026-11-24", "--from", "2026-11-24") == lines


def test_from_before_the_plan_hides_nothing() -> None:
    """`--from` a date before the first dose shows every dose and says none was left out."""
    lines = table(PATIENT, "2026-04-15", "--from", "2026-01-01")
    assert "No earlier doses (none before 2026-01-01)." in lines
    assert sum(1 for line in lines if ROW.match(line)) == 8


def test_from_after_the_last_dose_shows_only_the_count() -> None:
    """`--from` past the last dose leaves the injection table out but says what it hid."""
    lines = table(PATIENT, "2026-04-15", "--from", "2027-01-01")
    start = lines.index("Injections")
    assert (
        lines[start + 1]
        == "8 earlier doses not shown (before 2027-01-01: 1 given, 1 due, 6 planned)"
    )
    assert not any(ROW.match(line) for line in lines)


def test_plain_text_within_the_width() -> None:
    """With TERM=dumb and COLUMNS=120: no escape codes, no trailing spaces, nothing wider."""
    result = run_patient(PATIENT, "--as-of", "2026-04-15", "--explain")
    assert "\x1b[" not in result.out
    assert max(len(line) for line in result.out.splitlines()) <= 120
    assert all(line == line.rstrip() for line in result.out.splitlines())


def test_same_input_same_bytes() -> None:
    """The table is deterministic."""
    first = run_patient(PATIENT, "--as-of", "2026-04-15").out
    assert run_patient(PATIENT, "--as-of", "2026-04-15").out == first


# Weekday clinic: dose 3 falls on Sat 5 Dec and moves to Mon 7 Dec, where it was missed (did
# not attend); dose 5 moves from Sat 12 Dec to Mon 14 Dec. As of Thu 10 Dec: dose 3 overdue,
# dose 4 due, the day 7-10 blood test due.
CLINIC = json.loads((DATA / "patient-clinic-missed.json").read_text(encoding="utf-8"))


def test_moved_and_missed_doses_stay_in_their_run() -> None:
    """A dose moved off a closed day or missed keeps its run (the reason is printed once a run)
    and says where it moved from, why, and when it was missed; the doses re-planned from as_of
    after the overdue one are a run of their own, headed by the dose they were re-planned from."""
    lines = table(CLINIC, "2026-12-10")
    text = " ".join(" ".join(lines).split())
    assert text.count("1 mg 3 times a week for 2 weeks (BNF-HYDROXO)") == 2
    assert "3 2026-12-07 Mon 1000 mcg 1.00 mL IM overdue moved from 2026-12-05 (closed on " in text
    assert "; missed 2026-12-07 (did not attend)" in text
    assert (
        "repletion: 1 mg 3 times a week for 2 weeks (BNF-HYDROXO); re-planned as if the overdue "
        "dose of 2026-12-07 were given on 2026-12-10 4 2026-12-14 Mon 1000 mcg 1.00 mL IM "
        "planned moved from 2026-12-13 (closed on Sundays) 5 2026-12-16 Wed"
    ) in text


def test_follow_up_shows_its_status() -> None:
    """Each follow-up test says whether it is done, overdue, due or planned."""
    lines = table(CLINIC, "2026-12-10")
    start = lines.index("Follow-up")
    assert lines[start + 1].split()[:4] == ["date", "until", "status", "test"]
    rows = [line.split()[:3] for line in lines[start + 3 :] if line.startswith(" 20")][:4]
    assert rows == [
        ["2026-09-02", "2026-12-01", "overdue"],  # baseline folate, none on record
        ["2026-12-08", "2026-12-11", "due"],
        ["2027-01-26", "planned", "FBC"],
        ["2027-03-01", "planned", "clinical"],
    ]
