"""`schedule --explain`: the chain of rules (protocol step, anchor, adjustment) behind each dose."""

from __future__ import annotations

import re
from typing import Any

from tests.conftest import run_patient

# Non-neuro AIG patient: dose 3 given a day late (due 01-09, given 01-10), the rest on time;
# maintenance given 04-17; symptoms on 05-20 shorten 3mo -> 2mo, next dose the later of
# 05-20 and 04-17 + 2mo = 06-17.
PATIENT: dict[str, Any] = {
    "start": "2026-01-05",
    "cause": "autoimmune-gastritis",
    "given": [
        "2026-01-05",
        "2026-01-07",
        "2026-01-10",
        "2026-01-13",
        "2026-01-15",
        "2026-01-17",
        "2026-04-17",
    ],
    "symptoms_returned": ["2026-05-20"],
    "until": "2026-10-31",
}
AS_OF = "2026-05-20"
REPLETION = (
    "protocol uk-bnf-hydroxo-nonneuro, repletion segment 1 of 1: 1 mg 3 times a week for "
    "2 weeks (BNF-HYDROXO)"
)
SHORTENED = (
    "adjusted: symptoms returned on 2026-05-20: interval shortened one step, every 3 months to "
    "every 2 months; next dose the later of 2026-05-20 and last dose 2026-04-17 + 2mo = 2026-06-17"
)
# Each maintenance dose names the decision in force that placed it.
DEFAULT = "every 3mo, the protocol's default (SMPC-HYDROXO)"
SHORTER = "every 2mo from 2026-05-20 (INTERVAL_SHORTENED, symptoms returned on 2026-05-20)"
CHAINS: list[tuple[str, list[str]]] = [
    ("2026-01-05", [REPLETION, "first dose on the start date 2026-01-05"]),
    ("2026-01-07", [REPLETION, "previous dose (given 2026-01-05) + 2 days"]),
    (
        "2026-01-10",
        [
            REPLETION,
            "previous dose (given 2026-01-07) + 2 days",
            "given 2026-01-10, planned 2026-01-09: later doses follow it",
        ],
    ),
    ("2026-01-13", [REPLETION, "previous dose (given 2026-01-10) + 3 days"]),
    ("2026-01-15", [REPLETION, "previous dose (given 2026-01-13) + 2 days"]),
    ("2026-01-17", [REPLETION, "previous dose (given 2026-01-15) + 2 days"]),
    (
        "2026-04-17",
        [
            "maintenance every 3mo (SMPC-HYDROXO)",
            f"interval in force: {DEFAULT}",
            "anchor 2026-01-17 (the last repletion dose) + 1 x 3mo = 2026-04-17",
        ],
    ),
    (
        "2026-06-17",
        [
            "maintenance every 2mo (SMPC-HYDROXO)",
            f"interval in force: {SHORTER}",
            "anchor 2026-06-17 (the adjusted dose): this dose",
            SHORTENED,
        ],
    ),
    (
        "2026-08-17",
        [
            "maintenance every 2mo (SMPC-HYDROXO)",
            f"interval in force: {SHORTER}",
            "anchor 2026-06-17 (the adjusted dose) + 1 x 2mo = 2026-08-17",
        ],
    ),
    (
        "2026-10-17",
        [
            "maintenance every 2mo (SMPC-HYDROXO)",
            f"interval in force: {SHORTER}",
            "anchor 2026-06-17 (the adjusted dose) + 2 x 2mo = 2026-10-17",
        ],
    ),
]


def test_json_explain_gives_each_dose_its_chain() -> None:
    """With --explain each dose carries its trace: protocol step, anchor, then any adjustment."""
    result = run_patient(PATIENT, "--as-of", AS_OF, "--format", "json", "--explain")
    assert result.code == 0, result.err
    doses = result.json()["doses"]
    assert [(d["date"], d["trace"]) for d in doses] == CHAINS
    assert doses[2]["planned_date"] == "2026-01-09"


def test_json_without_explain_has_no_trace() -> None:
    """The plan document carries no trace unless --explain is given."""
    result = run_patient(PATIENT, "--as-of", AS_OF, "--format", "json")
    assert all("trace" not in dose for dose in result.json()["doses"])


def _doses(table: str) -> dict[str, tuple[str, str]]:
    """Each injection row keyed by date: the reason heading its run, and the row with the lines
    under it (wrapped lines joined by a space)."""
    lines = table.splitlines()
    header = next(i for i, line in enumerate(lines) if re.match(r"\s+#\s+date\s+day", line))
    reason, current = "", ""
    rows: dict[str, list[str]] = {}
    for line in lines[header + 2 :]:
        if not line.strip():
            break
        heading = re.match(r" (?:repletion|maintenance): (.*)", line)
        found = re.match(r"\s+\d+\s+(\d{4}-\d{2}-\d{2})\s", line)
        if heading:
            reason, current = heading.group(1), ""
        elif found:
            current = found.group(1)
            rows[current] = [reason, line.strip()]
        elif current:
            rows[current][1] += " " + line.strip()
        else:
            reason += " " + line.strip()
    return {day: (why, " ".join(row.split())) for day, (why, row) in rows.items()}


