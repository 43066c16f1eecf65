"""The plan as text for clinicians in a terminal, laid out to the terminal's width.

Doses come in runs that share a reason (`1 mg 3 times a week for 2 weeks`); the reason heads
its run once instead of repeating on every row, and values every dose shares (dose, volume,
route) move to the title when the width is short, so an 80-column terminal shows a dose a line.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, RenderableType
from rich.panel import Panel
from rich.text import Text

from b12plan.contract.text import printable
from b12plan.contract.vocab import DAY_NAMES, is_blocked
from b12plan.render.cite import cited
from b12plan.render.grid import Column, Grid, Heading, Row, fitted, paragraph
from b12plan.render.held import HELD_NOTE, held_reason
from b12plan.render.window import doses_from, hidden_line

if TYPE_CHECKING:
    from b12plan.contract.documents import (
        DoseDocument,
        InputsDocument,
        PlanDocument,
        ProtocolDocument,
    )

SEVERITY_STYLE = {"block": "bold white on red", "warning": "bold yellow", "info": "cyan"}
STATUS_STYLE = {
    "given": "green",
    "overdue": "bold red",
    "due": "bold yellow",
    "planned": "",
    "provisional": "italic magenta",
}
PANEL_FRAME = 4
"""A panel's border and padding take this many columns."""


def render_to_text(parts: Sequence[RenderableType], *, color: bool, width: int) -> str:
    """Render to a string at `width`, or wider where a line could not be made to fit."""
    widest = max((p.cell_len for p in parts if isinstance(p, Text)), default=0)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=max(width, widest),
        legacy_windows=False,
        highlight=False,
        emoji=False,
    )
    # Read once: each read of `console.width` asks the terminal and the environment again.
    fits = console.width
    for part in parts:
        if not color and isinstance(part, Text) and _plain_line(part, fits):
            # What rich would print for a line that fits, without its rendering pipeline
            # (a tenth of a table's start-up): the characters, and the line's end.
            buffer.write(part.plain + "\n")
        else:
            console.print(part)
    return buffer.getvalue()


def _plain_line(text: Text, width: int) -> bool:
    """Whether rich prints `text` as its characters unchanged: one line, no tab to expand, no
    control character to strip, no end but a newline, and nothing to wrap at `width`."""
    plain = text.plain
    return (
        text.end == "\n"
        and plain.isprintable()
        and text.cell_len <= width
        and text.justify in (None, "default", "left")
    )


def panel(title: str, lines: Sequence[Text], width: int) -> Panel:
    """A boxed header; its lines were wrapped to fit inside it. The title is Text, not a
    string rich would read as markup (its markup module loads rich's emoji table)."""
    return Panel(
        Text("\n").join(lines), title=Text(title), title_align="left", box=box.ROUNDED, width=width
    )


def section(title: str, width: int, detail: str = "") -> list[Text]:
    """A blank line, then the section's title (bold) and any detail after it."""
    heading = Text.assemble((title, "bold"))
    if detail:
        heading.append(f" {detail}")
    return [Text(), *paragraph(heading, width)]


def protocol_lines(
    p: ProtocolDocument,
    inputs: InputsDocument | None,
    as_of: date,
    width: int,
    *,
    show_route: bool,
    settings: str | None = None,
) -> list[Text]:
    """The protocol, why it was chosen, the product as resolved, the as-of date, and the
    settings file read (if one was)."""
    inner = width - PANEL_FRAME
    lines = paragraph(Text(p["title"], style="bold"), inner, hang=0)
    lines += paragraph(
        f"protocol {p['id']} ({', '.join(p['sources'])}), chosen because {p['chosen_because']}",
        inner,
        hang=0,
    )
    if inputs is not None:
        route = f", {inputs['route'].upper()}" if show_route else ""
        strength = inputs["strength_mcg_per_ml"]
        product = Text(f"{inputs['product']}{route}, {strength:g} mcg/mL")
        if inputs["defaults_applied"]:
            product.append(f" (defaults: {', '.join(inputs['defaults_applied'])})", style="dim")
        lines += paragraph(product, inner, hang=0)
    lines += paragraph(f"as of {as_of}", inner, hang=0)
    if settings is not None:
        lines += paragraph(f"settings: {printable(settings)}", inner, hang=0)
    return lines


