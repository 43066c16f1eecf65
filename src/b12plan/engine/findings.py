"""Patient-level findings as tables: safety blocks, warnings and information
(clinical/reference.md).

Each row is one finding: its code, severity, source, the condition that raises it and its
message, a template whose `{names}` are the words below (`WORDS`). `SAFETY` stops the plan;
`PATIENT` warns and informs. The rows are in the order the findings are raised (within a
severity, the plan keeps that order). These need no schedule, so `check` raises exactly the same
ones as `schedule`. A source is a source id, or `LABEL` (the chosen product's label) or
`PROTOCOL_SOURCE` (the protocol's first source).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Final, TypeVar

from b12plan.contract.intervals import days
from b12plan.contract.plain import Record
from b12plan.contract.vocab import (
    LIFELONG_CAUSES,
    REVERSIBLE_CAUSES,
    STOP_REASON_WORDS,
    STOPPED_ON,
)
from b12plan.engine.derived import canonical_value, vegan_diet
from b12plan.engine.facts import SITE_LIMIT_ML, PatientFacts, volume_ml
from b12plan.engine.history import counts_as_marker
from b12plan.engine.labs import ClassifiedLab, describe

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument
    from b12plan.contract.records import Conditions, Patient, Protocol
    from b12plan.contract.vocab import Severity
    from b12plan.engine.select import Choice

ADULT_AGE = 16
ADULT_FULL_AGE = 18
# HYPOKALAEMIA looks from 7 days before start (reference, "More labs that change what happens").
HYPOKALAEMIA_LOOKBACK_DAYS = 7
# SEVERE_ANAEMIA (reference, "Escalation"): Hb below 70 g/L, or below 80 g/L with platelets
# below 100 x10^9/L, on results from 14 days before day 0 on [C].
HB_CRITICAL_G_L = Decimal(70)
PLATELETS_WITH_HB = Decimal(100)
SEVERE_ANAEMIA_LOOKBACK_DAYS = 14
# ANAEMIA_ON_TREATMENT: an Hb dated this many days or more after day 0 (the day-56 FBC).
ON_TREATMENT_DAYS = 56

LABEL: Final = "{label}"
"""A row's source: the chosen product's label (FDA-CYANO or SMPC-HYDROXO)."""
PROTOCOL_SOURCE: Final = "{protocol_source}"
"""A row's source: the protocol's first source."""
_T = TypeVar("_T")
LABELS: Final = {"cyanocobalamin": "FDA-CYANO", "hydroxocobalamin": "SMPC-HYDROXO"}


def finding(code: str, severity: str, message: str, source: str) -> FindingDocument:
    """One finding, as the plan and check documents hold it."""
    return {"code": code, "severity": severity, "message": message, "source": source}


class Seen:
    """One patient as the rows read them: the facts, with the parts every row asks for."""

    __slots__ = ("choice", "conditions", "cyano", "doses", "facts", "patient", "protocol")

    def __init__(self, facts: PatientFacts, doses_mcg: Sequence[float]) -> None:
        self.facts = facts
        self.patient: Patient = facts.patient
        self.conditions: Conditions = facts.patient.conditions
        self.choice: Choice = facts.choice
        self.protocol: Protocol = facts.choice.protocol
        self.cyano = facts.choice.product == "cyanocobalamin"
        self.doses = doses_mcg
        """The amounts whose volume is judged (none from `check`, which judges each step)."""


class Rule(Record):
    """One finding: raised when `when` holds, its message `message` with the words filled in."""

    __slots__ = ("code", "severity", "source", "when", "message")  # noqa: RUF023 - as the columns
    code: str
    severity: Severity
    source: str
    when: Callable[[Seen], object]
    message: str

    def __init__(
        self,
        code: str,
        severity: Severity,
        source: str,
        when: Callable[[Seen], object],
        message: str,
    ) -> None:
        self.code, self.severity, self.source = code, severity, source
        self.when, self.message = when, message


# ---------------------------------------------------------------- what the conditions ask


def _child(s: Seen) -> bool:
    age = s.facts.age_years
    return age is not None and age < ADULT_AGE


def _adolescent(s: Seen) -> bool:
    age = s.facts.age_years
    return age is not None and ADULT_AGE <= age < ADULT_FULL_AGE


def _low_egfr(s: Seen) -> bool:
    egfr = s.facts.latest.get("egfr")
    return egfr is not None and egfr.below_egfr_low


def _vegan(s: Seen) -> bool:
    return vegan_diet(s.patient)


def _bleeding_risks(s: Seen) -> list[str]:
    """Why an IM injection risks a haematoma; a recorded INR means an anticoagulant, as the
    condition does (reference, 2026-12-01)."""
    conditions, latest = s.conditions, s.facts.latest
    inr, platelets = latest.get("inr"), latest.get("platelets")
    out = ["anticoagulant"] if conditions.anticoagulant else []
    if inr is not None and not conditions.anticoagulant:
        out.append(f"an anticoagulant (INR on record: {describe(inr)})")
    if conditions.bleeding_disorder:
        out.append("bleeding disorder")
    if platelets is not None and platelets.below_platelets_low:
        out.append(f"platelets < 50x10^9/L ({describe(platelets)})")
    return out


def _largest_ml(s: Seen) -> float:
    # The volume grows with the dose (rounding keeps the order): the largest dose's.
    return volume_ml(max(s.doses), s.choice.strength_mcg_per_ml)


def _volume_over(s: Seen) -> bool:
    limit = SITE_LIMIT_ML.get(s.choice.route)
    return limit is not None and bool(s.doses) and _largest_ml(s) > limit


def _no_oral(s: Seen) -> bool:
    """Oral cyanocobalamin is never offered where the tool blocks or warns on cyanocobalamin or
    on B12 itself: Leber's disease, cobalt allergy, a past hypersensitivity reaction."""
    c = s.conditions
    return c.leber or c.cobalt_allergy or c.b12_hypersensitivity


