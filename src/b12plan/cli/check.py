"""`b12plan check`: a proposed regimen compared with a protocol, one finding a difference."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from b12plan.cli._shared import (
    EXIT_OK,
    EXIT_PROBLEMS,
    apply_settings,
    brief_option,
    completes,
    fail,
    merge_patient,
    option,
    output_options,
    patient_options,
    report_option_errors,
    table_width,
    use_color,
)
from b12plan.contract.vocab import SEVERITIES
from b12plan.errors import InvalidInput

if TYPE_CHECKING:
    from b12plan.contract.vocab import Severity


@click.command()
@click.argument(
    "regimen_file",
    required=False,
    metavar="REGIMEN_FILE|-",
    shell_complete=completes("files"),
)
@option(
    "--regimen",
    "regimen_text",
    metavar="TEXT",
    help='The proposed regimen as prescribers write it, e.g. "hydroxocobalamin 1mg IM 3 times a '
    'week for 2 weeks, then every 3 months", or in the compact grammar "1000mcg im every 2d '
    "x6; 1000mcg im every 3mo\" (replaces the file's steps). Wording that could mean two things "
    "is refused, never guessed.",
)
@patient_options
@output_options(("table", "json"))
@brief_option
@option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="warning",
    show_default=True,
    help="Exit 1 when a finding about the regimen is at or above this severity.",
)
@option(
    "--fail-on-patient",
    type=click.Choice(SEVERITIES),
    default="block",
    show_default=True,
    help="Exit 1 when a finding about the patient (as schedule raises it) is at or above this.",
)
@click.pass_context
def check(
    ctx: click.Context,
    /,
    regimen_file: str | None,
    regimen_text: str | None,
    fmt: str,
    output: str | None,
    color: bool | None,
    brief: bool,
    fail_on: Severity,  # a click.Choice of SEVERITIES
    fail_on_patient: Severity,
    **options: Any,
) -> None:
    """Check a proposed regimen against a protocol: each difference is a finding.

    The regimen comes from REGIMEN_FILE (JSON or TOML, `-` for stdin) or --regimen; the
    patient's fields come from the file's `patient` and the options, as for `schedule`. A
    regimen written as text is read as prescribers write it; the table starts with what was
    read, the JSON has it as `read`.
    """
    as_json = fmt == "json"
    report_option_errors(ctx, as_json, lambda: _regimen(regimen_file, regimen_text, options))
    try:
        settings_file = apply_settings(options)
        if regimen_file is None and regimen_text is None:
            raise InvalidInput(
                ["regimen"],
                "give a regimen file (or - for stdin) or --regimen TEXT, e.g. --regimen "
                "'1000mcg im every 2d x6; then 1000mcg im every 3mo'",
            )
        document: dict[str, Any] = {}
        if regimen_file is not None:
            from b12plan.io.loading import read_document

            document = read_document(regimen_file)
        # The library's public API, on the plain document (see `schedule`).
        import b12plan

        report = b12plan.check(
            regimen_document(document, regimen_text, options),
            as_of=options.get("as_of"),
            fail_on=fail_on,
            fail_on_patient=fail_on_patient,
            protocol_file=options.get("protocol_file"),
            plain=True,
        )
        if settings_file is not None:
            # The settings file is the command line's: the report names the one it read.
            report["settings"] = settings_file
        if brief and fmt != "table":
            raise InvalidInput(["brief"], "only for the table (--format table)")
        text = b12plan.to_text(
            report, fmt, color=use_color(color, output), width=table_width(output), brief=brief
        )
        from b12plan.io.output import emit

        emit(text, output)
    except InvalidInput as exc:
        fail(exc, as_json)
    ctx.exit(EXIT_PROBLEMS if report["verdict"] == "problems" else EXIT_OK)


def _regimen(regimen_file: str | None, regimen_text: str | None, options: dict[str, Any]) -> object:
    """The regimen checked with the options applied (for the problems it raises)."""
    import b12plan
    from b12plan.io.loading import read_document

    document = {} if regimen_file is None else read_document(regimen_file)
    return b12plan.check(regimen_document(document, regimen_text, options), plain=True)


def regimen_document(
    document: dict[str, Any], regimen_text: str | None, options: dict[str, Any]
) -> dict[str, Any]:
    """The regimen document with the command line applied: options override the patient's
    fields (product, route and strength the regimen's too), and `--regimen` replaces the
    file's steps."""
    merged = dict(document)
    patient = merged.get("patient", {})
    if not isinstance(patient, dict):
        raise InvalidInput(["patient"], "must be an object (a patient document)")
    merged["patient"] = merge_patient(patient, options)
    for name in ("product", "route", "strength"):
        # One value for patient and regimen alike, so an option never conflicts with the file.
        if options.get(name) is not None:
            merged[name] = options[name]
    if regimen_text is not None:
        merged.pop("steps", None)
        merged["regimen"] = regimen_text
    return merged
