"""The engine's plain documents and the models agree, field for field and byte for byte.

Every format is written from the plain plan and check documents; `build_plan` and the library's
`plan()` and `check()` validate them into `Plan` and `CheckReport` (the models behind the JSON
Schemas). Nothing may tell them apart.
"""

from __future__ import annotations

from datetime import date
from typing import Any, get_type_hints

import pytest
from hypothesis import HealthCheck, given, settings

from b12plan.contract import documents as doc
from b12plan.contract.models import (
    Adjustment,
    CheckFinding,
    CheckReport,
    Converted,
    Dose,
    Finding,
    FollowUp,
    Generator,
    Inputs,
    IntervalInForce,
    LabResult,
    Maintenance,
    MissedRef,
    Plan,
    ProtocolRef,
    Read,
    ReadStep,
    RegimenView,
    StepView,
)
from b12plan.contract.validation import validated
from b12plan.contract.vocab import is_blocked
from b12plan.engine.plan import build_plan, plan_document
from b12plan.render.jsonout import plan_document_bytes, plan_document_json, plan_json
from tests.strategies import patients

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PAIRS = [
    (doc.PlanDocument, Plan),
    (doc.GeneratorDocument, Generator),
    (doc.ProtocolDocument, ProtocolRef),
    (doc.DoseDocument, Dose),
    (doc.MaintenanceDocument, Maintenance),
    (doc.FollowUpDocument, FollowUp),
    (doc.LabResultDocument, LabResult),
    (doc.ConvertedDocument, Converted),
    (doc.InputsDocument, Inputs),
    (doc.FindingDocument, Finding),
    (doc.AdjustmentDocument, Adjustment),
    (doc.IntervalInForceDocument, IntervalInForce),
    (doc.MissedDocument, MissedRef),
    (doc.CheckDocument, CheckReport),
    (doc.CheckFindingDocument, CheckFinding),
    (doc.RegimenViewDocument, RegimenView),
    (doc.StepViewDocument, StepView),
    (doc.ReadDocument, Read),
    (doc.ReadStepDocument, ReadStep),
]


@pytest.mark.parametrize(("typed", "model"), PAIRS, ids=[m.__name__ for _, m in PAIRS])
def test_document_keys_are_the_model_fields_in_order(typed: Any, model: type[Plan]) -> None:
    """Each document dict has exactly its model's fields (by alias), in the model's order."""
    fields = [f.alias or name for name, f in model.model_fields.items()]
    assert list(get_type_hints(typed)) == fields


@FAST
@given(patients())
def test_document_json_is_the_model_json(case: tuple[dict[str, Any], date]) -> None:
    """With and without --explain, compact and indented: the same bytes as the `Plan` model."""
    data, as_of = case
    patient = validated("patient", data)
    plan = build_plan(patient, as_of=as_of)
    for explain in (False, True):
        document = plan_document(patient, as_of=as_of, explain=explain)
        # Strict: the engine already holds the types the model would (no int for a float).
        assert Plan.model_validate(document, strict=True).model_dump() == plan.model_dump() | (
            {} if explain else {"doses": [d | {"trace": []} for d in plan.model_dump()["doses"]]}
        )
        for indent in (None, 2):
            text = plan_json(plan, explain=explain, indent=indent)
            assert plan_document_json(document, indent=indent) == text
            assert plan_document_bytes(document, indent=indent) == text.encode()
        assert is_blocked(document) == plan.blocked


# Values where two JSON writers could differ: escapes, other scripts, dates, big and small
# numbers (pydantic-core writes 0.00001 and 1e-7 where Python writes 1e-05 and 1e-07), empties.
AWKWARD = {
    "text": 'tab\t, nul\x00, esc\x1b, quote", backslash\\, slash/, é, 😀, \u2028, \x7f',
    "date": date(2026, 12, 7),
    "numbers": [0, -1, 10**20, 1.0, 0.1, 110.7, 1e15, 1e16, 1.5e16, 0.0001],
    "empty": [[], {}],
    "nested": {"a": [{"b": None, "c": True}]},
}


@pytest.mark.parametrize("tiny", [None, 0.00001, 1e-7])
def test_the_indented_document_is_pydantic_cores_bytes(tiny: float | None) -> None:
    """`--format json` writes a document with the standard library (no pathlib to import) and
    the same bytes as pydantic-core's `to_json`, a float below 1e-4 included."""
    from pydantic_core import to_json

    from b12plan.render.jsonout import document_json

    document = AWKWARD if tiny is None else {**AWKWARD, "tiny": [tiny]}
    assert document_json(document) == to_json(document, indent=2).decode("utf-8") + "\n"
