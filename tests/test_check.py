"""`b12plan check`: a proposed regimen compared with its protocol, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b12plan.contract.models import CheckReport
from b12plan.contract.validation import validated
from b12plan.engine import build_plan
from b12plan.engine.check import check_regimen, protocol_regimen_text
from b12plan.errors import InvalidInput
from b12plan.protocols import bundled
from b12plan.render.jsonout import document_json
from tests.conftest import run
from tests.strategies import patients

AS_OF = "2026-11-24"
PATIENT: dict[str, Any] = {
    "start": "2026-12-01",
    "cause": "autoimmune-gastritis",
    "dob": "1961-07-09",
    "sex": "female",
}
Row = tuple[str, str, int | None, Any, Any]


def check(regimen: str, patient: dict[str, Any] | None = None, *args: str) -> Any:
    """Run `b12plan check -` on a regimen document; returns the Result."""
    document = {"patient": {**PATIENT, **(patient or {})}, "regimen": regimen}
    return run(
        "check", "-", "--as-of", AS_OF, "--format", "json", *args, stdin=json.dumps(document)
    )


def report(regimen: str, patient: dict[str, Any] | None = None, *args: str) -> dict[str, Any]:
    """The check document; fails unless the exit code is 0 or 1."""
    result = check(regimen, patient, *args)
    assert result.code in (0, 1), result.err
    data: dict[str, Any] = result.json()
    return data


def regimen_rows(data: dict[str, Any]) -> list[Row]:
    """(code, severity, step, expected, proposed) of each difference from the protocol."""
    return [
        (f["code"], f["severity"], f["step"], f["expected"], f["proposed"])
        for f in data["findings"]
        if f["kind"] == "regimen"
    ]


def patient_codes(data: dict[str, Any]) -> list[str]:
    """Codes of the patient-level findings, in order."""
    return [f["code"] for f in data["findings"] if f["kind"] == "patient"]


# ---------------------------------------------------------------- the protocols' own regimens

OWN: dict[str, tuple[str, dict[str, Any]]] = {
    "uk-bnf-hydroxo-nonneuro": ("1000mcg im every 2d x6; then 1000mcg im every 3mo", {}),
    "uk-bnf-hydroxo-neuro": ("1000mcg im every 2d x8; then 1000mcg im every 2mo", {"neuro": True}),
    "uk-hydroxo-dietary": (
        "1000mcg im every 2d x6; then 1000mcg im every 6mo",
        {"cause": "dietary"},
    ),
    "uk-hydroxo-prophylaxis": ("1000mcg im every 3mo", {"cause": "gastrectomy"}),
    "uk-hydroxo-leber": (
        "1000mcg im every 1d x14; then 1000mcg im every 3d x4; then 1000mcg im every 1mo",
        {"conditions": {"leber": True}},
    ),
    "us-fda-cyano-label": (
        "100mcg im every 1d x7; then 100mcg im every 2d x7; then 100mcg im every 3d x6; "
        "then 100mcg im every 1mo",
        {"product": "cyanocobalamin"},
    ),
    "us-cyano-1000": (
        "1000mcg im every 1d x7; then 1000mcg im every 1w x4; then 1000mcg im every 1mo",
        {"product": "cyanocobalamin"},
    ),
    "us-asmbs-bariatric": (
        "1000mcg im every 1mo",
        {"product": "cyanocobalamin", "cause": "bariatric-surgery"},
    ),
}


def test_every_bundled_protocol_has_a_written_regimen() -> None:
    """The table below covers the whole catalogue."""
    assert set(OWN) == set(bundled())


@pytest.mark.parametrize("pid", sorted(OWN))
def test_protocol_regimen_text_is_as_written(pid: str) -> None:
    """Each protocol's own regimen in the grammar is the one written out here by hand."""
    assert protocol_regimen_text(bundled()[pid]) == OWN[pid][0]


@pytest.mark.parametrize("pid", sorted(OWN))
def test_protocol_own_regimen_checks_clean(pid: str) -> None:
    """A protocol's own regimen, for a patient it fits, has no difference from the protocol."""
    regimen, patient = OWN[pid]
    result = check(regimen, {**patient, "protocol": pid})
    data = result.json()
    assert data["protocol"]["id"] == pid
    assert regimen_rows(data) == []
    assert data["expected"]["text"] == data["proposed"]["text"] == regimen
    warnings = [f["code"] for f in data["findings"] if f["severity"] != "info"]
    # About the patient, not the regimen: neurological involvement is urgent, and patient
    # findings fail a check only at block (--fail-on-patient), so the check is clean.
    assert warnings == (["NEURO_URGENT"] if patient.get("neuro") else [])
    assert (result.code, data["verdict"]) == (0, "clean")
    assert (data["regimen_verdict"], data["patient_verdict"]) == ("clean", "clean")


def test_neuro_protocol_own_regimen_exits_clean_without_neuro_patient_warnings() -> None:
    """Named for a patient without neurological signs, the neuro regimen is clean: exit 0."""
    result = check(OWN["uk-bnf-hydroxo-neuro"][0], {"protocol": "uk-bnf-hydroxo-neuro"})
    assert (result.code, result.json()["verdict"]) == (0, "clean")


