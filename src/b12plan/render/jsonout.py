"""The plan and check documents as JSON (the contract's documents), byte-for-byte deterministic."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic_core import to_json

if TYPE_CHECKING:
    from b12plan.contract.documents import PlanDocument
    from b12plan.contract.models import Plan


def plan_json(plan: Plan, *, explain: bool = False, indent: int | None = 2) -> str:
    """The plan document; `trace` on each dose only with `explain` (`Plan.to_json`)."""
    return plan.to_json(explain=explain, indent=indent)


def plan_document_bytes(document: PlanDocument, *, indent: int | None = 2) -> bytes:
    """`plan_json` of the same plan, as UTF-8, straight from the engine's plain document.

    The document already leaves `trace` out unless explained. pydantic-core's own serialiser
    writes the values, so numbers, dates and strings come out as the `Plan` model writes them,
    without validating the engine's output into some forty model objects first.
    """
    return to_json(document, indent=indent, by_alias=True) + b"\n"


def plan_document_json(
    document: PlanDocument, *, indent: int | None = 2, explain: bool = True
) -> str:
    """`plan_document_bytes` as text; without `explain`, with no dose's trace."""
    if not explain:
        document = without_traces(document)
    if indent == 2:
        return _indented(document)
    return plan_document_bytes(document, indent=indent).decode("utf-8")


def without_traces(document: PlanDocument) -> PlanDocument:
    """The document without any dose's `trace` (the same document when none has one)."""
    if not any("trace" in dose for dose in document["doses"]):
        return document
    doses = [{k: v for k, v in dose.items() if k != "trace"} for dose in document["doses"]]
    return {**document, "doses": doses}  # type: ignore[typeddict-item]


def document_json(document: Mapping[str, Any]) -> str:
    """Any plain document as `--format json` writes it: indented, ending in a newline."""
    return _indented(document)


def _indented(document: Mapping[str, Any]) -> str:
    """The document indented, as pydantic-core's `to_json(indent=2)` writes it, by the
    standard library: a first call of `to_json` imports pathlib, ipaddress and urllib (~5% of
    a command's start). The two spell every value alike but a float below 1e-4 (`1e-05` for
    pydantic-core's `0.00001`): a document holding one is left to pydantic-core."""
    if _has_tiny_float(document):
        return to_json(document, indent=2).decode("utf-8") + "\n"
    import json

    return json.dumps(document, indent=2, ensure_ascii=False, default=_iso) + "\n"


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    msg = f"{type(value).__name__} is not a JSON value"
    raise TypeError(msg)


def _has_tiny_float(value: Any) -> bool:
    if isinstance(value, float):
        return 0 < abs(value) < 1e-4
    if isinstance(value, dict):
        return any(_has_tiny_float(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_tiny_float(item) for item in value)
    return False
