"""The lock (`constraints.txt`) pins the whole environment CI installs, the generator's inputs
included, and the generated modules are compared only under those pins."""

from __future__ import annotations

import re
import tomllib
from importlib import metadata

from tests.conftest import ROOT
from tests.generated_pins import GENERATOR_INPUTS, lock_pins, off_pins


def _requirement_names() -> set[str]:
    """Every distribution pyproject names: the dependencies and the test and docs extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = [*project["dependencies"]]
    for extra in ("test", "docs"):
        requirements += project["optional-dependencies"][extra]
    return {re.split(r"[<>=!~\[; ]", line, maxsplit=1)[0] for line in requirements}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_lock_pins_every_requirement() -> None:
    """Each dependency and extra of pyproject has an exact version in the lock."""
    pinned = {_normal(name) for name in lock_pins()}
    assert {_normal(name) for name in _requirement_names()} - pinned == set()


def test_the_lock_pins_the_generators_inputs() -> None:
    """pydantic, pydantic-core, click, Jinja2 and ruff, whose versions the generated text
    depends on, are pinned."""
    pins = lock_pins()
    assert {_normal(name) for name in GENERATOR_INPUTS} <= {_normal(name) for name in pins}


def test_off_pins_names_each_version_that_differs() -> None:
    """Under the pinned versions nothing is off; a pin moved away names the installed version."""
    pins = lock_pins()
    installed = {name: metadata.version(name) for name in GENERATOR_INPUTS}
    differing = [name for name in GENERATOR_INPUTS if installed[name] != pins[_pin_key(name)]]
    assert len(off_pins()) == len(differing)
    moved = dict(pins)
    moved[_pin_key("ruff")] = "0.0.1"
    assert f"ruff {installed['ruff']} (the lock: 0.0.1)" in off_pins(moved)


def _pin_key(name: str) -> str:
    return next(key for key in lock_pins() if _normal(key) == _normal(name))