@pytest.mark.parametrize(
    ("pid", "regimen"),
    [
        ("uk-bnf-hydroxo-nonneuro", "1000mcg im every 3d x6; then 1000mcg im every 2mo"),
        ("uk-bnf-hydroxo-nonneuro", "1 mg IM every 2 d x 6; then 1 mg IM every 10w"),
        ("uk-hydroxo-dietary", "1000mcg im every 2d x6; then 1000mcg im every 4mo"),
        ("us-fda-cyano-label", OWN["us-fda-cyano-label"][0].replace("every 3d", "every 4d")),
        ("us-cyano-1000", OWN["us-cyano-1000"][0].replace("1w", "7d")),
        ("us-cyano-1000", OWN["us-cyano-1000"][0].replace("im every 1mo", "sc every 3mo")),
        ("uk-bnf-hydroxo-neuro", "1000mcg im every 2d x12; then 1000mcg im every 2mo"),
    ],
)
def test_other_spellings_within_the_protocol_are_clean(pid: str, regimen: str) -> None:
    """Gaps inside a segment's range and intervals between the allowed steps are no difference."""
    patient = {**OWN[pid][1], "protocol": pid}
    assert regimen_rows(report(regimen, patient)) == []


# ---------------------------------------------------------------- each deviation, exactly

NONNEURO_MAINT = "then 1000mcg im every 3mo"
DEVIATIONS: list[tuple[str, str, dict[str, Any], list[Row]]] = [
    (
        "under-dosed throughout",
        "500mcg im every 2d x6; then 500mcg im every 3mo",
        {},
        [
            ("DOSE_MISMATCH", "warning", 1, 1000, 500),
            ("DOSE_MISMATCH", "warning", 2, 1000, 500),
        ],
    ),
    (
        "over-dosed repletion",
        f"1500mcg im every 2d x6; {NONNEURO_MAINT}",
        {},
        [("DOSE_MISMATCH", "warning", 1, 1000, 1500)],
    ),
    (
        "four doses instead of six",
        f"1000mcg im every 2d x4; {NONNEURO_MAINT}",
        {},
        [("REPLETION_COUNT", "warning", None, 6, 4)],
    ),
    (
        "eight doses instead of six",
        f"1000mcg im every 2d x8; {NONNEURO_MAINT}",
        {},
        [("REPLETION_COUNT", "warning", None, 6, 8)],
    ),
    (
        "six doses over four weeks instead of two",
        f"1000mcg im every 5d x6; {NONNEURO_MAINT}",
        {},
        [("REPLETION_SPACING", "warning", 1, "2–3 days", "5 days")],
    ),
    (
        "daily instead of three times a week",
        f"1000mcg im every 1d x6; {NONNEURO_MAINT}",
        {},
        [("REPLETION_SPACING", "warning", 1, "2–3 days", "1 day")],
    ),
    (
        "ongoing repletion on a fixed protocol",
        "1000mcg im every 2d",
        {},
        [
            ("REPLETION_COUNT", "warning", None, 6, "ongoing"),
            ("MAINTENANCE_MISSING", "warning", None, "3mo", "none"),
        ],
    ),
    (
        "maintenance longer than the protocol's maximum",
        "1000mcg im every 2d x6; then 1000mcg im every 6mo",
        {},
        [("INTERVAL_TOO_LONG", "warning", 2, "2mo–3mo", "6mo")],
    ),
    (
        "maintenance shorter than the protocol's minimum",
        "1000mcg im every 2d x6; then 1000mcg im every 1mo",
        {},
        [("INTERVAL_TOO_SHORT", "warning", 2, "2mo–3mo", "1mo")],
    ),
    (
        "neuro patient on a 3-monthly plan",
        "1000mcg im every 2d x8; then 1000mcg im every 3mo",
        {"neuro": True},
        [("NEURO_INTERVAL", "warning", 2, "2mo", "3mo")],
    ),
    (
        "neuro patient on a named non-neuro protocol, 3-monthly",
        f"1000mcg im every 2d x6; {NONNEURO_MAINT}",
        {"neuro": True, "protocol": "uk-bnf-hydroxo-nonneuro"},
        [("NEURO_INTERVAL", "warning", 2, "2mo", "3mo")],
    ),
    (
        "neuro patient without repletion",
        "1000mcg im every 2mo",
        {"neuro": True},
        [
            (
                "NEURO_REPLETION_MISSING",
                "warning",
                None,
                "alternate days until no further improvement",
                "none",
            )
        ],
    ),
    (
        "neuro repletion stopped before the first review",
        "1000mcg im every 2d x5; then 1000mcg im every 2mo",
        {"neuro": True},
        [("REPLETION_COUNT", "warning", None, 8, 5)],
    ),
    (
        "neuro repletion weekly",
        "1000mcg im every 1w x8; then 1000mcg im every 2mo",
        {"neuro": True},
        [("REPLETION_SPACING", "warning", 1, "2 days", "7 days")],
    ),
    (
        "neuro repletion ongoing, maintenance to be decided",
        "1000mcg im every 2d",
        {"neuro": True},
        [("MAINTENANCE_MISSING", "warning", None, "2mo", "none")],
    ),
    (
        "repletion skipped for a deficient patient",
        "1000mcg im every 3mo",
        {"labs": ["b12=120 ng/L@2026-11-20"]},
        [("REPLETION_SKIPPED", "warning", None, 6, 0)],
    ),
    (
        "repletion skipped without labs",
        "1000mcg im every 3mo",
        {},
        [("REPLETION_SKIPPED", "warning", None, 6, 0)],
    ),
    (
        "maintenance-only protocol for a deficient patient",
        "1000mcg im every 3mo",
        {
            "cause": "gastrectomy",
            "protocol": "uk-hydroxo-prophylaxis",
            "labs": ["mma=0.9 umol/L@2026-11-20"],
        },
        [("REPLETION_SKIPPED", "warning", None, "repletion first", 0)],
    ),
    (
        "repletion on a maintenance-only protocol",
        "1000mcg im every 2d x6; then 1000mcg im every 3mo",
        {"cause": "gastrectomy", "protocol": "uk-hydroxo-prophylaxis"},
        [("REPLETION_NOT_IN_PROTOCOL", "info", 1, "none", 6)],
    ),
    (
        "no maintenance",
        "1000mcg im every 2d x6",
        {},
        [("MAINTENANCE_MISSING", "warning", None, "3mo", "none")],
    ),
    (
        "maintenance that stops, lifelong cause",
        "1000mcg im every 2d x6; then 1000mcg im every 3mo x4",
        {},
        [("MAINTENANCE_ENDS", "warning", 2, "ongoing", 4)],
    ),
    (
        "volume over the IM site limit",
        "2500mcg im every 2d x6; then 1000mcg im every 3mo",
        {},
        [("VOLUME_SITE", "warning", 1, 2.0, 2.5), ("DOSE_MISMATCH", "warning", 1, 1000, 2500)],
    ),
    (
        "cyanocobalamin weekly doses given daily",
        "1000mcg im every 1d x11; then 1000mcg im every 1mo",
        {"product": "cyanocobalamin"},
        [("REPLETION_SPACING", "warning", 1, "7 days", "1 day")],
    ),
    (
        "FDA label, the every-3–4-days segment every 5 days",
        OWN["us-fda-cyano-label"][0].replace("every 3d", "every 5d"),
        {"product": "cyanocobalamin", "protocol": "us-fda-cyano-label"},
        [("REPLETION_SPACING", "warning", 3, "3–4 days", "5 days")],
    ),
    (
        "cyanocobalamin regimen against a named hydroxocobalamin protocol",
        f"1000mcg im every 2d x6; {NONNEURO_MAINT}",
        {"product": "cyanocobalamin", "protocol": "uk-bnf-hydroxo-nonneuro"},
        [("PRODUCT_MISMATCH", "warning", None, "hydroxocobalamin", "cyanocobalamin")],
    ),
]


