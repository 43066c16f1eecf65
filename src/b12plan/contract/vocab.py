"""Closed vocabularies shared by the command line, the models and the engine: each once, as the
tuple the command line offers and, for the models and the type checker, as its type (`Literal`).

Deliberately free of pydantic and the engine so that `--help` and shell completion stay cheap.
The types are built from the tuples on first use (module `__getattr__`): building them costs a
run that only needs the tuples; the type checker reads them written out (a test keeps each
written-out type equal to its tuple).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from b12plan.contract.text import quote

if TYPE_CHECKING:
    from typing import Literal

    from b12plan.contract.documents import PlanDocument

CAUSES: Final = (
    "autoimmune-gastritis",
    "gastrectomy",
    "bariatric-surgery",
    "ileal-resection",
    "malabsorption",
    "dietary",
    "medication",
    "nitrous-oxide",
    "unknown",
)
CAUSE_ALIASES: Final = {
    "pernicious-anaemia": "autoimmune-gastritis",
    "pernicious-anemia": "autoimmune-gastritis",
}
# Irreversible causes: maintenance is lifelong (reference: LIFELONG).
LIFELONG_CAUSES: Final = frozenset(
    {"autoimmune-gastritis", "gastrectomy", "bariatric-surgery", "ileal-resection"}
)
# Causes that may resolve once corrected (reference: CAUSE_REVERSIBLE_REVIEW).
REVERSIBLE_CAUSES: Final = frozenset({"dietary", "medication", "nitrous-oxide"})

PRODUCTS: Final = ("hydroxocobalamin", "cyanocobalamin")
ROUTES: Final = ("im", "sc", "iv")
SEXES: Final = ("female", "male")
ANALYTES: Final = (
    "b12",
    "active-b12",
    "mma",
    "homocysteine",
    "hb",
    "mcv",
    "folate",
    "potassium",
    "egfr",
    "platelets",
    "inr",
    "retic",
)
# The units each analyte is reported in (their display spellings), for the help and completion;
# the units table (`units.ANALYTE_UNITS`) converts between them, and a test keeps the two equal.
LAB_UNITS: Final = {
    "b12": ("ng/L", "pg/mL", "pmol/L"),
    "active-b12": ("pmol/L",),
    "mma": ("µmol/L", "nmol/L"),
    "homocysteine": ("µmol/L", "mg/L"),
    "hb": ("g/L", "g/dL", "mmol/L"),
    "mcv": ("fL",),
    "folate": ("nmol/L", "ng/mL", "µg/L"),
    "potassium": ("mmol/L", "mEq/L"),
    "egfr": ("mL/min/1.73m2",),
    "platelets": ("10^9/L",),
    "inr": ("ratio",),
    "retic": ("%", "10^9/L"),
}
FORMATS: Final = ("table", "json", "ndjson", "csv", "ics", "fhir", "html")
# Formats that list doses one by one, so a window (`--from`) can leave some out; why the others
# refuse it.
WINDOW_FORMATS: Final = ("table", "ndjson", "csv", "ics")
NO_WINDOW: Final = {
    "json": "the plan document holds every dose; filter them with jq",
    "fhir": "a MedicationRequest holds the whole course",
    "html": "the handout already lists only the doses still to come",
}
# Formats that refuse `explain`, and why: traces belong to single doses and to clinicians.
NO_EXPLAIN: Final = {
    "fhir": "a Dosage covers a phase, not a dose",
    "html": "the handout is for the patient; the rules are for the prescriber",
}


WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Day names in output, in English whatever the locale (strftime would follow it).
DAY_NAMES: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MISS_REASONS: Final = ("declined", "did-not-attend", "unavailable", "other")
# The boolean fields of the patient's `conditions` object (`--condition NAME`).
CONDITION_FLAGS: Final = (
    "pregnant",
    "breastfeeding",
    "anticoagulant",
    "bleeding_disorder",
    "cobalt_allergy",
    "leber",
    "b12_hypersensitivity",
    "vegan",
)
# Why treatment stopped (`stopped.reason`, `--stopped DATE:REASON`; reference, "Stopping
# treatment").
STOP_REASONS: Final = (
    "cause-corrected",
    "switched-to-oral",
    "transferred-out",
    "declined",
    "died",
    "other",
)
# Stops after which the course is reviewed 3 months on (SPS-NG239), and those after which no
# follow-up of this practice is wanted past the stop date.
STOP_REVIEWED: Final = frozenset({"cause-corrected", "switched-to-oral"})
# How a stop's reason reads in the STOPPED finding, which begins with STOPPED_ON and the date
# (so the handout can tell the patient, from the plan document alone).
STOP_REASON_WORDS: Final = {
    "cause-corrected": "cause corrected",
    "switched-to-oral": "switched to oral B12",
    "transferred-out": "transferred out",
    "declined": "declined by the patient",
    "died": "died",
    "other": "other reason",
}
STOPPED_ON: Final = "treatment stopped on"
# How the review after a stop explains itself (the handout tells it from the course's own).
STOP_REVIEW_WHY: Final = "3 months after stopping"
STOP_ENDS_FOLLOW_UP: Final = frozenset({"died", "transferred-out"})
# A censored lab result, as reports print it: the comparator before the number, with the
# Unicode signs read as their two-character spellings (contract, "Additions of 2026-12-07").
COMPARATORS: Final = ("<", ">", "<=", ">=")
COMPARATOR_SPELLINGS: Final = {"≤": "<=", "≥": ">="}
# `ref`: the caller's own reference for a patient, echoed and never interpreted.
REF_MAX_CHARS: Final = 64
# How the engine's IM hold for a high INR begins (an ANTICOAG_IM finding naming the doses), so
# that renderers can tell it from the general ANTICOAG_IM warning.
INR_HOLD: Final = "INR above the therapeutic range"

SEVERITIES: Final = ("info", "warning", "block")
PHASES: Final = ("repletion", "maintenance")
DOSE_STATUSES: Final = ("given", "overdue", "due", "planned", "provisional")
FOLLOW_UP_STATUSES: Final = ("done", "overdue", "due", "planned")
# A patient's status in the audit's worklist, in the order the rules try them (the first that
# applies; contract, "b12plan audit").
AUDIT_STATUSES: Final = (
    "needs-review",
    "blocked",
    "stopped",
    "lapsed",
    "overdue",
    "due",
    "loading",
    "due-soon",
    "up-to-date",
)
CLASSIFICATIONS: Final = ("low", "indeterminate", "normal", "high", "severely-low", "unclassified")
"""What a lab result is, as `contract.units.classify` judges it."""
SEVERITY_RANK: Final = {"block": 0, "warning": 1, "info": 2}


def is_blocked(document: PlanDocument) -> bool:
    """True when a `block` finding stopped the plan: the one test of it for every reader of
    the plan document (`Plan.blocked` asks the same of the model)."""
    # A loop, not `any` over a generator: a batch asks this of every plan, and the generator's
    # frame cost twice as much as the question.
    for finding in document["findings"]:  # noqa: SIM110 - see above
        if finding["severity"] == "block":
            return True
    return False


SCHEMA_VERSION: Final = "1"
"""The version of every document b12plan writes."""
DISCLAIMER: Final = (
    "Decision support only, not a prescription: the prescriber decides. Check every date, "
    "dose and finding against the patient and current guidance (NICE-NG239, BNF, product "
    "information) before use."
)

# Input dates outside these years are typos; the window also keeps every date the engine
# derives (as_of + 10 years, start + 999 months) far inside what `datetime.date` can hold.
FIRST_YEAR: Final = 1900
LAST_YEAR: Final = 2199
# [C] 100 mg: no single B12 dose comes near it (a dose field's bound and the grammar's).
MAX_DOSE_MCG: Final = 100_000
# [C] 1 mcg: below it a dose is a typo or a wrong unit (the smallest real one, oral, is tens of
# micrograms); every place a dose is read holds to it (given items, regimen steps and text,
# protocol files).
MIN_DOSE_MCG: Final = 1


def weekday_names(text: str) -> list[str]:
    """`mon-fri` or `mon,wed,fri` (or both: `mon-wed,fri`) as weekday names in week order;
    ValueError says what is allowed."""
    days: set[str] = set()
    for part in text.lower().replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if first not in WEEKDAYS or (dash and last not in WEEKDAYS):
            msg = (
                f"{quote(text)} is not a list of weekdays; use {', '.join(WEEKDAYS)}, "
                "ranges like mon-fri, joined by commas"
            )
            raise ValueError(msg)
        i, j = WEEKDAYS.index(first), WEEKDAYS.index(last if dash else first)
        if j < i:
            msg = f"{quote(part)} runs backwards; write it as {last}-{first}"
            raise ValueError(msg)
        days.update(WEEKDAYS[i : j + 1])
    return [day for day in WEEKDAYS if day in days]


def canonical_cause(value: str) -> str:
    """Map a cause or an alias to its canonical id; ValueError names the choices."""
    key = value.strip().lower()
    key = CAUSE_ALIASES.get(key, key)
    if key not in CAUSES:
        allowed = ", ".join((*CAUSES, *CAUSE_ALIASES))
        msg = f"unknown cause {quote(value)}; allowed: {allowed}"
        raise ValueError(msg)
    return key


# The types of the vocabularies above, by the name of their tuple.
_TYPES: Final = {
    "Product": "PRODUCTS",
    "Route": "ROUTES",
    "Sex": "SEXES",
    "Analyte": "ANALYTES",
    "Severity": "SEVERITIES",
    "Phase": "PHASES",
    "Status": "DOSE_STATUSES",
    "Weekday": "WEEKDAYS",
    "MissReason": "MISS_REASONS",
    "FollowUpStatus": "FOLLOW_UP_STATUSES",
    "AuditStatus": "AUDIT_STATUSES",
    "Classification": "CLASSIFICATIONS",
    "StopReason": "STOP_REASONS",
    "Comparator": "COMPARATORS",
}

if TYPE_CHECKING:
    Product = Literal["hydroxocobalamin", "cyanocobalamin"]
    Route = Literal["im", "sc", "iv"]
    Sex = Literal["female", "male"]
    Analyte = Literal[
        "b12",
        "active-b12",
        "mma",
        "homocysteine",
        "hb",
        "mcv",
        "folate",
        "potassium",
        "egfr",
        "platelets",
        "inr",
        "retic",
    ]
    Severity = Literal["info", "warning", "block"]
    Phase = Literal["repletion", "maintenance"]
    Status = Literal["given", "overdue", "due", "planned", "provisional"]
    Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    MissReason = Literal["declined", "did-not-attend", "unavailable", "other"]
    FollowUpStatus = Literal["done", "overdue", "due", "planned"]
    AuditStatus = Literal[
        "needs-review",
        "blocked",
        "stopped",
        "lapsed",
        "overdue",
        "due",
        "loading",
        "due-soon",
        "up-to-date",
    ]
    Classification = Literal[
        "low", "indeterminate", "normal", "high", "severely-low", "unclassified"
    ]
    StopReason = Literal[
        "cause-corrected", "switched-to-oral", "transferred-out", "declined", "died", "other"
    ]
    Comparator = Literal["<", ">", "<=", ">="]
else:
    # Hidden from type checkers: with a module `__getattr__` they would accept any name.

    def __getattr__(name: str) -> object:
        """A vocabulary's type, `Literal[*its tuple]`, built on first use and kept."""
        words = _TYPES.get(name)
        if words is None:
            msg = f"module {__name__!r} has no attribute {name!r}"
            raise AttributeError(msg)
        from typing import Literal

        value = Literal[globals()[words]]
        globals()[name] = value
        return value
