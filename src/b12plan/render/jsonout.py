"""The plan as JSON (the contract's plan document), byte-for-byte deterministic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic_core import to_json

if TYPE_CHECKING:
    from b12plan.engine.document import PlanDocument
    from b12plan.models import Plan


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


def plan_document_json(document: PlanDocument, *, indent: int | None = 2) -> str:
    """`plan_document_bytes` as text."""
    return plan_document_bytes(document, indent=indent).decode("utf-8")