@pytest.mark.parametrize(
    ("regimen", "patient", "rows"),
    [case[1:] for case in DEVIATIONS],
    ids=[case[0] for case in DEVIATIONS],
)
def test_deviation_gives_exactly_its_finding(
    regimen: str, patient: dict[str, Any], rows: list[Row]
) -> None:
    """Each deviation from the protocol is one finding with its expected and proposed values."""
    result = check(regimen, patient)
    assert result.code == 1 or all(row[1] == "info" for row in rows), result.err
    assert regimen_rows(result.json()) == rows


def test_messages_say_what_differs() -> None:
    """Messages give the counts and spans, the gap range and the protocol's own words."""
    data = report(f"1000mcg im every 2d x4; {NONNEURO_MAINT}")
    assert data["findings"][0]["message"] == (
        "4 repletion doses proposed over 6 days; uk-bnf-hydroxo-nonneuro gives 6 over 11 days"
    )
    data = report(f"1000mcg im every 5d x6; {NONNEURO_MAINT}")
    assert data["findings"][0]["message"] == (
        "step 1: doses 2–6 come every 5 days; uk-bnf-hydroxo-nonneuro gives them every 2–3 "
        "days (1 mg 3 times a week for 2 weeks)"
    )
    data = report("500mcg im every 2d x6; then 1000mcg im every 3mo")
    assert (
        "500 mcg per injection is below the protocol's 1000 mcg: under-dosed"
        in (data["findings"][0]["message"])
    )
    data = report("1000mcg im every 2d x6; then 1000mcg im every 1mo")
    assert data["findings"][0]["message"] == (
        "step 2: every 1 month is more often than uk-bnf-hydroxo-nonneuro gives (every "
        "2mo–3mo): outside the product information, clinician decision"
    )
    data = report("1000mcg im every 2d x6; then 1000mcg im every 4mo")
    assert data["findings"][0]["message"] == (
        "step 2: every 4 months is longer than uk-bnf-hydroxo-nonneuro allows (every 2mo–3mo)"
    )


def test_sources_come_from_the_protocol_segment() -> None:
    """Repletion findings cite the repletion source, maintenance ones the maintenance source."""
    data = report("500mcg im every 2d x6; then 500mcg im every 6mo")
    sources = {(f["code"], f["step"]): f["source"] for f in data["findings"]}
    assert sources[("DOSE_MISMATCH", 1)] == "BNF-HYDROXO"
    assert sources[("DOSE_MISMATCH", 2)] == "SMPC-HYDROXO"
    assert sources[("INTERVAL_TOO_LONG", 2)] == "SMPC-HYDROXO"


def test_maintenance_may_stop_for_a_reversible_cause() -> None:
    """A time-limited maintenance is no finding when the cause can be corrected."""
    data = report("1000mcg im every 2d x6; then 1000mcg im every 6mo x2", {"cause": "dietary"})
    assert regimen_rows(data) == []


