"""Protocols as data: bundled TOML files and custom ones, validated by one pydantic model.

Protocol files are data only: parsed with `tomllib`, bounded in size, validated strictly,
never executed. The core never reads files itself; the CLI hands it the text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from b12plan.errors import InputError
from b12plan.intervals import Interval
from b12plan.parsing import parse_toml
from b12plan.text import clean_tree, shorten
from b12plan.vocab import Product

MAX_PROTOCOL_BYTES = 64 * 1024
ProtocolId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")]
SourceId = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{1,40}$")]
Text = Annotated[str, Field(min_length=1, max_length=300)]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    @model_validator(mode="before")
    @classmethod
    def _clean_text(cls, data: Any) -> Any:
        # A custom protocol's title and wording reach every output: the one sanitiser first.
        return clean_tree(data)


class RepletionSegment(_Data):
    """A run of repletion doses with a repeating gap pattern."""

    dose_mcg: Annotated[int, Field(gt=0, le=10000)]
    count: Annotated[int, Field(ge=1, le=60)] | None = None
    """How many doses; absent: open-ended until the clinician's `repletion_end`."""
    gaps_days: Annotated[
        list[Annotated[int, Field(ge=1, le=60)]], Field(min_length=1, max_length=20)
    ]
    """Days before each dose of the segment, cycled. The plan's first dose is on the start date
    and takes no gap, so in the first segment the pattern starts at dose 2."""
    provisional_count: Annotated[int, Field(ge=1, le=60)] | None = None
    """Open-ended only: doses to plan provisionally while `repletion_end` is unknown."""
    review_day: Annotated[int, Field(ge=1, le=120)] | None = None
    """Open-ended only: day of the clinical review that decides when repletion ends."""
    why: Text
    source: SourceId

    @model_validator(mode="after")
    def _open_needs_provisional(self) -> RepletionSegment:
        if self.count is None and (self.provisional_count is None or self.review_day is None):
            msg = "an open-ended segment (no count) needs provisional_count and review_day"
            raise ValueError(msg)
        if self.count is not None and (self.provisional_count or self.review_day):
            msg = "provisional_count and review_day apply only to an open-ended segment (no count)"
            raise ValueError(msg)
        return self


class MaintenanceSpec(_Data):
    """The maintenance phase: default interval and the steps it may move between."""

    dose_mcg: Annotated[int, Field(gt=0, le=10000)]
    default: str
    steps: Annotated[list[str], Field(min_length=1, max_length=12)]
    """Allowed intervals, shortest first."""
    why: Text
    source: SourceId

    @field_validator("default")
    @classmethod
    def _interval(cls, value: str) -> str:
        return str(Interval.parse(value))

    @field_validator("steps")
    @classmethod
    def _ordered(cls, value: list[str]) -> list[str]:
        parsed = [Interval.parse(v) for v in value]
        days = [p.approx_days for p in parsed]
        if days != sorted(days) or len(set(days)) != len(days):
            msg = "steps must be distinct and listed shortest first"
            raise ValueError(msg)
        return [str(p) for p in parsed]

    @model_validator(mode="after")
    def _default_is_a_step(self) -> MaintenanceSpec:
        if self.default not in self.steps:
            msg = f"default {self.default} must be one of steps {self.steps}"
            raise ValueError(msg)
        return self

    @property
    def step_intervals(self) -> list[Interval]:
        """The steps as Interval values, shortest first."""
        return [Interval.parse(s) for s in self.steps]


class Protocol(_Data):
    """One dosing protocol, with every value traced to a source."""

    id: ProtocolId
    title: Text
    product: Product
    routes: Annotated[list[Literal["im", "sc"]], Field(min_length=1, max_length=2)]
    region: Literal["uk", "us", "other"]
    neuro: bool = False
    """Designed for neurological involvement."""
    named_only: bool = False
    """Prophylaxis protocols: used only when named, never chosen automatically."""
    sources: Annotated[list[SourceId], Field(min_length=1, max_length=20)]
    findings: list[Literal["RETIC_GATE"]] = []
    """Protocol-level notices raised on every plan that uses it."""
    conventions: list[Text] = []
    repletion: Annotated[list[RepletionSegment], Field(max_length=10)] = []
    maintenance: MaintenanceSpec

    @model_validator(mode="after")
    def _open_segment_last(self) -> Protocol:
        for seg in self.repletion[:-1]:
            if seg.count is None:
                msg = "only the last repletion segment may be open-ended (no count)"
                raise ValueError(msg)
        return self

    @property
    def open_repletion(self) -> bool:
        """True when repletion ends at the clinician's `repletion_end` (neuro)."""
        return bool(self.repletion) and self.repletion[-1].count is None


def parse_protocol(text: str, origin: str) -> Protocol:
    """Validate protocol TOML text; InputError names the file and the field."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_PROTOCOL_BYTES:
        raise InputError(["protocol_file"], f"{origin} is larger than {MAX_PROTOCOL_BYTES} bytes")
    data = parse_toml(text, origin, "protocol_file")
    try:
        return Protocol.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            msg = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                msg = "unknown key; protocol files hold only the keys of the bundled protocols"
            elif error["type"] in ("model_type", "dict_type"):
                msg = "must be a table (like the bundled protocols)"
            problems.append((("protocol_file", *error["loc"]), f"{msg} in {origin}"))
        (loc, msg), *more = problems
        raise InputError(loc, msg, more=more) from None
    except Exception as exc:
        # A net, as in errors.validated: no protocol file may make an internal error (exit 70).
        what = f"{type(exc).__name__}: {shorten(str(exc))}"
        raise InputError(["protocol_file"], f"{origin} could not be read ({what})") from None


@cache
def bundled() -> dict[str, Protocol]:
    """The protocols shipped with b12plan, by id, in catalogue order."""
    folder = resources.files(__name__)
    found: dict[str, Protocol] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            protocol = parse_protocol(entry.read_text(encoding="utf-8"), entry.name)
            found[protocol.id] = protocol
    order = [
        "uk-bnf-hydroxo-nonneuro",
        "uk-bnf-hydroxo-neuro",
        "uk-hydroxo-dietary",
        "uk-hydroxo-prophylaxis",
        "us-fda-cyano-label",
        "us-cyano-1000",
        "us-asmbs-bariatric",
    ]
    return {pid: found[pid] for pid in order if pid in found} | found
