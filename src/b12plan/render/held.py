"""A held dose, as every renderer shows it (reference: held doses are held everywhere).

The engine marks a planned dose it holds (an IM dose with a high INR in the 7 days before it)
with `held`, a short reason; every renderer says so through this module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument

HELD_NOTE = "wait: INR check first"
"""What the table and the handout say of a held dose."""


def held_reason(dose: DoseDocument) -> str | None:
    """The reason the dose is held, or None (a plan document made before holds existed has
    no such field)."""
    return dose.get("held") or None