def plan_parts(
    plan: PlanDocument,
    width: int,
    *,
    explain: bool = False,
    since: date | None = None,
    brief: bool = False,
) -> list[RenderableType]:
    """Everything a clinician needs, top to bottom: protocol, doses, changes, tests, findings."""
    header = protocol_lines(
        plan["protocol"],
        plan["inputs"],
        plan["as_of"],
        width,
        show_route=True,
        settings=plan.get("settings"),
    )
    if (ref := plan.get("ref")) is not None:
        header += paragraph(f"ref {ref}", width - PANEL_FRAME, hang=0)
    if is_blocked(plan):
        header.append(Text("BLOCKED: no schedule can be given (see Findings)", style="bold red"))
    elif not plan["complete"]:
        header.append(Text("PLAN INCOMPLETE", style="bold red"))
    parts: list[RenderableType] = [panel("b12plan", header, width)]
    if plan["doses"]:
        parts += doses_section(plan["doses"], width, explain=explain, since=since)
    m = plan["maintenance"]
    if m is not None:
        line = Text.assemble(("Maintenance: ", "bold"))
        line.append(f"every {m['interval']}" if m["interval"] else "none")
        line.append(", lifelong" if m["lifelong"] else ", review whether to continue")
        line.append(f"; next due {m['next_due']}" if m["next_due"] else "; next due not yet set")
        line.append(f"; allowed {', '.join(m['steps'])}" if m["steps"] else "")
        parts += [Text(), *paragraph(line, width)]
    if plan["adjustments"]:
        parts += adjustments_section(plan, width)
    if plan["follow_up"]:
        parts += follow_up_section(plan, width)
    if plan["labs"]:
        parts += labs_section(plan, width)
    if plan["findings"]:
        parts += findings_section(plan, width)
    conventions = [] if brief else plan["protocol"]["conventions"]
    parts += closing_lines(conventions, plan["disclaimer"], width)
    return parts


def closing_lines(conventions: Sequence[str], disclaimer: str, width: int) -> list[Text]:
    """The conventions [C] the output relies on, then the disclaimer, last."""
    lines = [Text()]
    if conventions:
        conv = Text.assemble(("Conventions [C]: ", "bold"))
        conv.append(" ".join(conventions))
        lines += paragraph(conv, width, hang=0)
    return lines + paragraph(Text(disclaimer, style="italic"), width, hang=0)


def _shared(doses: Sequence[DoseDocument]) -> tuple[str | None, str | None]:
    """The dose (with its volume) and the route every dose shares, if they share one."""
    amounts = {(d["dose_mcg"], d["volume_ml"]) for d in doses}
    routes = {d["route"] for d in doses}
    amount = next(iter(amounts)) if len(amounts) == 1 else None
    return (
        f"{amount[0]:g} mcg = {amount[1]:.2f} mL" if amount else None,
        next(iter(routes)).upper() if len(routes) == 1 else None,
    )


FOLLOW_UP_STYLE = {"done": "green", "overdue": "bold red", "due": "bold yellow", "planned": ""}


def _reason(dose: DoseDocument) -> tuple[str, str]:
    """The reason a dose shares with its run, and what is its own: a dose moved off a closed
    day carries `; moved from DATE (why)` in its reason, which would start a run of its own."""
    why, moved_from = dose["why"], dose["moved_from"]
    if moved_from is not None:
        head, found, tail = why.partition(f"; moved from {moved_from}")
        if found:
            return head, f"moved from {moved_from}{tail}"
        return why, f"moved from {moved_from}"
    return why, ""


def _note(dose: DoseDocument) -> str:
    """What is particular to a dose: an INR hold, when it was due, why it moved, a recorded
    miss."""
    planned, missed = dose["planned_date"], dose["missed"]
    notes = [f"{HELD_NOTE} ({held})"] if (held := held_reason(dose)) else []
    notes += [f"was due {planned}"] if planned is not None else []
    notes += [moved] if (moved := _reason(dose)[1]) else []
    if missed is not None:
        notes.append(f"missed {missed['date']} ({missed['reason'].replace('-', ' ')})")
    return "; ".join(notes)