def _indeterminate(analyte: str) -> Callable[[Seen], bool]:
    def when(s: Seen) -> bool:
        lab = s.facts.baseline.get(analyte)
        return lab is not None and lab.classification == "indeterminate"

    return when


def _b12_measures(s: Seen) -> list[ClassifiedLab]:
    baseline = s.facts.baseline
    return [baseline[a] for a in ("b12", "active-b12") if a in baseline]


def _deficiency_unlikely(s: Seen) -> bool:
    """Total or active B12 normal (or above the lab's upper limit, so above the unlikely
    threshold too), no other marker, and not nitrous oxide (where B12 may look normal)."""
    # Loops and lookups, not all()/any() over generators: every plan asks this.
    measures = _b12_measures(s)
    if not measures or s.patient.cause == "nitrous-oxide":
        return False
    for lab in measures:
        if lab.classification not in ("normal", "high"):
            return False
    baseline = s.facts.baseline
    for marker in ("mma", "homocysteine"):
        if marker in baseline and baseline[marker].is_deficient:
            return False
    hb, mcv = baseline.get("hb"), baseline.get("mcv")
    return not (hb is not None and mcv is not None and hb.is_anaemic and mcv.is_macrocytic)


def _settled_by(s: Seen, lab: ClassifiedLab) -> str:
    """What settles an indeterminate total or active B12: a second marker taken before treatment
    (MMA; active B12 for a total B12) where one is on record, and MMA asked for only where
    neither is (reference, 2026-12-07: a finding never asks for a test on record)."""
    facts = s.facts
    kinds = ("mma", "active-b12") if lab.analyte == "b12" else ("mma",)
    markers = [
        facts.baseline[kind]
        for kind in kinds
        if kind in facts.baseline and counts_as_marker(facts.baseline[kind], facts.labs)
    ]
    confirms = [m for m in markers if m.is_deficient]
    if confirms:
        return f"{describe(confirms[0])} on record confirms deficiency"
    rules_out = [
        m for m in markers if m.classification in ("normal", "high") and not m.is_deficient
    ]
    if rules_out:
        return f"{describe(rules_out[0])} on record makes deficiency unlikely"
    mma = [other for other in facts.labs if other.analyte == "mma"]
    if mma:
        # An MMA taken on treatment, or unreliable with eGFR below 30: never asked for again.
        return (
            f"{describe(mma[-1])} on record does not settle it (taken on treatment, or "
            "unreliable with eGFR below 30): clinical judgement"
        )
    return "consider MMA to confirm"


