"""The plan and check documents as JSON (the contract's documents), byte-for-byte deterministic."""

from __future__ import annotations

from collections.abc import Mapping
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
    return plan_document_bytes(document, indent=indent).decode("utf-8")


def without_traces(document: PlanDocument) -> PlanDocument:
    """The document without any dose's `trace` (the same document when none has one)."""
    if not any("trace" in dose for dose in document["doses"]):
        return document
    doses = [{k: v for k, v in dose.items() if k != "trace"} for dose in document["doses"]]
    return {**document, "doses": doses}  # type: ignore[typeddict-item]


def document_json(document: Mapping[str, Any]) -> str:
    """Any plain document as `--format json` writes it: indented, ending in a newline."""
    return to_json(document, indent=2, by_alias=True).decode("utf-8") + "\n"
