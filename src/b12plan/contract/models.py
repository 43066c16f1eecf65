"""The documents of the contract as pydantic v2 models: patient and regimen in, plan and check out.

Input models are strict (`extra="forbid"`, no silent coercion of strings to numbers or booleans)
and check everything that needs nothing but the document itself; checks that need `as_of`
live in the engine.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    model_validator,
)

from b12plan.contract import grammar
from b12plan.contract import validators as v
from b12plan.contract.validators import CENSORED_PATTERN, REGION_PATTERN
from b12plan.contract.vocab import (
    DISCLAIMER,
    REF_MAX_CHARS,
    Analyte,
    AuditStatus,
    Classification,
    Comparator,
    FollowUpStatus,
    MissReason,
    Phase,
    Product,
    Route,
    Severity,
    Sex,
    Status,
    StopReason,
    Weekday,
)

if TYPE_CHECKING:
    from b12plan.contract.records import Patient as PatientRecord
    from b12plan.contract.records import Protocol

MAX_ITEMS = 1000

IsoDate = Annotated[date, BeforeValidator(v.parse_iso_date)]
"""A calendar date, given as `YYYY-MM-DD`."""

Number = int | float
"""A JSON number; whole numbers stay integers so `1000` is not printed as `1000.0`."""

PositiveNumber = Annotated[Number, BeforeValidator(v.positive_number)]
"""A finite number greater than zero and at most MAX_NUMBER, given as a JSON number (never a
string)."""

DoseMcg = Annotated[Number, BeforeValidator(v.dose_mcg)]
"""A dose in micrograms: `vocab.MIN_DOSE_MCG` ([C] 1 mcg) to `vocab.MAX_DOSE_MCG` ([C] 100 mg)."""

IntervalText = Annotated[str, BeforeValidator(v.interval_text)]
"""An interval `Nmo`, `Nw` or `Nd`, kept in its canonical spelling."""

StrengthText = Annotated[str | None, BeforeValidator(v.strength_text)]
"""A strength such as '1000 mcg/mL', checked and kept as written."""


class _Input(BaseModel):
    # defer_build: validators and serialisers are built when first used. The command line
    # never builds these: it validates with the core schema generated from them
    # (`b12plan.contract._core_schema`); the library, the JSON Schemas and the tests do.
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=2000, defer_build=True)


class _Output(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


CensoredText = Annotated[str, Field(pattern=CENSORED_PATTERN)]
"""A censored value as a report prints it, `<50` or `>=90`; only the JSON Schema uses this type:
`validators.lab_censored` reads it into `value` and `comparator`."""


class Lab(_Input):
    """One laboratory result, with its unit and the date it was taken."""

    analyte: Analyte
    """What was measured."""
    value: Annotated[
        Number, BeforeValidator(v.lab_value, json_schema_input_type=Number | CensoredText)
    ]
    """The result, in `unit`: a number, or as a report prints a censored one (`"<50"`)."""
    unit: Annotated[str, BeforeValidator(v.lab_known_unit)]
    """The unit as reported (required but for INR, a ratio; accepted spellings in the docs,
    "Patients: the input")."""
    date: IsoDate
    """When the sample was taken."""
    ref_low: PositiveNumber | None = None
    """The lab's own lower reference limit, in `unit`; wins over the default threshold."""
    ref_high: PositiveNumber | None = None
    """The lab's own upper reference limit, in `unit`; wins over the default threshold."""
    comparator: Annotated[Comparator | None, BeforeValidator(v.lab_comparator)] = None
    """A censored result (`<50`): the value is below (<, <=) or above (>, >=) `value`."""

    _object = model_validator(mode="before")(v.lab_object)
    _plausible = model_validator(mode="after")(v.lab_plausible)


LabText = Annotated[str, Field(pattern=r"^\s*[A-Za-z0-9-]+\s*=\s*[^\s@]+\s*[^@]*@\s*\S+\s*$")]
"""A lab as one string, `analyte=value unit@date` (e.g. `b12=150 ng/L@2025-02-24`); only the
JSON Schema uses this type: `validators.parse_lab_string` reads it and says what is wrong."""


class GivenDose(_Input):
    """A dose already given."""

    date: IsoDate
    """When it was given."""
    dose_mcg: DoseMcg | None = None
    """What was given, if it differs from the protocol dose."""
    site: Annotated[str, Field(max_length=100)] | None = None
    """Injection site, free text."""
    product: Product | None = None
    """What was given, if recorded (an audit judges it against the protocol's product)."""
    route: Route | None = None
    """How it was given, if recorded: history, judged by an audit, never a block."""


