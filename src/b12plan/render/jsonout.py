"""The plan as JSON (the contract's plan document), byte-for-byte deterministic."""

from __future__ import annotations

from pydantic import BaseModel

from b12plan.models import Plan

_WITHOUT_TRACE = {"doses": {"__all__": {"trace"}}}


def plan_json(plan: Plan, *, explain: bool = False, indent: int | None = 2) -> str:
    """The plan document; `trace` on each dose only with `explain`."""
    text = plan.model_dump_json(
        by_alias=True, indent=indent, exclude=None if explain else _WITHOUT_TRACE
    )
    return text + "\n"


def document_json(document: BaseModel) -> str:
    """Any output document (the check document, for one) as indented JSON."""
    return document.model_dump_json(by_alias=True, indent=2) + "\n"
