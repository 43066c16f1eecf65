"""`b12plan schedule`: one patient's dated plan in any format, or a batch (`cli/batch.py`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import click

from b12plan.cli._shared import (
    DATE,
    DEFAULT_WIDTH,
    EXIT_BLOCKED,
    EXIT_OK,
    Failure,
    as_of_date,
    fail,
    load_custom_protocol,
    merge_patient,
    output_options,
    patient_options,
    table_width,
    use_color,
)
from b12plan.errors import InputError, validated
from b12plan.vocab import FORMATS

if TYPE_CHECKING:
    from b12plan.models import Patient, Plan
    from b12plan.protocols import Protocol

SCHEDULE_FORMATS: tuple[str, ...] = FORMATS
# Formats that carry doses only: a blocked or incomplete plan is also reported on stderr.
DOSE_FORMATS = ("ndjson", "csv", "ics", "fhir")
# Formats that list doses one by one, so --from can leave some out; why the others refuse it.
WINDOW_FORMATS = ("ndjson", "csv", "ics")
NO_WINDOW = {
    "json": "the plan document holds every dose; filter them with jq",
    "fhir": "a MedicationRequest holds the whole course",
    "html": "the handout already lists only the doses still to come",
}
# Formats that refuse --explain, and why: traces belong to single doses and to clinicians.
NO_EXPLAIN = {
    "fhir": "a Dosage covers a phase, not a dose",
    "html": "the handout is for the patient; the rules are for the prescriber",
}


@click.command()
@click.argument("patient_file", required=False, metavar="[PATIENT_FILE|-]")
@patient_options
@output_options(SCHEDULE_FORMATS)
@click.option("--explain", is_flag=True, help="Show the chain of rules that placed each dose.")
@click.option(
    "--from",
    "since",
    type=DATE,
    help="Only doses from DATE on, and any overdue (table, ndjson, csv, ics); the table says "
    "how many earlier ones it leaves out.",
)
@click.option("--upcoming", is_flag=True, help="Only doses from the as-of date on: --from AS_OF.")
@click.option(
    "--batch",
    is_flag=True,
    help="Input is JSON Lines, one patient a line; output is one plan (JSON) a line, in order.",
)
@click.option(
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
    explain: bool,
    since: str | None,
    upcoming: bool,
    batch: bool,
    jobs: int | None,
    **options: Any,
) -> None:
    """Make a dated injection plan for one patient (file, `-` for stdin, or options)."""
    as_json = fmt != "table"
    window_checks(since, upcoming, fmt, batch=batch or jobs is not None, as_json=as_json)
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
            )
        except InputError as exc:
            fail(exc, as_json)
        ctx.exit(code)
    if explain and fmt in NO_EXPLAIN:
        raise Failure(
            ("explain",),
            f"not available with --format {fmt} ({NO_EXPLAIN[fmt]}); "
            "use --explain with table, json, ndjson, csv or ics",
            as_json=as_json,
        )
    try:
        custom = load_custom_protocol(options.pop("protocol_file"))
        document: dict[str, Any] = {}
        if patient_file is not None:
            from b12plan.loading import read_document

            document = read_document(patient_file)
        data, as_of = merge_patient(document, options), options.get("as_of")
        plan: Plan | None = None
        if fmt == "json":
            text, blocked = make_plan_json(data, as_of, custom, explain)
        else:
            patient, plan = make_plan(data, as_of, custom, as_json)
            text = render_plan(
                plan,
                fmt,
                color=use_color(color, output),
                explain=explain,
                patient=patient,
                custom=custom,
                width=table_width(output),
                since=plan.as_of if upcoming else date.fromisoformat(since) if since else None,
            )
            blocked = plan.blocked
        from b12plan.output import emit

        emit(text, output)
    except InputError as exc:
        fail(exc, as_json)
    if plan is not None and fmt in DOSE_FORMATS:
        from b12plan.output import write_err
        from b12plan.render.notices import plan_notices

        write_err("".join(line + "\n" for line in plan_notices(plan)))
    ctx.exit(EXIT_BLOCKED if blocked else EXIT_OK)


def render_plan(
    plan: Plan,
    fmt: str,
    *,
    color: bool,
    explain: bool,
    patient: Patient | None = None,
    custom: Protocol | None = None,
    width: int = DEFAULT_WIDTH,
    since: date | None = None,
) -> str:
    """Render a plan in one of the contract's formats.

    `ics` needs the patient (its UIDs hash the inputs that identify the course); `fhir` needs
    the custom protocol when the plan follows one (its Dosage elements follow the segments).
    `since` keeps the doses from that date on (and overdue ones) in the formats that list
    doses; the table also says how many it left out.
    """
    if fmt == "table":
        from b12plan.render.table import plan_table

        return plan_table(plan, color=color, width=width, explain=explain, since=since)
    if since is not None and fmt in WINDOW_FORMATS:
        from b12plan.render.window import plan_from

        plan = plan_from(plan, since)
    if fmt == "json":
        from b12plan.render.jsonout import plan_json

        return plan_json(plan, explain=explain)
    if fmt == "ndjson":
        from b12plan.render.records import plan_ndjson

        return plan_ndjson(plan, explain=explain)
    if fmt == "csv":
        from b12plan.render.records import plan_csv

        return plan_csv(plan, explain=explain)
    if fmt == "ics":
        if patient is None:
            msg = "the ics format needs the patient (its UIDs hash the course inputs)"
            raise TypeError(msg)
        from b12plan.render.ics import plan_ics

        return plan_ics(plan, patient, explain=explain)
    if fmt == "fhir":
        from b12plan.render.fhir import plan_fhir, plan_protocol

        return plan_fhir(plan, plan_protocol(plan, custom))
    if fmt == "html":
        from b12plan.render.handout import plan_html

        return plan_html(plan)
    raise InputError(
        ["format"], f"{fmt!r} is not available; allowed: {', '.join(SCHEDULE_FORMATS)}"
    )


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
    if fmt not in ("table", *WINDOW_FORMATS):
        raise Failure(
            (name,),
            f"not available with --format {fmt} ({NO_WINDOW.get(fmt, 'it is a whole plan')}); "
            f"use --{name} with table, {', '.join(WINDOW_FORMATS)}",
            as_json=as_json,
        )


def load_patient(
    data: dict[str, Any], as_json: bool, prefix: tuple[str | int, ...] = ()
) -> Patient:
    """Validate a patient document, turning errors into one-line failures."""
    from b12plan.models import Patient

    try:
        return validated(Patient, data, schema="patient", prefix=prefix)
    except InputError as exc:
        fail(exc, as_json)


def make_plan(
    data: dict[str, Any], as_of: str | None, custom: Protocol | None, as_json: bool
) -> tuple[Patient, Plan]:
    """Patient document in, the validated patient and its plan out; the clock is read here
    when `as_of` is absent."""
    from b12plan.closures import holidays_for
    from b12plan.engine import build_plan

    patient = load_patient(data, as_json)
    when = as_of_date(as_of)
    return patient, build_plan(patient, as_of=when, custom=custom, holidays=holidays_for(patient))


def make_plan_json(
    data: dict[str, Any], as_of: str | None, custom: Protocol | None, explain: bool
) -> tuple[str, bool]:
    """`make_plan` rendered as JSON, and whether it is blocked.

    Straight from the engine's plain document: the same bytes as `render_plan(plan, "json")`
    without validating the engine's output into the `Plan` model first (start-up and time).
    """
    from b12plan.closures import holidays_for
    from b12plan.engine.document import is_blocked
    from b12plan.engine.plan import plan_document
    from b12plan.render.jsonout import plan_document_json

    patient = load_patient(data, as_json=True)
    when = as_of_date(as_of)
    document = plan_document(
        patient, as_of=when, custom=custom, explain=explain, holidays=holidays_for(patient)
    )
    return plan_document_json(document), is_blocked(document)
