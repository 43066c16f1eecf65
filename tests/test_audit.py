"""`b12plan audit`: each status, the order of the worklist, each dose evaluation, and the
CDSi-style boundaries of "Gaps in treatment" (contract, "`b12plan audit`")."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest

import b12plan
from tests.conftest import plan_for, run

AS_OF = "2026-12-07"
HEADER = (
    "patient_id,date,event,cause,repletion_done,dose_mcg,product,route,reason,analyte,value,unit,"
    "dob\n"
)


def rows(*lines: str) -> str:
    """An events CSV: the header, then the rows given."""
    return HEADER + "".join(line + "\n" for line in lines)


def on_record(pid: str, *given: str) -> list[str]:
    """Rows of a patient on maintenance (loading course done), given doses on these dates."""
    first, *rest = given
    out = [f"{pid},{first},given,pernicious-anaemia,yes,,,,,,,"]
    out += [f"{pid},{day},given,,,,,,,,," for day in rest]
    return out


def audit(text: str, *args: str) -> dict[str, Any]:
    """The worklist of `b12plan audit - --format json` for these rows; exit 0 required."""
    result = run("audit", "-", "--as-of", AS_OF, "--format", "json", *args, stdin=text)
    assert result.code == 0, result.err
    worklist: dict[str, Any] = result.json()
    return worklist


def entry(text: str, ref: str = "P") -> dict[str, Any]:
    """One patient's entry."""
    found = {e["ref"]: e for e in audit(text)["patients"]}
    return found[ref]


# ---------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("last_given", "status", "next_due", "days"),
    [
        ("2026-09-07", "due", "2026-12-07", None),  # due today
        ("2026-10-04", "due-soon", "2027-01-04", None),  # due in 28 days
        ("2026-10-05", "up-to-date", "2027-01-05", None),  # due in 29 days
        ("2026-09-06", "overdue", "2026-12-06", 1),  # overdue by 1 day
        ("2026-06-07", "overdue", "2026-09-07", 91),  # overdue by exactly one interval (3mo)
        ("2026-06-06", "lapsed", "2026-09-06", 92),  # one day more
    ],
)
def test_next_dose_boundaries(
    last_given: str, status: str, next_due: str, days: int | None
) -> None:
    """Due today, due in 28 and 29 days, overdue by 1 day, by exactly one interval and one day
    more: each gets the status, next_due and days_overdue the contract gives."""
    found = entry(rows(*on_record("P", last_given)))
    assert (found["status"], found["next_due"], found["days_overdue"]) == (status, next_due, days)
    assert found["last_given"] == last_given
    assert found["interval"] == "3mo"


@pytest.mark.parametrize(
    ("second", "codes"),
    [
        ("2026-06-08", ["on-time"]),  # 7 days late
        ("2026-06-09", ["late"]),  # 8 days late
        ("2026-05-25", ["on-time"]),  # 7 days early
        ("2026-05-24", ["early"]),  # 8 days early
    ],
)
def test_dose_timing_boundaries(second: str, codes: list[str]) -> None:
    """A maintenance dose 7 days late or early is on time; 8 days is late or early [C]."""
    found = entry(rows(*on_record("P", "2026-03-01", second)))
    assert [e["code"] for e in found["doses"][1]["evaluation"]] == codes
    assert found["doses"][1]["planned_date"] == "2026-06-01"


def test_a_due_within_narrower_than_the_next_dose_makes_up_to_date() -> None:
    """`--due-within 14d` looks 14 days ahead: a dose in 28 days is then up-to-date."""
    text = rows(*on_record("P", "2026-10-04"))
    worklist = audit(text, "--due-within", "14d")
    assert worklist["patients"][0]["status"] == "up-to-date"
    assert worklist["due_within"] == "14d"


# ---------------------------------------------------------------- each status