def _low_potassium(s: Seen) -> ClassifiedLab | None:
    """The latest low potassium from 7 days before start to the end of loading."""
    facts = s.facts
    if "potassium" not in facts.latest:
        return None
    watch_from = facts.patient.start - days(HYPOKALAEMIA_LOOKBACK_DAYS)
    found = None
    for lab in facts.labs:
        if (
            lab.analyte == "potassium"
            and lab.classification == "low"
            and watch_from <= lab.date <= facts.repletion_until
        ):
            found = lab
    return found


def _latest_from(facts: PatientFacts, analyte: str, since: date) -> ClassifiedLab | None:
    """The latest result of `analyte` dated on or after `since`: the latest of all, if it is
    (the labs are in date order, so no earlier one can be where the latest is not)."""
    lab = facts.latest.get(analyte)
    return lab if lab is not None and lab.date >= since else None


def _value_below_severe_hb(hb: ClassifiedLab) -> bool:
    """The Hb's value below 80 g/L, a censored one's bound taken as its value."""
    if hb.lab.comparator is None:
        return hb.below_severe_hb  # read off its class, without converting the value again
    # `import ... as`: `from b12plan.contract import units` runs importlib's `_handle_fromlist`
    # on every call on Python 3.11 (~0.5 us).
    import b12plan.contract.units as units  # noqa: PLR0402

    return canonical_value(hb.lab) < units.HB_SEVERE_G_L


def _severe_anaemia(s: Seen) -> str | None:
    """`SEVERE_ANAEMIA`: the latest Hb from day 0 - 14 on below 70 g/L, or below 80 g/L with the
    latest platelets from then on below 100 x10^9/L (each dated from day 0 - 14, not
    necessarily the same day) [C]. The latest result, not any: an anaemia since corrected
    needs no same-day assessment. What it shows, if raised."""
    hb = s.facts.latest.get("hb")
    # Below 80 g/L first: few are, and it needs no date.
    if hb is None or not _value_below_severe_hb(hb):
        return None
    since = s.facts.day0 - days(SEVERE_ANAEMIA_LOOKBACK_DAYS)
    if hb.date < since:  # the latest Hb is before the window: none is in it
        return None
    platelets = _latest_from(s.facts, "platelets", since)
    low_platelets = platelets is not None and canonical_value(platelets.lab) < PLATELETS_WITH_HB
    if canonical_value(hb.lab) >= HB_CRITICAL_G_L and not low_platelets:
        return None
    return describe(hb) + (f" with {describe(platelets)}" if platelets and low_platelets else "")


def _hb_on_treatment(s: Seen) -> ClassifiedLab | None:
    """`ANAEMIA_ON_TREATMENT`: the latest Hb dated 56 days or more after day 0, when anaemic [C,
    the latest result: an anaemia since corrected is not reported]."""
    hb = s.facts.latest.get("hb")
    # Anaemic first: it needs no date.
    if hb is None or not hb.is_anaemic:
        return None
    return _latest_from(s.facts, "hb", s.facts.day0 + days(ON_TREATMENT_DAYS))


def _macrocytosis(s: Seen) -> str:
    """The latest MCV of that time above 100 fL, said after the Hb."""
    mcv = _latest_from(s.facts, "mcv", s.facts.day0 + days(ON_TREATMENT_DAYS))
    return (
        f"; macrocytosis despite B12 treatment ({describe(mcv)})"
        if mcv and mcv.is_macrocytic
        else ""
    )


def _b12_on_treatment(s: Seen) -> ClassifiedLab | None:
    """`B12_ON_TREATMENT`, once: a total or active B12 dated on or after day 0 that is normal or
    high changes nothing (the engine never lengthens); the latest such result is named."""
    facts = s.facts
    b12, active = facts.latest.get("b12"), facts.latest.get("active-b12")
    if (b12 is None or b12.date < facts.day0) and (active is None or active.date < facts.day0):
        return None  # the latest of each is its last: none dated from day 0 on
    if not facts.treatment_started:
        return None
    found = None
    for lab in facts.labs:
        if (
            lab.analyte in ("b12", "active-b12")
            and lab.date >= facts.day0
            and lab.classification in ("normal", "high")
        ):
            found = lab
    return found


def _stop_irreversible(s: Seen) -> bool:
    """NG239: replacement is lifelong for an irreversible cause."""
    stopped = s.patient.stopped
    return (
        stopped is not None
        and stopped.reason == "cause-corrected"
        and s.patient.cause in LIFELONG_CAUSES
    )


