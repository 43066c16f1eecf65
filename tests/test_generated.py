"""The package's generated modules are what `tools/generate.py` makes from their sources now.

The records, the documents' `TypedDict`s, the core schemas and the JSON Schemas (from the
models), the bundled protocols (from their TOML files through the protocol model), the help and
the compiled templates are committed so that no run pays to make them. When a model or a
protocol file changes, run `python tools/generate.py` and review the diff.

The text depends on the versions of the generator's inputs too (pydantic's core schemas,
click's help, Jinja2's compiled code, ruff's formatting): it is compared under the lock's
versions of them (`constraints.txt`, which CI installs), and skipped, saying why, under others.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tools.generate import GENERATED

from b12plan.contract import _core_schema as _core
from b12plan.protocols import bundled
from b12plan.protocols._bundled import BUNDLED
from tests.conftest import ROOT
from tests.generated_pins import off_pins


@pytest.mark.parametrize(("path", "make"), GENERATED.items(), ids=lambda p: getattr(p, "name", ""))
def test_generated_module_is_current(path: Path, make: Callable[[], str]) -> None:
    """The committed text is byte for byte what the generator makes from the sources (under
    the lock's versions of the generator's inputs)."""
    if off := off_pins():
        pytest.skip(
            f"generated under the lock's versions; installed: {', '.join(off)} "
            "(pip install -c constraints.txt -e '.[test]' to compare)"
        )
    assert path.read_text(encoding="utf-8") == make(), (
        f"{path.relative_to(ROOT)} is stale: run `python tools/generate.py` and review the diff"
    )


def test_every_bundled_protocol_file_is_generated() -> None:
    """Each TOML file in the package is one bundled protocol; `bundled()` serves them as written."""
    files = sorted((ROOT / "src/b12plan/protocols").glob("*.toml"))
    assert len(files) == len(BUNDLED) == 8
    assert bundled() is BUNDLED


def test_the_core_schemas_refer_to_records_and_validators_only() -> None:
    """Neither schema names a model class or a function outside `b12plan.contract.validators`:
    the command line can use them without pydantic's model machinery."""
    from b12plan.contract import records as inputs
    from b12plan.contract import validators

    def walk(value: object) -> list[object]:
        if isinstance(value, dict):
            return [x for v in value.values() for x in walk(v)]
        if isinstance(value, list):
            return [x for v in value for x in walk(v)]
        return [value]

    for schema in (_core.patient(), _core.regimen()):
        leaves = walk(schema)
        classes = {leaf for leaf in leaves if isinstance(leaf, type)}
        functions = {leaf for leaf in leaves if callable(leaf) and not isinstance(leaf, type)}
        assert classes <= {*inputs.RECORDS.values(), list}  # list: an empty list's factory
        assert {f.__module__ for f in functions} <= {
            "b12plan.contract.validators",
            "b12plan.contract.text",
        }
        assert all(getattr(validators, f.__name__) is f for f in functions)