def test_each_status_in_worklist_order() -> None:
    """One patient of every status, listed in the contract's order: needs-review, blocked,
    lapsed and overdue (most days first), due, loading, due-soon, up-to-date, stopped."""
    text = rows(
        "R1,2026-13-01,given,pernicious-anaemia,,,,,,,,",  # no such date
        "B1,2026-11-02,given,pernicious-anaemia,,,,,,,,,2015-01-01",  # aged 11: blocked
        *on_record("L1", "2026-06-06"),
        *on_record("O1", "2026-09-06"),
        *on_record("O2", "2026-08-01"),
        *on_record("D1", "2026-09-07"),
        "N1,2026-12-06,given,pernicious-anaemia,,,,,,,,",  # in the loading course
        *on_record("S1", "2026-10-04"),
        *on_record("S2", "2026-09-20"),
        *on_record("U1", "2026-11-20"),
        *on_record("X1", "2026-06-06"),
        "X1,2026-11-30,stopped,,,,,,switched-to-oral,,,",
    )
    worklist = audit(text)
    listed = [(e["ref"], e["status"]) for e in worklist["patients"]]
    assert listed == [
        ("R1", "needs-review"),
        ("B1", "blocked"),
        ("L1", "lapsed"),
        ("O2", "overdue"),
        ("O1", "overdue"),
        ("D1", "due"),
        ("N1", "loading"),
        ("S2", "due-soon"),
        ("S1", "due-soon"),
        ("U1", "up-to-date"),
        ("X1", "stopped"),
    ]
    counts = worklist["summary"]["by_status"]
    assert list(counts) == [
        "needs-review",
        "blocked",
        "lapsed",
        "overdue",
        "due",
        "loading",
        "due-soon",
        "up-to-date",
        "stopped",
    ]
    assert counts["overdue"] == 2
    assert worklist["summary"]["patients"] == 11


def test_blocked_patient_still_reports_last_given_and_protocol() -> None:
    """A blocked plan has no doses, but the worklist still says when the last dose was given,
    on which protocol, and the block finding."""
    blocked = entry(rows("P,2026-11-02,given,pernicious-anaemia,,,,,,,,,2015-01-01"))
    assert blocked["status"] == "blocked"
    assert blocked["last_given"] == "2026-11-02"
    assert blocked["protocol"] == "uk-bnf-hydroxo-nonneuro"
    assert [f["code"] for f in blocked["findings"] if f["severity"] == "block"] == [
        "AGE_OUT_OF_SCOPE"
    ]
    assert blocked["next_due"] is None


def test_stopped_after_as_of_is_not_stopped_yet() -> None:
    """`stopped` dated after as_of does not make the patient stopped (yet): the next dose
    (2027-01-04), before the stop, is still due soon. (A dose after the stop date is not
    planned at all: reference, "Stopping treatment".)"""
    text = rows(*on_record("P", "2026-10-04"), "P,2027-01-10,stopped,,,,,,transferred-out,,,")
    assert entry(text)["status"] == "due-soon"
    later = rows(*on_record("P", "2026-10-04"), "P,2026-12-20,stopped,,,,,,transferred-out,,,")
    assert (entry(later)["status"], entry(later)["next_due"]) == ("up-to-date", None)


def test_stopped_without_a_reason_needs_review() -> None:
    """A stop with no reason is a problem of its row, naming the reasons allowed."""
    found = entry(rows(*on_record("P", "2026-10-04"), "P,2026-11-20,stopped,,,,,,,,,"))
    assert found["status"] == "needs-review"
    (problem,) = found["problems"]
    assert problem["row"] == 3
    assert problem["field"] == "reason"
    assert "cause-corrected" in problem["msg"]


def test_loading_when_the_next_dose_is_a_repletion_dose() -> None:
    """A patient a few doses into the loading course, the next due in two days, is loading."""
    found = entry(
        rows("P,2026-12-04,given,pernicious-anaemia,,,,,,,,", "P,2026-12-06,given,,,,,,,,,")
    )
    assert (found["status"], found["next_due"]) == ("loading", "2026-12-08")


def test_overdue_loading_dose_is_overdue_not_lapsed() -> None:
    """An overdue repletion dose is overdue however late: LAPSED concerns maintenance."""
    found = entry(rows("P,2026-06-01,given,pernicious-anaemia,,,,,,,,"))
    assert (found["status"], found["next_due"], found["days_overdue"]) == (
        "overdue",
        "2026-06-03",
        187,
    )


def test_tests_due_and_warnings_are_listed() -> None:
    """Follow-up tests due or overdue, and warning findings, are on the patient's entry."""
    found = entry(rows("P,2026-11-20,given,pernicious-anaemia,,,,,,,,"))
    assert {t["test"] for t in found["tests_due"]} >= {"reticulocytes and FBC"}
    assert "OVERDUE_DOSE" in [f["code"] for f in found["findings"]]
    assert all(f["severity"] in ("warning", "block") for f in found["findings"])


