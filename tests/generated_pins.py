"""The lock's versions of the generator's inputs, and which installed versions differ."""

from __future__ import annotations

import re
from importlib import metadata

from tests.conftest import ROOT

LOCK = ROOT / "constraints.txt"
GENERATOR_INPUTS = ("pydantic", "pydantic_core", "click", "Jinja2", "ruff")
"""What `tools/generate.py`'s text depends on: the models' core schemas (pydantic and its
core), the help (click), the compiled templates (Jinja2) and the formatting (ruff)."""


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins() -> dict[str, str]:
    """Distribution name -> version, as the lock pins them."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        name, sep, version = line.partition("==")
        if sep and not line.startswith("#"):
            pins[name.strip()] = version.strip()
    return pins


def off_pins(pins: dict[str, str] | None = None) -> list[str]:
    """`name installed (the lock: pinned)` for each generator input not at its pinned version."""
    by_name = {_normal(name): version for name, version in (pins or lock_pins()).items()}
    found = []
    for name in GENERATOR_INPUTS:
        installed, pinned = metadata.version(name), by_name.get(_normal(name))
        if installed != pinned:
            found.append(f"{name} {installed} (the lock: {pinned})")
    return found