def test_override_reason_is_quoted_but_the_interval_still_flagged() -> None:
    """An override reason is shown with the finding; an interval outside the steps still warns."""
    data = report(
        "1000mcg im every 2d x6; then 1000mcg im every 6mo",
        {"interval": "6mo", "override_reason": "patient lives abroad half the year"},
    )
    finding = data["findings"][0]
    assert finding["code"] == "INTERVAL_TOO_LONG"
    assert finding["message"].endswith("override reason: patient lives abroad half the year")
    assert data["not_used"] == []


# ---------------------------------------------------------------- routes, product, strength


def test_iv_blocks_and_names_no_second_route_finding() -> None:
    """An IV step gives the block of `schedule` (exit 1 at any --fail-on), not a second finding."""
    result = check("1000mcg iv every 2d x6; then 1000mcg iv every 3mo", None, "--fail-on", "block")
    data = result.json()
    assert result.code == 1
    assert data["findings"][0]["code"] == "IV_ROUTE"
    assert data["findings"][0]["severity"] == "block"
    assert regimen_rows(data) == []


def test_hydroxocobalamin_sc_is_the_offlabel_route_finding() -> None:
    """Hydroxocobalamin SC gives schedule's OFFLABEL_ROUTE once, for the step that uses it."""
    data = report("1000mcg im every 2d x6; then 1000mcg sc every 3mo")
    assert patient_codes(data).count("OFFLABEL_ROUTE") == 1
    assert [s["route"] for s in data["proposed"]["steps"]] == ["im", "sc"]
    assert regimen_rows(data) == []


def test_route_not_in_a_custom_protocol(tmp_path: Path) -> None:
    """A route the (custom) protocol does not give is ROUTE_NOT_IN_PROTOCOL for that step."""
    custom = (
        Path(__file__).resolve().parents[1] / "src" / "b12plan" / "protocols" / "us-asmbs-bariatric"
    ).with_suffix(".toml")
    text = custom.read_text(encoding="utf-8").replace('"us-asmbs-bariatric"', '"im-only"')
    text = text.replace('routes = ["im", "sc"]', 'routes = ["im"]')
    path = tmp_path / "im-only.toml"
    path.write_text(text, encoding="utf-8")
    result = check(
        "1000mcg sc every 1mo",
        {"product": "cyanocobalamin", "cause": "bariatric-surgery"},
        "--protocol-file",
        str(path),
    )
    data = result.json()
    assert data["protocol"]["id"] == "im-only"
    assert regimen_rows(data) == [("ROUTE_NOT_IN_PROTOCOL", "warning", 1, "im", "sc")]


def test_strength_drives_volume_and_the_nonstandard_finding() -> None:
    """At 500 mcg/mL, 1000 mcg SC is 2 mL: over the SC limit, and the strength is flagged."""
    data = report(
        "1000mcg sc every 1mo",
        {"product": "cyanocobalamin", "cause": "bariatric-surgery", "strength": "500 mcg/mL"},
    )
    assert data["proposed"]["steps"][0]["volume_ml"] == 2.0
    assert ("VOLUME_SITE", "warning", 1, 1.0, 2.0) in regimen_rows(data)
    assert "NONSTANDARD_STRENGTH" in patient_codes(data)


def test_options_override_the_regimen_document() -> None:
    """--product, --route and --strength override the regimen's own fields, as for schedule."""
    document = {
        "patient": PATIENT,
        "product": "cyanocobalamin",
        "strength": "500 mcg/mL",
        "steps": [{"dose_mcg": 1000, "every": "1mo"}],
    }
    result = run(
        "check",
        "-",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        "--product",
        "hydroxocobalamin",
        "--strength",
        "1000 mcg/mL",
        "--route",
        "im",
        stdin=json.dumps(document),
    )
    data = result.json()
    assert data["inputs"]["product"] == "hydroxocobalamin"
    assert data["inputs"]["strength_mcg_per_ml"] == 1000
    assert data["proposed"]["steps"][0]["route"] == "im"


# ---------------------------------------------------------------- patient-level findings

PATIENT_FACTS: dict[str, Any] = {
    "dob": "2009-06-01",
    "sex": "female",
    "cause": "medication",
    "conditions": {
        "pregnant": True,
        "anticoagulant": True,
        "cobalt_allergy": True,
        "folic_acid_started": "2026-11-01",
    },
    "labs": ["b12=300 ng/L@2026-11-20", "hb=75 g/L@2026-11-20"],
}


def test_patient_level_findings_are_those_of_schedule() -> None:
    """check raises every finding schedule raises about the patient, product and labs."""
    own = OWN["uk-bnf-hydroxo-nonneuro"][0]
    data = report(own, PATIENT_FACTS)
    plan = run(
        "schedule",
        "-",
        "--as-of",
        AS_OF,
        "--format",
        "json",
        stdin=json.dumps({**PATIENT, **PATIENT_FACTS}),
    ).json()
    expected = [f["code"] for f in plan["findings"] if f["code"] not in SCHEDULE_ONLY]
    assert patient_codes(data) == expected
    assert set(expected) >= {
        "COBALT_ALLERGY",
        "HYPOKALAEMIA_RISK",
        "FOLATE_ALONE",
        "ANTICOAG_IM",
        "PREGNANCY",
        "ADOLESCENT",
        "CAUSE_REVERSIBLE_REVIEW",
        "MEDICATION_CAUSE",
        "INDETERMINATE_B12",
    }
    assert regimen_rows(data) == []


