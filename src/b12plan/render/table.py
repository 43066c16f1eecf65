"""The plan as a rich table for clinicians in a terminal."""

from __future__ import annotations

import io
from datetime import date

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from b12plan.models import Inputs, Plan, ProtocolRef

SEVERITY_STYLE = {"block": "bold white on red", "warning": "bold yellow", "info": "cyan"}
STATUS_STYLE = {
    "given": "green",
    "overdue": "bold red",
    "due": "bold yellow",
    "planned": "",
    "provisional": "italic magenta",
}


def render_to_text(renderable: RenderableType, *, color: bool, width: int | None) -> str:
    """Render to a string; colour codes only when asked for."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        width=width or 120,
        legacy_windows=False,
        highlight=False,
        emoji=False,
    )
    console.print(renderable)
    return buffer.getvalue()


def plain_cells(*values: RenderableType) -> list[RenderableType]:
    """Table cells with strings as Text: rich would read "[/]" or "[was due ...]" in user or
    rule text as markup, dropping it or failing on it."""
    return [Text(v) if isinstance(v, str) else v for v in values]


def append_protocol(
    header: Text, p: ProtocolRef, inputs: Inputs | None, as_of: date, *, show_route: bool
) -> None:
    """The protocol, why it was chosen, the product as resolved, and the as-of date."""
    header.append(f"{p.title}\n", style="bold")
    header.append(f"protocol {p.id} ({', '.join(p.sources)}), chosen because {p.chosen_because}")
    if inputs is not None:
        route = f", {inputs.route.upper()}" if show_route else ""
        header.append(f"\n{inputs.product}{route}, {inputs.strength_mcg_per_ml:g} mcg/mL")
        if inputs.defaults_applied:
            header.append(f" (defaults: {', '.join(inputs.defaults_applied)})", style="dim")
    header.append(f"\nas of {as_of}")


def plan_renderable(plan: Plan, *, explain: bool = False) -> RenderableType:
    """Everything a clinician needs, top to bottom: protocol, doses, changes, tests, findings."""
    parts: list[RenderableType] = []
    header = Text()
    append_protocol(header, plan.protocol, plan.inputs, plan.as_of, show_route=True)
    if not plan.complete:
        header.append("  PLAN INCOMPLETE", style="bold red")
    parts.append(Panel(header, title="b12plan", title_align="left", box=box.ROUNDED))

    if plan.doses:
        doses = Table(title="Injections", box=box.SIMPLE_HEAVY, title_justify="left")
        for name, justify in (
            ("#", "right"),
            ("date", "left"),
            ("day", "left"),
            ("phase", "left"),
            ("dose mcg", "right"),
            ("mL", "right"),
            ("route", "left"),
            ("status", "left"),
            ("why", "left"),
        ):
            doses.add_column(
                name,
                justify=justify,  # type: ignore[arg-type]
                overflow="fold",
                no_wrap=name in ("date", "status"),
            )
        for dose in plan.doses:
            why = dose.why
            if dose.planned_date is not None:
                why += f" [was due {dose.planned_date}]"
            if explain and dose.trace:
                why += "".join(f"\n  > {step}" for step in dose.trace)
            doses.add_row(
                *plain_cells(
                    str(dose.n),
                    dose.date.isoformat(),
                    dose.date.strftime("%a"),
                    dose.phase,
                    f"{dose.dose_mcg:g}",
                    f"{dose.volume_ml:.2f}",
                    dose.route.upper(),
                    Text(dose.status, style=STATUS_STYLE[dose.status]),
                    why,
                )
            )
        parts.append(doses)
    if plan.maintenance is not None:
        m = plan.maintenance
        line = Text("Maintenance: ", style="bold")
        line.append(f"every {m.interval}" if m.interval else "none")
        line.append(f"{', lifelong' if m.lifelong else ', review whether to continue'}")
        line.append(f"; next due {m.next_due}" if m.next_due else "; next due not yet set")
        line.append(f"; allowed {', '.join(m.steps)}" if m.steps else "")
        parts.append(line)
    if plan.adjustments:
        adj = Table(title="Interval changes", box=box.SIMPLE, title_justify="left")
        for name in ("date", "from", "to", "code", "why"):
            adj.add_column(name, overflow="fold")
        for a in plan.adjustments:
            adj.add_row(*plain_cells(a.date.isoformat(), a.from_, a.to, a.code, a.why))
        parts.append(adj)
    if plan.follow_up:
        fu = Table(title="Follow-up", box=box.SIMPLE, title_justify="left")
        for name in ("date", "until", "test", "why", "source"):
            fu.add_column(name, overflow="fold")
        for f in plan.follow_up:
            fu.add_row(
                *plain_cells(
                    f.date.isoformat(),
                    f.until.isoformat() if f.until else "",
                    f.test,
                    f.why,
                    f.source,
                )
            )
        parts.append(fu)
    if plan.labs:
        labs = Table(title="Labs", box=box.SIMPLE, title_justify="left")
        for name in ("date", "analyte", "value", "converted", "classification"):
            labs.add_column(name, overflow="fold")
        for lab in plan.labs:
            converted = f"{lab.converted.value:g} {lab.converted.unit}" if lab.converted else ""
            labs.add_row(
                *plain_cells(
                    lab.date.isoformat(),
                    lab.analyte,
                    f"{lab.value:g} {lab.unit}",
                    converted,
                    lab.classification,
                )
            )
        parts.append(labs)
    if plan.findings:
        parts.append(findings_table(plan))
    if plan.protocol.conventions:
        conv = Text("Conventions [C]: ", style="bold")
        conv.append(" ".join(plan.protocol.conventions))
        parts.append(conv)
    parts.append(Text(plan.disclaimer, style="italic"))
    return Group(*parts)


def findings_table(plan: Plan) -> Table:
    """Findings, most severe first."""
    table = Table(title="Findings", box=box.SIMPLE, title_justify="left")
    for name in ("severity", "code", "message", "source"):
        table.add_column(name, overflow="fold", no_wrap=name == "severity")
    for f in plan.findings:
        table.add_row(
            *plain_cells(
                Text(f.severity, style=SEVERITY_STYLE[f.severity]), f.code, f.message, f.source
            )
        )
    return table


def plan_table(plan: Plan, *, color: bool, width: int | None, explain: bool = False) -> str:
    """The whole plan as terminal text."""
    return render_to_text(plan_renderable(plan, explain=explain), color=color, width=width)
