"""Shared test helpers: run the real CLI entry point in-process, with real stdin/stdout bytes."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from b12plan.cli import main

# Property tests on a shared, loaded machine: no per-example deadline (a slow CPU is not a
# failure), and `ci` runs the same examples every time (a red run reproduces from its commit).
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"


@dataclass
class Result:
    """What a user would see: exit code, stdout and stderr."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.out)


def run(*args: str, stdin: str | bytes = b"") -> Result:
    """Run `b12plan ARGS` through `main`, exactly as the console script does."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    out, err = io.StringIO(), io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
    finally:
        sys.stdin = old_stdin
    return Result(code, out.getvalue(), err.getvalue())


def run_patient(patient: dict[str, Any], *args: str) -> Result:
    """`b12plan schedule - ARGS` with the patient document on stdin."""
    return run("schedule", "-", *args, stdin=json.dumps(patient))


def plan_for(patient: dict[str, Any], as_of: str, *args: str) -> dict[str, Any]:
    """The JSON plan for a patient; fails the test unless exit is 0."""
    result = run_patient(patient, "--as-of", as_of, "--format", "json", *args)
    assert result.code == 0, result.err
    plan: dict[str, Any] = result.json()
    return plan


def dates(plan: dict[str, Any], phase: str | None = None) -> list[str]:
    """Dose dates of one phase (or all)."""
    return [d["date"] for d in plan["doses"] if phase is None or d["phase"] == phase]


def codes(plan: dict[str, Any]) -> list[str]:
    """Finding codes in order."""
    return [f["code"] for f in plan["findings"]]


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see what a pipe sees: no colour, a fixed width."""
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("COLUMNS", "120")


def break_planning(monkeypatch: pytest.MonkeyPatch, cause: str) -> None:
    """Make `plan_many` (and so `--batch`) hit a bug, KeyError('boom'), on patients with
    `cause`: a fault in b12plan, not bad input."""
    from b12plan import batch

    real = batch.plan_document

    def broken(patient: Any, **kwargs: Any) -> Any:
        if patient.cause == cause:
            raise KeyError("boom")
        return real(patient, **kwargs)

    monkeypatch.setattr(batch, "plan_document", broken)


@pytest.fixture(autouse=True)
def _no_settings_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No test reads the developer's own b12plan.toml: the config folder is an empty one."""
    monkeypatch.setenv("B12PLAN_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))


FORK_DEADLINE = 300
"""Seconds a test that starts worker processes from this one may take (a loaded machine's
worst is a few tens)."""


@pytest.fixture
def forks() -> Iterator[None]:
    """For a test whose code starts worker processes from the test's own process (`jobs` above
    1): past FORK_DEADLINE it fails, instead of waiting for ever on a worker that was lost (a
    process pool then waits for its answer for ever, and the run stalls with no word), and
    afterwards no worker is left, running or unreaped."""
    import multiprocessing

    def overdue(*_: object) -> None:
        pytest.fail(f"still running after {FORK_DEADLINE} s: a worker process stalled")

    previous = signal.signal(signal.SIGALRM, overdue)
    signal.setitimer(signal.ITIMER_REAL, FORK_DEADLINE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        left = multiprocessing.active_children()  # reaps those that ended
        for child in left:
            child.kill()
            child.join(timeout=30)
    assert left == [], "worker processes outlived the test"
