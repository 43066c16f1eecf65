"""`b12plan audit`: a clinic's records in, one worklist out, most urgent first."""

from __future__ import annotations

from typing import Any

import click

from b12plan.cli._shared import (
    DATE,
    EXIT_INTERNAL,
    EXIT_OK,
    completes,
    fail,
    output_options,
    table_width,
    use_color,
    weekdays,
)
from b12plan.errors import InvalidInput

AUDIT_FORMATS = ("table", "json", "ndjson", "csv", "html")
AUDIT_FORMAT_HELP = {
    "table": "(for a terminal: one line a patient)",
    "json": "(the whole worklist, each given dose evaluated)",
    "ndjson": "(one patient a line)",
    "csv": "(one patient a row, with a header)",
    "html": "(a printable worklist page)",
}


@click.command()
@click.argument("events", metavar="EVENTS|-", shell_complete=completes("files"))
@click.option(
    "--patients",
    "patients_file",
    type=click.Path(dir_okay=False),
    help="A CSV of patients keyed by patient_id (dob, sex, cause, neuro, protocol, start...).",
)
@click.option("--as-of", type=DATE, help="See the worklist as of this date (default today).")
@click.option(
    "--due-within",
    metavar="PERIOD",
    shell_complete=completes("periods"),
    help="How far ahead a next dose makes a patient due-soon: 14d, 2w, 1mo (default 28d).",
)
@click.option(
    "--status",
    "statuses",
    metavar="LIST",
    shell_complete=completes("statuses"),
    help="List only these statuses, e.g. overdue,lapsed (the summary counts everyone).",
)
@click.option("--dayfirst", is_flag=True, help="Read dates written DD/MM/YYYY (as UK exports do).")
@click.option(
    "--open",
    "open_days",
    metavar="DAYS",
    shell_complete=completes("open_days"),
    help="Weekdays the clinic gives injections, e.g. mon-fri or mon,wed,fri.",
)
@click.option(
    "--closed", multiple=True, type=DATE, help="A date the clinic is closed (repeatable)."
)
@click.option(
    "--holidays",
    metavar="REGION",
    shell_complete=completes("regions"),
    help="Also closed on this region's public holidays, e.g. GB-ENG, US, US-CA.",
)
@click.option(
    "--no-config", is_flag=True, help="Ignore b12plan.toml (working folder or config folder)."
)
@output_options(AUDIT_FORMATS, AUDIT_FORMAT_HELP)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    metavar="N",
    help="Plan patients on N processes (the worklist is the same).",
)
@click.pass_context
def audit(
    ctx: click.Context,
    /,
    events: str,
    patients_file: str | None,
    as_of: str | None,
    due_within: str | None,
    statuses: str | None,
    dayfirst: bool,
    open_days: str | None,
    closed: tuple[str, ...],
    holidays: str | None,
    no_config: bool,
    fmt: str,
    output: str | None,
    color: bool | None,
    jobs: int | None,
) -> None:
    """Audit a clinic's records: one worklist, most urgent first (CSV, JSON Lines or FHIR)."""
    as_json = fmt == "json"
    try:
        code = run(
            events,
            patients_file=patients_file,
            as_of=as_of,
            due_within=due_within,
            statuses=statuses,
            dayfirst=dayfirst,
            clinic_options={"open": open_days, "closed": closed, "holidays": holidays},
            no_config=no_config,
            fmt=fmt,
            output=output,
            color=color,
            jobs=jobs or 1,
        )
    except InvalidInput as exc:
        fail(exc, as_json)
    ctx.exit(code)


def clinic_from(settings_clinic: dict[str, Any] | None, options: dict[str, Any]) -> dict[str, Any]:
    """The clinic in force: the settings file's, each key the options give replaced."""
    clinic = dict(settings_clinic or {})
    if options.get("open") is not None:
        clinic["open"] = weekdays(options["open"])
    if options.get("closed"):
        clinic["closed"] = list(options["closed"])
    if options.get("holidays") is not None:
        clinic["holidays"] = options["holidays"]
    if clinic:
        from b12plan.io.settings import check_clinic

        check_clinic(clinic)
    return clinic


def run(
    events: str,
    *,
    patients_file: str | None,
    as_of: str | None,
    due_within: str | None,
    statuses: str | None,
    dayfirst: bool,
    clinic_options: dict[str, Any],
    no_config: bool,
    fmt: str,
    output: str | None,
    color: bool | None,
    jobs: int,
) -> int:
    """Read, plan, write; the exit code (70 when a patient hit a bug, else 0)."""
    import b12plan
    from b12plan.io import settings as settings_file
    from b12plan.io.output import open_output, write_err

    settings = settings_file.load(no_config=no_config)
    clinic = clinic_from(settings.clinic, clinic_options)
    period = due_within or settings.due_within
    # Neither the option nor the settings file: the library's default.
    due = {"due_within": period} if period else {}

    def notice(text: str) -> None:
        write_err(f"b12plan: note: {text}\n")

    with b12plan.audit(
        events,
        patients=patients_file,
        as_of=as_of,
        status=statuses.split(",") if statuses is not None else None,
        clinic=clinic,
        dayfirst=dayfirst,
        jobs=jobs,
        notice=notice,
        **due,
    ) as worklist:
        # The settings file is the command line's: the worklist names the one it read.
        head = {**worklist.head, "settings": settings.path}
        with open_output(output) as sink:
            if fmt == "ndjson":
                # The entries wait as the compact JSON an ndjson line is: written as they are.
                for line in worklist.to_json_lines():
                    sink.write_bytes(line)
            else:
                pieces = _pieces(fmt, head, worklist, color=use_color(color, output), output=output)
                for piece in pieces:
                    sink.write_text(piece)
    if worklist.internal_errors:
        write_err(
            f"b12plan: {worklist.internal_errors} patient(s) hit an internal error (needs-review "
            "in the worklist); please report it with their rows\n"
        )
        return EXIT_INTERNAL
    return EXIT_OK


def _pieces(
    fmt: str, head: dict[str, Any], entries: Any, *, color: bool, output: str | None
) -> Any:
    from b12plan.render import worklist

    if fmt == "json":
        return worklist.worklist_json(head, entries)
    if fmt == "csv":
        return worklist.worklist_csv(entries)
    if fmt == "html":
        from b12plan.render.worklist_html import worklist_html

        return worklist_html(head, entries)
    return worklist.worklist_table(head, entries, width=table_width(output), color=color)
