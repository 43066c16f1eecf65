"""What `import b12plan` offers, made: `plan`, `check`, `read_regimen` and `to_text` (`plan_many`
is in `batch`).

The command line calls the same functions, so a script and `b12plan schedule` cannot drift
apart. Here, and only here, inputs in any accepted form become validated records (by the core
schema generated from the models: `contract.validation.validated`), `as_of` becomes a date (the
clock is read here and nowhere else), and every problem becomes one `InvalidInput`.

One way in for each: `plan` and `check` give the `Plan` and `CheckReport` models a library
caller works with, or with `plain=True` the engine's plain documents (JSON-ready dicts, no
pydantic model: what the command line and a fast script want). `to_text` renders either kind.
`plan_document` and `check_document`, the older names of the plain form, are deprecated.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final, Literal, TypeAlias, overload

from b12plan.contract import records as inputs
from b12plan.contract.plain import Record
from b12plan.contract.text import quote
from b12plan.contract.validation import validated
from b12plan.contract.validators import parse_iso_date
from b12plan.contract.vocab import (
    FORMATS,
    NO_EXPLAIN,
    NO_WINDOW,
    SEVERITIES,
    WINDOW_FORMATS,
    is_blocked,
)
from b12plan.errors import InvalidInput
from b12plan.io.parsing import parse_json_line

if TYPE_CHECKING:
    from b12plan.contract.documents import CheckDocument
    from b12plan.contract.documents import PlanDocument as PlainPlan
    from b12plan.contract.models import CheckReport, Patient, Plan, Regimen
    from b12plan.contract.records import Protocol
    from b12plan.contract.vocab import Severity

    PatientInput: TypeAlias = (
        Patient | inputs.Patient | Mapping[str, Any] | str | os.PathLike[str] | bytes
    )
    """A patient: a document as a dict, a JSON or TOML file, JSON text, or one validated."""
    RegimenInput: TypeAlias = (
        Regimen | inputs.Regimen | Mapping[str, Any] | str | os.PathLike[str] | bytes
    )
    """A regimen to check, in the same forms."""

PLAN_FORMATS: Final = FORMATS
CHECK_FORMATS: Final = ("table", "json")
DEFAULT_WIDTH: Final = 100


@overload
def plan(
    patient: PatientInput,
    *,
    as_of: date | str | None = ...,
    protocol_file: str | os.PathLike[str] | None = ...,
    overrides: Mapping[str, Any] | None = ...,
    plain: Literal[False] = ...,
    explain: bool = ...,
) -> Plan: ...
@overload
def plan(
    patient: PatientInput,
    *,
    as_of: date | str | None = ...,
    protocol_file: str | os.PathLike[str] | None = ...,
    overrides: Mapping[str, Any] | None = ...,
    plain: Literal[True],
    explain: bool = ...,
) -> PlanDocument: ...
@overload
def plan(
    patient: PatientInput,
    *,
    as_of: date | str | None = ...,
    protocol_file: str | os.PathLike[str] | None = ...,
    overrides: Mapping[str, Any] | None = ...,
    plain: bool,
    explain: bool = ...,
) -> Plan | PlanDocument: ...
def plan(
    patient: PatientInput,
    *,
    as_of: date | str | None = None,
    protocol_file: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    plain: bool = False,
    explain: bool = False,
) -> Plan | PlanDocument:
    """The dated injection plan for one patient, as `b12plan schedule` makes it.

    `patient` is a patient document as a dict, the path of a JSON or TOML file, or JSON text
    as bytes. `as_of` is the day the plan is seen from (a `date` or `YYYY-MM-DD`; today when
    omitted). `protocol_file` is a custom protocol (TOML). `overrides` are fields set on the
    patient: each replaces the document's own, an object (`clinic`, `conditions`) is merged
    into it, and None removes the field.

    The plan's `to_json()` is the document `schedule --format json` writes; `to_text` gives
    the other formats. A plan can be blocked (`plan.blocked`): its findings say why. Raises
    `InvalidInput` listing every problem with the input.

    With `plain=True` the plan is the engine's plain document (a `PlanDocument`), as the
    command line and `--batch` write it: cheaper, as no model is built. Its doses carry their
    chain of rules (`trace`) only with `explain`; a `Plan` always has them, and writes them
    with `to_json(explain=True)`.
    """
    from b12plan.engine.plan import plan_document as engine_plan

    when = as_of_date(as_of)
    custom = read_protocol_file(protocol_file)
    record = patient_record(patient, overrides)
    document = engine_plan(record, as_of=when, custom=custom, explain=explain or not plain)
    if plain:
        return PlanDocument(document=document, patient=record, custom=custom)
    from b12plan.contract.models import Plan

    made = Plan.model_validate(document)
    made._patient, made._custom = record, custom  # for ics and fhir
    return made


@overload
def check(
    regimen: RegimenInput,
    *,
    as_of: date | str | None = ...,
    fail_on: Severity = ...,
    fail_on_patient: Severity = ...,
    protocol_file: str | os.PathLike[str] | None = ...,
    plain: Literal[False] = ...,
) -> CheckReport: ...
@overload
def check(
    regimen: RegimenInput,
    *,
    as_of: date | str | None = ...,
    fail_on: Severity = ...,
    fail_on_patient: Severity = ...,
    protocol_file: str | os.PathLike[str] | None = ...,
    plain: Literal[True],
) -> CheckDocument: ...
@overload
def check(
    regimen: RegimenInput,
    *,
    as_of: date | str | None = ...,
    fail_on: Severity = ...,
    fail_on_patient: Severity = ...,
    protocol_file: str | os.PathLike[str] | None = ...,
    plain: bool,
) -> CheckReport | CheckDocument: ...
def check(
    regimen: RegimenInput,
    *,
    as_of: date | str | None = None,
    fail_on: Severity = "warning",
    fail_on_patient: Severity = "block",
    protocol_file: str | os.PathLike[str] | None = None,
    plain: bool = False,
) -> CheckReport | CheckDocument:
    """A proposed regimen compared with its protocol, as `b12plan check` does it.

    `regimen` is a regimen document as a dict (its `patient` inside), the path of a JSON or
    TOML file, or JSON text as bytes. A finding about the regimen at or above
    `fail_on`, or about the patient at or above `fail_on_patient` (info, warning or block),
    makes the report's `verdict` `problems`. `as_of` and `protocol_file` as for `plan`.
    Raises `InvalidInput` listing every problem with the input.

    With `plain=True` the report is the check document as a JSON-ready dict (`verdict`,
    `findings`, `expected`, `proposed`...), as the command line writes it, and no model is
    built.
    """
    from b12plan.engine.check import check_regimen

    for name, value in (("fail_on", fail_on), ("fail_on_patient", fail_on_patient)):
        if value not in SEVERITIES:
            raise InvalidInput(
                (name,), f"must be one of {', '.join(SEVERITIES)}, not {quote(value)}"
            )
    when = as_of_date(as_of)
    custom = read_protocol_file(protocol_file)
    record = _record("regimen", regimen)
    report = check_regimen(
        record, as_of=when, fail_on=fail_on, fail_on_patient=fail_on_patient, custom=custom
    )
    if plain:
        return report
    from b12plan.contract.models import CheckReport

    return CheckReport.model_validate(report)


def read_regimen(text: str) -> dict[str, Any]:
    """A regimen as prescribers write it, read as `b12plan check` reads it.

    `text` is wording such as "hydroxocobalamin 1 mg IM 3 times a week for 2 weeks, then
    every 3 months" (or the compact grammar, `1000mcg im every 2d x6; 1000mcg im every
    3mo`). Returns what was read, the check document's `read`: `{"text", "product",
    "steps"}`, each step `{"dose_mcg", "route", "every", "times_per_week", "count", "for",
    "until"}` (`every`/`for` as `Nd`, `Nw` or `Nmo`). Wording that could mean two things
    (a range, `q3m`, `biweekly`, a phase with no end before `then`...) is never guessed:
    `InvalidInput` at `("regimen",)`, one line naming the words, the readings, and wording
    that would be read.
    """
    from b12plan.contract.text import clean_text
    from b12plan.contract.wording import WordingError
    from b12plan.contract.wording import read_regimen as read

    if not isinstance(text, str):
        raise InvalidInput(("regimen",), f"must be a string, not {type(text).__name__}")
    try:
        return read(clean_text(text)).as_document()
    except WordingError as exc:
        raise InvalidInput(("regimen",), str(exc)) from None


def to_text(
    document: Plan | CheckReport | PlanDocument | CheckDocument,
    fmt: str = "table",
    *,
    explain: bool = False,
    color: bool = False,
    width: int = DEFAULT_WIDTH,
    since: date | str | None = None,
    brief: bool = False,
) -> str:
    """A plan or check report in one of the command line's formats, as text.

    `document` is what `plan` or `check` returned, plain or not. A plan:
    table, json, ndjson, csv, ics, fhir or html; a check report: table or json. `explain` adds
    each dose's chain of rules (not fhir or html; a plan document has them only if it was made
    with `explain`); `color` and `width` lay out the table; `since` keeps the doses from that
    date on, and any overdue (table, ndjson, csv, ics). The ics format needs the patient, which
    a plan made by this library remembers. `brief` leaves the conventions [C] out of the
    table's closing lines (the documents always list them). Raises `InvalidInput` for a format
    or option the document does not have.
    """
    if brief and fmt != "table":
        raise InvalidInput(("brief",), f"only for the table, not {quote(fmt)}")
    if isinstance(document, PlanDocument):
        return document_text(
            document, fmt, explain=explain, color=color, width=width, since=since, brief=brief
        )
    if isinstance(document, Mapping):  # a check document, plain: no model to load
        return check_text(document, fmt, color=color, width=width, brief=brief)
    from b12plan.contract.models import CheckReport

    # A plain document has `settings` only when a settings file was read.
    unset = None if document.settings is not None else {"settings"}
    if isinstance(document, CheckReport):
        report: CheckDocument = document.model_dump(by_alias=True, exclude=unset)  # type: ignore[assignment]
        return check_text(report, fmt, color=color, width=width, brief=brief)
    plain: PlainPlan = document.model_dump(by_alias=True, exclude=unset)  # type: ignore[assignment]
    planned = PlanDocument(document=plain, patient=document._patient, custom=document._custom)
    return document_text(
        planned, fmt, explain=explain, color=color, width=width, since=since, brief=brief
    )


# ---------------------------------------------------------------- on plain documents


class PlanDocument(Record):
    """A plan as the engine makes it: `document`, the plan document as a JSON-ready dict (the
    contract's fields, dates as `datetime.date`), with the patient and custom protocol it was
    made from (the calendar hashes the patient into its UIDs; FHIR writes a custom protocol's
    segments). Made by `plan(..., plain=True)`; `to_text` renders it."""

    __slots__ = ("document", "patient", "custom")  # noqa: RUF023 - the order they are made
    document: PlainPlan
    patient: inputs.Patient | None
    custom: Protocol | None

    @property
    def blocked(self) -> bool:
        """True when a `block` finding stopped the plan."""
        return is_blocked(self.document)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The document as `schedule --format json` writes it (traces only if it has them)."""
        from b12plan.render.jsonout import plan_document_json

        return plan_document_json(self.document, indent=indent)


def plan_document(
    patient: PatientInput,
    *,
    as_of: date | str | None = None,
    protocol_file: str | os.PathLike[str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    explain: bool = False,
) -> PlanDocument:
    """Deprecated, gone in the next release: `plan(patient, plain=True)`, the same call."""
    _deprecated("plan_document", "plan(..., plain=True)")
    return plan(
        patient,
        as_of=as_of,
        protocol_file=protocol_file,
        overrides=overrides,
        plain=True,
        explain=explain,
    )


def check_document(
    regimen: RegimenInput,
    *,
    as_of: date | str | None = None,
    fail_on: Severity = "warning",
    fail_on_patient: Severity = "block",
    protocol_file: str | os.PathLike[str] | None = None,
) -> CheckDocument:
    """Deprecated, gone in the next release: `check(regimen, plain=True)`, the same call."""
    _deprecated("check_document", "check(..., plain=True)")
    return check(
        regimen,
        as_of=as_of,
        fail_on=fail_on,
        fail_on_patient=fail_on_patient,
        protocol_file=protocol_file,
        plain=True,
    )


def _deprecated(name: str, instead: str) -> None:
    import warnings

    warnings.warn(
        f"b12plan.{name} is deprecated; use b12plan.{instead}, the same call",
        DeprecationWarning,
        stacklevel=3,
    )


def check_text(
    report: CheckDocument,
    fmt: str,
    *,
    color: bool = False,
    width: int = DEFAULT_WIDTH,
    brief: bool = False,
) -> str:
    """A check document as table or json text (see `to_text`)."""
    _allowed(fmt, CHECK_FORMATS)
    if fmt == "json":
        from b12plan.render.jsonout import document_json

        return document_json(report)
    from b12plan.render.check import check_table

    return check_table(report, color=color, width=width, brief=brief)


def document_text(
    planned: PlanDocument,
    fmt: str,
    *,
    explain: bool = False,
    color: bool = False,
    width: int = DEFAULT_WIDTH,
    since: date | str | None = None,
    brief: bool = False,
) -> str:
    """A plan as text in `fmt` (see `to_text`); traces are shown only with `explain`."""
    _allowed(fmt, PLAN_FORMATS)
    if explain and fmt in NO_EXPLAIN:
        raise InvalidInput(("explain",), f"not available with {fmt} ({NO_EXPLAIN[fmt]})")
    if since is not None and fmt not in WINDOW_FORMATS:
        raise InvalidInput(("since",), f"not available with {fmt} ({NO_WINDOW[fmt]})")
    when = None if since is None else as_of_date(since, "since")
    document = planned.document
    if fmt == "table":
        from b12plan.render.table import plan_table

        return plan_table(
            document, color=color, width=width, explain=explain, since=when, brief=brief
        )
    if when is not None:
        from b12plan.render.window import plan_from

        document = plan_from(document, when)
    if fmt == "json":
        from b12plan.render.jsonout import plan_document_json

        return plan_document_json(document, explain=explain)
    if fmt in ("ndjson", "csv"):
        from b12plan.render.rows import plan_csv, plan_ndjson

        return (plan_ndjson if fmt == "ndjson" else plan_csv)(document, explain=explain)
    if fmt == "ics":
        if planned.patient is None:
            msg = "needs the patient (its UIDs hash the course): make the plan with b12plan.plan()"
            raise InvalidInput(("format",), msg)
        from b12plan.render.ics import plan_ics

        return plan_ics(document, planned.patient, explain=explain)
    if fmt == "fhir":
        from b12plan.render.fhir import plan_fhir, plan_protocol

        return plan_fhir(document, plan_protocol(document, planned.custom))
    from b12plan.render.handout import plan_html

    return plan_html(document)


def _allowed(fmt: str, formats: tuple[str, ...]) -> None:
    if fmt not in formats:
        raise InvalidInput(
            ("format",), f"{quote(fmt)} is not available; allowed: {', '.join(formats)}"
        )


# ---------------------------------------------------------------- inputs, for plan_many too


def _today() -> date:
    # The only place b12plan reads the clock: the engine takes `as_of` as an input.
    return date.today()  # noqa: DTZ011 - calendar dates only, no time zones by design


def as_of_date(value: date | str | None, field: str = "as_of") -> date:
    """`value` as a calendar date (`YYYY-MM-DD` or a `date`), or today when it is None."""
    if value is None:
        return _today()
    try:
        when: date = parse_iso_date(value)
    except ValueError as exc:
        raise InvalidInput((field,), str(exc)) from None
    return when


def read_protocol_file(path: str | os.PathLike[str] | None) -> Protocol | None:
    """The custom protocol in `path` (TOML, bounded, data only), or None without a path."""
    if path is None:
        return None
    from b12plan.io.loading import read_text
    from b12plan.protocols import MAX_PROTOCOL_BYTES, parse_protocol

    name = os.fspath(path)
    return parse_protocol(read_text(name, "protocol_file", MAX_PROTOCOL_BYTES), name)


def patient_record(
    patient: PatientInput, overrides: Mapping[str, Any] | None = None
) -> inputs.Patient:
    """`patient`, in any form `plan` accepts, validated into its record, with `overrides`
    applied (see `apply_overrides`)."""
    return _record("patient", patient, overrides)


def _json_text(value: str) -> bool:
    """A string that is a JSON object or list rather than a path (no file has that name)."""
    return value.lstrip()[:1] in ("{", "[") and not os.path.exists(value)  # noqa: PTH110


@overload
def _record(
    schema: Literal["patient"], value: object, overrides: Mapping[str, Any] | None = None
) -> inputs.Patient: ...
@overload
def _record(
    schema: Literal["regimen"], value: object, overrides: Mapping[str, Any] | None = None
) -> inputs.Regimen: ...
def _record(
    schema: Literal["patient", "regimen"],
    value: object,
    overrides: Mapping[str, Any] | None = None,
) -> inputs.Patient | inputs.Regimen:
    kind = inputs.Patient if schema == "patient" else inputs.Regimen
    if isinstance(value, bytes):  # first: a batch line
        document = parse_json_line(value, schema)
    elif isinstance(value, kind) and not overrides:
        return value
    elif isinstance(value, Record):
        document = value.as_dict()
    elif hasattr(value, "model_dump") and type(value).__name__ == kind.__name__:
        # The model of the document (not the library's face, but it was accepted once).
        document = value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    elif isinstance(value, str) and _json_text(value):
        raise InvalidInput(
            (),
            f"{quote(value)} is JSON text, not a file name: pass a dict, bytes or a path "
            "(json.loads the text, or .encode() it)",
        )
    elif isinstance(value, str | os.PathLike):
        # Imported here: a patient given as a dict or as options (the command line's) reads
        # no file.
        from b12plan.io.loading import read_document

        document = read_document(os.fspath(value))
    elif isinstance(value, Mapping):
        document = dict(value)
    else:
        raise InvalidInput(
            (),
            f"a {schema} must be a {kind.__name__}, a dict, the path of a JSON or TOML file, "
            f"or JSON text as bytes; not {type(value).__name__}",
        )
    if overrides:
        document = apply_overrides(document, overrides)
    return validated(schema, document)


def apply_overrides(document: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """`document` with each field of `overrides` in place of its own: an object (`clinic`,
    `conditions`) is merged into the document's one level deep, and None removes the field."""
    merged = dict(document)
    for name, value in overrides.items():
        if value is None:
            merged.pop(name, None)
        elif isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = {**merged[name], **value}
        else:
            merged[name] = value
    return merged
