"""Stage 9, the findings: the safety blocks and the patient's own findings (the tables of
`engine/findings.py`), then what the stages raised about the schedule, most severe first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from b12plan.contract.vocab import SEVERITY_RANK
from b12plan.engine.facts import largest_dose_mcg
from b12plan.engine.findings import patient_findings

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument
    from b12plan.engine.stages.state import Planning


def run(state: Planning) -> None:
    """Gather every finding of the plan, in order."""
    raised = state.raised
    if state.ended:
        raised = [f for f in raised if f["code"] != "NEURO_REPLETION_OPEN"]
    # The volume is judged by the largest dose: its own is the largest volume.
    patient = patient_findings(state.facts, (largest_dose_mcg(state.protocol),))
    state.findings = _ordered([*state.blocks, *patient, *raised])


def _ordered(findings: Sequence[FindingDocument]) -> list[FindingDocument]:
    """Most severe first; within a severity, the order the rules raised them."""
    return sorted(findings, key=lambda f: SEVERITY_RANK[f["severity"]])