def test_table_explain_shows_each_chain_under_the_dose() -> None:
    """The table shows each step as a `>` line under the dose's row, in order, below the reason
    that heads its run."""
    result = run_patient(PATIENT, "--as-of", AS_OF, "--explain")
    assert result.code == 0, result.err
    rows = _doses(result.out)
    assert list(rows) == [day for day, _ in CHAINS]
    for day, chain in CHAINS:
        shown = rows[day][1]
        positions = [shown.index("> " + " ".join(step.split())) for step in chain]
        assert positions == sorted(positions), day
    assert rows["2026-01-10"][0] == "1 mg 3 times a week for 2 weeks (BNF-HYDROXO)"


def test_table_shows_when_a_late_dose_was_due() -> None:
    """A dose given off its planned date says "was due DATE" on its row."""
    result = run_patient(PATIENT, "--as-of", AS_OF)
    reason, row = _doses(result.out)["2026-01-10"]
    assert reason == "1 mg 3 times a week for 2 weeks (BNF-HYDROXO)"
    assert row.endswith("given was due 2026-01-09")


def test_table_without_explain_has_no_chain() -> None:
    """Without --explain the table shows only the reason heading each run of doses."""
    result = run_patient(PATIENT, "--as-of", AS_OF)
    rows = _doses(result.out)
    assert rows["2026-01-05"][0] == "1 mg 3 times a week for 2 weeks (BNF-HYDROXO)"
    assert rows["2026-08-17"][0] == (
        "1000 mcg every 2 months (SMPC-HYDROXO); shortened after symptoms returned on "
        "2026-05-20 (NICE-NG239)"
    )
    assert not any(">" in row for _, row in rows.values())


def test_explain_after_a_late_maintenance_dose_and_an_overdue_one() -> None:
    """A late maintenance dose re-anchors; after an overdue dose the next ones count from the
    day it is re-planned as given (as_of), and their traces say so."""
    given = [
        *("2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-10"),
        *("2026-01-11", "2026-01-18", "2026-01-25", "2026-02-01", "2026-02-08"),
        *("2026-03-10", "2026-04-10", "2026-05-10"),
    ]
    doc = {
        "start": "2026-01-05",
        "cause": "autoimmune-gastritis",
        "product": "cyanocobalamin",
        "given": given,
        "labs": ["b12=500 ng/L@2026-04-01"],
        "until": "2026-09-30",
    }
    result = run_patient(doc, "--as-of", "2026-06-20", "--format", "json", "--explain")
    traces = {d["date"]: d["trace"] for d in result.json()["doses"]}
    assert traces["2026-03-10"] == [
        "maintenance every 1mo (STABLER-2013)",
        "interval in force: every 1mo, the protocol's default (STABLER-2013)",
        "anchor 2026-02-08 (the last repletion dose) + 1 x 1mo = 2026-03-08",
        "given 2026-03-10, planned 2026-03-08: re-anchored",
    ]
    assert traces["2026-04-10"][2] == (
        "anchor 2026-03-10 (a dose given off its planned date) + 1 x 1mo = 2026-04-10"
    )
    assert traces["2026-06-10"][2] == (
        "anchor 2026-03-10 (a dose given off its planned date) + 3 x 1mo = 2026-06-10"
    )
    assert traces["2026-07-20"] == [
        "maintenance every 1mo (STABLER-2013)",
        "interval in force: every 1mo, the protocol's default (STABLER-2013)",
        "anchor 2026-06-20 (overdue dose 2026-06-10 re-planned as given) + 1 x 1mo = 2026-07-20",
        "re-planned as if the overdue dose of 2026-06-10 were given on 2026-06-20",
    ]
    assert traces["2026-09-20"][2] == (
        "anchor 2026-06-20 (overdue dose 2026-06-10 re-planned as given) + 3 x 1mo = 2026-09-20"
    )


def test_explain_names_the_clinician_decision_that_placed_each_dose() -> None:
    """After a dated clinician change, each later dose's trace names that decision."""
    doc = {**PATIENT, "symptoms_returned": []}
    doc["interval_changes"] = [
        {"date": "2026-05-01", "interval": "2mo", "reason": "tired before each dose"}
    ]
    result = run_patient(doc, "--as-of", "2026-05-20", "--format", "json", "--explain")
    traces = {d["date"]: d["trace"] for d in result.json()["doses"]}
    decided = (
        "interval in force: every 2mo from 2026-05-01 (CLINICIAN_INTERVAL, the clinician's "
        "decision: tired before each dose)"
    )
    # Given before the change: judged under the default; next = later of 05-01, 04-17 + 2mo.
    assert traces["2026-04-17"][1] == f"interval in force: {DEFAULT}"
    assert traces["2026-06-17"][1:3] == [
        decided,
        "anchor 2026-06-17 (the clinician's change on 2026-05-01): this dose",
    ]
    assert traces["2026-08-17"][1] == decided
