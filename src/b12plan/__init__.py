"""b12plan: vitamin B12 injection schedules, traced to the guidelines they come from.

Decision support only: the prescriber decides.

The names in `__all__` are the library's public face (README, "Use from Python"); they keep
their meaning between versions. Every other name, and every module under `b12plan.` (the
engine, models, renderers, command line), is internal and may change without notice.

Inside, a folder per layer, each importing only those below it (docs/development.md): `cli/`;
this face (`auditing`, `batch`, `api`, `errors`); `render/` and `engine/`; `protocols/`; `io/`;
`contract/`. A leading underscore means private to where it is defined: a `_name` is used only
in its module, a `_module` only by the modules of its own package.

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
    "Worklist",
    "__version__",
    "audit",
    "check",
    "plan",
    "plan_many",
    "read_regimen",
    "to_text",
]

# Where each public name lives; imported on first use.
_LAZY = {
    "CheckReport": "b12plan.contract.models",
    "InvalidInput": "b12plan.errors",
    "Plan": "b12plan.contract.models",
    "PlanDocument": "b12plan.api",
    "PlanResult": "b12plan.batch",
    "Worklist": "b12plan.auditing",
    "audit": "b12plan.auditing",
    "check": "b12plan.api",
    "plan": "b12plan.api",
    "plan_many": "b12plan.batch",
    "read_regimen": "b12plan.api",
    "to_text": "b12plan.api",
}
# The older names of `plan(..., plain=True)` and `check(..., plain=True)`: deprecated (calling
# one warns), out of `__all__` and `dir()`, gone in the next release.
_DEPRECATED = {"check_document": "b12plan.api", "plan_document": "b12plan.api"}

if TYPE_CHECKING:
    from b12plan.api import PlanDocument, check, plan, read_regimen, to_text

    # Deprecated (see `_DEPRECATED`), still typed for the callers of the older names.
    from b12plan.api import check_document as check_document
    from b12plan.api import plan_document as plan_document
    from b12plan.auditing import Worklist, audit
    from b12plan.batch import PlanResult, plan_many
    from b12plan.contract.models import CheckReport, Plan
    from b12plan.errors import InvalidInput
else:
    # Hidden from type checkers: with a module `__getattr__` they would accept any name.

    def __getattr__(name: str) -> object:
        """A public name, imported on first use (and kept, so the next use is a plain lookup)."""
        module = _LAZY.get(name) or _DEPRECATED.get(name)
        if module is None:
            msg = f"module 'b12plan' has no attribute {name!r}"
            raise AttributeError(msg)
        import importlib

        value = getattr(importlib.import_module(module), name)
        if name in _LAZY:
            globals()[name] = value
        return value

    def __dir__() -> list[str]:
        """The module's names, the public ones not yet imported included."""
        return sorted({*globals(), *_LAZY})
