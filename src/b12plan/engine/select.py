"""Choosing the protocol, and resolving product, route and strength defaults."""

from __future__ import annotations

from collections.abc import Mapping

from b12plan.contract.plain import Record
from b12plan.contract.records import Patient, Protocol
from b12plan.contract.text import quote
from b12plan.engine.derived import strength_mcg_per_ml
from b12plan.errors import InvalidInput

DEFAULT_PRODUCT = "hydroxocobalamin"
DEFAULT_STRENGTH_MCG_PER_ML = 1000  # an int, as "1000 mcg/mL" parses: JSON shows 1000 either way


class Choice(Record):
    """The protocol a plan follows and the resolved product details."""

    __slots__ = (  # noqa: RUF023 - as resolved
        "protocol",
        "chosen_because",
        "product",
        "route",
        "strength_mcg_per_ml",
        "defaults_applied",
    )
    protocol: Protocol
    chosen_because: str
    product: str
    route: str
    strength_mcg_per_ml: float
    defaults_applied: tuple[str, ...]

    # Spelled out, where `Record` fills the slots from keywords by name: made for every plan.
    def __init__(
        self,
        *,
        protocol: Protocol,
        chosen_because: str,
        product: str,
        route: str,
        strength_mcg_per_ml: float,
        defaults_applied: tuple[str, ...],
    ) -> None:
        self.protocol, self.chosen_because, self.product = protocol, chosen_because, product
        self.route, self.strength_mcg_per_ml = route, strength_mcg_per_ml
        self.defaults_applied = defaults_applied


def choose_protocol(
    patient: Patient, catalogue: Mapping[str, Protocol], custom: Protocol | None = None
) -> Choice:
    """Pick the protocol (named, custom, or the reference's automatic rule) and resolve defaults."""
    defaults: list[str] = []
    product: str
    if custom is not None and custom.id in catalogue:
        # Otherwise `protocol = <that id>` would silently pick the bundled one, not the file.
        raise InvalidInput(
            ["protocol_file", "id"],
            f"{custom.id!r} is a bundled protocol's id; give the custom protocol its own id",
        )
    if patient.protocol != "auto":
        protocol = catalogue.get(patient.protocol)
        if protocol is None and custom is not None and custom.id == patient.protocol:
            protocol = custom
        if protocol is None:
            allowed = ", ".join(["auto", *catalogue, *([custom.id] if custom else [])])
            raise InvalidInput(
                ["protocol"], f"unknown protocol {quote(patient.protocol)}; allowed: {allowed}"
            )
        because = "named by the clinician"
        product = patient.product or protocol.product
    elif custom is not None:
        protocol, because = custom, "custom protocol file"
        product = patient.product or protocol.product
    else:
        product = patient.product or DEFAULT_PRODUCT
        protocol, because = _automatic(patient, product, catalogue)
    if patient.product is None:
        defaults.append(f"product {product}")
    if product != protocol.product:
        raise InvalidInput(
            ["product"],
            f"protocol {protocol.id} is for {protocol.product}, not {product}; "
            "name a protocol for this product or leave protocol as auto",
        )
    route = patient.route or protocol.routes[0]
    if patient.route is None:
        defaults.append(f"route {route}")
    strength = strength_mcg_per_ml(patient)
    if strength is None:
        strength = DEFAULT_STRENGTH_MCG_PER_ML
        defaults.append("strength 1000 mcg/mL")
    return Choice(
        protocol=protocol,
        chosen_because=because,
        product=product,
        route=route,
        strength_mcg_per_ml=strength,
        defaults_applied=tuple(defaults),
    )


def _automatic(
    patient: Patient, product: str, catalogue: Mapping[str, Protocol]
) -> tuple[Protocol, str]:
    """The reference's automatic choice [C]; prophylaxis protocols are never chosen here."""
    if product == "cyanocobalamin":
        pid, because = "us-cyano-1000", "cyanocobalamin (automatic choice [C])"
    elif patient.conditions.leber:
        # Leber's wins over neurological involvement and diet (reference, "Readings of the
        # 2026-12-07 sections, settled"); with cyanocobalamin it is blocked (LEBER_CYANO).
        pid, because = "uk-hydroxo-leber", "hydroxocobalamin, Leber's disease (SMPC-HYDROXO)"
    elif patient.neuro:
        pid, because = "uk-bnf-hydroxo-neuro", "hydroxocobalamin, neurological involvement"
    elif patient.cause == "dietary":
        pid, because = (
            "uk-hydroxo-dietary",
            "hydroxocobalamin, dietary cause, no neurological involvement",
        )
    else:
        pid, because = "uk-bnf-hydroxo-nonneuro", "hydroxocobalamin, no neurological involvement"
    return catalogue[pid], because