def _present(value: _T | None) -> _T:
    """What a raised finding's word names (a word is asked for only when its row holds)."""
    if value is None:
        msg = "a message word asked for where its finding is not raised"
        raise LookupError(msg)
    return value


def _hb_days(s: Seen) -> int:
    return (_present(_hb_on_treatment(s)).date - s.facts.day0).days


def _lab(found: ClassifiedLab | None) -> str:
    return describe(_present(found))


def _stop_words(s: Seen) -> str:
    stopped = _present(s.patient.stopped)
    note = f"; {stopped.note}" if stopped.note else ""
    return f"{stopped.date} ({STOP_REASON_WORDS[stopped.reason]}{note}"


# ---------------------------------------------------------------- the words of the messages

WORDS: Final[dict[str, Callable[[Seen], object]]] = {
    "age": lambda s: s.facts.age_years,
    "product": lambda s: s.choice.product,
    "strength": lambda s: s.choice.strength_mcg_per_ml,
    "route_upper": lambda s: s.choice.route.upper(),
    "largest_ml": _largest_ml,
    "site_limit_ml": lambda s: SITE_LIMIT_ML[s.choice.route],
    "protocol_id": lambda s: s.protocol.id,
    "cause": lambda s: s.patient.cause,
    "label": lambda s: LABELS[s.choice.product],
    "protocol_source": lambda s: s.protocol.sources[0],
    "folic_acid_started": lambda s: s.conditions.folic_acid_started,
    "repletion_end": lambda s: s.patient.repletion_end,
    "day0": lambda s: s.facts.day0,
    "bleeding_risks": lambda s: ", ".join(_bleeding_risks(s)),
    "baseline_hb": lambda s: _lab(s.facts.baseline.get("hb")),
    "baseline_b12": lambda s: _lab(s.facts.baseline.get("b12")),
    "baseline_active_b12": lambda s: _lab(s.facts.baseline.get("active-b12")),
    "b12_settled_by": lambda s: _settled_by(s, s.facts.baseline["b12"]),
    "active_b12_settled_by": lambda s: _settled_by(s, s.facts.baseline["active-b12"]),
    "b12_measures": lambda s: ", ".join(describe(lab) for lab in _b12_measures(s)),
    "latest_egfr": lambda s: _lab(s.facts.latest.get("egfr")),
    "latest_folate": lambda s: _lab(s.facts.latest.get("folate")),
    "low_potassium": lambda s: _lab(_low_potassium(s)),
    "severe_anaemia": _severe_anaemia,
    "hb_on_treatment": lambda s: _lab(_hb_on_treatment(s)),
    "days_on_treatment": _hb_days,
    "macrocytosis": _macrocytosis,
    "b12_on_treatment": lambda s: _lab(_b12_on_treatment(s)),
    "stop": _stop_words,
}
"""What a message template may name, each worked out only for a finding that is raised."""


class Words(dict[str, object]):
    """The words of one patient's messages, each worked out when a template first names it."""

    __slots__ = ("seen",)

    # No `super().__init__()`: the dict is made empty, and a plan with findings makes one.
    def __init__(self, seen: Seen) -> None:
        self.seen = seen

    def __missing__(self, name: str) -> object:
        value = self[name] = WORDS[name](self.seen)
        return value


# ---------------------------------------------------------------- the tables

SAFETY: Final[tuple[Rule, ...]] = (
    Rule(
        "IV_ROUTE",
        "block",
        "FDA-CYANO",
        lambda s: s.choice.route == "iv",
        "IV route: most of an intravenous dose is lost in the urine; give it IM "
        "(or deep SC for cyanocobalamin)",
    ),
    Rule(
        "AGE_OUT_OF_SCOPE",
        "block",
        "NICE-NG239",
        _child,
        "aged {age} at start: these protocols are for adults and young people aged 16 and over; "
        "seek paediatric advice",
    ),
    Rule(
        "LEBER_CYANO",
        "block",
        "FDA-CYANO",
        lambda s: s.conditions.leber and s.cyano,
        "Leber's disease: cyanocobalamin can cause optic atrophy; use hydroxocobalamin",
    ),
    Rule(
        "COBALT_ALLERGY",
        "block",
        "FDA-CYANO",
        lambda s: s.conditions.cobalt_allergy and s.cyano,
        "cobalt allergy: cyanocobalamin is contraindicated",
    ),
    # Both products' labels: contraindicated in hypersensitivity (reference, "Contraindications
    # and special cases").
    Rule(
        "HYPERSENSITIVITY",
        "block",
        LABEL,
        lambda s: s.conditions.b12_hypersensitivity,
        "past hypersensitivity reaction to vitamin B12 (hydroxocobalamin or cyanocobalamin): "
        "{product} is contraindicated; seek specialist (allergy) advice before any B12 injection",
    ),
)
"""Findings that stop the plan (`block`)."""

