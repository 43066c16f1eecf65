"""`--format ndjson` and `--format csv`: one row a dose, the same fields in both."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from b12plan.render.rows import ROW_FIELDS
from tests.conftest import EXAMPLES, run

LATE = str(EXAMPLES / "patient-history-late-dose.json")
AS_OF = ("--as-of", "2026-11-24")


def _ndjson(*args: str) -> list[dict[str, object]]:
    result = run("schedule", LATE, *AS_OF, "--format", "ndjson", *args)
    assert result.code == 0, result.err
    assert result.out.endswith("\n")
    return [json.loads(line) for line in result.out.split("\n")[:-1]]


def _csv(*args: str) -> tuple[str, list[dict[str, str]]]:
    result = run("schedule", LATE, *AS_OF, "--format", "csv", *args)
    assert result.code == 0, result.err
    return result.out, list(csv.DictReader(io.StringIO(result.out, newline="")))


def test_ndjson_has_one_row_per_dose_with_the_documented_fields() -> None:
    """Each line is one dose with exactly the documented fields, in order, values from the plan."""
    plan = run("schedule", LATE, *AS_OF, "--format", "json").json()
    records = _ndjson()
    assert len(records) == len(plan["doses"]) == 14
    for record, dose in zip(records, plan["doses"], strict=True):
        assert tuple(record) == ROW_FIELDS
        assert record["protocol"] == "uk-bnf-hydroxo-nonneuro"
        for name in ("n", "date", "phase", "dose_mcg", "volume_ml", "route", "status", "why"):
            assert record[name] == dose[name]
        assert record["planned_date"] == dose.get("planned_date")
        assert record["site"] == dose.get("site")


def test_ndjson_records_the_given_late_dose_exactly() -> None:
    """The late dose keeps its planned date and site; planned doses have nulls there."""
    records = _ndjson()
    assert records[6] == {
        "n": 7,
        "date": "2026-08-24",
        "weekday": "Mon",
        "phase": "maintenance",
        "dose_mcg": 1000,
        "volume_ml": 1.0,
        "route": "im",
        "status": "given",
        "why": "1000 mcg every 3 months (SMPC-HYDROXO)",
        "planned_date": "2026-08-15",
        "site": "left deltoid",
        "protocol": "uk-bnf-hydroxo-nonneuro",
        "moved_from": None,
        "missed_date": None,
        "missed_reason": None,
        "held": None,
        "ref": None,
    }
    assert records[7]["planned_date"] is None
    assert records[7]["site"] is None
    assert records[7]["status"] == "overdue"


def test_ndjson_lines_are_compact_json() -> None:
    """One compact object a line: no spaces after separators, no blank lines."""
    result = run("schedule", LATE, *AS_OF, "--format", "ndjson")
    first = result.out.split("\n")[0]
    assert first.startswith('{"n":1,"date":"2026-05-04","weekday":"Mon","phase":"repletion",')
    assert "\n\n" not in result.out


def test_csv_has_a_header_crlf_rows_and_empty_cells_for_null() -> None:
    """A header of the documented fields, `\\r\\n` line ends, null as an empty cell."""
    text, rows = _csv()
    lines = text.split("\r\n")
    assert lines[0] == ",".join(ROW_FIELDS)
    assert lines[-1] == ""
    assert "\n" not in text.replace("\r\n", "")
    assert lines[1] == (
        "1,2026-05-04,Mon,repletion,1000,1.0,im,given,"
        "1 mg 3 times a week for 2 weeks (BNF-HYDROXO),,,uk-bnf-hydroxo-nonneuro,,,,,"
    )
    assert rows[6]["site"] == "left deltoid"
    assert rows[7]["planned_date"] == ""


def test_csv_and_ndjson_carry_the_same_values() -> None:
    """Every csv cell is the ndjson value spelt as text (null as empty)."""
    _, rows = _csv()
    records = _ndjson()
    assert len(rows) == len(records)
    for row, record in zip(rows, records, strict=True):
        assert row == {k: "" if v is None else str(v) for k, v in record.items()}


def test_csv_quotes_cells_with_commas() -> None:
    """A `why` with a comma or semicolon stays one cell (csv quoting round-trips)."""
    _, rows = _csv()
    shortened = rows[7]["why"]
    assert shortened == (
        "1000 mcg every 2 months (SMPC-HYDROXO); shortened after symptoms returned on "
        "2026-11-10 (NICE-NG239)"
    )


def test_explain_adds_a_trace_list_to_ndjson_and_a_joined_cell_to_csv() -> None:
    """`--explain` adds `trace` before `ref` (always last): a JSON list in ndjson, steps
    joined by ' > ' in csv."""
    plan = run("schedule", LATE, *AS_OF, "--format", "json", "--explain").json()
    records = _ndjson("--explain")
    text, rows = _csv("--explain")
    assert text.split("\r\n")[0] == ",".join([*ROW_FIELDS[:-1], "trace", "ref"])
    for record, row, dose in zip(records, rows, plan["doses"], strict=True):
        assert list(record)[-2:] == ["trace", "ref"]
        assert record["trace"] == dose["trace"]
        assert row["trace"] == " > ".join(dose["trace"])
    assert records[6]["trace"][-1] == "given 2026-08-24, planned 2026-08-15: re-anchored"


def test_without_explain_there_is_no_trace() -> None:
    """Records carry no trace unless asked for."""
    assert all("trace" not in r for r in _ndjson())
    assert "trace" not in _csv()[0].split("\r\n")[0]


def test_weekday_is_english_whatever_the_dates() -> None:
    """Weekdays are fixed three-letter English names matching the date."""
    names = {"Mon": 0, "Tue": 1, "Wed": 2, "Thu": 3, "Fri": 4, "Sat": 5, "Sun": 6}
    for record in _ndjson():
        day = date.fromisoformat(str(record["date"]))
        assert names[str(record["weekday"])] == day.weekday()


def test_csv_neutralises_spreadsheet_formulas_in_free_text() -> None:
    """A site typed as a formula reaches csv as text (a leading quote), ndjson unchanged."""
    patient = {
        "start": "2026-05-04",
        "cause": "dietary",
        "given": [{"date": "2026-05-04", "site": '=HYPERLINK("http://x","left deltoid")'}],
    }
    args = ("schedule", "-", *AS_OF)
    _, *rows = list(
        csv.reader(io.StringIO(run(*args, "--format", "csv", stdin=json.dumps(patient)).out))
    )
    assert rows[0][ROW_FIELDS.index("site")] == '\'=HYPERLINK("http://x","left deltoid")'
    ndjson = run(*args, "--format", "ndjson", stdin=json.dumps(patient)).out.splitlines()
    assert json.loads(ndjson[0])["site"] == '=HYPERLINK("http://x","left deltoid")'
    for start in ("+", "-", "@"):
        patient["given"] = [{"date": "2026-05-04", "site": f"{start}1"}]
        out = run(*args, "--format", "csv", stdin=json.dumps(patient)).out
        assert list(csv.reader(io.StringIO(out)))[1][ROW_FIELDS.index("site")] == f"'{start}1"


def test_rows_carry_a_moved_dose_and_a_recorded_miss() -> None:
    """The interval-changed example: dose 9 answers to the miss of 07-17 (did not attend); the
    transfer-in example: dose 4 moved off Christmas Day."""
    changed = run(
        "schedule", str(EXAMPLES / "patient-interval-changed.json"), *AS_OF, "--format", "ndjson"
    ).out.splitlines()
    dose = json.loads(changed[8])
    assert (dose["n"], dose["missed_date"], dose["missed_reason"]) == (
        9,
        "2026-07-17",
        "did-not-attend",
    )
    moved = run(
        "schedule", str(EXAMPLES / "patient-transfer-in.json"), *AS_OF, "--format", "csv"
    ).out
    row = list(csv.DictReader(io.StringIO(moved, newline="")))[3]
    assert (row["date"], row["moved_from"]) == ("2026-12-29", "2026-12-25")