# ---------------------------------------------------------------- each evaluation


@pytest.mark.parametrize(
    ("second", "extra_cells", "codes"),
    [
        ("2026-06-01", ",,,,,,", ["on-time"]),
        ("2026-06-20", ",,,,,,", ["late"]),
        # Two months after the first: the record's own interval (INTERVAL_FROM_RECORD, issue 23).
        ("2026-05-01", ",,,,,,", ["on-time"]),
        ("2026-04-01", ",,,,,,", ["early", "extra"]),
        ("2026-06-01", "500,,,,,,", ["wrong-dose"]),
        ("2026-06-01", ",cyanocobalamin,,,,,", ["wrong-product"]),
        ("2026-06-01", ",,iv,,,,", ["wrong-route"]),
        ("2026-06-01", "500,,sc,,,,", ["wrong-dose", "wrong-route"]),
    ],
)
def test_each_dose_evaluation(second: str, extra_cells: str, codes: list[str]) -> None:
    """Each evaluation, alone and together, each with its reason."""
    lines = [
        "P,2026-03-01,given,pernicious-anaemia,yes,,,,,,,",
        f"P,{second},given,,,{extra_cells[:-1]}",
    ]
    found = entry(rows(*lines))
    evaluation = found["doses"][1]["evaluation"]
    assert [e["code"] for e in evaluation] == codes
    assert all(e["reason"] for e in evaluation)


def test_an_early_dose_is_early_against_the_interval_on_record() -> None:
    """03-01, 05-01, 08-01: the last gap (3 months) is the default, so 05-01 came early."""
    found = entry(
        rows(
            "P,2026-03-01,given,pernicious-anaemia,yes,,,,,,,",
            "P,2026-05-01,given,,,,,,,,,",
            "P,2026-08-01,given,,,,,,,,,",
        )
    )
    assert [e["code"] for e in found["doses"][1]["evaluation"]] == ["early"]


def test_a_dose_given_iv_is_history_not_a_block() -> None:
    """A dose recorded as given IV is wrong-route; the plan (IM) is not blocked."""
    found = entry(rows("P,2026-03-01,given,pernicious-anaemia,yes,,,iv,,,,"))
    assert found["status"] != "blocked"
    assert found["doses"][0]["evaluation"][0]["code"] == "wrong-route"
    assert found["doses"][0]["route"] == "iv"


def test_repletion_dose_sooner_than_the_shortest_gap_is_early() -> None:
    """A loading dose one day after the one before (the protocol's shortest gap is 2) is
    early; one 2 days late is on time, 3 days late is late."""
    found = entry(
        rows(
            "P,2026-11-02,given,pernicious-anaemia,,,,,,,,",
            "P,2026-11-03,given,,,,,,,,,",
            "P,2026-11-07,given,,,,,,,,,",
            "P,2026-11-13,given,,,,,,,,,",
        )
    )
    codes = [[e["code"] for e in d["evaluation"]] for d in found["doses"]]
    assert codes == [["on-time"], ["early"], ["on-time"], ["late"]]


# ---------------------------------------------------------------- bad rows, filters, formats


def test_needs_review_among_good_patients_lists_every_problem() -> None:
    """A patient with two unreadable rows is needs-review, naming each row and field and what
    is allowed; the others are planned, and the run exits 0."""
    text = rows(
        *on_record("A", "2026-10-04"),
        "BAD,2026-02-30,given,pernicious-anaemia,,,,,,,,",
        "BAD,2026-03-01,jab,,,,,,,,,",
        "BAD,2026-03-05,lab,,,,,,,b12,,ng/L",
        *on_record("C", "2026-09-07"),
    )
    worklist = audit(text)
    by_ref = {e["ref"]: e for e in worklist["patients"]}
    assert by_ref["A"]["status"] == "due-soon"
    assert by_ref["C"]["status"] == "due"
    bad = by_ref["BAD"]
    assert bad["status"] == "needs-review"
    assert [(p["row"], p["field"]) for p in bad["problems"]] == [
        (3, "date"),
        (4, "event"),
        (5, "value"),
    ]
    assert "given, missed" in bad["problems"][1]["msg"]
    assert worklist["patients"][0]["ref"] == "BAD"