class Conditions(_Input):
    """Conditions that change safety advice; all default to false / not started."""

    pregnant: StrictBool = False
    breastfeeding: StrictBool = False
    anticoagulant: StrictBool = False
    bleeding_disorder: StrictBool = False
    cobalt_allergy: StrictBool = False
    leber: StrictBool = False
    """Leber's hereditary optic neuropathy."""
    b12_hypersensitivity: StrictBool = False
    """A past hypersensitivity reaction to hydroxocobalamin or cyanocobalamin."""
    vegan: StrictBool = False
    """A vegan diet: a dietary cause that continues."""
    folic_acid_started: IsoDate | None = None
    """When folic acid was started, if it was."""


class IntervalChange(_Input):
    """A clinician's dated decision on the maintenance interval (it applies from its date)."""

    date: IsoDate
    """When the decision was made; it changes nothing before this date."""
    interval: IntervalText
    """The new interval: Nmo, Nw or Nd."""
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    """Why; required for an interval outside the protocol's steps (else it is capped)."""


class MissedDose(_Input):
    """A dose that was not given: declined, or the appointment was not kept."""

    date: IsoDate
    """When it was missed."""
    reason: MissReason = "other"
    """declined, did-not-attend, unavailable or other."""


class Stopped(_Input):
    """Treatment stopped: when, and why (docs: the clinical rules, "Stopping treatment")."""

    date: IsoDate
    """The day it stopped; no dose is planned after it."""
    reason: StopReason
    """cause-corrected, switched-to-oral, transferred-out, declined, died or other."""
    note: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    """Free text, e.g. "prefers tablets"."""


WeekdayList = Annotated[list[Weekday], Field(min_length=1, max_length=7)]
_DAYS = r"[A-Za-z]{3}(?:\s*-\s*[A-Za-z]{3})?"
WeekdaysText = Annotated[str, Field(pattern=rf"^\s*{_DAYS}(?:\s*,\s*{_DAYS})*\s*$")]
"""Open days as `--open` takes them, `mon-fri` or `mon,wed,fri`; only the JSON Schema uses this
type: `validators.clinic_open` reads it into weekday names and says what is wrong."""


class Clinic(_Input):
    """When the practice gives injections (docs: "Clinic days")."""

    open: Annotated[
        WeekdayList,
        AfterValidator(v.distinct_weekdays),
        BeforeValidator(v.clinic_open, json_schema_input_type=WeekdayList | WeekdaysText),
    ] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    """The weekdays it is open (default: every day), as a list or as `--open` spells them
    (`"mon-fri"`, `"mon,wed,fri"`)."""
    closed: Annotated[list[IsoDate], Field(max_length=MAX_ITEMS)] = []
    """Dates it is closed, besides the weekdays it is not open."""
    holidays: Annotated[
        Annotated[str, Field(pattern=REGION_PATTERN)] | None, BeforeValidator(v.clinic_region)
    ] = None
    """A country's public holidays (`holidays` package): ISO country, optional subdivision,
    e.g. GB-ENG, US, US-CA."""


def _start_optional_when_given(schema: dict[str, Any]) -> None:
    # `start` may be left out for a patient already on treatment (repletion_done with doses
    # given): it then defaults to the first of them.
    schema["required"] = [name for name in schema.get("required", []) if name != "start"]
    schema["if"] = {
        "properties": {"repletion_done": {"const": True}},
        "required": ["repletion_done", "given"],
    }
    schema["then"] = {
        "anyOf": [{"required": ["start"]}, {"properties": {"given": {"minItems": 1}}}]
    }
    schema["else"] = {"required": ["start"]}