def test_labs_are_classified_as_in_a_plan() -> None:
    """The check document lists the labs with their classification and conversion."""
    data = report(OWN["uk-bnf-hydroxo-nonneuro"][0], {"labs": ["b12=150 ng/L@2026-11-20"]})
    assert data["labs"][0]["classification"] == "low"
    assert data["labs"][0]["converted"] == {"value": 110.7, "unit": "pmol/L"}


def test_schedule_fields_are_listed_as_not_used() -> None:
    """Schedule fields (not the record of doses) do not shape a check, and the document says so."""
    data = report(
        OWN["uk-bnf-hydroxo-nonneuro"][0],
        {"given": ["2026-12-01"], "until": "2027-12-01"},
        "--as-of",
        "2026-12-02",
    )
    assert data["not_used"] == ["until"]


# ---------------------------------------------------------------- exit codes and --fail-on


@pytest.mark.parametrize(
    ("regimen", "fail_on", "code"),
    [
        (OWN["uk-bnf-hydroxo-nonneuro"][0], "warning", 0),
        (OWN["uk-bnf-hydroxo-nonneuro"][0], "info", 0),  # LIFELONG is about the patient
        (OWN["uk-bnf-hydroxo-nonneuro"][0], "block", 0),
        ("1000mcg im every 2d x6; then 1000mcg im every 6mo", "warning", 1),
        ("1000mcg im every 2d x6; then 1000mcg im every 6mo", "block", 0),
        ("1000mcg iv every 2d x6; then 1000mcg iv every 3mo", "block", 1),
    ],
)
def test_fail_on(regimen: str, fail_on: str, code: int) -> None:
    """Exit 1 exactly when a regimen finding is at or above --fail-on (default warning)."""
    result = check(regimen, None, "--fail-on", fail_on)
    assert result.code == code, result.err
    assert result.json()["verdict"] == ("problems" if code else "clean")
    assert result.json()["fail_on"] == fail_on


@pytest.mark.parametrize(
    ("patient", "fail_on_patient", "code"),
    [
        ({}, "block", 0),  # LIFELONG (info) about the patient
        ({}, "info", 1),
        ({"conditions": {"pregnant": True}}, "block", 0),  # PREGNANCY is a warning
        ({"conditions": {"pregnant": True}}, "warning", 1),
        ({"dob": "2016-01-01"}, "block", 1),  # AGE_OUT_OF_SCOPE blocks: fails by default
    ],
    ids=["info-default", "info-asked", "warning-default", "warning-asked", "block"],
)
def test_fail_on_patient(patient: dict[str, Any], fail_on_patient: str, code: int) -> None:
    """Patient findings fail a check only at --fail-on-patient (default block), each verdict
    is reported apart, and the overall verdict joins them."""
    result = check(OWN["uk-bnf-hydroxo-nonneuro"][0], patient, "--fail-on-patient", fail_on_patient)
    assert result.code == code, result.err
    data = result.json()
    assert data["fail_on_patient"] == fail_on_patient
    assert data["patient_verdict"] == data["verdict"] == ("problems" if code else "clean")


# ---------------------------------------------------------------- input forms and errors


def test_steps_and_string_and_option_are_the_same_check(tmp_path: Path) -> None:
    """Structured steps, the grammar string, a TOML file and --regimen give the same document."""
    steps = {
        "steps": [
            {"dose_mcg": 1000, "every": "2d", "count": 4},
            {"dose_mcg": 1000, "every": "3mo"},
        ],
        "route": "im",
    }
    text = "1000mcg im every 2d x4; then 1000mcg im every 3mo"
    by_steps = run(
        "check", "-", "--as-of", AS_OF, "--format", "json",
        stdin=json.dumps({"patient": PATIENT, **steps}),
    )  # fmt: skip
    by_string = check(text)
    by_option = run(
        "check", "--regimen", text, "--as-of", AS_OF, "--format", "json",
        "--start", PATIENT["start"], "--cause", PATIENT["cause"],
        "--dob", PATIENT["dob"], "--sex", PATIENT["sex"],
    )  # fmt: skip
    toml = tmp_path / "regimen.toml"
    toml.write_text(
        f'regimen = "{text}"\n[patient]\nstart = 2026-12-01\ncause = "autoimmune-gastritis"\n'
        'dob = "1961-07-09"\nsex = "female"\n',
        encoding="utf-8",
    )
    by_toml = run("check", str(toml), "--as-of", AS_OF, "--format", "json")
    assert by_steps.code == by_string.code == by_option.code == by_toml.code == 1
    assert by_string.out == by_option.out == by_toml.out
    # A string is read as wording too: the document says what was read, and how.
    as_text, as_steps = by_string.json(), by_steps.json()
    assert as_steps["read"] is None
    assert as_text.pop("read") == {
        "text": text,
        "product": None,
        "steps": [
            {"dose_mcg": 1000, "route": "im", "every": "2d", "times_per_week": None,
             "count": 4, "for": None, "until": None},
            {"dose_mcg": 1000, "route": "im", "every": "3mo", "times_per_week": None,
             "count": None, "for": None, "until": None},
        ],
    }  # fmt: skip
    conventions = as_text["protocol"]["conventions"]
    assert conventions.pop(-1).startswith("The regimen's wording is read by the clinical rules'")
    as_steps.pop("read")
    assert as_text == as_steps