def test_validation_problems_name_their_row() -> None:
    """A value the patient document refuses (a dose of 0 mcg) is located at its row."""
    text = rows("P,2026-03-01,given,pernicious-anaemia,yes,,,,,,,", "P,2026-06-01,given,,,0,,,,,,")
    (problem,) = entry(text)["problems"]
    assert (problem["row"], problem["field"]) == (3, "given[1].dose_mcg")


def test_status_filter_keeps_the_summary_whole() -> None:
    """`--status overdue,lapsed` lists only those; the summary still counts every patient."""
    text = rows(
        *on_record("A", "2026-09-06"), *on_record("B", "2026-06-06"), *on_record("C", "2026-11-20")
    )
    worklist = audit(text, "--status", "overdue,lapsed")
    assert [e["ref"] for e in worklist["patients"]] == ["B", "A"]
    assert worklist["summary"]["patients"] == 3
    assert worklist["summary"]["listed"] == 2
    assert worklist["statuses"] == ["overdue", "lapsed"]


def test_an_unknown_status_is_a_usage_error() -> None:
    """`--status` names the statuses allowed: exit 2, one line."""
    result = run("audit", "-", "--status", "late", stdin=rows(*on_record("A", "2026-09-06")))
    assert result.code == 2
    assert result.err.startswith("b12plan: error: status: 'late' is not a status; allowed:")
    assert result.out == ""


def test_an_unreadable_file_is_exit_2_with_one_line(tmp_path: Any) -> None:
    """A file without the required columns, or missing, is exit 2 with one line, nothing out."""
    result = run("audit", "-", stdin="id,when\n1,2026-01-01\n")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "no column patient_id, date, event" in result.err
    missing = run("audit", str(tmp_path / "nothing.csv"))
    assert missing.code == 2
    assert "cannot read" in missing.err


def test_csv_and_ndjson_are_one_patient_a_line() -> None:
    """csv has a header and one row a patient; ndjson one object a patient, in the same order."""
    text = rows(*on_record("A", "2026-09-06"), *on_record("B", "2026-06-06"))
    as_csv = run("audit", "-", "--as-of", AS_OF, "--format", "csv", stdin=text)
    table = list(csv.DictReader(io.StringIO(as_csv.out)))
    assert [(r["ref"], r["status"], r["days_overdue"]) for r in table] == [
        ("B", "lapsed", "92"),
        ("A", "overdue", "1"),
    ]
    assert as_csv.out.endswith("\r\n")
    as_ndjson = run("audit", "-", "--as-of", AS_OF, "--format", "ndjson", stdin=text)
    lines = [json.loads(line) for line in as_ndjson.out.splitlines()]
    assert [line["ref"] for line in lines] == ["B", "A"]
    assert lines[0]["doses"][0]["evaluation"][0]["code"] == "on-time"


def test_csv_cells_never_run_as_formulas() -> None:
    """A ref a spreadsheet would run as a formula is written as text."""
    text = rows(*on_record("=HYPERLINK(1)", "2026-09-06"))
    result = run("audit", "-", "--as-of", AS_OF, "--format", "csv", stdin=text)
    assert "\n'=HYPERLINK(1),overdue," in result.out


def test_table_has_a_summary_line_and_one_line_a_patient() -> None:
    """The table opens with the date and settings, then the counts, then one line a patient
    (notes too long for their column under it, indented), each no wider than the terminal."""
    text = rows(*on_record("A", "2026-09-06"), *on_record("B", "2026-06-06"))
    result = run("audit", "-", "--as-of", AS_OF, stdin=text)
    lines = result.out.splitlines()
    assert lines[0] == "b12plan audit, as of 2026-12-07; due-soon within 28d; no settings file"
    assert lines[1] == "2 patients: 1 lapsed, 1 overdue"
    assert lines[3].split()[:2] == ["status", "ref"]
    patients = [line.split()[:2] for line in lines[4:] if not line.startswith("  ")]
    assert patients == [["lapsed", "B"], ["overdue", "A"]]
    assert all(len(line) <= 120 for line in lines)