class Patient(_Input):
    """The patient document: what is known, and what has been given."""

    model_config = ConfigDict(json_schema_extra=_start_optional_when_given)

    # Checks against `start` read it from the fields validated before them (start comes
    # first), so that their errors carry the field's own name in `loc`.
    start: IsoDate
    """First (planned) injection date; with repletion_done it defaults to the earliest given."""
    cause: Annotated[str, BeforeValidator(v.patient_cause)]
    """Cause of deficiency (canonical id or alias)."""
    dob: Annotated[IsoDate | None, AfterValidator(v.dob_before_start)] = None
    sex: Sex | None = None
    neuro: StrictBool = False
    """Neurological involvement."""
    product: Product | None = None
    """Default: the named protocol's product, else hydroxocobalamin."""
    route: Route | None = None
    """Default: the protocol's first route (IM for the UK protocols)."""
    strength: StrengthText = None
    """Product strength such as '1000 mcg/mL' (default 1000 mcg/mL)."""
    protocol: Annotated[str, BeforeValidator(v.patient_protocol)] = "auto"
    """A bundled protocol id, a custom protocol's id, or auto (unknown ids list the choices)."""
    labs: Annotated[
        list[Annotated[Lab, BeforeValidator(v.lab_item, json_schema_input_type=Lab | LabText)]],
        Field(max_length=MAX_ITEMS),
    ] = []
    given: Annotated[
        list[
            Annotated[
                GivenDose, BeforeValidator(v.given_item, json_schema_input_type=GivenDose | date)
            ]
        ],
        Field(max_length=MAX_ITEMS),
        AfterValidator(v.given_in_order),
    ] = []
    repletion_end: Annotated[IsoDate | None, AfterValidator(v.not_before_start)] = None
    """The day the loading (repletion) phase ended: the neuro protocol's end of alternate-day
    doses, or an early end of a fixed course."""
    repletion_done: Annotated[StrictBool, AfterValidator(v.one_account_of_repletion)] = False
    """The loading course was completed before the doses recorded here: every one is maintenance."""
    symptoms_returned: Annotated[
        list[IsoDate], Field(max_length=MAX_ITEMS), AfterValidator(v.symptoms_after_start)
    ] = []
    conditions: Annotated[Conditions, AfterValidator(v.conditions_fit_sex)] = Conditions()
    interval: Annotated[str | None, BeforeValidator(v.interval_or_none)] = None
    """Clinician-set maintenance interval: Nmo, Nw or Nd."""
    override_reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    interval_changes: Annotated[
        list[IntervalChange], Field(max_length=MAX_ITEMS), AfterValidator(v.one_change_a_day)
    ] = []
    """The clinician's dated interval decisions (instead of `interval`)."""
    missed: Annotated[
        list[
            Annotated[
                MissedDose,
                BeforeValidator(v.missed_item, json_schema_input_type=MissedDose | date),
            ]
        ],
        Field(max_length=MAX_ITEMS),
        AfterValidator(v.missed_not_given),
    ] = []
    """Doses recorded as not given (declined, did not attend...)."""
    clinic: Clinic | None = None
    """The practice's open days and closures; without it no date moves."""
    until: Annotated[IsoDate | None, AfterValidator(v.not_before_start)] = None
    """Last date for listed maintenance doses (default 12 months after max(start, as_of))."""
    stopped: Annotated[Stopped | None, AfterValidator(v.stopped_after_doses)] = None
    """Treatment stopped (date, reason, note): nothing is planned after the date."""
    ref: (
        Annotated[
            str,
            Field(min_length=1, max_length=REF_MAX_CHARS, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$"),
            BeforeValidator(v.ref_text),
        ]
        | None
    ) = None
    """The caller's own reference for this patient (1–64 printable characters), echoed in
    every output and never interpreted."""

    # Every input document, and so every free-text field, passes the one sanitiser before the
    # engine or any renderer sees it (see b12plan.contract.text): once, whole, at its root.
    _clean_text = model_validator(mode="before")(v.clean_tree)
    _start_from_given = model_validator(mode="before")(v.start_from_given)
    # Last declared, so first to run: `ref` is judged as typed, before the sanitiser.
    _ref_as_typed = model_validator(mode="before")(v.ref_raw)


# ---------------------------------------------------------------- plan (output)


class Generator(_Output):
    name: str = "b12plan"
    version: str


class ProtocolRef(_Output):
    """Which protocol the plan follows, and why it was chosen."""

    id: str
    title: str
    sources: list[str]
    chosen_because: str
    conventions: list[str] = []
    """Choices b12plan made where the source is vague ([C] in the reference)."""


class MissedRef(_Output):
    """A recorded miss, as shown on the dose it belongs to."""

    date: dt.date
    reason: MissReason


class IntervalInForce(_Output):
    """One entry of the maintenance interval's history: in force from `date`."""

    date: dt.date
    interval: str
    code: str
    """PROTOCOL_DEFAULT, or the code of the change (CLINICIAN_INTERVAL, OFFLABEL_INTERVAL,
    INTERVAL_CAPPED, INTERVAL_SHORTENED, INTERVAL_EXTENDED)."""
    why: str


class Dose(_Output):
    """One injection."""

    n: int
    date: dt.date
    phase: Phase
    dose_mcg: Number
    volume_ml: float
    route: Route
    status: Status
    why: str
    planned_date: dt.date | None = None
    """For a given dose: the date it was due, when that differs from `date`."""
    site: str | None = None
    moved_from: dt.date | None = None
    """For a dose moved off a clinic closure: the date the rules gave it."""
    missed: MissedRef | None = None
    """The recorded miss this dose answers to (the latest, if several)."""
    held: str | None = None
    """Why an IM dose not yet given is held (an INR above range in the 7 days before it), e.g.
    `INR 3.5 on 2026-12-04 is above 3.0`: give it once the INR is back in range."""
    trace: list[str] = []
    """The chain of rules that placed this dose (shown by `--explain`)."""


class Maintenance(_Output):
    interval: str | None
    lifelong: bool
    next_due: dt.date | None
    steps: list[str] = []
    """The protocol's allowed intervals."""
    why: str = ""
    changes: list[IntervalInForce] = []
    """The interval in force by date, oldest first."""


class Adjustment(_Output):
    """A change of maintenance interval."""

    date: dt.date
    from_: str = Field(alias="from")
    to: str
    code: str
    why: str


class FollowUp(_Output):
    date: dt.date
    until: dt.date | None = None
    test: str
    why: str
    source: str = "NHS-PRACTICE"
    status: FollowUpStatus = "planned"
    """done (a lab of that kind on record from the window's first day), overdue (past its
    window), due (the window holds as_of) or planned."""


class Converted(_Output):
    value: float
    unit: str


class LabResult(_Output):
    analyte: Analyte
    value: Number
    unit: str
    date: dt.date
    classification: Classification
    converted: Converted | None = None
    ref_low: Number | None = None
    ref_high: Number | None = None
    baseline: bool = False
    """Taken on or before the start date (drives diagnosis findings)."""
    comparator: Comparator | None = None
    """A censored result as reported (`<50`): `value` is its bound; it was read as the band
    nearer deficiency among those it could be in."""


class Finding(_Output):
    code: str
    severity: Severity
    message: str
    source: str


class Inputs(_Output):
    """The resolved product, route and strength, and which were defaults."""

    product: Product
    route: Route
    strength_mcg_per_ml: Number
    defaults_applied: list[str] = []


class _Document(_Output):
    """What every output document opens with: version, generator, date, disclaimer, protocol."""

    schema_version: Literal["1"] = "1"
    ref: str | None = None
    """The caller's reference for the patient (`ref`), echoed unchanged; null without one."""
    generator: Generator
    as_of: dt.date
    disclaimer: str = DISCLAIMER
    protocol: ProtocolRef

    def to_json(self) -> str:
        """The document as JSON, as `--format json` writes it (indented, ending in a newline)."""
        return self.model_dump_json(by_alias=True, indent=2, exclude=self._left_out()) + "\n"

    def _left_out(self) -> dict[str, Any]:
        # `settings` is written only when a settings file was read: a document made without
        # one is what it always was, byte for byte.
        return {} if getattr(self, "settings", None) is not None else {"settings": True}


_WITHOUT_TRACE = {"doses": {"__all__": {"trace"}}}


class Plan(_Document):
    """The plan document (`schedule --format json`)."""

    complete: bool
    doses: list[Dose]
    maintenance: Maintenance | None
    adjustments: list[Adjustment] = []
    follow_up: list[FollowUp] = []
    labs: list[LabResult] = []
    findings: list[Finding] = []
    inputs: Inputs | None = None
    settings: str | None = None
    """The settings file (b12plan.toml) the command line read, if it read one (its clinic days
    are in the plan); absent, not null, when none was read."""
    # What a plan from `b12plan.plan()` was made from: the ics format hashes the patient's
    # record into its UIDs, and the fhir format writes a custom protocol's segments.
    _patient: PatientRecord | None = PrivateAttr(default=None)
    _custom: Protocol | None = PrivateAttr(default=None)

    @property
    def blocked(self) -> bool:
        """True when a `block` finding stopped the plan."""
        return any(f.severity == "block" for f in self.findings)  # as vocab.is_blocked

    def to_json(self, *, explain: bool = False, indent: int | None = 2) -> str:
        """The plan document as `schedule --format json` writes it, byte for byte; with
        `explain`, each dose keeps its `trace` (`--explain`); `indent=None` puts it on one line,
        as `schedule --batch` writes it."""
        exclude = self._left_out() | ({} if explain else _WITHOUT_TRACE)
        return self.model_dump_json(by_alias=True, indent=indent, exclude=exclude) + "\n"


# ---------------------------------------------------------------- regimen (input of check)


class RegimenStep(_Input):
    """One step of a proposed regimen: a dose, how often, and how many times."""

    dose_mcg: DoseMcg
    """Dose per injection, in micrograms."""
    every: IntervalText
    """Interval between doses: Nd, Nw or Nmo (e.g. 2d, 1w, 3mo)."""
    count: Annotated[StrictInt, Field(ge=1, le=grammar.MAX_COUNT)] | None = None
    """How many doses; absent: ongoing (only the last step may be ongoing)."""
    route: Route | None = None
    """This step's route; absent: the regimen's route."""


class Regimen(_Input):
    """The regimen document (input of `check`): a proposed regimen and the patient it is for.

    Give the steps either as `steps` or as one `regimen` string, as prescribers write it or
    in the compact grammar.
    """

    patient: Patient
    """The patient, as for `schedule` (only `start` and `cause` are required)."""
    product: Product | None = None
    """Default: the patient's product, else the protocol's."""
    route: Route | None = None
    """Route of every step without its own; default: the patient's, else the protocol's first."""
    strength: StrengthText = None
    """Product strength such as '1000 mcg/mL'; default: the patient's, else 1000 mcg/mL."""
    steps: (
        Annotated[list[RegimenStep], Field(min_length=1, max_length=grammar.MAX_STEPS)] | None
    ) = None
    """The proposed steps in order: repletion first, then maintenance."""
    regimen: Annotated[str | None, AfterValidator(v.regimen_grammar)] = None
    """The same as one string, as prescribers write it ("hydroxocobalamin 1 mg IM 3 times a
    week for 2 weeks, then every 3 months") or in the compact grammar `DOSE ROUTE every
    N(d|w|mo) [xCOUNT]`, steps split by `;`."""

    _clean_text = model_validator(mode="before")(v.clean_tree)
    _one_form = model_validator(mode="after")(v.regimen_one_form)


# ---------------------------------------------------------------- check (output)


class StepView(_Output):
    """One step of a regimen as compared: resolved route, phase and volume."""

    n: int
    """Position in the regimen, from 1."""
    phase: Phase
    dose_mcg: Number
    every: str | None
    """The interval (Nd, Nw, Nmo); for "N times a week" the week's most common gap; null for a
    single dose."""
    count: int | None
    """How many doses; null: ongoing."""
    route: Route
    volume_ml: float
    """dose_mcg / strength, rounded to 2 decimals."""
    text: str
    """The step in the compact grammar, or in the wording's terms where the grammar has none
    (`3 times a week`, `once`, `until no further improvement`)."""


class RegimenView(_Output):
    """A whole regimen: the protocol's (expected) or the proposed one."""

    product: Product
    strength_mcg_per_ml: Number
    steps: list[StepView]
    text: str
    """The regimen in the compact grammar."""


class ReadStep(_Output):
    """One phase of a regimen as read from its wording, in the wording's own terms."""

    dose_mcg: Number
    """Micrograms per dose."""
    route: Literal["im", "sc", "iv", "oral"] | None
    """As written; null: the wording names none, and the regimen's route applies."""
    every: str | None
    """The interval as written (Nd, Nw, Nmo), or null."""
    times_per_week: int | None
    """N of "N times a week", or null."""
    count: int | None
    """How many doses, where the wording counts them."""
    for_: str | None = Field(alias="for")
    """How long the phase lasts (Nd, Nw, Nmo), where the wording says so."""
    until: Literal["no-further-improvement"] | None
    """A course that ends clinically, or null."""


class Read(_Output):
    """What was read from the regimen's wording, for the clinician to confirm."""

    text: str
    """The wording as given."""
    product: Product | None
    """The product the wording names, or null."""
    steps: list[ReadStep]


class CheckFinding(_Output):
    """A difference from the protocol, or a patient-level finding as `schedule` raises it."""

    code: str
    severity: Severity
    message: str
    source: str
    kind: Literal["regimen", "patient"]
    """`regimen`: a difference between the proposal and the protocol; `patient`: about the
    patient, product or labs, as `schedule` would raise it."""
    step: int | None = None
    """The proposed step it concerns (from 1), if one."""
    expected: str | Number | None = None
    """What the protocol gives (dose, interval, count, route or volume)."""
    proposed: str | Number | None = None
    """What the regimen proposes."""


class CheckReport(_Document):
    """The check document (`check --format json`)."""

    verdict: Literal["clean", "problems"]
    """`problems` when `regimen_verdict` or `patient_verdict` is."""
    fail_on: Severity
    """The severity at which a finding about the regimen is a problem."""
    fail_on_patient: Severity = "block"
    """The severity at which a finding about the patient is a problem."""
    regimen_verdict: Literal["clean", "problems"] = "clean"
    """`problems` when a finding of kind `regimen` is at or above `fail_on`."""
    patient_verdict: Literal["clean", "problems"] = "clean"
    """`problems` when a finding of kind `patient` is at or above `fail_on_patient`."""
    expected: RegimenView
    """The protocol's own regimen."""
    proposed: RegimenView
    """The injected steps as compared (an oral step is a finding instead)."""
    read: Read | None = None
    """The regimen as read from its wording (`regimen` given as text), else null."""
    findings: list[CheckFinding] = []
    labs: list[LabResult] = []
    inputs: Inputs | None = None
    not_used: list[str] = []
    """Patient fields that describe a schedule or history, which a regimen check does not use."""
    settings: str | None = None
    """The settings file (b12plan.toml) the command line read, if it read one; absent, not
    null, when none was read."""


# ---------------------------------------------------------------- worklist (output of audit)


class WorklistProblem(_Output):
    """Why a patient's rows cannot be planned from."""

    source: str | None
    """The file (events CSV, patients CSV), `line` (JSON Lines) or `bundle` (FHIR)."""
    row: int | None
    """The row as a spreadsheet numbers it (header = 1), the line, or the bundle entry."""
    field: str
    msg: str
    """What is wrong, and what is allowed."""


class TestDue(_Output):
    """A follow-up test that is due or overdue."""

    test: str
    date: dt.date
    until: dt.date | None = None
    status: Literal["due", "overdue"]


class DoseEvaluation(_Output):
    """One judgement of a given dose, with its reason."""

    code: Literal["on-time", "late", "early", "extra", "wrong-dose", "wrong-product", "wrong-route"]
    reason: str


class EvaluatedDose(_Output):
    """A dose given, as recorded, and how it compares with the plan and the protocol."""

    n: int
    """The dose's number in the plan."""
    date: dt.date
    planned_date: dt.date
    phase: Phase
    dose_mcg: Number
    product: Product | None
    """As recorded (null: not recorded)."""
    route: Route | None
    evaluation: list[DoseEvaluation]
    """`on-time`, or every other judgement that applies."""


class WorklistEntry(_Output):
    """One patient of the worklist."""

    ref: str
    """The clinic's own id (`patient_id`, the document's `ref`, or `line N`)."""
    status: AuditStatus
    next_due: dt.date | None
    """The next dose of either phase; the overdue one where there is one."""
    days_overdue: int | None
    """as_of minus the overdue dose's planned date (lapsed and overdue only)."""
    last_given: dt.date | None
    interval: str | None
    """The maintenance interval in force."""
    protocol: str | None
    tests_due: list[TestDue]
    findings: list[Finding]
    """The plan's warning and block findings."""
    doses: list[EvaluatedDose]
    """Each dose given, evaluated (json and ndjson)."""
    problems: list[WorklistProblem]
    """needs-review: every problem with the rows."""


class WorklistSummary(_Output):
    patients: int
    listed: int
    """Patients in `patients` (those of the statuses asked for)."""
    by_status: dict[str, int]
    """Every status, in worklist order, with how many patients have it."""


class Worklist(_Output):
    """The worklist document (`audit --format json`)."""

    schema_version: Literal["1"] = "1"
    generator: Generator
    as_of: dt.date
    disclaimer: str = DISCLAIMER
    settings: str | None
    """The settings file read (b12plan.toml), or null."""
    due_within: str
    """How far ahead a next dose makes a patient due-soon."""
    statuses: list[str] | None
    """The statuses asked for (`--status`), or null for all."""
    summary: WorklistSummary
    patients: list[WorklistEntry]
    """Most urgent first, then by ref."""
