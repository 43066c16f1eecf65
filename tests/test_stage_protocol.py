"""The protocol stage's choice among the bundled protocols, made once per combination."""

from __future__ import annotations

from typing import Any

import pytest

from b12plan.contract.validation import validated
from b12plan.engine.select import choose_protocol
from b12plan.engine.stages.protocol import bundled_choice
from b12plan.errors import InvalidInput
from b12plan.protocols import bundled

BASE = {"start": "2025-03-03", "cause": "autoimmune-gastritis"}


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"cause": "dietary"},
        {"neuro": True},
        {"conditions": {"leber": True}},
        {"product": "cyanocobalamin"},
        {"route": "sc"},
        {"strength": "500 mcg/mL"},
        {"protocol": "uk-hydroxo-prophylaxis"},
    ],
)
def test_the_kept_choice_is_the_one_choose_protocol_makes(extra: dict[str, Any]) -> None:
    """Asked twice, the choice is the same object, and the one choose_protocol gives."""
    patient = validated("patient", {**BASE, **extra})
    other = validated("patient", {**BASE, **extra, "start": "2025-04-01", "ref": "b"})
    choice = bundled_choice(patient)
    assert bundled_choice(other) is choice
    assert choice.as_dict() == choose_protocol(patient, bundled()).as_dict()


def test_what_the_choice_reads_tells_choices_apart() -> None:
    """A patient differing in a field the choice reads gets that field's choice."""
    first = bundled_choice(validated("patient", BASE))
    dietary = bundled_choice(validated("patient", {**BASE, "cause": "dietary"}))
    assert first.protocol.id == "uk-bnf-hydroxo-nonneuro"
    assert dietary.protocol.id == "uk-hydroxo-dietary"


def test_a_refused_choice_is_refused_every_time() -> None:
    """A product the named protocol is not for raises on every patient, none kept."""
    patient = validated(
        "patient", {**BASE, "protocol": "us-cyano-1000", "product": "hydroxocobalamin"}
    )
    for _ in range(2):
        with pytest.raises(InvalidInput, match="not hydroxocobalamin"):
            bundled_choice(patient)
