"""Stderr lines that keep a blocked or incomplete plan from being lost in a dose-only format.

ndjson, csv, ics and fhir carry doses, not the plan's `complete` flag or its block findings: a
blocked plan is an empty ndjson, a csv header or an empty calendar, which a script could take
for "nothing to do". So the CLI writes these lines to stderr alongside the document.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.contract.text import printable
from b12plan.contract.vocab import is_blocked
from b12plan.render.cite import cited

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument, PlanDocument

# The findings that explain why a plan that is not blocked is incomplete (the engine marks
# a plan incomplete only while open-ended neuro repletion waits for `repletion_end`).
INCOMPLETE_CODES = frozenset({"NEURO_REPLETION_OPEN"})


def _line(kind: str, finding: FindingDocument) -> str:
    code, message, source = finding["code"], finding["message"], finding["source"]
    return printable(f"b12plan: {kind}: {code}: {cited(message, source)}")


def plan_notices(plan: PlanDocument) -> list[str]:
    """One line per block finding of a blocked plan, or per reason a plan is incomplete."""
    findings = plan["findings"]
    if is_blocked(plan):
        return [_line("blocked", f) for f in findings if f["severity"] == "block"]
    if plan["complete"]:
        return []
    reasons = [_line("incomplete", f) for f in findings if f["code"] in INCOMPLETE_CODES]
    return reasons or ["b12plan: incomplete: the plan is marked complete: false"]
