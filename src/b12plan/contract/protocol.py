"""The protocol file format as pydantic models: what a bundled or custom protocol may hold.

Every protocol passes these: the bundled ones once, when `tools/generate.py` writes them out as
the plain records the engine reads (`b12plan.contract.records`), and a custom `--protocol-file` each
time it is read (`parse_protocol`). Protocol files are data only: parsed with `tomllib`, bounded
in size, validated strictly, never executed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from b12plan.contract import records
from b12plan.contract.intervals import Interval
from b12plan.contract.plain import Record
from b12plan.contract.text import clean_tree, shorten
from b12plan.contract.vocab import MIN_DOSE_MCG, Product
from b12plan.errors import InvalidInput

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

    dose_mcg: Annotated[int, Field(ge=MIN_DOSE_MCG, le=10000)]
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

    dose_mcg: Annotated[int, Field(ge=MIN_DOSE_MCG, le=10000)]
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


def validated_protocol(data: Any, origin: str) -> records.Protocol:
    """A parsed protocol file validated by the model, as the record the engine reads;
    InvalidInput names the file and every field at fault."""
    try:
        model = Protocol.model_validate(data)
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
        raise InvalidInput(loc, msg, more=more) from None
    except Exception as exc:
        # A net, as in errors.through: no protocol file may make an internal error (exit 70).
        what = f"{type(exc).__name__}: {shorten(str(exc))}"
        raise InvalidInput(["protocol_file"], f"{origin} could not be read ({what})") from None
    return as_record(model)


def as_record(model: Protocol) -> records.Protocol:
    """The validated model as the engine's plain record (the same fields and values)."""
    made = _record(model)
    assert isinstance(made, records.Protocol)  # noqa: S101 - the model's own record
    return made


def _record(value: Any) -> Any:
    if isinstance(value, BaseModel):
        kind: type[Record] = getattr(records, type(value).__name__)
        return kind(**{name: _record(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [_record(item) for item in value]
    return value
