"""Each finding of the reference ("Findings"): the patient raising it, its severity and source."""

from __future__ import annotations

import string
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b12plan.contract.records import Lab
from b12plan.contract.units import EGFR_LOW, HB_SEVERE_G_L, PLATELETS_LOW
from b12plan.contract.validation import validated
from b12plan.engine import findings as findings_table
from b12plan.engine.derived import canonical_value
from b12plan.engine.facts import PatientFacts
from b12plan.engine.labs import classify_labs
from tests.conftest import codes, run_patient

START, AS_OF = "2026-04-13", "2026-04-12"
ADULT_DOB = "1970-05-01"


def plan(extra: dict[str, Any], code: int = 0, as_of: str = AS_OF) -> dict[str, Any]:
    """The JSON plan of an adult AIG patient changed by `extra`; the exit code is checked."""
    doc = {"start": START, "dob": ADULT_DOB, "cause": "autoimmune-gastritis", **extra}
    result = run_patient(doc, "--as-of", as_of, "--format", "json")
    assert result.code == code, result.err
    got: dict[str, Any] = result.json()
    return got


def raised(got: dict[str, Any], code: str) -> list[tuple[str, str]]:
    """(severity, source) of each finding with this code."""
    return [(f["severity"], f["source"]) for f in got["findings"] if f["code"] == code]


CYANO = {"product": "cyanocobalamin"}

# (id, patient changes, code, severity, source): no lab needed.
BLOCKS = [
    ("iv-hydroxo", {"route": "iv"}, "IV_ROUTE", "FDA-CYANO"),
    ("iv-cyano", {**CYANO, "route": "iv"}, "IV_ROUTE", "FDA-CYANO"),
    ("aged-15", {"dob": "2010-04-14"}, "AGE_OUT_OF_SCOPE", "NICE-NG239"),
    ("leber-cyano", {**CYANO, "conditions": {"leber": True}}, "LEBER_CYANO", "FDA-CYANO"),
    (
        "cobalt-cyano",
        {**CYANO, "conditions": {"cobalt_allergy": True}},
        "COBALT_ALLERGY",
        "FDA-CYANO",
    ),
]


@pytest.mark.parametrize(
    ("extra", "code", "source"), [b[1:] for b in BLOCKS], ids=[b[0] for b in BLOCKS]
)
def test_block_finding_stops_the_plan(extra: dict[str, Any], code: str, source: str) -> None:
    """A block finding: exit 1, complete false, no doses, no maintenance."""
    got = plan(extra, code=1)
    assert raised(got, code) == [("block", source)]
    assert got["complete"] is False
    assert got["doses"] == []
    assert got["maintenance"] is None
    assert got["follow_up"] == []


def test_block_table_output() -> None:
    """The table of a blocked plan shows the block and no injections, and still exits 1."""
    doc = {"start": START, "cause": "autoimmune-gastritis", "route": "iv"}
    result = run_patient(doc, "--as-of", AS_OF)
    assert result.code == 1
    assert "IV_ROUTE" in result.out
    assert "BLOCKED: no schedule can be given" in result.out
    assert "Injections" not in result.out


def test_several_blocks_are_all_listed_first() -> None:
    """Every block is reported, before any warning or information."""
    got = plan({**CYANO, "route": "iv", "dob": "2012-01-01", "conditions": {"leber": True}}, 1)
    assert codes(got)[:3] == ["IV_ROUTE", "AGE_OUT_OF_SCOPE", "LEBER_CYANO"]
    severities = [f["severity"] for f in got["findings"]]
    assert severities == sorted(severities, key=["block", "warning", "info"].index)


