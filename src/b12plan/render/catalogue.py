"""The protocol catalogue (`b12plan protocols`) as JSON or a rich table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from b12plan.contract.records import Protocol
from b12plan.contract.sources import SOURCES


def protocol_summary(protocol: Protocol) -> dict[str, Any]:
    """A protocol as a JSON-ready dict, with its regimen described in words."""
    data = protocol.as_dict()
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


def catalogue_table(protocols: Sequence[Protocol], *, color: bool, width: int) -> str:
    """The catalogue as a terminal table, with the full source titles below. The regimen goes
    under its protocol's row when it would be squeezed beside it."""
    from rich.text import Text

    from b12plan.render.grid import Column, Grid, Heading, Row, fitted, paragraph
    from b12plan.render.table import render_to_text

    variants = []
    for regimen_beside, sources_beside in ((True, True), (False, True), (False, False)):
        columns = [Column("id"), Column("product"), Column("routes")]
        columns += [Column("regimen", prose=True, narrowest=40)] if regimen_beside else []
        columns += [Column("sources", prose=True, narrowest=12)] if sources_beside else []
        rows: list[Row | Heading] = []
        for p in protocols:
            cells = [p.id, p.product, ", ".join(r.upper() for r in p.routes)]
            regimen, sources = describe_regimen(p), ", ".join(p.sources)
            cells += [regimen] if regimen_beside else []
            cells += [sources] if sources_beside else []
            below = [] if regimen_beside else [regimen]
            below += [] if sources_beside else [f"sources: {sources}"]
            rows.append(Row(cells, below))
        variants.append(Grid(columns, rows, rule="━", indent_below=3))
    cited = {s: SOURCES.get(s, s) for p in protocols for s in p.sources}
    lines = [Text("Protocols", style="bold"), *fitted(variants, width)[1], Text()]
    for source, title in cited.items():
        lines += paragraph(f"{source}: {title}", width)
    return render_to_text(lines, color=color, width=width)