def doses_section(
    doses: Sequence[DoseDocument], width: int, *, explain: bool, since: date | None
) -> list[Text]:
    """The injections, one a line, in runs headed by their reason.

    Variants, widest first: every column; without the route, then without dose and volume
    when every dose shares them (the title says them instead); notes, then sites, under the
    row instead of beside it.
    """
    shown, hidden = (list(doses), []) if since is None else doses_from(doses, since)
    lines: list[Text] = []
    if since is not None:
        lines.append(Text(hidden_line(hidden, since), style="dim"))
    if not shown:
        return section("Injections", width) + lines
    amount, route = _shared(shown)
    has_site = any(d["site"] for d in shown)
    has_note = any(_note(d) for d in shown)
    # Each layout with what its title must say instead of the columns it leaves out.
    variants: list[tuple[Grid, tuple[str | None, str | None]]] = []
    ladder = [
        (False, False, False, False),
        (route is not None, False, False, False),
        (route is not None, amount is not None, False, False),
        (route is not None, amount is not None, has_note, False),
        (route is not None, amount is not None, has_note, has_site),
    ]
    for drop_route, drop_amount, note_below, site_below in dict.fromkeys(ladder):
        grid = _doses_grid(
            shown,
            explain=explain,
            route=not drop_route,
            amount=not drop_amount,
            site=(has_site, site_below),
            note=(has_note, note_below),
        )
        variants.append((grid, (amount if drop_amount else None, route if drop_route else None)))
    index, table = fitted([g for g, _ in variants], width)
    amount_said, route_said = variants[index][1]
    detail = ""
    if amount_said:
        detail = f"(each {amount_said}{f' {route_said}' if route_said else ''})"
    elif route_said:
        detail = f"(all {route_said})"
    return section("Injections", width, detail) + lines + table


def _doses_grid(
    doses: Sequence[DoseDocument],
    *,
    explain: bool,
    route: bool,
    amount: bool,
    site: tuple[bool, bool],
    note: tuple[bool, bool],
) -> Grid:
    """The dose table with the columns asked for; `site` and `note` are (shown, under the row)."""
    columns = [Column("#", "right"), Column("date"), Column("day")]
    if amount:
        columns += [Column("dose", "right"), Column("volume", "right")]
    if route:
        columns.append(Column("route"))
    columns.append(Column("status"))
    if site[0] and not site[1]:
        columns.append(Column("site", prose=True, narrowest=12))
    if note[0] and not note[1]:
        columns.append(Column("note", prose=True, narrowest=30))
    items: list[Row | Heading] = []
    for (phase, why), run in groupby(doses, key=lambda d: (d["phase"], _reason(d)[0])):
        heading = Text.assemble((phase, "bold"))
        heading.append(f": {why}")
        items.append(Heading(heading))
        for dose in run:
            when, status, given_at = dose["date"], dose["status"], dose["site"]
            cells: list[str | Text] = [
                str(dose["n"]),
                when.isoformat(),
                DAY_NAMES[when.weekday()][:3],
            ]
            if amount:
                cells += [f"{dose['dose_mcg']:g} mcg", f"{dose['volume_ml']:.2f} mL"]
            if route:
                cells.append(dose["route"].upper())
            cells.append(Text(status, style=STATUS_STYLE[status]))
            below: list[str | Text] = []
            if site[0]:
                (below if site[1] else cells).append(
                    f"site: {given_at}" if site[1] and given_at else given_at or ""
                )
            if note[0]:
                (below if note[1] else cells).append(_note(dose))
            if explain:
                below += [f"> {step}" for step in dose.get("trace", ())]
            items.append(Row(cells, [b for b in below if b]))
    return Grid(columns, items, rule="━")


