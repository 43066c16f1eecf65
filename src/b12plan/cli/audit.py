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
    from b12plan import auditing
    from b12plan.api import as_of_date
    from b12plan.io import settings as settings_file
    from b12plan.io.audit_input import AuditInput
    from b12plan.io.output import open_output, write_err
    from b12plan.io.spool import Spool

    settings = settings_file.load(no_config=no_config)
    clinic = clinic_from(settings.clinic, clinic_options)
    when = as_of_date(as_of)
    period = due_within or settings.due_within or auditing.DEFAULT_DUE_WITHIN
    wanted = auditing.check_statuses(statuses.split(",") if statuses is not None else None)
    shared = auditing.AuditSettings(
        when, auditing.due_within_days(period, when), {"clinic": clinic} if clinic else {}
    )

    def notice(text: str) -> None:
        write_err(f"b12plan: note: {text}\n")

    with Spool() as spool:
        source = AuditInput(events, spool, patients=patients_file, dayfirst=dayfirst, notice=notice)
        try:
            outcome = auditing.run_audit(source, spool, shared, jobs=jobs)
        finally:
            source.close()
        head = auditing.worklist_head(
            as_of=when,
            counts=outcome.counts,
            due_within=period,
            statuses=wanted,
            settings_file=settings.path,
        )
        if fmt == "ndjson":
            # The spool keeps each entry as the compact JSON an ndjson line is: written as it is.
            pieces = (text + "\n" for text in spool.ordered(wanted))
        else:
            entries = auditing.entries(spool, wanted)
            pieces = _pieces(fmt, head, entries, color=use_color(color, output), output=output)
        with open_output(output) as sink:
            for piece in pieces:
                sink.write_text(piece)
    if outcome.crashed:
        write_err(
            f"b12plan: {outcome.crashed} patient(s) hit an internal error (needs-review in the "
            "worklist); please report it with their rows\n"
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
