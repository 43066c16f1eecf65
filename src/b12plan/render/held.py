"""A held dose, as every renderer shows it (reference: held doses are held everywhere).

The engine marks a planned dose it holds (an IM dose with a high INR in the 7 days before it)
with `held`, a short reason; documents made before that rule have no such field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from b12plan.contract.documents import DoseDocument

HELD_NOTE = "wait: INR check first"
"""What the table and the handout say of a held dose."""


def held_reason(dose: DoseDocument) -> str | None:
    """The reason the dose is held, or None."""
    reason = cast("Mapping[str, Any]", dose).get("held")
    return reason if isinstance(reason, str) and reason else None
