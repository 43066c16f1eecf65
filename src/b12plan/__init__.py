"""b12plan: vitamin B12 injection schedules, traced to the guidelines they come from.

Decision support only: the prescriber decides.

The names in `__all__` are the library's public face (README, "Use from Python"); they keep
their meaning between versions. Every other name, and every module under `b12plan.` (the
engine, models, renderers, command line), is internal and may change without notice.

`import b12plan` stays cheap: each public name is imported on first use (`__getattr__`), so a
script, or the command line's `--help`, loads no pydantic, rich or engine until it needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "CheckReport",
    "InvalidInput",
    "Plan",
    "PlanDocument",
    "PlanResult",
    "__version__",
    "audit",
    "check",
    "check_document",
    "plan",
    "plan_document",
    "plan_many",
    "read_regimen",
    "to_text",
]

# Where each public name lives; imported on first use.
_LAZY = {
    "CheckReport": "b12plan.models",
    "InvalidInput": "b12plan.errors",
    "Plan": "b12plan.models",
    "PlanDocument": "b12plan._api",
    "PlanResult": "b12plan._batch",
    "audit": "b12plan._audit",
    "check": "b12plan._api",
    "check_document": "b12plan._api",
    "plan": "b12plan._api",
    "plan_document": "b12plan._api",
    "plan_many": "b12plan._batch",
    "read_regimen": "b12plan._api",
    "to_text": "b12plan._api",
}

if TYPE_CHECKING:
    from b12plan._api import (
        PlanDocument,
        check,
        check_document,
        plan,
        plan_document,
        read_regimen,
        to_text,
    )
    from b12plan._audit import audit
    from b12plan._batch import PlanResult, plan_many
    from b12plan.errors import InvalidInput
    from b12plan.models import CheckReport, Plan
else:
    # Hidden from type checkers: with a module `__getattr__` they would accept any name.

    def __getattr__(name: str) -> object:
        """A public name, imported on first use (and kept, so the next use is a plain lookup)."""
        module = _LAZY.get(name)
        if module is None:
            msg = f"module 'b12plan' has no attribute {name!r}"
            raise AttributeError(msg)
        import importlib

        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        """The module's names, the public ones not yet imported included."""
        return sorted({*globals(), *_LAZY})
