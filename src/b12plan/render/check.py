"""The check document as a clinician's report: verdict, both regimens side by side, findings."""

from __future__ import annotations

from collections import Counter
from itertools import zip_longest

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from b12plan.models import CheckReport, StepView
from b12plan.render.table import SEVERITY_STYLE, append_protocol, plain_cells, render_to_text

_PHASES = ("repletion", "maintenance")


def verdict_line(report: CheckReport) -> Text:
    """`CLEAN: …` or `PROBLEMS: 2 warnings, 1 block at or above warning`."""
    counts = Counter(f.severity for f in report.findings)
    tally = ", ".join(
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
        for s in ("block", "warning", "info")
        if counts[s]
    )
    line = Text()
    if report.verdict == "clean":
        line.append("CLEAN", style="bold green")
        line.append(f": nothing at or above {report.fail_on}")
    else:
        line.append("PROBLEMS", style="bold red")
        line.append(f": findings at or above {report.fail_on}")
    line.append(f" ({tally or 'no findings'})")
    return line


def _step_cell(step: StepView | None) -> str:
    return step.text if step is not None else "—"


def regimens_table(report: CheckReport) -> Table:
    """The protocol's regimen beside the proposed one, phase by phase."""
    table = Table(title="Regimen", box=box.SIMPLE_HEAVY, title_justify="left")
    for name in ("phase", "step", f"protocol {report.protocol.id}", "proposed", "mL"):
        table.add_column(name, overflow="fold")
    for phase in _PHASES:
        expected = [s for s in report.expected.steps if s.phase == phase]
        proposed = [s for s in report.proposed.steps if s.phase == phase]
        for want, got in zip_longest(expected, proposed):
            table.add_row(
                *plain_cells(
                    phase,
                    str(got.n) if got is not None else "",
                    _step_cell(want),
                    _step_cell(got),
                    f"{got.volume_ml:.2f}" if got is not None else "",
                )
            )
    return table


def _difference(expected: object, proposed: object) -> str:
    if expected is None and proposed is None:
        return ""
    return f"{'—' if expected is None else expected} → {'—' if proposed is None else proposed}"


def findings_table(report: CheckReport) -> Table:
    """Each finding: its code above its message (the widest column), and the protocol's value
    beside the proposed one."""
    table = Table(title="Findings", box=box.SIMPLE, title_justify="left")
    for name in ("severity", "step", "protocol → proposed", "finding", "source"):
        wide = name == "finding"
        table.add_column(name, overflow="fold", no_wrap=not wide, ratio=1 if wide else None)
    for f in report.findings:
        finding = Text(f.code, style="bold")
        finding.append(f"\n{f.message}")
        table.add_row(
            *plain_cells(
                Text(f.severity, style=SEVERITY_STYLE[f.severity]),
                "" if f.step is None else str(f.step),
                _difference(f.expected, f.proposed),
                finding,
                f.source,
            )
        )
    return table


def check_renderable(report: CheckReport) -> RenderableType:
    """Verdict, protocol, regimens side by side, findings, conventions, disclaimer."""
    p = report.protocol
    header = verdict_line(report)
    header.append("\n")
    # Routes are per step, shown in the regimen table.
    append_protocol(header, p, report.inputs, report.as_of, show_route=False)
    parts: list[RenderableType] = [
        Panel(header, title="b12plan check", title_align="left", box=box.ROUNDED),
        regimens_table(report),
    ]
    if report.findings:
        parts.append(findings_table(report))
    if report.not_used:
        parts.append(Text(f"Not used by check: {', '.join(report.not_used)}.", style="dim"))
    if p.conventions:
        conv = Text("Conventions [C]: ", style="bold")
        conv.append(" ".join(p.conventions))
        parts.append(conv)
    parts.append(Text(report.disclaimer, style="italic"))
    return Group(*parts)


def check_table(report: CheckReport, *, color: bool, width: int | None) -> str:
    """The whole report as terminal text."""
    return render_to_text(check_renderable(report), color=color, width=width)
