"""Contraindications and special cases (docs: clinical rules; the reference's section of the
same name, 2026-12-07): a B12 hypersensitivity, Leber's disease and its protocol, nitrous oxide,
a vegan diet, a medication cause."""

from __future__ import annotations

import json
from typing import Any

import pytest

from b12plan.protocols import bundled
from tests.conftest import run, run_patient

AS_OF = ("--as-of", "2026-11-30")
BASE: dict[str, Any] = {"start": "2026-12-01", "cause": "autoimmune-gastritis"}


def _plan(patient: dict[str, Any], *args: str, code: int = 0) -> dict[str, Any]:
    result = run_patient(patient, *AS_OF, "--format", "json", *args)
    assert result.code == code, result.err
    return result.json()


def codes(plan: dict[str, Any]) -> dict[str, str]:
    """Each finding's code and severity."""
    return {f["code"]: f["severity"] for f in plan["findings"]}


def _with(**conditions: bool) -> dict[str, Any]:
    return {**BASE, "conditions": conditions}


@pytest.mark.parametrize(
    ("product", "source"), [("hydroxocobalamin", "SMPC-HYDROXO"), ("cyanocobalamin", "FDA-CYANO")]
)
def test_a_b12_hypersensitivity_blocks_the_plan(product: str, source: str) -> None:
    """A past hypersensitivity reaction: block HYPERSENSITIVITY citing the product's label, exit
    1, no doses; no oral B12 offered either."""
    patient = {**_with(b12_hypersensitivity=True), "product": product, "cause": "dietary"}
    plan = _plan(patient, code=1)
    assert plan["complete"] is False
    assert plan["doses"] == []
    (block,) = [f for f in plan["findings"] if f["code"] == "HYPERSENSITIVITY"]
    assert (block["severity"], block["source"]) == ("block", source)
    assert "DIETARY_ORAL_OPTION" not in codes(plan)


def test_the_condition_option_sets_it() -> None:
    """`--condition b12_hypersensitivity` is the field."""
    result = run_patient(BASE, *AS_OF, "--condition", "b12_hypersensitivity")
    assert result.code == 1
    assert "HYPERSENSITIVITY" in result.out


@pytest.mark.parametrize("neuro", [False, True])
@pytest.mark.parametrize("cause", ["autoimmune-gastritis", "dietary"])
def test_leber_wins_the_automatic_choice(neuro: bool, cause: str) -> None:
    """Leber's disease on hydroxocobalamin: uk-hydroxo-leber, over neurological involvement and
    diet; info LEBER_HYDROXO; no NEURO_PROTOCOL_MISMATCH for a neurological patient."""
    plan = _plan({**_with(leber=True), "cause": cause, "neuro": neuro})
    assert plan["protocol"]["id"] == "uk-hydroxo-leber"
    assert "Leber" in plan["protocol"]["chosen_because"]
    assert codes(plan)["LEBER_HYDROXO"] == "info"
    assert "NEURO_PROTOCOL_MISMATCH" not in codes(plan)
    assert "DIETARY_ORAL_OPTION" not in codes(plan)


def test_leber_with_cyanocobalamin_is_still_blocked() -> None:
    """With cyanocobalamin, Leber's disease is LEBER_CYANO (block), as before."""
    plan = _plan({**_with(leber=True), "product": "cyanocobalamin"}, code=1)
    assert codes(plan)["LEBER_CYANO"] == "block"
    assert "LEBER_HYDROXO" not in codes(plan)


def test_an_open_leber_course_is_18_provisional_doses_and_a_review_on_day_28() -> None:
    """Without repletion_end: days 0-13 daily, then 16, 20, 23, 27; all provisional; a review
    on day 28 (12-29); incomplete with NEURO_REPLETION_OPEN naming the twice-weekly doses; no
    maintenance yet."""
    plan = _plan(_with(leber=True))
    days = [
        (int(d["date"][8:]) - 1) if d["date"] < "2027" else 31 + int(d["date"][8:]) - 1
        for d in plan["doses"]
    ]
    assert days == [*range(14), 16, 20, 23, 27]
    assert {d["status"] for d in plan["doses"]} == {"provisional"}
    assert plan["complete"] is False
    assert plan["maintenance"]["next_due"] is None
    assert codes(plan)["NEURO_REPLETION_OPEN"] == "warning"
    (open_,) = [f for f in plan["findings"] if f["code"] == "NEURO_REPLETION_OPEN"]
    assert open_["message"].startswith("1 mg twice weekly while improving")
    assert "review on 2026-12-29" in open_["message"]
    assert open_["source"] == "SMPC-HYDROXO"
    reviews = [f["date"] for f in plan["follow_up"] if "repletion response" in f["test"]]
    assert reviews == ["2026-12-29"]


