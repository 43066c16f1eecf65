"""The check document as a clinician's report: verdict, both regimens side by side, findings."""

from __future__ import annotations

from collections import Counter
from itertools import zip_longest
from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text

from b12plan.render.cite import cited
from b12plan.render.grid import Column, Grid, Heading, Row, fitted, paragraph
from b12plan.render.table import (
    PANEL_FRAME,
    SEVERITY_STYLE,
    closing_lines,
    panel,
    protocol_lines,
    render_to_text,
    section,
)

if TYPE_CHECKING:
    from b12plan.contract.documents import CheckDocument, StepViewDocument

_PHASES = ("repletion", "maintenance")


def verdict_line(report: CheckDocument) -> Text:
    """`CLEAN: …` or `PROBLEMS: 2 warnings, 1 block at or above warning`."""
    counts = Counter(f["severity"] for f in report["findings"])
    tally = ", ".join(
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}"
        for s in ("block", "warning", "info")
        if counts[s]
    )
    line = Text()
    if report["verdict"] == "clean":
        line.append("CLEAN", style="bold green")
        line.append(f": nothing at or above {report['fail_on']}")
    else:
        line.append("PROBLEMS", style="bold red")
        line.append(f": findings at or above {report['fail_on']}")
    line.append(f" ({tally or 'no findings'})")
    return line


def _step_cell(step: StepViewDocument | None) -> str:
    return step["text"] if step is not None else "—"


def regimens_section(report: CheckDocument, width: int) -> list[Text]:
    """The protocol's regimen beside the proposed one, phase by phase: a phase column when it
    fits, else each phase heading its steps; the protocol's id in its column's header when
    that fits too."""
    variants = []
    for named, phase_apart in ((True, True), (True, False), (False, True), (False, False)):
        protocol = f"protocol {report['protocol']['id']}" if named else "protocol"
        columns = [Column("phase")] if phase_apart else []
        # A step wraps only when nothing else fits: "500mcg im" above "every 1w x4" reads worse.
        columns += [Column("step", "right"), Column(protocol, prose=True, narrowest=30)]
        columns += [Column("proposed", prose=True, narrowest=30), Column("volume", "right")]
        items: list[Row | Heading] = []
        for phase in _PHASES:
            expected = [s for s in report["expected"]["steps"] if s["phase"] == phase]
            proposed = [s for s in report["proposed"]["steps"] if s["phase"] == phase]
            if not phase_apart:
                items.append(Heading(Text(phase, style="bold")))
            for want, got in zip_longest(expected, proposed):
                cells = [phase] if phase_apart else []
                cells += [
                    str(got["n"]) if got is not None else "",
                    _step_cell(want),
                    _step_cell(got),
                    f"{got['volume_ml']:.2f} mL" if got is not None else "",
                ]
                items.append(Row(cells))
        variants.append(Grid(columns, items, rule="━"))
    return section("Regimen", width) + fitted(variants, width)[1]


def _difference(expected: object, proposed: object) -> str:
    if expected is None and proposed is None:
        return ""
    return f"{'—' if expected is None else expected} → {'—' if proposed is None else proposed}"


def findings_section(report: CheckDocument, width: int) -> list[Text]:
    """Each finding: its code above its message, and the protocol's value beside the proposed
    one; as the width shrinks the source joins the message, then the values join the code."""
    variants = []
    for source_apart, values_apart in ((True, True), (False, True), (False, False)):
        columns = [Column("severity"), Column("step", "right")]
        columns += [Column("protocol → proposed", prose=True, narrowest=12)] if values_apart else []
        columns.append(Column("finding", prose=True, narrowest=40))
        columns += [Column("source")] if source_apart else []
        rows: list[Row | Heading] = []
        for f in report["findings"]:
            difference = _difference(f["expected"], f["proposed"])
            finding = Text.assemble((f["code"], "bold"))
            if difference and not values_apart:
                finding.append(f": {difference}")
            source, step = f["source"], f["step"]
            finding.append("\n" + (f["message"] if source_apart else cited(f["message"], source)))
            cells: list[str | Text] = [
                Text(f["severity"], style=SEVERITY_STYLE[f["severity"]]),
                "" if step is None else str(step),
            ]
            cells += [difference] if values_apart else []
            cells.append(finding)
            cells += [source] if source_apart else []
            rows.append(Row(cells))
        variants.append(Grid(columns, rows))
    return section("Findings", width) + fitted(variants, width)[1]


def read_lines(report: CheckDocument, width: int) -> list[Text]:
    """The regimen as read from its wording, a step a line in plain words, for the clinician
    to confirm before the findings; nothing when the regimen came as steps."""
    read = report.get("read")
    if read is None:
        return []
    from b12plan.contract.wording import ReadStep, describe

    heading = Text.assemble(("Read as", "bold"))
    heading.append(f" ({read['product']}):" if read["product"] else ":")
    lines = paragraph(heading, width, hang=0)
    steps = read["steps"]
    for k, step in enumerate(steps):
        then = ", then" if k < len(steps) - 1 else ""
        lines += paragraph(describe(ReadStep.from_document(step)) + then, width, indent=2)
    return [*lines, Text()]


def check_parts(report: CheckDocument, width: int, *, brief: bool = False) -> list[RenderableType]:
    """What was read, verdict, protocol, regimens side by side, findings, conventions (unless
    `brief`), disclaimer."""
    p = report["protocol"]
    header = paragraph(verdict_line(report), width - PANEL_FRAME, hang=0)
    # Routes are per step, shown in the regimen table.
    header += protocol_lines(
        p,
        report["inputs"],
        report["as_of"],
        width,
        show_route=False,
        settings=report.get("settings"),
    )
    if (ref := report.get("ref")) is not None:
        header += paragraph(f"ref {ref}", width - PANEL_FRAME, hang=0)
    parts: list[RenderableType] = [*read_lines(report, width)]
    parts.append(panel("b12plan check", header, width))
    parts += regimens_section(report, width)
    if report["findings"]:
        parts += findings_section(report, width)
    if report["not_used"]:
        parts += [
            Text(),
            *paragraph(
                Text(f"Not used by check: {', '.join(report['not_used'])}.", style="dim"), width
            ),
        ]
    return parts + closing_lines([] if brief else p["conventions"], report["disclaimer"], width)


def check_table(report: CheckDocument, *, color: bool, width: int, brief: bool = False) -> str:
    """The whole report as terminal text; `brief` leaves out the conventions paragraph."""
    return render_to_text(check_parts(report, width, brief=brief), color=color, width=width)