PATIENT: Final[tuple[Rule, ...]] = (
    Rule(
        "COBALT_ALLERGY",
        "warning",
        "MHRA-2023",
        lambda s: s.conditions.cobalt_allergy and not s.cyano,
        "cobalt allergy: hypersensitivity reactions to hydroxocobalamin can occur up to 72 hours "
        "after an injection; give where reactions can be managed and advise the patient",
    ),
    Rule(
        "HYPOKALAEMIA_RISK",
        "warning",
        "FDA-CYANO",
        lambda s: (hb := s.facts.baseline.get("hb")) is not None and hb.below_severe_hb,
        "severe anaemia ({baseline_hb}): potassium can fall sharply as haemopoiesis restarts; "
        "check serum potassium by day 2",
    ),
    Rule(
        "FOLATE_ALONE",
        "warning",
        "NICE-NG239",
        lambda s: (
            (folic := s.conditions.folic_acid_started) is not None and folic < s.patient.start
        ),
        "folic acid started {folic_acid_started}, before B12: it can correct the anaemia and "
        "mask B12 deficiency while nerve damage progresses",
    ),
    Rule(
        "ANTICOAG_IM",
        "warning",
        "SPS-ANTICOAG",
        lambda s: s.choice.route == "im" and bool(_bleeding_risks(s)),
        "IM injection with {bleeding_risks}: risk of haematoma; apply pressure, consider deep SC "
        "(off-label for hydroxocobalamin) or specialist advice",
    ),
    Rule(
        "OFFLABEL_ROUTE",
        "warning",
        "SMPC-HYDROXO",
        lambda s: not s.cyano and s.choice.route == "sc",
        "hydroxocobalamin SC is off-label in the UK (licensed IM only)",
    ),
    Rule(
        "NONSTANDARD_STRENGTH",
        "warning",
        LABEL,
        lambda s: s.choice.strength_mcg_per_ml != 1000,
        "strength {strength:g} mcg/mL is not the usual 1000 mcg/mL: verify the product and the "
        "volume drawn up",
    ),
    Rule(
        "VOLUME_SITE",
        "warning",
        "B12PLAN",
        _volume_over,
        "{largest_ml:g} mL per {route_upper} injection exceeds {site_limit_ml:g} mL per site "
        "[C]: split the dose or use a larger muscle",
    ),
    # Only until the first dose is given: once treatment has started it is not repeated.
    Rule(
        "NEURO_URGENT",
        "warning",
        "NICE-NG239",
        lambda s: s.patient.neuro and not s.facts.treatment_started,
        "neurological involvement: start treatment without delay and seek same-day specialist "
        "advice",
    ),
    Rule(
        "LEBER_HYDROXO",
        "info",
        "SMPC-HYDROXO",
        lambda s: s.conditions.leber and not s.cyano,
        "Leber's disease: hydroxocobalamin only; never switch to cyanocobalamin (it can cause "
        "optic atrophy)",
    ),
    # A protocol marked neuro (the neurological course, Leber's) is at least as intensive.
    Rule(
        "NEURO_PROTOCOL_MISMATCH",
        "warning",
        "BNF-HYDROXO",
        lambda s: s.patient.neuro and not s.protocol.neuro,
        "neurological involvement, but {protocol_id} is not a neurological protocol "
        "(uk-bnf-hydroxo-neuro gives alternate-day repletion and 2-monthly maintenance)",
    ),
    Rule(
        "PREGNANCY",
        "warning",
        "NICE-NG239",
        lambda s: s.conditions.pregnant or s.conditions.breastfeeding,
        "pregnant or breastfeeding: active B12 is the preferred test, review at 1 month, and "
        "seek specialist advice",
    ),
    Rule(
        "RENAL_MARKERS",
        "info",
        "NICE-NG239",
        _low_egfr,
        "eGFR below 30 ({latest_egfr}): MMA and homocysteine are unreliable in renal impairment "
        "and do not shorten the interval [C]",
    ),
    Rule(
        "RENAL",
        "warning",
        "FDA-CYANO",
        lambda s: s.cyano and _low_egfr(s),
        "eGFR below 30 ({latest_egfr}) with cyanocobalamin: aluminium exposure; MMA and "
        "homocysteine are unreliable in renal impairment",
    ),
    Rule(
        "ADOLESCENT",
        "warning",
        PROTOCOL_SOURCE,
        lambda s: _adolescent(s) and s.protocol.region == "us",
        "aged {age}: US regimens are labelled for adults; check the paediatric dose",
    ),
    Rule(
        "ADOLESCENT",
        "info",
        "NICE-NG239",
        lambda s: _adolescent(s) and s.protocol.region != "us",
        "aged {age}: within NICE-NG239 scope (16 and over)",
    ),
    # What the cause means for treatment.
    Rule(
        "VEGAN_DIET",
        "info",
        "CKS-2019",
        _vegan,
        "dietary cause with a vegan diet, which continues: treatment goes on while the diet does "
        "(for most vegans, for life), so maintenance is planned as lifelong",
    ),
    Rule(
        "LIFELONG",
        "info",
        "NICE-NG239",
        lambda s: s.patient.cause in LIFELONG_CAUSES,
        "{cause} is irreversible: maintenance is lifelong",
    ),
    Rule(
        "CAUSE_REVERSIBLE_REVIEW",
        "info",
        "NICE-NG239",
        lambda s: s.patient.cause in REVERSIBLE_CAUSES and not _vegan(s),
        "{cause} can be corrected: review whether to stop injections once it is",
    ),
    Rule(
        "CAUSE_UNKNOWN",
        "info",
        "NICE-NG239",
        lambda s: s.patient.cause == "unknown",
        "cause unknown: investigate it (e.g. autoimmune gastritis antibodies); treat as lifelong "
        "until found",
    ),
    Rule(
        "MEDICATION_CAUSE",
        "info",
        "NICE-NG239",
        lambda s: s.patient.cause == "medication",
        "review the drug (e.g. metformin, proton pump inhibitors) with its prescriber; the "
        "medicine is not stopped because of B12 (MHRA advice on metformin: keep taking it), and "
        "the injections continue while the medicine does",
    ),
    Rule(
        "N2O_MARKERS",
        "info",
        "NICE-NG239",
        lambda s: s.patient.cause == "nitrous-oxide",
        "nitrous oxide: total B12 may look normal; follow homocysteine (and MMA)",
    ),
    # [C] Stopping use treats the cause (reference, "Contraindications and special cases").
    Rule(
        "N2O_STOP",
        "warning",
        "NICE-NG239",
        lambda s: s.patient.cause == "nitrous-oxide",
        "nitrous oxide: stopping use is the treatment of the cause; ongoing use keeps "
        "inactivating B12 whatever the schedule; offer support to stop [C]",
    ),
    # A child (out of scope, blocked) gets no adult dose.
    Rule(
        "DIETARY_ORAL_OPTION",
        "info",
        "CKS-2019",
        lambda s: s.patient.cause == "dietary" and not _child(s) and not _no_oral(s),
        "dietary cause: oral cyanocobalamin 50–150 mcg daily is an option once replete",
    ),
    # The baseline B12 status.
    Rule(
        "INDETERMINATE_B12",
        "info",
        "NICE-NG239",
        _indeterminate("b12"),
        "{baseline_b12} is indeterminate: {b12_settled_by}",
    ),
    Rule(
        "INDETERMINATE_B12",
        "info",
        "NICE-NG239",
        _indeterminate("active-b12"),
        "{baseline_active_b12} is indeterminate: {active_b12_settled_by}",
    ),
    Rule(
        "DEFICIENCY_UNLIKELY",
        "warning",
        "NICE-NG239",
        _deficiency_unlikely,
        "{b12_measures}: deficiency unlikely with no other marker; look for another cause",
    ),
    # The labs of 2026-12-01 that change what happens: potassium and folate.
    Rule(
        "HYPOKALAEMIA",
        "warning",
        "FDA-CYANO",
        _low_potassium,
        "low potassium ({low_potassium}) as treatment starts: replace potassium and monitor "
        "during the first 48 hours (arrhythmias from hypokalaemia are reported on initiation)",
    ),
    Rule(
        "FOLATE_LOW",
        "warning",
        "BSH-2014-FOLATE",
        lambda s: (
            (folate := s.facts.latest.get("folate")) is not None and folate.classification == "low"
        ),
        "folate deficiency ({latest_folate}): give folic acid too, once B12 has been started "
        "(never folic acid alone)",
    ),
    # Labs around and after day 0 once treatment is planned (reference, "Treatment as it
    # happens (2026-12-07)": "Frequency follows symptoms" and "Escalation").
    Rule(
        "SEVERE_ANAEMIA",
        "warning",
        "B12PLAN",
        _severe_anaemia,
        "severe anaemia ({severe_anaemia}): arrange a same-day medical assessment and "
        "haematology advice; do not delay B12",
    ),
    Rule(
        "ANAEMIA_ON_TREATMENT",
        "warning",
        "NICE-NG239",
        _hb_on_treatment,
        "anaemia on treatment ({hb_on_treatment}, {days_on_treatment} days after the first dose "
        "on {day0}){macrocytosis}: look for another cause (iron deficiency, blood loss, gastric "
        "cancer in autoimmune gastritis, myelodysplasia, adherence)",
    ),
    Rule(
        "B12_ON_TREATMENT",
        "info",
        "SPS-NG239",
        _b12_on_treatment,
        "{b12_on_treatment}: expected on injections; symptoms, not serum B12, guide the "
        "frequency (no change to the interval)",
    ),
    Rule(
        "REPLETION_ON_RECORD",
        "info",
        "B12PLAN",
        lambda s: s.patient.repletion_done,
        "the loading course was completed before the doses recorded here",
    ),
    Rule(
        "REPLETION_ON_RECORD",
        "info",
        "B12PLAN",
        lambda s: s.facts.loading_in_history and not s.patient.repletion_done,
        "the loading course ended on {repletion_end} (repletion_end)",
    ),
    # A recorded stop (reference, "Stopping treatment"); render/stop.py reads its opening words.
    Rule(
        "STOPPED",
        "info",
        "B12PLAN",
        lambda s: s.patient.stopped is not None,
        STOPPED_ON + " {stop}): no dose is planned after that date",
    ),
    Rule(
        "STOP_IRREVERSIBLE",
        "warning",
        "NICE-NG239",
        _stop_irreversible,
        "stopped as 'cause corrected', but {cause} is irreversible: B12 replacement is lifelong; "
        "confirm the stop with the prescriber",
    ),
    Rule(
        "RETIC_GATE",
        "info",
        "FDA-CYANO",
        lambda s: "RETIC_GATE" in s.protocol.findings,
        "continue past the daily doses only with a clinical and reticulocyte response",
    ),
    Rule(
        "AGE_ASSUMED_ADULT",
        "info",
        "NICE-NG239",
        lambda s: s.patient.dob is None,
        "no date of birth given: assumed aged 16 or over (NICE-NG239 scope)",
    ),
)
"""Warnings and information about the patient, product and labs (no schedule needed)."""


# ---------------------------------------------------------------- the reader


def raised(rules: Sequence[Rule], seen: Seen) -> list[FindingDocument]:
    """The findings of `rules` whose condition holds (is truthy: a row may name the function
    that finds what its message shows, without a lambda around it), in table order."""
    out: list[FindingDocument] = []
    words: Words | None = None
    for rule in rules:
        if not rule.when(seen):
            continue
        if words is None:
            words = Words(seen)
        source = rule.source.format_map(words) if rule.source[0] == "{" else rule.source
        message = rule.message.format_map(words) if "{" in rule.message else rule.message
        out.append(
            {"code": rule.code, "severity": rule.severity, "message": message, "source": source}
        )
    return out


def safety_findings(facts: PatientFacts) -> list[FindingDocument]:
    """Findings that stop the plan (`block`)."""
    return raised(SAFETY, Seen(facts, ()))


def patient_findings(facts: PatientFacts, doses_mcg: Sequence[float]) -> list[FindingDocument]:
    """Warnings and information about the patient, product and labs (no schedule needed).

    `doses_mcg` are the amounts to judge the injection volume by (the protocol's for a plan);
    `check` passes none and judges each proposed step's volume itself.
    """
    return raised(PATIENT, Seen(facts, doses_mcg))
