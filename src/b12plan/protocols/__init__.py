"""Protocols as data: the records the engine reads, the bundled ones, and custom files.

The TOML files in this folder are the source of the bundled protocols. `tools/generate.py`
validates them with the protocol model (`b12plan.protocols.model`) and writes them out as these
plain records (`_bundled.py`; a test fails until it is current), so no run reads, parses or
validates them again. A custom `--protocol-file` goes through the same model each time it is
read (`parse_protocol`). Protocol files are data only: bounded in size, never executed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from b12plan.intervals import Interval
from b12plan.plain import Record

if TYPE_CHECKING:
    from b12plan.kinds import Product

MAX_PROTOCOL_BYTES = 64 * 1024
CATALOGUE_ORDER = (
    "uk-bnf-hydroxo-nonneuro",
    "uk-bnf-hydroxo-neuro",
    "uk-hydroxo-dietary",
    "uk-hydroxo-prophylaxis",
    "uk-hydroxo-leber",
    "us-fda-cyano-label",
    "us-cyano-1000",
    "us-asmbs-bariatric",
)
"""How `b12plan protocols` lists the bundled protocols (any other file comes after them)."""


class RepletionSegment(Record):
    """A run of repletion doses with a repeating gap pattern."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "dose_mcg",
        "count",
        "gaps_days",
        "provisional_count",
        "review_day",
        "why",
        "source",
    )
    dose_mcg: int
    count: int | None
    """How many doses; absent: open-ended until the clinician's `repletion_end`."""
    gaps_days: list[int]
    """Days before each dose of the segment, cycled (the plan's first dose takes no gap)."""
    provisional_count: int | None
    review_day: int | None
    why: str
    source: str


class MaintenanceSpec(Record):
    """The maintenance phase: default interval and the steps it may move between."""

    __slots__ = ("dose_mcg", "default", "steps", "why", "source")  # noqa: RUF023 - as the model
    dose_mcg: int
    default: str
    steps: list[str]
    """Allowed intervals, shortest first."""
    why: str
    source: str

    @property
    def step_intervals(self) -> list[Interval]:
        """The steps as Interval values, shortest first."""
        return [Interval.parse(s) for s in self.steps]


class Protocol(Record):
    """One dosing protocol, with every value traced to a source."""

    __slots__ = (  # noqa: RUF023 - the model's order
        "id",
        "title",
        "product",
        "routes",
        "region",
        "neuro",
        "named_only",
        "sources",
        "findings",
        "conventions",
        "repletion",
        "maintenance",
    )
    id: str
    title: str
    product: Product
    routes: list[str]
    region: str
    neuro: bool
    """Designed for neurological involvement."""
    named_only: bool
    """Prophylaxis protocols: used only when named, never chosen automatically."""
    sources: list[str]
    findings: list[str]
    """Protocol-level notices raised on every plan that uses it."""
    conventions: list[str]
    repletion: list[RepletionSegment]
    maintenance: MaintenanceSpec

    @property
    def open_repletion(self) -> bool:
        """True when repletion ends at the clinician's `repletion_end` (neuro)."""
        return bool(self.repletion) and self.repletion[-1].count is None


def bundled() -> dict[str, Protocol]:
    """The protocols shipped with b12plan, by id, in catalogue order."""
    from b12plan.protocols._bundled import BUNDLED

    return BUNDLED


def parse_protocol(text: str, origin: str) -> Protocol:
    """Validate protocol TOML text; InputError names the file and the field."""
    from b12plan.errors import InputError

    if len(text.encode("utf-8", "surrogatepass")) > MAX_PROTOCOL_BYTES:
        raise InputError(["protocol_file"], f"{origin} is larger than {MAX_PROTOCOL_BYTES} bytes")
    from b12plan.parsing import parse_toml
    from b12plan.protocols.model import validated_protocol

    return validated_protocol(parse_toml(text, origin, "protocol_file"), origin)