def test_regimen_option_replaces_the_file_steps() -> None:
    """--regimen overrides the steps of the regimen file, as options override file fields."""
    document = {"patient": PATIENT, "steps": [{"dose_mcg": 1, "every": "1d"}]}
    result = run(
        "check", "-", "--regimen", OWN["uk-bnf-hydroxo-nonneuro"][0], "--as-of", AS_OF,
        stdin=json.dumps(document),
    )  # fmt: skip
    assert result.code == 0, result.err


def _regimen_doc(**fields: Any) -> str:
    return json.dumps({"patient": PATIENT, **fields})


ERRORS: list[tuple[str, list[str], str, str]] = [
    ("no regimen at all", [], "", "regimen: give a regimen file"),
    ("a document without steps", ["-"], _regimen_doc(), "a regimen is required"),
    (
        "bad token",
        ["--regimen", "1000mcg im evry 2d", "--start", "2026-12-01", "--cause", "dietary"],
        "",
        "regimen: 'evry' is not a word b12plan reads in a regimen; did you mean "
        "'1000mcg im every 2d'?",
    ),
    (
        "both forms",
        ["-"],
        _regimen_doc(steps=[{"dose_mcg": 1000, "every": "2d"}], regimen="1000mcg im every 2d"),
        "regimen: give the regimen once",
    ),
    (
        "ongoing step not last",
        ["-"],
        _regimen_doc(regimen="1000mcg im every 2d; then 1000mcg im every 3mo"),
        "regimen: '1000mcg im every 2d': the first phase has no end, so the phase after "
        "'; then' never starts",
    ),
    (
        "repletion after maintenance",
        ["-"],
        _regimen_doc(regimen="1000mcg im every 3mo x2; then 1000mcg im every 2d x6"),
        "regimen: step 2 (every 2 days) is repletion after maintenance",
    ),
    (
        "step route differs from the regimen's route",
        ["-"],
        _regimen_doc(route="im", steps=[{"dose_mcg": 1000, "every": "3mo", "route": "sc"}]),
        "steps[0].route: step 1 says sc but the route is im",
    ),
    (
        "product differs between regimen and patient",
        ["-"],
        json.dumps(
            {
                "patient": {**PATIENT, "product": "hydroxocobalamin"},
                "product": "cyanocobalamin",
                "regimen": "1000mcg im every 1mo",
            }
        ),
        "product: the regimen says cyanocobalamin but the patient says hydroxocobalamin",
    ),
    (
        "strength differs between regimen and patient",
        ["-"],
        json.dumps(
            {
                "patient": {**PATIENT, "strength": "1 mg/mL"},
                "strength": "500 mcg/mL",
                "regimen": "1000mcg im every 3mo",
            }
        ),
        "strength: the regimen says 500 mcg/mL",
    ),
    (
        "unknown step field",
        ["-"],
        _regimen_doc(steps=[{"dose_mcg": 1000, "every": "2d", "cout": 6}]),
        "steps[0].cout: unknown field; see `b12plan schema regimen`",
    ),
    (
        "negative dose",
        ["-"],
        _regimen_doc(steps=[{"dose_mcg": -1000, "every": "2d", "count": 6}]),
        "steps[0].dose_mcg: must be greater than 0",
    ),
    (
        "count zero",
        ["-"],
        _regimen_doc(steps=[{"dose_mcg": 1000, "every": "2d", "count": 0}]),
        "steps[0].count",
    ),
    (
        "count as a string",
        ["-"],
        _regimen_doc(steps=[{"dose_mcg": 1000, "every": "2d", "count": "6"}]),
        "steps[0].count",
    ),
    (
        "bad interval",
        ["-"],
        _regimen_doc(steps=[{"dose_mcg": 1000, "every": "2x"}]),
        "steps[0].every: interval '2x' is not of the form Nmo, Nw or Nd",
    ),
    ("patient not an object", ["-"], json.dumps({"patient": [], "regimen": "x"}), "patient: must"),
    (
        "patient without start",
        ["-"],
        json.dumps({"patient": {"cause": "dietary"}, "regimen": "1000mcg im every 3mo"}),
        "patient.start: is required",
    ),
    (
        "unknown patient field",
        ["-"],
        json.dumps({"patient": {**PATIENT, "age": 60}, "regimen": "1000mcg im every 3mo"}),
        "patient.age: unknown field; see `b12plan schema patient`",
    ),
    (
        "lab without a unit",
        ["-"],
        json.dumps(
            {
                "patient": {**PATIENT, "labs": [{"analyte": "b12", "value": 150, "date": AS_OF}]},
                "regimen": "1000mcg im every 3mo",
            }
        ),
        "patient.labs[0]: a unit is required for b12",
    ),
    (
        "a dose given after as_of",
        ["-"],
        json.dumps(
            {"patient": {**PATIENT, "given": ["2026-12-01"]}, "regimen": "1000mcg im every 3mo"}
        ),
        "error: patient.given[0]: 2026-12-01 is after as_of 2026-11-24",
    ),
    (
        "a lab after as_of",
        ["-"],
        json.dumps(
            {
                "patient": {**PATIENT, "labs": ["b12=150 ng/L@2026-11-30"]},
                "regimen": "1000mcg im every 3mo",
            }
        ),
        "error: patient.labs[0].date: 2026-11-30 is after as_of 2026-11-24",
    ),
    (
        "unknown protocol",
        ["-", "--protocol", "nope"],
        _regimen_doc(regimen="1000mcg im every 3mo"),
        "error: patient.protocol: unknown protocol 'nope'; allowed: auto, uk-bnf-hydroxo-nonneuro",
    ),
    (
        "unknown severity",
        ["-", "--fail-on", "error"],
        _regimen_doc(regimen="1000mcg im every 3mo"),
        "--fail-on",
    ),
    ("not JSON", ["-"], "{not json", "stdin is not valid JSON"),
    ("regimen not a string", ["-"], _regimen_doc(regimen=6), "regimen"),
]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [case[1:] for case in ERRORS],
    ids=[case[0] for case in ERRORS],
)
def test_bad_input_is_one_line_and_exit_2(args: list[str], stdin: str, message: str) -> None:
    """Invalid input: exit 2, nothing on stdout, one line on stderr naming the field."""
    result = run("check", *args, "--as-of", AS_OF, stdin=stdin)
    assert result.code == 2
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("b12plan: error: ")
    assert message in lines[0]