NO_LAB = [
    (
        "cobalt-hydroxo",
        {"conditions": {"cobalt_allergy": True}},
        "COBALT_ALLERGY",
        "warning",
        "MHRA-2023",
    ),
    (
        "folate-first",
        {"conditions": {"folic_acid_started": "2026-04-01"}},
        "FOLATE_ALONE",
        "warning",
        "NICE-NG239",
    ),
    (
        "anticoagulant",
        {"conditions": {"anticoagulant": True}},
        "ANTICOAG_IM",
        "warning",
        "SPS-ANTICOAG",
    ),
    (
        "bleeding",
        {"conditions": {"bleeding_disorder": True}},
        "ANTICOAG_IM",
        "warning",
        "SPS-ANTICOAG",
    ),
    ("hydroxo-sc", {"route": "sc"}, "OFFLABEL_ROUTE", "warning", "SMPC-HYDROXO"),
    ("volume-im", {"strength": "400 mcg/mL"}, "VOLUME_SITE", "warning", "B12PLAN"),
    (
        "volume-sc",
        {**CYANO, "route": "sc", "strength": "500 mcg/mL"},
        "VOLUME_SITE",
        "warning",
        "B12PLAN",
    ),
    (
        "strength-hydroxo",
        {"strength": "500 mcg/mL"},
        "NONSTANDARD_STRENGTH",
        "warning",
        "SMPC-HYDROXO",
    ),
    (
        "strength-cyano",
        {**CYANO, "strength": "2 mg/mL"},
        "NONSTANDARD_STRENGTH",
        "warning",
        "FDA-CYANO",
    ),
    (
        "neuro",
        {"neuro": True, "repletion_end": "2026-04-27"},
        "NEURO_URGENT",
        "warning",
        "NICE-NG239",
    ),
    ("neuro-open", {"neuro": True}, "NEURO_REPLETION_OPEN", "warning", "BNF-HYDROXO"),
    (
        "neuro-mismatch",
        {"neuro": True, "protocol": "uk-bnf-hydroxo-nonneuro"},
        "NEURO_PROTOCOL_MISMATCH",
        "warning",
        "BNF-HYDROXO",
    ),
    ("neuro-cyano", {**CYANO, "neuro": True}, "NEURO_PROTOCOL_MISMATCH", "warning", "BNF-HYDROXO"),
    (
        "pregnant",
        {"sex": "female", "conditions": {"pregnant": True}},
        "PREGNANCY",
        "warning",
        "NICE-NG239",
    ),
    (
        "breastfeeding",
        {"conditions": {"breastfeeding": True}},
        "PREGNANCY",
        "warning",
        "NICE-NG239",
    ),
    ("adolescent-us", {**CYANO, "dob": "2010-04-13"}, "ADOLESCENT", "warning", "STABLER-2013"),
    ("adolescent-us-17", {**CYANO, "dob": "2008-04-14"}, "ADOLESCENT", "warning", "STABLER-2013"),
    ("adolescent-uk", {"dob": "2010-04-13"}, "ADOLESCENT", "info", "NICE-NG239"),
    ("lifelong-aig", {}, "LIFELONG", "info", "NICE-NG239"),
    ("lifelong-alias", {"cause": "pernicious-anemia"}, "LIFELONG", "info", "NICE-NG239"),
    ("lifelong-gastrectomy", {"cause": "gastrectomy"}, "LIFELONG", "info", "NICE-NG239"),
    ("lifelong-bariatric", {"cause": "bariatric-surgery"}, "LIFELONG", "info", "NICE-NG239"),
    ("lifelong-ileal", {"cause": "ileal-resection"}, "LIFELONG", "info", "NICE-NG239"),
    ("reversible-diet", {"cause": "dietary"}, "CAUSE_REVERSIBLE_REVIEW", "info", "NICE-NG239"),
    ("reversible-drug", {"cause": "medication"}, "CAUSE_REVERSIBLE_REVIEW", "info", "NICE-NG239"),
    ("reversible-n2o", {"cause": "nitrous-oxide"}, "CAUSE_REVERSIBLE_REVIEW", "info", "NICE-NG239"),
    ("unknown", {"cause": "unknown"}, "CAUSE_UNKNOWN", "info", "NICE-NG239"),
    ("medication", {"cause": "medication"}, "MEDICATION_CAUSE", "info", "NICE-NG239"),
    ("n2o", {"cause": "nitrous-oxide"}, "N2O_MARKERS", "info", "NICE-NG239"),
    ("dietary-oral", {"cause": "dietary"}, "DIETARY_ORAL_OPTION", "info", "CKS-2019"),
    ("retic-gate", {"protocol": "us-fda-cyano-label"}, "RETIC_GATE", "info", "FDA-CYANO"),
]


