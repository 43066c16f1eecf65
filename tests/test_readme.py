"""The README stays true: its set-up commands work and CI runs its test command."""

from __future__ import annotations

import re
import shlex

from tests.conftest import ROOT, run

README = (ROOT / "README.md").read_text(encoding="utf-8")
SETUP = re.search(r"## Set-up\n(.*?)\n## ", README, re.S)


def _sh_blocks() -> list[str]:
    assert SETUP is not None, "README has a Set-up section"
    return re.findall(r"```sh\n(.*?)\n```", SETUP.group(1), re.S)


def test_setup_is_two_commands() -> None:
    """Set-up is exactly two one-line commands: install-and-run, install-and-test."""
    blocks = _sh_blocks()
    assert len(blocks) == 2
    assert all("\n" not in block for block in blocks)
    assert "b12plan schedule" in blocks[0]
    assert "pytest" in blocks[1]


def test_setup_main_job_runs() -> None:
    """The first set-up command's `b12plan schedule ...` part succeeds on the shipped example."""
    command = _sh_blocks()[0].split("&&")[-1]
    args = shlex.split(command)
    assert args[0].endswith("b12plan")
    assert (ROOT / args[2]).exists()
    result = run(*[str(ROOT / a) if a.startswith("examples/") else a for a in args[1:]])
    assert result.code == 0, result.err
    assert "Decision support only" in result.out


def test_ci_runs_the_readme_test_command() -> None:
    """`.ci/run` installs the test extra and runs the same pytest command as the README."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _sh_blocks()[1].split("&&")[-1].strip()
    assert "pip install -q '.[test]'" in _sh_blocks()[1]
    assert ".[test]" in ci
    assert test_command in ci
