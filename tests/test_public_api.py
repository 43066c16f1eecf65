"""The public surface itself: `__all__`, lazy imports, types for a caller, and its docs page.

- `import b12plan` loads nothing heavy; each public name loads on first use.
- Every name in `__all__` has a docstring and a test that uses it.
- `tests/typing/caller.py`, a script written against the public names, passes `mypy --strict`.
- docs/api.md's API reference is the docstrings (`UPDATE_DOCS=1 python -m pytest
  tests/test_public_api.py` rewrites it; review the diff); its examples run as doctests in
  tests/test_docs.py.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

import b12plan
from tests import processes
from tests.conftest import ROOT, run

API_PAGE = ROOT / "docs" / "api.md"
TESTS = Path(__file__).resolve().parent
PUBLIC = [name for name in b12plan.__all__ if name != "__version__"]
HEAVY = ("pydantic", "rich", "click", "b12plan.engine", "b12plan.contract.models", "dateutil")


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running `code`."""
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = processes.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _any_of(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


def test_import_b12plan_loads_nothing_heavy() -> None:
    """`import b12plan` (and its version) loads no pydantic, rich, click or engine module."""
    modules = _loaded_after("import b12plan; b12plan.__version__")
    assert _any_of(modules, "b12plan") == ["b12plan"]
    for package in HEAVY:
        assert _any_of(modules, package) == [], package


def test_the_exception_type_loads_without_pydantic() -> None:
    """`except b12plan.InvalidInput` costs a script no pydantic or engine until it plans."""
    modules = _loaded_after("import b12plan; b12plan.InvalidInput")
    assert "b12plan.errors" in modules
    for package in HEAVY:
        assert _any_of(modules, package) == [], package


def test_a_function_loads_the_engine_when_called() -> None:
    """Planning loads the engine and pydantic, and still neither rich nor click."""
    modules = _loaded_after(
        "import b12plan; b12plan.plan({'start': '2026-12-07', 'cause': 'dietary'}, "
        "as_of='2026-11-24')"
    )
    assert "b12plan.engine.plan" in modules
    assert "pydantic" in modules
    assert _any_of(modules, "rich") == []
    assert _any_of(modules, "click") == []


def test_public_names_are_listed_importable_and_nothing_else_is_made_up() -> None:
    """`dir()` and `from b12plan import ...` offer every public name; a typo is AttributeError."""
    assert set(b12plan.__all__) <= set(dir(b12plan))
    namespace: dict[str, Any] = {}
    exec(f"from b12plan import {', '.join(PUBLIC)}", namespace)  # noqa: S102 - fixed text
    assert all(namespace[name] is getattr(b12plan, name) for name in PUBLIC)
    with pytest.raises(AttributeError, match="has no attribute 'build_plan'"):
        b12plan.build_plan  # type: ignore[attr-defined]  # noqa: B018


def test_version_is_the_packages_and_the_clis() -> None:
    """`b12plan.__version__` is pyproject's version and what `b12plan --version` prints."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert b12plan.__version__ == project["version"]
    assert run("--version").out == f"b12plan, version {b12plan.__version__}\n"


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_has_a_docstring(name: str) -> None:
    """Each public function and class says what it is, in its own docstring."""
    obj = getattr(b12plan, name)
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else obj.__doc__
    assert doc
    assert doc.strip()


@pytest.mark.parametrize("name", b12plan.__all__)
def test_every_public_name_has_a_test_that_uses_it(name: str) -> None:
    """Some test other than this file's bookkeeping calls or checks `b12plan.NAME`."""
    pattern = re.compile(rf"\bb12plan\.{re.escape(name)}\b")
    users = [
        path.name
        for path in sorted(TESTS.glob("test_*.py"))
        if path.name != Path(__file__).name and pattern.search(path.read_text(encoding="utf-8"))
    ]
    if name == "__version__":
        users.append(Path(__file__).name)  # test_version_is_the_packages_and_the_clis
    assert users, f"no test uses b12plan.{name}"


def test_a_callers_script_passes_mypy_strict(tmp_path: Path) -> None:
    """A script using every public name type-checks under `mypy --strict`, with the types
    `assert_type` pins, and without the project's pydantic plugin (a caller's set-up)."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    script = TESTS / "typing" / "caller.py"
    text = script.read_text(encoding="utf-8")
    assert all(f"b12plan.{name}" in text for name in b12plan.__all__)
    done = processes.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config), "--cache-dir",
         str(tmp_path / "cache"), str(script)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_catches_a_misused_public_name(tmp_path: Path) -> None:
    """The check has teeth: a misspelt name and a wrong type are errors (no `__getattr__` Any)."""
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    script = tmp_path / "wrong.py"
    script.write_text(
        "import b12plan\nb12plan.plna({})\nn: int = b12plan.plan({}).doses\n", encoding="utf-8"
    )
    done = processes.run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config), "--cache-dir",
         str(tmp_path / "cache"), str(script)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert 'Module has no attribute "plna"' in done.stdout
    assert 'expression has type "list[Dose]", variable has type "int"' in done.stdout


# The CLI modules that plan, and what they may not reach past the public API for.
CLI_PLANNERS = ("schedule", "check", "batch", "audit")
ENGINE_SIDE = (
    "b12plan.engine",
    "b12plan.contract.models",
    "b12plan.batch",
    "b12plan.api",
    "b12plan.auditing",
    "b12plan.io.audit_input",
    "b12plan.io.spool",
    "b12plan.contract.holidays",
)


# What each planning module calls of the public API (on the plain document: no model built).
CLI_CALLS = {
    "schedule": {"b12plan.plan", "b12plan.to_text"},
    "check": {"b12plan.check", "b12plan.to_text"},
    "batch": {"b12plan.plan_many"},
    "audit": {"b12plan.audit"},
}


# With --jobs onto a file or a pipe the batch engine's workers write their answers themselves:
# the one thing the batch module takes from it.
WRITERS = {("batch", "b12plan.batch"): {"workers_can_write", "write_many"}}


@pytest.mark.parametrize("name", CLI_PLANNERS)
def test_the_cli_plans_only_through_the_library(name: str) -> None:
    """`schedule`, `check`, `--batch` and `audit` reach the engine only through the public
    API (`plan` and `check` with `plain=True`, `to_text`, `plan_many`, `audit`): no import of
    the engine, the models, the batch engine, the audit's modules or the API's private module."""
    path = ROOT / "src" / "b12plan" / "cli" / f"{name}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported: list[str] = []
    used = set()
    calls: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            if (name, node.module) in WRITERS and names <= WRITERS[name, node.module]:
                continue  # the batch engine's own writer, for --jobs
            imported.append(node.module)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            calls.add(f"{node.value.id}.{node.attr}")
            if node.value.id == "b12plan":
                used.add(node.attr)
    assert [m for m in imported if m.startswith(ENGINE_SIDE)] == []
    assert used <= set(b12plan.__all__)
    assert calls >= CLI_CALLS[name]


# ---------------------------------------------------------------- docs/api.md


# The members each class documents, beside its docstring.
MEMBERS = {
    "CheckReport": ["to_json"],
    "InvalidInput": ["line", "lines", "within"],
    "Plan": ["blocked", "to_json"],
    "PlanDocument": ["blocked", "to_json"],
    "PlanResult": ["blocked", "plan", "to_json_line"],
    "Worklist": ["head", "internal_errors", "to_json_lines", "to_dict", "close"],
}
REFERENCE_ORDER = ["plan", "check", "read_regimen", "to_text"]
REFERENCE_ORDER += ["plan_many", "audit"]
REFERENCE_ORDER += ["Plan", "CheckReport", "PlanDocument", "PlanResult", "Worklist"]
REFERENCE_ORDER += ["InvalidInput"]
START, END = "<!-- api-reference: start -->", "<!-- api-reference: end -->"


def _signature(obj: Any) -> str:
    """`(patient, *, as_of=None) -> Plan`: parameters without their annotations, then the
    return annotation as written."""
    signature = inspect.signature(obj)
    bare = signature.replace(
        parameters=[
            p.replace(annotation=inspect.Parameter.empty)
            for p in signature.parameters.values()
            if p.name != "self"
        ],
        return_annotation=inspect.Signature.empty,
    )
    returns = signature.return_annotation
    return str(bare) + ("" if returns is inspect.Signature.empty else f" -> {returns}")


def _doc(obj: Any) -> str:
    return inspect.cleandoc(obj.__doc__ or "")


def api_reference() -> str:
    """docs/api.md's API reference, from the public names' signatures and docstrings."""
    assert sorted(REFERENCE_ORDER) == sorted(PUBLIC)
    out = [START, ""]
    for name in REFERENCE_ORDER:
        obj = getattr(b12plan, name)
        if not inspect.isclass(obj):
            out += [f"#### `b12plan.{name}{_signature(obj)}`", "", _doc(obj), ""]
            continue
        out += [f"#### `class b12plan.{name}`", "", _doc(obj), ""]
        fields = getattr(obj, "model_fields", None)
        if fields:
            names = ", ".join(f"`{field.alias or key}`" for key, field in fields.items())
            out += [f"Fields (as the JSON document has them): {names}.", ""]
        for member in MEMBERS[name]:
            attribute = inspect.getattr_static(obj, member)
            if isinstance(attribute, property):
                head, doc = f"`.{member}`", _doc(attribute)
            else:
                head, doc = f"`.{member}{_signature(attribute)}`", _doc(attribute)
            out += [f"- {head}: " + doc.replace("\n\n", "\n  ").replace("\n", "\n  ")]
        out += [""]
    out += [f"`b12plan.__version__`: the installed version, `{b12plan.__version__}`.", "", END]
    return "\n".join(out)


def test_readme_api_reference_is_the_docstrings() -> None:
    """docs/api.md's API reference is generated from the public names' docstrings, and current."""
    text = API_PAGE.read_text(encoding="utf-8")
    assert START in text
    before, rest = text.split(START)
    shown, after = rest.split(END)
    expected = api_reference()
    if os.environ.get("UPDATE_DOCS"):
        API_PAGE.write_text(before + expected + after, encoding="utf-8")
    assert START + shown + END == expected


def test_the_older_name_of_invalid_input_warns_and_is_the_same_class() -> None:
    """`b12plan.errors.InputError` still works for one release: it is InvalidInput, with a
    DeprecationWarning naming the name to use."""
    import b12plan.errors

    with pytest.warns(DeprecationWarning, match=r"use b12plan\.InvalidInput"):
        older = b12plan.errors.InputError  # type: ignore[attr-defined]
    assert older is b12plan.InvalidInput
    with pytest.raises(AttributeError):
        b12plan.errors.NoSuchName  # type: ignore[attr-defined]  # noqa: B018