def test_table_fits_a_narrow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 60 columns every line still fits: the columns that matter least go first."""
    monkeypatch.setenv("COLUMNS", "60")
    result = run("audit", "-", "--as-of", AS_OF, stdin=rows(*on_record("A", "2026-09-06")))
    assert all(len(line) <= 60 for line in result.out.splitlines())
    # Notes too long for their column go whole under the row (the transfer-in's 3-month
    # review is due too), never cut off (issue 22).
    lines = result.out.splitlines()
    at = lines.index("overdue       A               2026-12-06")
    assert lines[at + 1] == "  OVERDUE_DOSE; tests: clinical review"
    assert "…" not in result.out


def test_table_colours_the_status_on_request() -> None:
    """With --color the status is coloured (ANSI), the rest plain."""
    result = run(
        "audit", "-", "--as-of", AS_OF, "--color", stdin=rows(*on_record("A", "2026-06-06"))
    )
    assert "\x1b[1;31mlapsed\x1b[0m" in result.out


def test_python_audit_gives_the_json_worklist(tmp_path: Any) -> None:
    """`b12plan.audit`'s worklist, as a dict, is the document `audit --format json` writes;
    its head, its entries and its JSON Lines are that document's parts."""
    path = tmp_path / "records.csv"
    text = rows(*on_record("A", "2026-09-06"), *on_record("B", "2026-06-06"))
    path.write_text(text, encoding="utf-8")
    written = audit(text)
    with b12plan.audit(path, as_of=AS_OF) as worklist:
        assert isinstance(worklist, b12plan.Worklist)
        assert worklist.to_dict() == written
        assert worklist.head == {k: v for k, v in written.items() if k != "patients"}
        assert list(worklist) == written["patients"]
        assert [json.loads(line) for line in worklist.to_json_lines()] == written["patients"]
        assert worklist.internal_errors == 0
    ndjson = run("audit", "-", "--as-of", AS_OF, "--format", "ndjson", stdin=text)
    with b12plan.audit(path, as_of=AS_OF) as worklist:
        assert b"".join(worklist.to_json_lines()).decode() == ndjson.out


def test_a_worklist_streams_its_entries_from_disk_and_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The entries are read back one at a time, again on each iteration, from a temporary
    file that `close()` removes; a closed worklist says so rather than reading nothing."""
    path = tmp_path / "records.csv"
    path.write_text(
        rows(*(line for n in range(5) for line in on_record(f"P{n}", "2026-09-06"))),
        encoding="utf-8",
    )
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    worklist = b12plan.audit(path, as_of=AS_OF, status=["overdue"])
    entries = iter(worklist)
    assert next(entries)["ref"] == "P0"  # one read, the rest still on disk
    assert [e["ref"] for e in worklist] == ["P0", "P1", "P2", "P3", "P4"]
    assert list(temporary.iterdir())
    worklist.close()
    assert list(temporary.iterdir()) == []
    with pytest.raises(ValueError, match="the worklist is closed"):
        list(worklist)


@pytest.mark.usefixtures("forks")
def test_jobs_give_the_same_worklist() -> None:
    """`--jobs 2` plans on two processes; the worklist is the same bytes."""
    text = rows(
        *(
            line
            for n in range(30)
            for line in on_record(f"P{n:02d}", f"2026-{n % 12 + 1:02d}-0{n % 9 + 1}")
        )
    )
    one = run("audit", "-", "--as-of", AS_OF, "--format", "json", stdin=text)
    two = run("audit", "-", "--as-of", AS_OF, "--format", "json", "--jobs", "2", stdin=text)
    assert one.code == two.code == 0
    assert one.out == two.out


# ---------------------------------------------------------------- issue 23's rules


def test_a_stopped_patient_owes_no_dose() -> None:
    """Stopped on or before as_of: nothing is owed any more, so no OVERDUE_DOSE finding."""
    found = entry(rows(*on_record("P", "2026-06-06"), "P,2026-11-30,stopped,,,,,,died,,,"))
    assert found["status"] == "stopped"
    assert "OVERDUE_DOSE" not in [f["code"] for f in found["findings"]]


def test_censored_lab_values_and_an_inr_without_unit_are_read() -> None:
    """`<50` ng/L and an INR with no unit, as lab reports print them, are read."""
    found = entry(
        rows(
            *on_record("P", "2026-10-04"),
            "P,2026-11-02,lab,,,,,,,b12,<50,ng/L",
            "P,2026-11-30,lab,,,,,,,inr,2.5,",
        )
    )
    assert found["status"] != "needs-review"


def test_a_lapsed_patient_has_the_lapsed_warning() -> None:
    """The lapsed status comes with the plan's LAPSED warning (how long without B12)."""
    found = entry(rows(*on_record("P", "2026-06-06")))
    assert found["status"] == "lapsed"
    assert "LAPSED" in [f["code"] for f in found["findings"]]


