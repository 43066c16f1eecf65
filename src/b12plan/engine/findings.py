"""Patient-level findings: safety blocks, warnings and information (clinical/reference.md).

Each finding carries the id of the source it comes from. These need no schedule, so `check`
raises exactly the same ones as `schedule`.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from b12plan.contract.plain import Record
from b12plan.contract.records import Conditions, Patient, Protocol
from b12plan.contract.vocab import (
    LIFELONG_CAUSES,
    REVERSIBLE_CAUSES,
    STOP_REASON_WORDS,
    STOPPED_ON,
)
from b12plan.engine.derived import canonical_value
from b12plan.engine.history import counts_as_marker
from b12plan.engine.labs import ClassifiedLab, describe
from b12plan.engine.labs import baseline as labs_baseline
from b12plan.engine.select import Choice

if TYPE_CHECKING:
    from b12plan.contract.documents import FindingDocument

ADULT_AGE = 16
# HYPOKALAEMIA looks from 7 days before start (reference, "More labs that change what happens").
HYPOKALAEMIA_LOOKBACK_DAYS = 7
ADULT_FULL_AGE = 18
SITE_LIMIT_ML = {"im": 2.0, "sc": 1.0}  # [C]
# SEVERE_ANAEMIA (reference, "Escalation"): Hb below 70 g/L, or below 80 g/L with platelets
# below 100 x10^9/L, on results from 14 days before day 0 on [C].
HB_CRITICAL_G_L = Decimal(70)
PLATELETS_WITH_HB = Decimal(100)
SEVERE_ANAEMIA_LOOKBACK_DAYS = 14
# ANAEMIA_ON_TREATMENT: an Hb dated this many days or more after day 0 (the day-56 FBC).
ON_TREATMENT_DAYS = 56


class PatientFacts(Record):
    """What the finding rules look at, resolved once."""

    __slots__ = (  # noqa: RUF023 - in the order they are resolved
        "patient",
        "choice",
        "age_years",
        "baseline",
        "latest",
        "labs",
        "repletion_until",
        "day0",
    )
    patient: Patient
    choice: Choice
    age_years: int | None
    baseline: Mapping[str, ClassifiedLab]
    latest: Mapping[str, ClassifiedLab]
    labs: Sequence[ClassifiedLab]
    """Every classified lab, in date order."""
    repletion_until: date
    """The last day of the loading phase as planned (the last repletion dose; `start` without
    repletion; day 14 of open neuro repletion): where the hypokalaemia watch ends."""
    day0: date
    """The first dose given; before any, the first planned dose, or the day it is re-planned
    as given when overdue (`repletion.day_zero`): what "before treatment" and "on treatment"
    count from."""

    @property
    def treatment_started(self) -> bool:
        """A dose is on record (all are on or before as_of), or the loading course was done."""
        return bool(self.patient.given) or self.patient.repletion_done

    @property
    def loading_in_history(self) -> bool:
        """The loading course is on record: done before these records, or ended on a date."""
        patient = self.patient
        return patient.repletion_done or (
            patient.repletion_end is not None and not self.choice.protocol.repletion
        )


def patient_facts(
    patient: Patient,
    choice: Choice,
    classified: Sequence[ClassifiedLab],
    *,
    repletion_until: date,
    day0: date,
) -> PatientFacts:
    """The facts of one patient under one choice of protocol, product and route."""
    return PatientFacts(
        patient=patient,
        choice=choice,
        age_years=None if patient.dob is None else age_at(patient.dob, patient.start),
        baseline=labs_baseline(classified, day0),
        latest={lab.analyte: lab for lab in classified},
        labs=classified,
        repletion_until=repletion_until,
        day0=day0,
    )


def age_at(dob: date, start: date) -> int:
    """Whole years from `dob` to `start`; a 29 February birthday falls on 28 February.

    The same as `relativedelta(start, dob).years` (birthday clamped to the month end), without
    its cost on every plan of a batch.
    """
    last_day = calendar.monthrange(start.year, dob.month)[1]
    birthday = date(start.year, dob.month, min(dob.day, last_day))
    return start.year - dob.year - (start < birthday)


def finding(code: str, severity: str, message: str, source: str) -> FindingDocument:
    """One finding, as the plan and check documents hold it."""
    return {"code": code, "severity": severity, "message": message, "source": source}


# Pure, and a plan asks for the same one or two volumes for every dose.
@lru_cache(maxsize=1024)
def volume_ml(dose_mcg: float, strength_mcg_per_ml: float) -> float:
    """Injection volume, rounded to 2 decimals (clinical/reference.md, "Volume")."""
    return round(dose_mcg / strength_mcg_per_ml + 1e-12, 2)


def safety_findings(facts: PatientFacts) -> list[FindingDocument]:
    """Findings that stop the plan (`block`)."""
    patient, choice = facts.patient, facts.choice
    out: list[FindingDocument] = []
    cyano = choice.product == "cyanocobalamin"
    if choice.route == "iv":
        out.append(
            finding(
                "IV_ROUTE",
                "block",
                "IV route: most of an intravenous dose is lost in the urine; give it IM "
                "(or deep SC for cyanocobalamin)",
                "FDA-CYANO",
            )
        )
    if facts.age_years is not None and facts.age_years < ADULT_AGE:
        out.append(
            finding(
                "AGE_OUT_OF_SCOPE",
                "block",
                f"aged {facts.age_years} at start: these protocols are for adults and young "
                "people aged 16 and over; seek paediatric advice",
                "NICE-NG239",
            )
        )
    if patient.conditions.leber and cyano:
        out.append(
            finding(
                "LEBER_CYANO",
                "block",
                "Leber's disease: cyanocobalamin can cause optic atrophy; use hydroxocobalamin",
                "FDA-CYANO",
            )
        )
    if patient.conditions.cobalt_allergy and cyano:
        out.append(
            finding(
                "COBALT_ALLERGY",
                "block",
                "cobalt allergy: cyanocobalamin is contraindicated",
                "FDA-CYANO",
            )
        )
    if patient.conditions.b12_hypersensitivity:
        # Both products' labels: contraindicated in hypersensitivity (reference,
        # "Contraindications and special cases").
        out.append(
            finding(
                "HYPERSENSITIVITY",
                "block",
                "past hypersensitivity reaction to vitamin B12 (hydroxocobalamin or "
                f"cyanocobalamin): {choice.product} is contraindicated; seek specialist "
                "(allergy) advice before any B12 injection",
                "FDA-CYANO" if cyano else "SMPC-HYDROXO",
            )
        )
    return out


def protocol_doses_mcg(protocol: Protocol) -> list[int]:
    """Every dose amount a protocol gives, repletion then maintenance."""
    return [s.dose_mcg for s in protocol.repletion] + [protocol.maintenance.dose_mcg]


def patient_findings(facts: PatientFacts, doses_mcg: Sequence[float]) -> list[FindingDocument]:
    """Warnings and information about the patient, product and labs (no schedule needed).

    `doses_mcg` are the amounts to judge the injection volume by (the protocol's for a plan);
    `check` passes none and judges each proposed step's volume itself.
    """
    patient, choice, protocol = facts.patient, facts.choice, facts.choice.protocol
    conditions = patient.conditions
    cyano = choice.product == "cyanocobalamin"
    out: list[FindingDocument] = []
    if conditions.cobalt_allergy and not cyano:
        out.append(
            finding(
                "COBALT_ALLERGY",
                "warning",
                "cobalt allergy: hypersensitivity reactions to hydroxocobalamin can occur up "
                "to 72 hours after an injection; give where reactions can be managed and "
                "advise the patient",
                "MHRA-2023",
            )
        )
    hb = facts.baseline.get("hb")
    if hb is not None and hb.below_severe_hb:
        out.append(
            finding(
                "HYPOKALAEMIA_RISK",
                "warning",
                f"severe anaemia ({describe(hb)}): potassium can fall sharply as "
                "haemopoiesis restarts; check serum potassium by day 2",
                "FDA-CYANO",
            )
        )
    folic = conditions.folic_acid_started
    if folic is not None and folic < patient.start:
        out.append(
            finding(
                "FOLATE_ALONE",
                "warning",
                f"folic acid started {folic}, before B12: it can correct the anaemia and "
                "mask B12 deficiency while nerve damage progresses",
                "NICE-NG239",
            )
        )
    platelets = facts.latest.get("platelets")
    low_platelets = platelets is not None and platelets.below_platelets_low
    # A recorded INR means an anticoagulant, as the condition does (reference, 2026-12-01).
    inr = facts.latest.get("inr")
    if choice.route == "im" and (
        conditions.anticoagulant or inr or conditions.bleeding_disorder or low_platelets
    ):
        reasons = [
            name
            for name, present in (
                ("anticoagulant", conditions.anticoagulant),
                (
                    f"an anticoagulant (INR on record: {describe(inr)})" if inr else "",
                    inr is not None and not conditions.anticoagulant,
                ),
                ("bleeding disorder", conditions.bleeding_disorder),
                (
                    f"platelets < 50x10^9/L ({describe(platelets)})" if platelets else "",
                    low_platelets,
                ),
            )
            if present
        ]
        out.append(
            finding(
                "ANTICOAG_IM",
                "warning",
                f"IM injection with {', '.join(reasons)}: risk of haematoma; apply pressure, "
                "consider deep SC (off-label for hydroxocobalamin) or specialist advice",
                "SPS-ANTICOAG",
            )
        )
    if not cyano and choice.route == "sc":
        out.append(
            finding(
                "OFFLABEL_ROUTE",
                "warning",
                "hydroxocobalamin SC is off-label in the UK (licensed IM only)",
                "SMPC-HYDROXO",
            )
        )
    strength = choice.strength_mcg_per_ml
    if strength != 1000:
        out.append(
            finding(
                "NONSTANDARD_STRENGTH",
                "warning",
                f"strength {strength:g} mcg/mL is not the usual 1000 mcg/mL: verify the "
                "product and the volume drawn up",
                "FDA-CYANO" if cyano else "SMPC-HYDROXO",
            )
        )
    limit = SITE_LIMIT_ML.get(choice.route)
    if limit is not None and doses_mcg:
        largest = max(volume_ml(d, strength) for d in doses_mcg)
        if largest > limit:
            out.append(
                finding(
                    "VOLUME_SITE",
                    "warning",
                    f"{largest:g} mL per {choice.route.upper()} injection exceeds {limit:g} mL "
                    "per site [C]: split the dose or use a larger muscle",
                    "B12PLAN",
                )
            )
    if patient.neuro and not facts.treatment_started:
        # Only until the first dose is given: once treatment has started it is not repeated.
        out.append(
            finding(
                "NEURO_URGENT",
                "warning",
                "neurological involvement: start treatment without delay and seek "
                "same-day specialist advice",
                "NICE-NG239",
            )
        )
    if conditions.leber and not cyano:
        out.append(
            finding(
                "LEBER_HYDROXO",
                "info",
                "Leber's disease: hydroxocobalamin only; never switch to cyanocobalamin "
                "(it can cause optic atrophy)",
                "SMPC-HYDROXO",
            )
        )
    # A protocol marked neuro (the neurological course, Leber's) is at least as intensive.
    if patient.neuro and not protocol.neuro:
        out.append(
            finding(
                "NEURO_PROTOCOL_MISMATCH",
                "warning",
                f"neurological involvement, but {protocol.id} is not a neurological "
                "protocol (uk-bnf-hydroxo-neuro gives alternate-day repletion and "
                "2-monthly maintenance)",
                "BNF-HYDROXO",
            )
        )
    if conditions.pregnant or conditions.breastfeeding:
        out.append(
            finding(
                "PREGNANCY",
                "warning",
                "pregnant or breastfeeding: active B12 is the preferred test, review at 1 "
                "month, and seek specialist advice",
                "NICE-NG239",
            )
        )
    egfr = facts.latest.get("egfr")
    if egfr is not None and egfr.below_egfr_low:
        out.append(
            finding(
                "RENAL_MARKERS",
                "info",
                f"eGFR below 30 ({describe(egfr)}): MMA and homocysteine are unreliable in "
                "renal impairment and do not shorten the interval [C]",
                "NICE-NG239",
            )
        )
    if cyano and egfr is not None and egfr.below_egfr_low:
        out.append(
            finding(
                "RENAL",
                "warning",
                f"eGFR below 30 ({describe(egfr)}) with cyanocobalamin: aluminium exposure; "
                "MMA and homocysteine are unreliable in renal impairment",
                "FDA-CYANO",
            )
        )
    if facts.age_years is not None and ADULT_AGE <= facts.age_years < ADULT_FULL_AGE:
        if protocol.region == "us":
            out.append(
                finding(
                    "ADOLESCENT",
                    "warning",
                    f"aged {facts.age_years}: US regimens are labelled for adults; check "
                    "the paediatric dose",
                    protocol.sources[0],
                )
            )
        else:
            out.append(
                finding(
                    "ADOLESCENT",
                    "info",
                    f"aged {facts.age_years}: within NICE-NG239 scope (16 and over)",
                    "NICE-NG239",
                )
            )
    child = facts.age_years is not None and facts.age_years < ADULT_AGE
    out.extend(_cause_findings(patient.cause, conditions, child=child))
    out.extend(_lab_findings(facts))
    out.extend(_history_lab_findings(facts))
    out.extend(on_treatment_findings(facts))
    if facts.loading_in_history:
        out.append(
            finding(
                "REPLETION_ON_RECORD",
                "info",
                "the loading course was completed before the doses recorded here"
                if patient.repletion_done
                else f"the loading course ended on {patient.repletion_end} (repletion_end)",
                "B12PLAN",
            )
        )
    out.extend(_stop_findings(patient))
    if "RETIC_GATE" in protocol.findings:
        out.append(
            finding(
                "RETIC_GATE",
                "info",
                "continue past the daily doses only with a clinical and reticulocyte response",
                "FDA-CYANO",
            )
        )
    if patient.dob is None:
        out.append(
            finding(
                "AGE_ASSUMED_ADULT",
                "info",
                "no date of birth given: assumed aged 16 or over (NICE-NG239 scope)",
                "NICE-NG239",
            )
        )
    return out


def _cause_findings(cause: str, conditions: Conditions, *, child: bool) -> list[FindingDocument]:
    """What the cause means for treatment; a child (out of scope, blocked) gets no adult dose."""
    out: list[FindingDocument] = []
    # A vegan diet is a dietary cause that continues: treatment goes on while the diet does
    # (reference, "Contraindications and special cases").
    vegan = cause == "dietary" and conditions.vegan
    if vegan:
        out.append(
            finding(
                "VEGAN_DIET",
                "info",
                "dietary cause with a vegan diet, which continues: treatment goes on while "
                "the diet does (for most vegans, for life), so maintenance is planned as "
                "lifelong",
                "CKS-2019",
            )
        )
    if cause in LIFELONG_CAUSES:
        out.append(
            finding(
                "LIFELONG",
                "info",
                f"{cause} is irreversible: maintenance is lifelong",
                "NICE-NG239",
            )
        )
    if cause in REVERSIBLE_CAUSES and not vegan:
        out.append(
            finding(
                "CAUSE_REVERSIBLE_REVIEW",
                "info",
                f"{cause} can be corrected: review whether to stop injections once it is",
                "NICE-NG239",
            )
        )
    if cause == "unknown":
        out.append(
            finding(
                "CAUSE_UNKNOWN",
                "info",
                "cause unknown: investigate it (e.g. autoimmune gastritis antibodies); treat "
                "as lifelong until found",
                "NICE-NG239",
            )
        )
    if cause == "medication":
        out.append(
            finding(
                "MEDICATION_CAUSE",
                "info",
                "review the drug (e.g. metformin, proton pump inhibitors) with its prescriber; "
                "the medicine is not stopped because of B12 (MHRA advice on metformin: keep "
                "taking it), and the injections continue while the medicine does",
                "NICE-NG239",
            )
        )
    if cause == "nitrous-oxide":
        out.append(
            finding(
                "N2O_MARKERS",
                "info",
                "nitrous oxide: total B12 may look normal; follow homocysteine (and MMA)",
                "NICE-NG239",
            )
        )
        # [C] Stopping use treats the cause (reference, "Contraindications and special cases").
        out.append(
            finding(
                "N2O_STOP",
                "warning",
                "nitrous oxide: stopping use is the treatment of the cause; ongoing use keeps "
                "inactivating B12 whatever the schedule; offer support to stop [C]",
                "NICE-NG239",
            )
        )
    # Oral cyanocobalamin is never offered where the tool blocks or warns on cyanocobalamin
    # or on B12 itself: Leber's disease, cobalt allergy, a past hypersensitivity reaction.
    no_oral = conditions.leber or conditions.cobalt_allergy or conditions.b12_hypersensitivity
    if cause == "dietary" and not child and not no_oral:
        out.append(
            finding(
                "DIETARY_ORAL_OPTION",
                "info",
                "dietary cause: oral cyanocobalamin 50–150 mcg daily is an option once replete",
                "CKS-2019",
            )
        )
    return out


def _stop_findings(patient: Patient) -> list[FindingDocument]:
    """A recorded stop (reference, "Stopping treatment")."""
    stopped = patient.stopped
    if stopped is None:
        return []
    note = f"; {stopped.note}" if stopped.note else ""
    out = [
        finding(
            "STOPPED",
            "info",
            f"{STOPPED_ON} {stopped.date} ({STOP_REASON_WORDS[stopped.reason]}{note}): "
            "no dose is planned after that date",
            "B12PLAN",
        )
    ]
    if stopped.reason == "cause-corrected" and patient.cause in LIFELONG_CAUSES:
        # NG239: replacement is lifelong for an irreversible cause.
        out.append(
            finding(
                "STOP_IRREVERSIBLE",
                "warning",
                f"stopped as 'cause corrected', but {patient.cause} is irreversible: B12 "
                "replacement is lifelong; confirm the stop with the prescriber",
                "NICE-NG239",
            )
        )
    return out


def _history_lab_findings(facts: PatientFacts) -> list[FindingDocument]:
    """The labs of 2026-12-01 that change what happens: potassium and folate."""
    out: list[FindingDocument] = []
    watch_from = facts.patient.start - timedelta(days=HYPOKALAEMIA_LOOKBACK_DAYS)
    low_potassium = [
        lab
        for lab in facts.labs
        if lab.analyte == "potassium"
        and lab.classification == "low"
        and watch_from <= lab.date <= facts.repletion_until
    ]
    if low_potassium:
        out.append(
            finding(
                "HYPOKALAEMIA",
                "warning",
                f"low potassium ({describe(low_potassium[-1])}) as treatment starts: replace "
                "potassium and monitor during the first 48 hours (arrhythmias from "
                "hypokalaemia are reported on initiation)",
                "FDA-CYANO",
            )
        )
    folate = facts.latest.get("folate")
    if folate is not None and folate.classification == "low":
        out.append(
            finding(
                "FOLATE_LOW",
                "warning",
                f"folate deficiency ({describe(folate)}): give folic acid too, once B12 has "
                "been started (never folic acid alone)",
                "BSH-2014-FOLATE",
            )
        )
    return out


def on_treatment_findings(facts: PatientFacts) -> list[FindingDocument]:
    """What labs around and after day 0 say once treatment is planned (reference, "Treatment as
    it happens (2026-12-07)": "Frequency follows symptoms" and "Escalation")."""
    out: list[FindingDocument] = []
    for rule in (_severe_anaemia, _anaemia_on_treatment, _b12_on_treatment):
        found = rule(facts)
        if found is not None:
            out.append(found)
    return out


def _latest_from(facts: PatientFacts, analyte: str, since: date) -> ClassifiedLab | None:
    """The latest result of `analyte` dated on or after `since`."""
    found = None
    for lab in facts.labs:
        if lab.analyte == analyte and lab.date >= since:
            found = lab
    return found


def _severe_anaemia(facts: PatientFacts) -> FindingDocument | None:
    """`SEVERE_ANAEMIA`: the latest Hb from day 0 - 14 on below 70 g/L, or below 80 g/L with the
    latest platelets from then on below 100 x10^9/L (each dated from day 0 - 14, not
    necessarily the same day) [C]. The latest result, not any: an anaemia since corrected
    needs no same-day assessment."""
    from b12plan.contract import units

    since = facts.day0 - timedelta(days=SEVERE_ANAEMIA_LOOKBACK_DAYS)
    hb = _latest_from(facts, "hb", since)
    if hb is None or canonical_value(hb.lab) >= units.HB_SEVERE_G_L:
        return None
    platelets = _latest_from(facts, "platelets", since)
    low_platelets = platelets is not None and canonical_value(platelets.lab) < PLATELETS_WITH_HB
    if canonical_value(hb.lab) >= HB_CRITICAL_G_L and not low_platelets:
        return None
    shown = describe(hb) + (f" with {describe(platelets)}" if platelets and low_platelets else "")
    return finding(
        "SEVERE_ANAEMIA",
        "warning",
        f"severe anaemia ({shown}): arrange a same-day medical assessment and haematology "
        "advice; do not delay B12",
        "B12PLAN",
    )


def _anaemia_on_treatment(facts: PatientFacts) -> FindingDocument | None:
    """`ANAEMIA_ON_TREATMENT`: the latest Hb dated 56 days or more after day 0 is below the
    anaemia threshold; with the latest MCV of that time above 100 fL it says so [C, the latest
    result: an anaemia since corrected is not reported]."""
    since = facts.day0 + timedelta(days=ON_TREATMENT_DAYS)
    hb = _latest_from(facts, "hb", since)
    if hb is None or not hb.is_anaemic:
        return None
    mcv = _latest_from(facts, "mcv", since)
    macro = (
        f"; macrocytosis despite B12 treatment ({describe(mcv)})"
        if mcv and mcv.is_macrocytic
        else ""
    )
    days = (hb.date - facts.day0).days
    return finding(
        "ANAEMIA_ON_TREATMENT",
        "warning",
        f"anaemia on treatment ({describe(hb)}, {days} days after the first dose on "
        f"{facts.day0}){macro}: look for another cause (iron deficiency, blood loss, gastric "
        "cancer in autoimmune gastritis, myelodysplasia, adherence)",
        "NICE-NG239",
    )


def _b12_on_treatment(facts: PatientFacts) -> FindingDocument | None:
    """`B12_ON_TREATMENT`, once: a total or active B12 dated on or after day 0 that is normal or
    high changes nothing (the engine never lengthens); the latest such result is named."""
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
    if found is None:
        return None
    return finding(
        "B12_ON_TREATMENT",
        "info",
        f"{describe(found)}: expected on injections; symptoms, not serum B12, guide the "
        "frequency (no change to the interval)",
        "SPS-NG239",
    )


def deficiency_evidence(latest: Mapping[str, ClassifiedLab]) -> ClassifiedLab | None:
    """The latest total B12, active B12 or MMA result that shows deficiency, if any (what
    `REPLETION_SKIPPED` reads: reference, "Readings ... settled")."""
    for analyte in ("b12", "active-b12", "mma"):
        lab = latest.get(analyte)
        if lab is not None and lab.is_deficient:
            return lab
    return None


def _settled_by(facts: PatientFacts, lab: ClassifiedLab) -> str:
    """What settles an indeterminate total or active B12: a second marker taken before treatment
    (MMA; active B12 for a total B12) where one is on record, and MMA asked for only where
    neither is (reference, 2026-12-07: a finding never asks for a test on record)."""
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


def _lab_findings(facts: PatientFacts) -> list[FindingDocument]:
    out: list[FindingDocument] = []
    b12_measures = [facts.baseline[a] for a in ("b12", "active-b12") if a in facts.baseline]
    for lab in b12_measures:
        if lab.classification == "indeterminate":
            out.append(
                finding(
                    "INDETERMINATE_B12",
                    "info",
                    f"{describe(lab)} is indeterminate: {_settled_by(facts, lab)}",
                    "NICE-NG239",
                )
            )
    other_marker = any(
        facts.baseline[a].is_deficient for a in ("mma", "homocysteine") if a in facts.baseline
    ) or (
        "hb" in facts.baseline
        and "mcv" in facts.baseline
        and facts.baseline["hb"].is_anaemic
        and facts.baseline["mcv"].is_macrocytic
    )
    # Above the lab's own upper limit ("high") is above the unlikely threshold too.
    if (
        b12_measures
        and all(lab.classification in ("normal", "high") for lab in b12_measures)
        and not other_marker
        and facts.patient.cause != "nitrous-oxide"
    ):
        shown = ", ".join(describe(lab) for lab in b12_measures)
        out.append(
            finding(
                "DEFICIENCY_UNLIKELY",
                "warning",
                f"{shown}: deficiency unlikely with no other marker; look for another cause",
                "NICE-NG239",
            )
        )
    return out
