"""Ctrl-C while pydantic-core builds its validator is not lost: pydantic-core calls Python as it
builds, and a KeyboardInterrupt raised there is printed as "Exception ignored" and dropped (or
becomes a SchemaError), so the validator is built with Ctrl-C held back and raised after.

Each check runs in a fresh interpreter, whose main thread runs the signal handlers.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests import processes

# A Ctrl-C that arrives in the middle of a build (a stand-in for pydantic-core, calling Python).
MID_BUILD = """
import signal
import pydantic_core
from b12plan.contract import validation

built = []

class Building:
    def __init__(self, schema):
        signal.raise_signal(signal.SIGINT)  # Ctrl-C, now
        built.append(schema["type"])  # and the build goes on to its end

pydantic_core.SchemaValidator = Building
try:
    validation.core_validator("patient")
except KeyboardInterrupt:
    print("interrupted after the build:", built == ["definitions"])
print("handler restored:", signal.getsignal(signal.SIGINT) is signal.default_int_handler)
print("kept:", type(validation._CORE.get("patient")).__name__)
"""

# Ctrl-C at random moments of many real builds: every one must come out as KeyboardInterrupt.
REAL_BUILDS = """
import random, signal, sys
from b12plan.contract import validation

random.seed(19)
sent = 0

def ctrl_c(signum, frame):
    global sent
    sent += 1
    signal.raise_signal(signal.SIGINT)

signal.signal(signal.SIGALRM, ctrl_c)
interrupted = 0
for _ in range(ROUNDS):
    validation._CORE.clear()
    before = sent
    try:
        signal.setitimer(signal.ITIMER_REAL, random.uniform(0.00001, 0.0008))
        validation.core_validator("patient")
        while sent == before:  # the alarm fires here if not during the build
            pass
    except KeyboardInterrupt:
        interrupted += 1
print(sent, interrupted)
"""


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return processes.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_ctrl_c_during_the_build_is_raised_once_it_is_built() -> None:
    """A Ctrl-C that arrives while the validator is built lets the build finish, then raises
    KeyboardInterrupt, with Ctrl-C's own handler back in place and nothing half-built kept."""
    done = _python(MID_BUILD)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "interrupted after the build: True",
        "handler restored: True",
        "kept: NoneType",
    ]
    assert done.stderr == ""


def test_no_ctrl_c_is_lost_inside_pydantic_core() -> None:
    """Ctrl-C at random moments of real builds always comes out as one KeyboardInterrupt,
    never as "Exception ignored" on stderr or as a SchemaError."""
    done = _python(REAL_BUILDS.replace("ROUNDS", "1500"))
    assert done.returncode == 0, done.stderr
    sent, interrupted = map(int, done.stdout.split())
    assert sent == interrupted == 1500
    assert done.stderr == ""