def test_a_closed_leber_course_then_monthly() -> None:
    """repletion_end 01-10: 21 loading doses to 01-07, then every month from it."""
    plan = _plan({**_with(leber=True), "repletion_end": "2027-01-10"})
    loading = [d["date"] for d in plan["doses"] if d["phase"] == "repletion"]
    upkeep = [d["date"] for d in plan["doses"] if d["phase"] == "maintenance"]
    assert (len(loading), loading[-1]) == (21, "2027-01-07")
    assert upkeep[:3] == ["2027-02-07", "2027-03-07", "2027-04-07"]
    assert plan["maintenance"]["interval"] == "1mo"
    assert plan["maintenance"]["steps"] == ["1mo"]


def test_eight_protocols_are_bundled_and_listed() -> None:
    """`b12plan protocols` lists 8, uk-hydroxo-leber among them, with its source."""
    assert len(bundled()) == 8
    listed = run("protocols", "--format", "json").json()["protocols"]
    assert [p["id"] for p in listed] == list(bundled())
    (leber,) = [p for p in listed if p["id"] == "uk-hydroxo-leber"]
    assert leber["sources"] == ["SMPC-HYDROXO"]
    assert "twice weekly" in leber["regimen"]


def test_its_own_regimen_checks_clean() -> None:
    """`check` of uk-hydroxo-leber's own regimen for a Leber patient finds nothing about it."""
    regimen = {
        "patient": _with(leber=True),
        "regimen": "1000mcg im every 1d x14; 1000mcg im every 3d x4; 1000mcg im every 1mo",
    }
    result = run("check", "-", *AS_OF, "--format", "json", stdin=json.dumps(regimen))
    report = result.json()
    assert report["protocol"]["id"] == "uk-hydroxo-leber"
    assert report["regimen_verdict"] == "clean", report["findings"]


def test_nitrous_oxide_says_stop_using_it() -> None:
    """Nitrous oxide: warning N2O_STOP beside info N2O_MARKERS."""
    plan = _plan({**BASE, "cause": "nitrous-oxide"})
    assert codes(plan)["N2O_STOP"] == "warning"
    assert codes(plan)["N2O_MARKERS"] == "info"
    (stop,) = [f for f in plan["findings"] if f["code"] == "N2O_STOP"]
    assert "stopping use is the treatment of the cause" in stop["message"]


@pytest.mark.parametrize("condition", ["leber", "cobalt_allergy", "b12_hypersensitivity"])
def test_no_oral_cyanocobalamin_where_the_tool_warns_on_it(condition: str) -> None:
    """A dietary cause offers oral B12 (DIETARY_ORAL_OPTION), but never with Leber's disease,
    cobalt allergy or a B12 hypersensitivity."""
    assert "DIETARY_ORAL_OPTION" in codes(_plan({**BASE, "cause": "dietary"}))
    patient = {**_with(**{condition: True}), "cause": "dietary"}
    result = run_patient(patient, *AS_OF, "--format", "json")
    assert "DIETARY_ORAL_OPTION" not in codes(result.json())


def test_a_vegan_diet_is_a_cause_that_continues() -> None:
    """Vegan, dietary cause: VEGAN_DIET, maintenance lifelong, no CAUSE_REVERSIBLE_REVIEW; the
    handout never says "not necessarily for life"."""
    patient = {**_with(vegan=True), "cause": "dietary"}
    plan = _plan(patient)
    assert codes(plan)["VEGAN_DIET"] == "info"
    assert "CAUSE_REVERSIBLE_REVIEW" not in codes(plan)
    assert plan["maintenance"]["lifelong"] is True
    html = run_patient(patient, *AS_OF, "--format", "html").out
    assert "not necessarily for life" not in html
    assert "for as long as you follow a vegan diet" in html
    omnivore = _plan({**BASE, "cause": "dietary"})
    assert omnivore["maintenance"]["lifelong"] is False
    assert "VEGAN_DIET" not in codes(omnivore)


def test_a_medication_cause_keeps_the_medicine() -> None:
    """MEDICATION_CAUSE: review the drug, do not stop it for B12 (MHRA: keep taking
    metformin); injections continue while the medicine does."""
    plan = _plan({**BASE, "cause": "medication"})
    (found,) = [f for f in plan["findings"] if f["code"] == "MEDICATION_CAUSE"]
    assert "keep taking it" in found["message"]
    assert "injections continue while the medicine does" in found["message"]
