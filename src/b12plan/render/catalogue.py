"""The protocol catalogue (`b12plan protocols`) as JSON or a rich table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from b12plan.protocols import Protocol
from b12plan.sources import SOURCES


def protocol_summary(protocol: Protocol) -> dict[str, Any]:
    """A protocol as a JSON-ready dict, with its regimen described in words."""
    data = protocol.model_dump(mode="json")
    data["source_titles"] = {s: SOURCES.get(s, s) for s in protocol.sources}
    data["regimen"] = describe_regimen(protocol)
    return data


def describe_regimen(protocol: Protocol) -> str:
    """`1 mg 3 times a week for 2 weeks (6 doses); then every 3mo (2mo–3mo)`."""
    parts = []
    for seg in protocol.repletion:
        count = f"{seg.count} doses" if seg.count else "until repletion_end"
        parts.append(f"{seg.why} ({count})")
    m = protocol.maintenance
    steps = m.steps[0] if len(m.steps) == 1 else f"{m.steps[0]}–{m.steps[-1]}"
    parts.append(f"{m.dose_mcg} mcg every {m.default} (allowed {steps})")
    return "; then ".join(parts)


def catalogue_json(protocols: Sequence[Protocol]) -> str:
    """`{"protocols": [...]}`, deterministic."""
    doc = {"schema_version": "1", "protocols": [protocol_summary(p) for p in protocols]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def catalogue_table(protocols: Sequence[Protocol], *, color: bool, width: int | None) -> str:
    """The catalogue as a terminal table, with the full source titles below."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from b12plan.render.table import plain_cells, render_to_text

    table = Table(title="Protocols", box=box.SIMPLE_HEAVY, title_justify="left")
    for name in ("id", "product", "routes", "regimen", "sources"):
        table.add_column(name, overflow="fold")
    cited: dict[str, str] = {}
    for p in protocols:
        table.add_row(
            *plain_cells(
                p.id,
                p.product,
                ", ".join(r.upper() for r in p.routes),
                describe_regimen(p),
                ", ".join(p.sources),
            )
        )
        for s in p.sources:
            cited[s] = SOURCES.get(s, s)
    notes = Text("\n".join(f"{k}: {v}" for k, v in cited.items()))
    return render_to_text(Group(table, notes), color=color, width=width)
