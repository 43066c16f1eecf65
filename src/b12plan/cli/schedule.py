"""`b12plan schedule`: one patient's dated plan in any format, or a batch (`cli/batch.py`)."""

from __future__ import annotations

from typing import Any

import click

from b12plan.cli._shared import (
    DATE,
    EXIT_BLOCKED,
    EXIT_OK,
    Failure,
    apply_settings,
    brief_option,
    completes,
    fail,
    option,
    option_fields,
    output_options,
    patient_options,
    report_option_errors,
    schedule_options,
    table_width,
    use_color,
)
from b12plan.contract.vocab import FORMATS, NO_EXPLAIN, NO_WINDOW, WINDOW_FORMATS
from b12plan.errors import InvalidInput

SCHEDULE_FORMATS: tuple[str, ...] = FORMATS
# Formats that carry doses only: a blocked or incomplete plan is also reported on stderr.
DOSE_FORMATS = ("ndjson", "csv", "ics", "fhir")


@click.command()
@click.argument(
    "patient_file",
    required=False,
    metavar="[PATIENT_FILE|-]",
    shell_complete=completes("files"),
)
@patient_options
@schedule_options
@output_options(SCHEDULE_FORMATS)
@brief_option
@option("--explain", is_flag=True, help="Show the chain of rules that placed each dose.")
@option(
    "--from",
    "since",
    type=DATE,
    help="Only doses from DATE on, and any overdue (table, ndjson, csv, ics); the table says "
    "how many earlier ones it leaves out.",
)
@option("--upcoming", is_flag=True, help="Only doses from the as-of date on: --from AS_OF.")
@option(
    "--batch",
    is_flag=True,
    help="Input is JSON Lines, one patient a line; output is one plan (JSON) a line, in order.",
)
@option(
    "--jobs",
    type=click.IntRange(1, 64),
    metavar="N",
    help="With --batch: plan on N processes (output order kept).",
)
@click.pass_context
def schedule(
    ctx: click.Context,
    /,
    patient_file: str | None,
    fmt: str,
    output: str | None,
    color: bool | None,
    brief: bool,
    explain: bool,
    since: str | None,
    upcoming: bool,
    batch: bool,
    jobs: int | None,
    **options: Any,
) -> None:
    """Make a dated injection plan for one patient (file, `-` for stdin, or options)."""
    as_json = fmt not in (None, "table")
    report_option_errors(
        ctx, as_json, None if batch or jobs is not None else lambda: _patient(patient_file, options)
    )
    window_checks(since, upcoming, fmt, batch=batch or jobs is not None, as_json=as_json)
    try:
        settings_file = apply_settings(options)
    except InvalidInput as exc:
        fail(exc, as_json)
    if batch or jobs is not None:
        from b12plan.cli.batch import batch_command

        explicit = ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT
        try:
            code = batch_command(
                patient_file,
                options,
                fmt=fmt if explicit else None,
                output=output,
                explain=explain,
                batch=batch,
                jobs=jobs,
                settings_file=settings_file,
            )
        except InvalidInput as exc:
            fail(exc, as_json)
        ctx.exit(code)
    if brief and (fmt != "table" or batch or jobs is not None):
        raise Failure(("brief",), "only for the table (--format table)", as_json=as_json)
    if explain and fmt in NO_EXPLAIN:
        raise Failure(
            ("explain",),
            f"not available with --format {fmt} ({NO_EXPLAIN[fmt]}); "
            "use --explain with table, json, ndjson, csv or ics",
            as_json=as_json,
        )
    try:
        # The library's public API, on the plain document: no `Plan` model is built, which
        # the command line does not need.
        import b12plan

        planned = b12plan.plan(
            patient_file or {},
            as_of=options.get("as_of"),
            protocol_file=options.get("protocol_file"),
            overrides=option_fields(options),
            plain=True,
            explain=explain,
        )
        if settings_file is not None:
            # The settings file is the command line's: the plan names the one it read.
            planned.document["settings"] = settings_file
        text = b12plan.to_text(
            planned,
            fmt,
            color=use_color(color, output),
            explain=explain,
            width=table_width(output),
            since=planned.document["as_of"] if upcoming else since,
            brief=brief,
        )
        from b12plan.io.output import emit

        emit(text, output)
    except InvalidInput as exc:
        fail(exc, as_json)
    if fmt in DOSE_FORMATS:
        from b12plan.io.output import write_err
        from b12plan.render.notices import plan_notices

        write_err("".join(line + "\n" for line in plan_notices(planned.document)))
    ctx.exit(EXIT_BLOCKED if planned.blocked else EXIT_OK)


def _patient(patient_file: str | None, options: dict[str, Any]) -> object:
    """The patient planned with the options applied (for the problems it raises)."""
    import b12plan

    return b12plan.plan(patient_file or {}, overrides=option_fields(options), plain=True)


def window_checks(
    since: str | None, upcoming: bool, fmt: str, *, batch: bool, as_json: bool
) -> None:
    """`--from` and `--upcoming` go with the formats that list doses, one at a time.

    The json and fhir documents are the whole plan (a script filters them itself), the handout
    shows what is to come anyway, and a batch writes json; a silently ignored option would be
    worse than this error.
    """
    if since is None and not upcoming:
        return
    name = "upcoming" if upcoming else "from"
    if since is not None and upcoming:
        msg = "give --from DATE or --upcoming (--from the as-of date), not both"
        raise Failure(("upcoming",), msg, as_json=as_json)
    if batch:
        msg = "not available with --batch (each plan is a whole json document)"
        raise Failure((name,), msg, as_json=as_json)
    if fmt not in WINDOW_FORMATS:
        raise Failure(
            (name,),
            f"not available with --format {fmt} ({NO_WINDOW.get(fmt, 'it is a whole plan')}); "
            f"use --{name} with {', '.join(WINDOW_FORMATS)}",
            as_json=as_json,
        )