def test_a_past_lapse_gives_the_finding_not_the_status() -> None:
    """A maintenance dose given more than two intervals after the one before is a past lapse:
    LAPSED is among the findings, but the patient, back on treatment, is not lapsed."""
    found = entry(rows(*on_record("P", "2026-01-05", "2026-09-20")))
    assert found["status"] == "due-soon"
    assert "LAPSED" in [f["code"] for f in found["findings"]]


def test_the_audit_docstring_example_runs() -> None:
    """The example in `b12plan.audit`'s docstring runs, as a doctest, and passes."""
    import doctest

    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner()
    for test in finder.find(b12plan.audit, "audit", globs={}):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert results.attempted >= 4
    assert results.failed == 0


def test_ndjson_lines_are_the_renderers() -> None:
    """The ndjson the command writes from its store is byte for byte what the renderer writes
    from the worklist's entries."""
    from b12plan.render.worklist import worklist_ndjson

    text = rows(*on_record("A", "2026-09-06"), *on_record("B", "2026-06-06", "2026-09-01"))
    worklist = audit(text)
    result = run("audit", "-", "--as-of", AS_OF, "--format", "ndjson", stdin=text)
    assert result.out == "".join(worklist_ndjson(worklist["patients"]))


def test_the_prescribers_regimen_is_checked_against_the_protocol() -> None:
    """A `regimen` cell is read as `check` reads it: a prescription off the protocol adds its
    findings; wording that cannot be read is a problem of its row."""
    head = "patient_id,date,event,cause,repletion_done,regimen\n"
    good = head + "P,2026-10-04,given,pernicious-anaemia,yes,1000mcg im every 3mo\n"
    assert entry(good)["findings"] == []
    off = head + "P,2026-10-04,given,pernicious-anaemia,yes,500mcg im every 3mo\n"
    messages = [f["message"] for f in entry(off)["findings"]]
    assert messages
    assert all(m.startswith("the prescribed regimen: ") for m in messages)
    bad = head + "P,2026-10-04,given,pernicious-anaemia,yes,lots now and then\n"
    (problem,) = entry(bad)["problems"]
    assert (problem["row"], problem["field"]) == (2, "regimen")


def test_the_regimen_column_reads_prescribers_wording() -> None:
    """The prescriber's own words are read (as `check --regimen` reads them); a range that
    could mean two intervals is a problem naming the words, never a guess."""
    head = "patient_id,date,event,cause,repletion_done,regimen\n"
    written = (
        head + "P,2026-10-04,given,pernicious-anaemia,yes,hydroxocobalamin 1 mg IM 3 monthly\n"
    )
    assert entry(written)["findings"] == []
    monthly = head + "P,2026-10-04,given,pernicious-anaemia,yes,1mg IM monthly\n"
    assert [f["code"] for f in entry(monthly)["findings"]]
    ranged = head + "P,2026-10-04,given,pernicious-anaemia,yes,1mg every 2-3 months\n"
    (problem,) = entry(ranged)["problems"]
    assert problem["row"] == 2
    assert "2-3 months" in problem["msg"]


def test_a_long_standing_transfer_in_has_the_review_the_plan_has() -> None:
    """A transfer-in on record since March: the worklist's one test due is the plan's, the
    review 3 months after the first dose on record (the reference's settled reading), overdue
    by its date, and the plan says where it counts from."""
    found = entry(rows(*on_record("P", "2026-03-02", "2026-06-01", "2026-09-01")))
    plan = plan_for(
        {
            "cause": "pernicious-anaemia",
            "repletion_done": True,
            "given": ["2026-03-02", "2026-06-01", "2026-09-01"],
        },
        AS_OF,
    )
    assert plan["follow_up"] == [
        {
            "date": "2026-06-02",
            "until": None,
            "test": "clinical review",
            "why": "clinical review 3 months after the first dose on record",
            "source": "NHS-PRACTICE",
            "status": "overdue",
        }
    ]
    shown = [{k: f[k] for k in ("test", "date", "until", "status")} for f in plan["follow_up"]]
    assert found["tests_due"] == shown