@pytest.mark.parametrize(
    ("extra", "code", "severity", "source"), [n[1:] for n in NO_LAB], ids=[n[0] for n in NO_LAB]
)
def test_finding_without_labs(extra: dict[str, Any], code: str, severity: str, source: str) -> None:
    """The patient raises exactly one finding with this code, severity and source."""
    assert raised(plan(extra), code) == [(severity, source)]


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"dob": "2008-04-13"}, "ADOLESCENT"),  # 18 on the start date
        ({"conditions": {"leber": True}}, "LEBER_CYANO"),  # hydroxocobalamin is the advice
        ({"conditions": {"folic_acid_started": START}}, "FOLATE_ALONE"),  # not before B12
        ({**CYANO, "route": "sc", "conditions": {"anticoagulant": True}}, "ANTICOAG_IM"),
        ({**CYANO, "route": "sc"}, "OFFLABEL_ROUTE"),  # cyanocobalamin deep SC is licensed
        ({"strength": "500 mcg/mL"}, "VOLUME_SITE"),  # 2 mL IM is not more than 2 mL
        ({**CYANO, "route": "sc"}, "VOLUME_SITE"),  # 1 mL SC is not more than 1 mL
        ({"strength": "1 mg/mL"}, "NONSTANDARD_STRENGTH"),  # 1 mg/mL is 1000 mcg/mL
        ({"cause": "malabsorption"}, "LIFELONG"),
        ({"cause": "malabsorption"}, "CAUSE_REVERSIBLE_REVIEW"),
        ({"neuro": True, "repletion_end": "2026-04-27"}, "NEURO_PROTOCOL_MISMATCH"),
    ],
)
def test_finding_not_raised_at_its_edge(extra: dict[str, Any], code: str) -> None:
    """Just outside a rule's condition the finding is absent."""
    assert code not in codes(plan(extra, as_of=START))


def test_volume_site_message() -> None:
    """VOLUME_SITE states the volume and the per-site limit [C]."""
    got = plan({"strength": "400 mcg/mL"})
    (finding,) = [f for f in got["findings"] if f["code"] == "VOLUME_SITE"]
    assert finding["message"] == (
        "2.5 mL per IM injection exceeds 2 mL per site [C]: split the dose or use a larger muscle"
    )
    assert {d["volume_ml"] for d in got["doses"]} == {2.5}


def test_volume_is_dose_over_strength_rounded() -> None:
    """volume_ml = dose_mcg / strength, rounded to 2 decimals (1000 / 1500 = 0.67)."""
    got = plan({"strength": "1500 mcg/mL"})
    assert {d["volume_ml"] for d in got["doses"]} == {0.67}
    fda = plan({"protocol": "us-fda-cyano-label", "strength": "300 mcg/mL"})
    assert {d["volume_ml"] for d in fda["doses"]} == {0.33}
    tie = plan({"strength": "1600 mcg/mL"})  # 0.625 mL exactly: half up
    assert {d["volume_ml"] for d in tie["doses"]} == {0.63}


def test_overdue_and_late_dose_codes() -> None:
    """OVERDUE_DOSE (warning) for a past dose not given; LATE_DOSE (info) for one given more
    than the 2-day repletion grace late."""
    doc = {
        "start": START,
        "dob": ADULT_DOB,
        "cause": "autoimmune-gastritis",
        "given": ["2026-04-13", "2026-04-18"],
    }
    result = run_patient(doc, "--as-of", "2026-04-21", "--format", "json")
    got = result.json()
    assert raised(got, "LATE_DOSE") == [("info", "B12PLAN")]
    assert raised(got, "OVERDUE_DOSE") == [("warning", "B12PLAN")]