def test_json_errors_with_format_json() -> None:
    """With --format json, an input error is the contract's JSON error object on stderr."""
    result = run("check", "--regimen", "1000mcg im evry 2d", "--start", "2026-12-01",
                 "--cause", "dietary", "--format", "json")  # fmt: skip
    assert result.code == 2
    error = json.loads(result.err)["error"]
    assert error["errors"][0]["loc"] == ["regimen"]
    assert "'evry'" in error["message"]


# ---------------------------------------------------------------- output


def test_json_document_shape_and_determinism() -> None:
    """The check document carries the contract's fields and is the same bytes twice."""
    first = check("500mcg im every 2d x6; then 500mcg im every 3mo")
    second = check("500mcg im every 2d x6; then 500mcg im every 3mo")
    assert first.out == second.out
    data = first.json()
    assert data["schema_version"] == "1"
    assert data["disclaimer"].startswith("Decision support only")
    assert data["protocol"]["id"] == "uk-bnf-hydroxo-nonneuro"
    assert data["protocol"]["chosen_because"] == "hydroxocobalamin, no neurological involvement"
    assert any("[C]" in c for c in data["protocol"]["conventions"])
    assert data["expected"]["text"] == OWN["uk-bnf-hydroxo-nonneuro"][0]
    assert data["proposed"]["steps"][0] == {
        "n": 1,
        "phase": "repletion",
        "dose_mcg": 500,
        "every": "2d",
        "count": 6,
        "route": "im",
        "volume_ml": 0.5,
        "text": "500mcg im every 2d x6",
    }
    assert set(data["findings"][0]) == {
        "code", "severity", "message", "source", "kind", "step", "expected", "proposed",
    }  # fmt: skip


def test_table_report() -> None:
    """The report shows the verdict, both regimens side by side, findings, and the disclaimer."""
    document = {"patient": PATIENT, "regimen": "500mcg im every 2d x6; then 500mcg im every 6mo"}
    result = run("check", "-", "--as-of", AS_OF, stdin=json.dumps(document))
    assert result.code == 1
    out = result.out
    assert "\x1b[" not in out
    assert "PROBLEMS: findings at or above warning (3 warnings, 1 info)" in out
    rows = [line.split() for line in out.splitlines()]
    assert ["repletion", "1", "1000mcg", "im", "every", "2d", "x6", "500mcg", "im", "every",
            "2d", "x6", "0.50", "mL"] in rows  # fmt: skip
    assert ["maintenance", "2", "1000mcg", "im", "every", "3mo", "500mcg", "im", "every", "6mo",
            "0.50", "mL"] in rows  # fmt: skip
    assert out.index("Regimen") < out.index("Findings") < out.index("Conventions [C]")
    line = next(row for row in out.splitlines() if "INTERVAL_TOO_LONG" in row)
    assert line.split() == [
        "warning",
        "2",
        "2mo–3mo",
        "→",
        "6mo",
        "INTERVAL_TOO_LONG",
        "SMPC-HYDROXO",
    ]
    assert "step 2: every 6 months is longer than" in out[out.index(line) :]
    assert out.rstrip().endswith("before use.")


def test_table_clean_verdict() -> None:
    """A clean check says so in its first line."""
    document = {"patient": PATIENT, "regimen": OWN["uk-bnf-hydroxo-nonneuro"][0]}
    result = run("check", "-", "--as-of", AS_OF, stdin=json.dumps(document))
    assert result.code == 0
    assert "CLEAN: nothing at or above warning (1 info)" in result.out


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    """-o writes the same bytes as stdout; a failing run writes nothing."""
    target = tmp_path / "check.json"
    args = ("--regimen", OWN["uk-bnf-hydroxo-nonneuro"][0], "--start", "2026-12-01", "--cause",
            "dietary", "--as-of", AS_OF, "--format", "json")  # fmt: skip
    written = run("check", *args, "-o", str(target))
    printed = run("check", *args)
    assert written.code == printed.code
    assert written.out == ""
    assert target.read_text(encoding="utf-8") == printed.out
    failed = tmp_path / "failed.json"
    result = run("check", "--regimen", "nonsense", "--start", "2026-12-01", "--cause", "dietary",
                 "-o", str(failed))  # fmt: skip
    assert result.code == 2
    assert list(tmp_path.iterdir()) == [target]


# ---------------------------------------------------------------- properties

