"""The pure clinical rules engine: no click, no rich, no clock, no I/O."""

from b12plan.engine.plan import build_plan

__all__ = ["build_plan"]