def test_findings_are_ordered_by_severity() -> None:
    """Warnings come before information."""
    got = plan({"cause": "dietary", "conditions": {"anticoagulant": True}})
    assert [f["severity"] for f in got["findings"]] == sorted(
        (f["severity"] for f in got["findings"]), key=["block", "warning", "info"].index
    )


def test_anticoag_names_each_reason() -> None:
    """ANTICOAG_IM says which of anticoagulant, bleeding disorder and low platelets apply."""
    got = plan(
        {
            "conditions": {"anticoagulant": True, "bleeding_disorder": True},
            "labs": ["platelets=40 10^9/L@2026-04-10"],
        }
    )
    (finding,) = [f for f in got["findings"] if f["code"] == "ANTICOAG_IM"]
    assert finding["message"].startswith(
        "IM injection with anticoagulant, bleeding disorder, platelets < 50x10^9/L "
        "(platelets 40 10^9/L on 2026-04-10 (low)): risk of haematoma"
    )


# ------------------------------------------------------------------------------ lab findings
LAB_DAY = "2026-04-06"


def with_labs(*labs: str | dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The plan for an adult AIG patient with these baseline labs (strings without the date)."""
    items = [f"{x}@{LAB_DAY}" if isinstance(x, str) else {**x, "date": LAB_DAY} for x in labs]
    return plan({"labs": items, **extra})


LAB_FINDINGS = [
    ("b12-180", ["b12=180 ng/L"], {}, "INDETERMINATE_B12", "info", "NICE-NG239"),
    ("b12-350", ["b12=350 ng/L"], {}, "INDETERMINATE_B12", "info", "NICE-NG239"),
    ("b12-133-pmol", ["b12=133 pmol/L"], {}, "INDETERMINATE_B12", "info", "NICE-NG239"),
    ("active-25", ["active-b12=25 pmol/L"], {}, "INDETERMINATE_B12", "info", "NICE-NG239"),
    ("active-70", ["active-b12=70 pmol/L"], {}, "INDETERMINATE_B12", "info", "NICE-NG239"),
    ("b12-351", ["b12=351 ng/L"], {}, "DEFICIENCY_UNLIKELY", "warning", "NICE-NG239"),
    ("b12-259-pmol", ["b12=259 pmol/L"], {}, "DEFICIENCY_UNLIKELY", "warning", "NICE-NG239"),
    ("active-71", ["active-b12=71 pmol/L"], {}, "DEFICIENCY_UNLIKELY", "warning", "NICE-NG239"),
    (
        "b12-above-ref-high",
        [{"analyte": "b12", "value": 1000, "unit": "ng/L", "ref_high": 900}],
        {},
        "DEFICIENCY_UNLIKELY",
        "warning",
        "NICE-NG239",
    ),
    ("hb-79", ["hb=79 g/L"], {}, "HYPOKALAEMIA_RISK", "warning", "FDA-CYANO"),
    ("hb-7.9-gdl", ["hb=7.9 g/dL"], {}, "HYPOKALAEMIA_RISK", "warning", "FDA-CYANO"),
    ("hb-4.9-mmol", ["hb=4.9 mmol/L"], {}, "HYPOKALAEMIA_RISK", "warning", "FDA-CYANO"),
    ("egfr-29-cyano", ["egfr=29 mL/min/1.73m2"], CYANO, "RENAL", "warning", "FDA-CYANO"),
    ("platelets-49", ["platelets=49 10^9/L"], {}, "ANTICOAG_IM", "warning", "SPS-ANTICOAG"),
]


@pytest.mark.parametrize(
    ("labs", "extra", "code", "severity", "source"),
    [row[1:] for row in LAB_FINDINGS],
    ids=[row[0] for row in LAB_FINDINGS],
)
def test_lab_finding(
    labs: list[str | dict[str, Any]], extra: dict[str, Any], code: str, severity: str, source: str
) -> None:
    """A baseline lab raises exactly this finding, with its severity and source."""
    assert raised(with_labs(*labs, **extra), code) == [(severity, source)]


LAB_EDGES = [
    (["b12=179 ng/L"], {}, "INDETERMINATE_B12"),  # low, not indeterminate
    (["b12=351 ng/L"], {}, "INDETERMINATE_B12"),
    (["active-b12=24 pmol/L"], {}, "INDETERMINATE_B12"),
    (["b12=350 ng/L"], {}, "DEFICIENCY_UNLIKELY"),
    (["b12=258 pmol/L"], {}, "DEFICIENCY_UNLIKELY"),
    (["b12=400 ng/L", "mma=0.6 umol/L"], {}, "DEFICIENCY_UNLIKELY"),
    (["b12=400 ng/L", "homocysteine=20 umol/L"], {}, "DEFICIENCY_UNLIKELY"),
    (["b12=400 ng/L", "hb=100 g/L", "mcv=105 fL"], {}, "DEFICIENCY_UNLIKELY"),
    (["b12=400 ng/L", "active-b12=20 pmol/L"], {}, "DEFICIENCY_UNLIKELY"),
    (["b12=400 ng/L"], {"cause": "nitrous-oxide"}, "DEFICIENCY_UNLIKELY"),
    (["hb=80 g/L"], {}, "HYPOKALAEMIA_RISK"),
    (["hb=8 g/dL"], {}, "HYPOKALAEMIA_RISK"),
    (["egfr=30 mL/min/1.73m2"], CYANO, "RENAL"),
    (["egfr=20 mL/min/1.73m2"], {}, "RENAL"),  # hydroxocobalamin
    (["platelets=50 10^9/L"], {}, "ANTICOAG_IM"),
    (["platelets=30 10^9/L"], {**CYANO, "route": "sc"}, "ANTICOAG_IM"),
]


@pytest.mark.parametrize(("labs", "extra", "code"), LAB_EDGES)
def test_lab_finding_absent_at_its_edge(labs: list[str], extra: dict[str, Any], code: str) -> None:
    """At or past each threshold, or with another marker of deficiency, the finding is absent."""
    assert code not in codes(with_labs(*labs, **extra))


def test_deficiency_unlikely_uses_baseline_labs_only() -> None:
    """A normal B12 taken after the first dose (on treatment) says nothing about the diagnosis."""
    doc = {"start": START, "dob": ADULT_DOB, "cause": "autoimmune-gastritis", "given": [START]}
    result = run_patient(
        {**doc, "labs": ["b12=900 ng/L@2026-05-01"]}, "--as-of", "2026-05-02", "--format", "json"
    )
    assert "DEFICIENCY_UNLIKELY" not in codes(result.json())


# ------------------------------------------------------------------ follow-up from labs
def follow_up(got: dict[str, Any]) -> dict[str, tuple[str, str | None, str]]:
    """test -> (date, until, source)."""
    return {f["test"]: (f["date"], f["until"], f["source"]) for f in got["follow_up"]}


@pytest.mark.parametrize(
    ("sex", "hb", "retic"),
    [
        ("male", "129 g/L", True),
        ("male", "130 g/L", False),
        ("female", "119 g/L", True),
        ("female", "120 g/L", False),
        (None, "119 g/L", True),
        (None, "12.0 g/dL", False),
    ],
)
def test_reticulocytes_follow_anaemia_by_sex(sex: str | None, hb: str, retic: bool) -> None:
    """Reticulocytes and FBC on days 7-10 only when Hb is low for the patient's sex."""
    extra = {} if sex is None else {"sex": sex}
    got = with_labs(f"hb={hb}", "mcv=95 fL", **extra)
    want = ("2026-04-20", "2026-04-23", "NHS-PRACTICE") if retic else None
    assert follow_up(got).get("reticulocytes and FBC") == want


def test_reticulocytes_for_macrocytosis_or_no_fbc() -> None:
    """MCV above 100 fL, or no FBC at all, also calls for reticulocytes on days 7-10."""
    macro = with_labs("hb=140 g/L", "mcv=101 fL", sex="male")
    none = plan({})
    for got, why in ((macro, "MCV > 100 fL"), (none, "no baseline FBC given")):
        (item,) = [f for f in got["follow_up"] if f["test"] == "reticulocytes and FBC"]
        assert (item["date"], item["until"]) == ("2026-04-20", "2026-04-23")
        assert why in item["why"]


def test_standard_follow_up() -> None:
    """FBC at day 56, a clinical review at day 0 + 3 months and baseline folate from day 0 - 90
    to day 0, for protocols with repletion (day 0 = the first planned dose, 04-13)."""
    got = plan({})
    assert follow_up(got) == {
        "serum folate": ("2026-01-13", "2026-04-13", "FDA-CYANO"),
        "reticulocytes and FBC": ("2026-04-20", "2026-04-23", "NHS-PRACTICE"),
        "FBC": ("2026-06-08", None, "NHS-PRACTICE"),
        "clinical review": ("2026-07-13", None, "NHS-PRACTICE"),
    }


def test_potassium_after_severe_anaemia() -> None:
    """Hb < 80 g/L: serum potassium by day 2 (its window runs from start to start + 2)."""
    got = with_labs("hb=75 g/L")
    assert follow_up(got)["serum potassium"] == ("2026-04-13", "2026-04-15", "NHS-PRACTICE")
    assert "serum potassium" not in follow_up(with_labs("hb=80 g/L"))


def test_us_protocol_follow_up_in_pernicious_anaemia() -> None:
    """US protocols: potassium by day 2 in pernicious anaemia; Hct and reticulocytes on days 5-7
    of therapy, counting the first injection day as day 1 (start + 4 to start + 6)."""
    got = plan(CYANO)
    tests = follow_up(got)
    assert tests["serum potassium"] == ("2026-04-13", "2026-04-15", "FDA-CYANO")
    assert tests["haematocrit and reticulocytes"] == ("2026-04-17", "2026-04-19", "FDA-CYANO")
    dietary = follow_up(plan({**CYANO, "cause": "dietary"}))
    assert "serum potassium" not in dietary
    assert "haematocrit and reticulocytes" in dietary


def test_pregnancy_review_at_one_month() -> None:
    """Pregnant or breastfeeding: an extra clinical review at day 0 + 1 month (SPS-NG239), the
    3-month review kept."""
    got = plan({"conditions": {"pregnant": True}})
    assert follow_up(got)["clinical review (pregnancy)"] == ("2026-05-13", None, "SPS-NG239")
    assert follow_up(got)["clinical review"] == ("2026-07-13", None, "NHS-PRACTICE")


def test_no_follow_up_without_repletion() -> None:
    """Prophylaxis protocols have no repletion, so no repletion follow-up tests."""
    assert plan({"protocol": "uk-hydroxo-prophylaxis"})["follow_up"] == []


# ---------------------------------------------------------------- the table itself

RULES = [*findings_table.SAFETY, *findings_table.PATIENT]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.code}-{rule.severity}")
def test_every_finding_row_cites_a_known_source(rule: findings_table.Rule) -> None:
    """Each row's source is one of the reference's ids, or resolves to one for every product
    (the label) and every bundled protocol (its first source)."""
    from b12plan.contract.sources import SOURCES
    from b12plan.contract.vocab import PRODUCTS
    from b12plan.protocols import bundled

    if rule.source == findings_table.LABEL:
        assert {findings_table.LABELS[product] for product in PRODUCTS} <= set(SOURCES)
    elif rule.source == findings_table.PROTOCOL_SOURCE:
        assert {protocol.sources[0] for protocol in bundled().values()} <= set(SOURCES)
    else:
        assert rule.source in SOURCES


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.code}-{rule.severity}")
def test_every_finding_row_names_only_known_words(rule: findings_table.Rule) -> None:
    """A row's severity is one of the three, and its message names only words the table can
    work out (a misspelt word would fail only when the finding is raised)."""
    from b12plan.contract.vocab import SEVERITIES

    assert rule.severity in SEVERITIES
    named = {name for _, name, _, _ in string.Formatter().parse(rule.message) if name}
    assert named <= set(findings_table.WORDS)


