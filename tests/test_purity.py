"""The engine, and what it reads, is pure: no click or rich, no clock, no files, no printing
(style.md)."""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

import pytest

from tests import processes
from tests.conftest import ROOT

ENGINE = ROOT / "src" / "b12plan" / "engine"
ENGINE_FILES = sorted(ENGINE.glob("*.py"))
PURE = [
    "b12plan.engine",
    "b12plan.contract.models",
    "b12plan.contract.units",
    "b12plan.contract.intervals",
]
PURE += [
    "b12plan.protocols",
    "b12plan.contract.vocab",
    "b12plan.errors",
    "b12plan.contract.sources",
]
PURE += ["b12plan.contract.grammar", "b12plan.io.parsing", "b12plan.contract.text"]
# Imported by a pure module, these would mean a framework, I/O or output at its heart.
FORBIDDEN_MODULES = ["click", "rich", "b12plan.cli", "b12plan.render", "b12plan.io.output"]
FORBIDDEN_MODULES += ["b12plan.io.loading"]
FORBIDDEN_IMPORTS = {"click", "rich", "os", "io", "pathlib", "subprocess", "socket", "random"}
FORBIDDEN_IMPORTS |= {"time", "shutil", "tempfile", "logging"}
CLOCK_METHODS = {"today", "now", "utcnow", "fromtimestamp", "utcfromtimestamp"}
FORBIDDEN_CALLS = {"open", "print", "input", "breakpoint", "exec", "eval"}
FILE_METHODS = {"open", "read_text", "read_bytes", "write", "write_text", "write_bytes"}

PROBE = """
import importlib, json, pkgutil, sys
import b12plan.engine
for name in {pure!r}:
    importlib.import_module(name)
for info in pkgutil.iter_modules(b12plan.engine.__path__, "b12plan.engine."):
    importlib.import_module(info.name)
print(json.dumps(sorted(sys.modules)))
"""


def test_pure_modules_import_neither_click_nor_rich() -> None:
    """Importing every pure module (and every engine module) loads no framework or I/O module."""
    code = PROBE.format(pure=PURE)
    done = processes.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded = json.loads(done.stdout)
    assert "b12plan.engine.plan" in loaded
    bad = [m for m in loaded if any(m == f or m.startswith(f + ".") for f in FORBIDDEN_MODULES)]
    assert bad == []


def test_engine_files_were_found() -> None:
    """The scan below sees the engine (plan, repletion, maintenance, labs, findings ...)."""
    names = {path.stem for path in ENGINE_FILES}
    assert {"plan", "repletion", "maintenance", "labs", "findings", "followup"} <= names


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, what) for each clock read, file open or print in the tree."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
            found.append((node.lineno, f"{func.id}("))
        elif isinstance(func, ast.Attribute) and func.attr in CLOCK_METHODS | FILE_METHODS:
            found.append((node.lineno, f".{func.attr}("))
    return found


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, module) for each import of a forbidden module."""
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in FORBIDDEN_IMPORTS or any(
                name == f or name.startswith(f + ".") for f in FORBIDDEN_MODULES
            ):
                found.append((node.lineno, name))
    return found


@pytest.mark.parametrize("path", ENGINE_FILES, ids=[p.name for p in ENGINE_FILES])
def test_engine_source_reads_no_clock_and_does_no_io(path: Path) -> None:
    """No date.today/datetime.now, open(, print( or I/O imports anywhere in the engine."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    assert _calls(tree) == []
    assert _imports(tree) == []


def test_the_scan_catches_what_it_looks_for() -> None:
    """The scanner itself flags a clock read, a print, an open and a click import."""
    sample = ast.parse(
        "import click\nfrom datetime import date\nx = date.today()\nprint(x)\nopen('f')\n"
        "from datetime import datetime\ny = datetime.now()\n"
    )
    assert _calls(sample) == [(3, ".today("), (4, "print("), (5, "open("), (7, ".now(")]
    assert _imports(sample) == [(1, "click")]
