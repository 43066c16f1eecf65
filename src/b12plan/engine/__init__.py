"""The pure clinical rules engine: no click, no rich, no clock, no I/O.

`build_plan` is imported on first use, so that importing one engine module does not import them
all (and the models `build_plan` returns).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["build_plan"]

if TYPE_CHECKING:
    from b12plan.engine.plan import build_plan
else:

    def __getattr__(name: str) -> object:
        """`build_plan`, from `b12plan.engine.plan`, on first use."""
        if name != "build_plan":
            msg = f"module 'b12plan.engine' has no attribute {name!r}"
            raise AttributeError(msg)
        from b12plan.engine.plan import build_plan

        return build_plan