def test_safety_rows_block_and_patient_rows_do_not() -> None:
    """Only the safety table stops a plan: its rows block, the patient table's never do."""
    assert {rule.severity for rule in findings_table.SAFETY} == {"block"}
    assert "block" not in {rule.severity for rule in findings_table.PATIENT}


# (analyte, unit, lowest, highest, the property, its threshold in the canonical unit, whether
# the lab's own lower limit may be given): each threshold the rows ask about.
THRESHOLDS = [
    ("hb", "g/L", 10, 250, "below_severe_hb", HB_SEVERE_G_L, True),
    ("hb", "g/dL", 1, 25, "below_severe_hb", HB_SEVERE_G_L, True),
    ("hb", "mmol/L", 1, 15, "below_severe_hb", HB_SEVERE_G_L, True),
    ("egfr", "mL/min/1.73m2", 5, 120, "below_egfr_low", EGFR_LOW, False),
    ("platelets", "10^9/L", 5, 500, "below_platelets_low", PLATELETS_LOW, False),
]


@given(
    spec=st.sampled_from(THRESHOLDS),
    hundredths=st.integers(0, 100_000),
    ref_low=st.none() | st.floats(1, 200),
)
def test_an_uncensored_result_is_below_a_threshold_exactly_when_its_class_says(
    spec: tuple[str, str, int, int, str, Decimal, bool], hundredths: int, ref_low: float | None
) -> None:
    """A threshold read off the class (Hb severely-low; eGFR or platelets low, with no lower
    limit of the lab's own) agrees with comparing the value in the canonical unit."""
    analyte, unit, low, high, name, threshold, own_low = spec
    lab = Lab(
        analyte=analyte,  # type: ignore[arg-type]
        value=low + (hundredths / 100) % (high - low),
        unit=unit,
        date=date(2026, 1, 1),
        ref_low=ref_low if own_low else None,
        ref_high=None,
        comparator=None,
    )
    (classified,) = classify_labs([lab], "female", date(2026, 1, 2))
    assert getattr(classified, name) is (canonical_value(lab) < threshold)