# Findings that need a schedule (history, adjustment, open repletion) or that check judges per
# proposed step (VOLUME_SITE) rather than about the patient.
SCHEDULE_ONLY = {
    "OVERDUE_DOSE",
    "WEEKEND_DOSES",
    "LATE_DOSE",
    "NEURO_REPLETION_OPEN",
    "INTERVAL_SHORTENED",
    "INTERVAL_AT_MINIMUM",
    "LAB_TRIGGERED_ADJUSTMENT",
    "OFFLABEL_INTERVAL",
    "HOMOCYSTEINE_FOLATE",
    "LAPSED",
    "NEURO_REPLETION_SHORT",
    "INR_RECHECK",  # reads the first dose not given
    "INTERVAL_FROM_RECORD",  # a transfer-in's record read for its maintenance
    "INTERVAL_DIFFERS_FROM_RECORD",
    "SYMPTOMS_BEFORE_MAINTENANCE",
    "VOLUME_SITE",
    "REPLETION_SKIPPED",  # in check, a finding about the regimen
    "REPLETION_SHORT",
}


def _about_the_patient(finding: Any) -> bool:
    """Not a schedule-only finding, nor an IM hold on a dated dose (ANTICOAG_IM for an INR, or
    for a neurological patient's doses that are not held)."""
    return finding.code not in SCHEDULE_ONLY and not finding.message.startswith(
        ("INR above", "neurological involvement with inr")
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients())
def test_patient_findings_mirror_schedule_for_any_patient(case: tuple[dict[str, Any], Any]) -> None:
    """For any valid patient, checking the plan's own protocol regimen raises every patient-level
    finding of the plan, and judges volume exactly where the plan does."""
    document, as_of = case
    plan = build_plan(validated("patient", document), as_of=as_of)
    assert plan.inputs is not None
    text = protocol_regimen_text(bundled()[plan.protocol.id], plan.inputs.route)
    data = CheckReport.model_validate(
        check_regimen(validated("regimen", {"patient": document, "regimen": text}), as_of=as_of),
        strict=True,
    )
    assert data.protocol.id == plan.protocol.id
    plan_codes = [f.code for f in plan.findings if _about_the_patient(f)]
    assert [f.code for f in data.findings if f.kind == "patient"] == plan_codes
    volume = [f for f in data.findings if f.code == "VOLUME_SITE"]
    assert bool(volume) == any(f.code == "VOLUME_SITE" for f in plan.findings)
    assert all(f.kind == "regimen" for f in volume)


proposed_steps = st.lists(
    st.fixed_dictionaries(
        {
            "dose_mcg": st.sampled_from([100, 500, 1000, 1500, 2500, 1]),
            "every": st.sampled_from(
                ["1d", "2d", "3d", "4d", "7d", "1w", "2w", "4w", "1mo", "2mo", "3mo", "6mo", "12mo"]
            ),
        },
        optional={"count": st.integers(1, 30), "route": st.sampled_from(["im", "sc", "iv"])},
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(patients(), proposed_steps, st.sampled_from(["info", "warning", "block"]))
def test_any_regimen_gets_a_report_or_a_named_input_error(
    case: tuple[dict[str, Any], Any], steps: list[dict[str, Any]], fail_on: str
) -> None:
    """For any patient and steps: a report whose findings name real steps and whose verdict
    follows --fail-on, or an input error naming the steps or a patient field."""
    document, as_of = case
    patient = {k: v for k, v in document.items() if k != "route"}
    regimen = validated("regimen", {"patient": patient, "steps": steps})
    try:
        document = check_regimen(regimen, as_of=as_of, fail_on=fail_on)
    except InvalidInput as exc:
        assert exc.loc[0] in ("steps", "patient", "product", "strength"), exc.loc
        return
    # Strict: the plain document already holds the types the model would (no int for a float).
    data = CheckReport.model_validate(document, strict=True)
    assert document_json(document) == data.to_json()  # the bytes `check --format json` writes
    assert [s.n for s in data.proposed.steps] == list(range(1, len(steps) + 1))
    assert all(f.step is None or 1 <= f.step <= len(steps) for f in data.findings)
    rank = {"block": 0, "warning": 1, "info": 2}
    # --fail-on judges the findings about the regimen; those about the patient fail at block
    # (--fail-on-patient's default).
    failing = any(
        rank[f.severity] <= rank[fail_on] if f.kind == "regimen" else f.severity == "block"
        for f in data.findings
    )
    assert data.verdict == ("problems" if failing else "clean")
    assert CheckReport.model_validate_json(data.model_dump_json(by_alias=True)) == data
    phases = [s.phase for s in data.proposed.steps]
    assert phases == sorted(phases, key=lambda p: p != "repletion")


def test_as_of_defaults_to_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --as-of, check reads the clock once, in the one place it is read, as schedule
    does."""
    from datetime import date

    from b12plan import api

    monkeypatch.setattr(api, "_today", lambda: date(2026, 11, 20))
    document = {"patient": PATIENT, "regimen": OWN["uk-bnf-hydroxo-nonneuro"][0]}
    result = run("check", "-", "--format", "json", stdin=json.dumps(document))
    assert result.json()["as_of"] == "2026-11-20"


def test_two_findings_of_one_code_are_both_kept() -> None:
    """Total and active B12 both indeterminate: schedule raises INDETERMINATE_B12 for each, and
    so does check (it used to keep one finding per code)."""
    labs = {"labs": ["active-b12=25 pmol/L@2026-11-20", "b12=180 ng/L@2026-11-20"]}
    data = report(OWN["uk-bnf-hydroxo-nonneuro"][0], labs)
    assert patient_codes(data).count("INDETERMINATE_B12") == 2