def adjustments_section(plan: PlanDocument, width: int) -> list[Text]:
    """Interval changes: date, from, to, code, and why (beside, or under when narrow)."""
    variants = []
    for below in (False, True):
        columns = [Column("date"), Column("from"), Column("to"), Column("code")]
        if not below:
            columns.append(Column("why", prose=True, narrowest=40))
        rows: list[Row | Heading] = [
            Row(
                [
                    a["date"].isoformat(),
                    a["from"],
                    a["to"],
                    a["code"],
                    *([] if below else [a["why"]]),
                ],
                [a["why"]] if below else [],
            )
            for a in plan["adjustments"]
        ]
        variants.append(Grid(columns, rows))
    return section("Interval changes", width) + fitted(variants, width)[1]


def follow_up_section(plan: PlanDocument, width: int) -> list[Text]:
    """Tests and reviews: date, until, status, test, why and source; the source joins the
    why, then the why goes under the row, as the width shrinks."""
    variants = []
    for source_apart, why_beside in ((True, True), (False, True), (False, False)):
        columns = [Column("date"), Column("until"), Column("status")]
        columns.append(Column("test", prose=True))
        if why_beside:
            columns.append(Column("why", prose=True))
        if source_apart:
            columns.append(Column("source"))
        rows: list[Row | Heading] = []
        for f in plan["follow_up"]:
            until, status, source = f["until"], f["status"], f["source"]
            why = f["why"] if source_apart else cited(f["why"], source)
            cells: list[str | Text] = [f["date"].isoformat(), until.isoformat() if until else ""]
            cells += [Text(status, style=FOLLOW_UP_STYLE[status]), f["test"]]
            if why_beside:
                cells.append(why)
            if source_apart:
                cells.append(source)
            rows.append(Row(cells, [] if why_beside else [why]))
        variants.append(Grid(columns, rows))
    return section("Follow-up", width) + fitted(variants, width)[1]


def labs_section(plan: PlanDocument, width: int) -> list[Text]:
    """Labs: date, analyte, value as reported, converted, classification; when narrow, the
    converted value goes under the reported one."""
    variants = []
    for apart in (True, False):
        columns = [Column("date"), Column("analyte"), Column("value")]
        columns += [Column("converted")] if apart else []
        columns.append(Column("classification" if apart else "class"))
        rows: list[Row | Heading] = []
        for lab in plan["labs"]:
            sign = lab.get("comparator") or ""
            value = f"{sign}{lab['value']:g} {lab['unit']}"
            other = lab["converted"]
            converted = f"{sign}{other['value']:g} {other['unit']}" if other else ""
            when, analyte = lab["date"].isoformat(), lab["analyte"]
            if apart:
                cells = [when, analyte, value, converted]
            else:
                both = f"{value}\n= {converted}" if converted else value
                cells = [when, analyte, both]
            rows.append(Row([*cells, lab["classification"]]))
        variants.append(Grid(columns, rows))
    return section("Labs", width) + fitted(variants, width)[1]


def findings_section(plan: PlanDocument, width: int) -> list[Text]:
    """Findings, most severe first: severity, code, message and source; the source joins the
    message, then the code goes above it, as the width shrinks."""
    variants = []
    for source_apart, code_apart in ((True, True), (False, True), (False, False)):
        columns = [Column("severity")]
        columns += [Column("code")] if code_apart else []
        columns.append(Column("message" if code_apart else "finding", prose=True, narrowest=40))
        columns += [Column("source")] if source_apart else []
        rows: list[Row | Heading] = []
        for f in plan["findings"]:
            severity, code, source = f["severity"], f["code"], f["source"]
            cells: list[str | Text] = [Text(severity, style=SEVERITY_STYLE[severity])]
            message = f["message"] if source_apart else cited(f["message"], source)
            if code_apart:
                cells += [code, message]
            else:
                finding = Text.assemble((code, "bold"))
                finding.append(f"\n{message}")
                cells.append(finding)
            if source_apart:
                cells.append(source)
            rows.append(Row(cells))
        variants.append(Grid(columns, rows))
    return section("Findings", width) + fitted(variants, width)[1]


def plan_table(
    plan: PlanDocument,
    *,
    color: bool,
    width: int,
    explain: bool = False,
    since: date | None = None,
    brief: bool = False,
) -> str:
    """The whole plan as terminal text; `brief` leaves out the conventions paragraph."""
    return render_to_text(
        plan_parts(plan, width, explain=explain, since=since, brief=brief),
        color=color,
        width=width,
    )