@given(
    drawn=st.lists(
        st.tuples(st.sampled_from(["hb", "mcv", "b12"]), st.integers(0, 60)), max_size=6
    ),
    since=st.integers(0, 60),
)
def test_the_latest_result_from_a_day_is_the_scan_of_every_lab(
    drawn: list[tuple[str, int]], since: int
) -> None:
    """`_latest_from` reads the latest result only: the same as the last of every result of
    that analyte dated from `since` on, in date order."""
    first = date(2026, 1, 1)
    labs = [
        Lab(
            analyte=analyte,
            value=100.0,
            unit="g/L" if analyte == "hb" else "fL" if analyte == "mcv" else "ng/L",
            date=first + timedelta(days=day),
            ref_low=None,
            ref_high=None,
            comparator=None,
        )
        for analyte, day in drawn
    ]
    classified = classify_labs(labs, None, first + timedelta(days=61))
    facts = PatientFacts(
        patient=validated("patient", {"start": "2026-03-01", "cause": "dietary"}),
        choice=None,  # type: ignore[arg-type]  # not read
        age_years=None,
        baseline={},
        latest={lab.analyte: lab for lab in classified},
        labs=classified,
        repletion_until=first,
        day0=first,
    )
    cut = first + timedelta(days=since)
    for analyte in ("hb", "mcv", "b12", "folate"):
        scanned = [lab for lab in classified if lab.analyte == analyte and lab.date >= cut]
        assert findings_table._latest_from(facts, analyte, cut) is (
            scanned[-1] if scanned else None
        )
