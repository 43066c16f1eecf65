"""The house's layers hold: nothing imports upward (the import-linter contracts in pyproject)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests import processes
from tests.conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    """`lint-imports` run in `cwd` over the package under `src`, its output captured."""
    return processes.run(
        [str(LINT_IMPORTS), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"},
    )


def test_every_import_runs_down_the_layers() -> None:
    """Every contract holds on the package as it is: a wrong arrow fails the tests, as CI."""
    done = _lint_imports(ROOT, ROOT / "src")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    """A renderer that imports the engine is caught, naming the two modules."""
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "src" / "b12plan", tmp_path / "src" / "b12plan")
    window = tmp_path / "src" / "b12plan" / "render" / "window.py"
    window.write_text(
        window.read_text(encoding="utf-8") + "\nfrom b12plan.engine import plan  # noqa\n",
        encoding="utf-8",
    )
    done = _lint_imports(tmp_path, tmp_path / "src")
    assert done.returncode != 0
    assert "b12plan.render.window -> b12plan.engine.plan" in done.stdout
