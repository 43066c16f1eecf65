"""The plan's doses as flat rows, one a dose: `ndjson` (one JSON object a line) and `csv`.

Both formats share one row definition (`ROW_FIELDS`) so that a script can switch between
them without renaming anything. Only the doses travel: a blocked plan has no doses (empty
ndjson, a csv header alone) and the CLI reports its block findings on stderr.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from b12plan.contract.vocab import DAY_NAMES
from b12plan.render.held import held_reason

ROW_FIELDS = (
    "n",
    "date",
    "weekday",
    "phase",
    "dose_mcg",
    "volume_ml",
    "route",
    "status",
    "why",
    "planned_date",
    "site",
    "protocol",
    "moved_from",
    "missed_date",
    "missed_reason",
    "held",
    "ref",
)
REF_FIELD = "ref"
"""Always the last field (the contract's `ref`, null without one), after the trace too."""

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument, PlanDocument
"""The fields of one dose row, in column order (`moved_from` and the two `missed_` fields
added with "Records over time": a dose moved off a clinic closure, and the recorded miss a dose
answers to; `held` with treatment as it happens: why the dose waits, e.g. on an INR check; and
last the patient's `ref`)."""
TRACE_FIELD = "trace"
"""Added before `ref` with `--explain`: the chain of rules that placed the dose."""
TRACE_JOIN = " > "
"""How csv flattens a trace into one cell (ndjson keeps it a JSON list)."""


def dose_row(
    dose: DoseDocument, protocol_id: str, *, explain: bool = False, ref: str | None = None
) -> dict[str, Any]:
    """One dose as a flat row of JSON values (None where the plan has null)."""
    when, planned, moved, missed = (
        dose["date"],
        dose["planned_date"],
        dose["moved_from"],
        dose["missed"],
    )
    row: dict[str, Any] = {
        "n": dose["n"],
        "date": when.isoformat(),
        "weekday": DAY_NAMES[when.weekday()][:3],
        "phase": dose["phase"],
        "dose_mcg": dose["dose_mcg"],
        "volume_ml": dose["volume_ml"],
        "route": dose["route"],
        "status": dose["status"],
        "why": dose["why"],
        "planned_date": None if planned is None else planned.isoformat(),
        "site": dose["site"],
        "protocol": protocol_id,
        "moved_from": None if moved is None else moved.isoformat(),
        "missed_date": None if missed is None else missed["date"].isoformat(),
        "missed_reason": None if missed is None else missed["reason"],
        "held": held_reason(dose),
    }
    if explain:
        row[TRACE_FIELD] = list(dose.get("trace", ()))
    row[REF_FIELD] = ref
    return row


def dose_rows(plan: PlanDocument, *, explain: bool = False) -> list[dict[str, Any]]:
    """Every dose of the plan, in order."""
    protocol_id, ref = plan["protocol"]["id"], plan.get("ref")
    return [dose_row(d, protocol_id, explain=explain, ref=ref) for d in plan["doses"]]


def plan_ndjson(plan: PlanDocument, *, explain: bool = False) -> str:
    """One compact JSON object a dose, each ending with `\\n`; nothing for a plan without doses."""
    return "".join(
        json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"
        for row in dose_rows(plan, explain=explain)
    )


# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = TRACE_JOIN.join(value)
    if isinstance(value, str):
        # Free text (an injection site, a custom protocol's wording) must not run in a
        # spreadsheet: a leading quote makes it text, as OWASP advises.
        return f"'{value}" if value.startswith(FORMULA_STARTS) else value
    # str() of an int or float is its JSON spelling (1000, 1.0, 0.63): the same as ndjson.
    return str(value)


def plan_csv(plan: PlanDocument, *, explain: bool = False) -> str:
    """A header row, then one row a dose; `\\r\\n` line ends (RFC 4180), empty cells for null."""
    fields = [*ROW_FIELDS[:-1], *([TRACE_FIELD] if explain else []), REF_FIELD]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(fields)
    for row in dose_rows(plan, explain=explain):
        writer.writerow([_cell(row[name]) for name in fields])
    return buffer.getvalue()
