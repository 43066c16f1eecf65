"""The command line: parse, call one core function, render, map errors to exit codes.

Start-up matters: this module imports only click and b12plan's tiny vocabulary. Pydantic, the
engine and rich load inside the commands that need them (even `json` loads only to print a
JSON error), so `--help` and `--version` stay fast and `--format json` never imports rich.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from b12plan import __version__
from b12plan.errors import InputError, printable
from b12plan.schemas import SCHEMAS
from b12plan.vocab import (
    CAUSE_ALIASES,
    CAUSES,
    FIRST_YEAR,
    FORMATS,
    LAST_YEAR,
    PRODUCTS,
    ROUTES,
    SEVERITIES,
    SEXES,
)

if TYPE_CHECKING:
    from pydantic import ValidationError

    from b12plan.models import Patient, Plan, Regimen
    from b12plan.protocols import Protocol

EXIT_OK, EXIT_BLOCKED, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 70
EXIT_PROBLEMS = EXIT_BLOCKED  # check: a finding at or above --fail-on
F = TypeVar("F", bound=Callable[..., Any])
SCHEDULE_FORMATS: tuple[str, ...] = FORMATS
# Formats that carry doses only: a blocked or incomplete plan is also reported on stderr.
DOSE_FORMATS = ("ndjson", "csv", "ics", "fhir")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Failure(click.ClickException):
    """Invalid input or usage: one line on stderr (or a JSON error object), exit code 2."""

    exit_code = EXIT_INPUT

    def __init__(self, loc: tuple[str | int, ...], msg: str, *, as_json: bool = False) -> None:
        self.loc, self.msg, self.as_json = loc, msg, as_json
        super().__init__(InputError(loc, msg).line())

    def show(self, file: Any = None) -> None:
        """Print the one line (or JSON object) to stderr."""
        out = file or sys.stderr
        if self.as_json:
            import json

            out.write(json.dumps(error_document(self.message, [(self.loc, self.msg)])) + "\n")
        else:
            out.write(f"b12plan: error: {self.message}\n")


def error_document(message: str, errors: list[tuple[tuple[str | int, ...], str]]) -> dict[str, Any]:
    """The contract's error object for `--format json`."""
    return {
        "schema_version": "1",
        "error": {
            "message": message,
            "errors": [{"loc": list(loc), "msg": msg} for loc, msg in errors],
        },
    }


def validation_failure(
    exc: ValidationError,
    prefix: tuple[str | int, ...],
    as_json: bool,
    schema: str = "patient",
) -> Failure:
    """The first pydantic error as one readable line naming the field."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc = prefix + tuple(first["loc"])
    # Unknown fields point to the schema of the document they were found in.
    document = "patient" if schema == "patient" or loc[:1] == ("patient",) else schema
    msg = _friendly(first, document)
    if len(errors) > 1:
        msg += f" (and {len(errors) - 1} more)"
    return Failure(loc, msg, as_json=as_json)


def _friendly(error: Any, schema: str) -> str:
    msg = str(error["msg"])
    kind = error.get("type", "")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if kind == "extra_forbidden":
        msg = f"unknown field; see `b12plan schema {schema}` for the fields allowed"
    elif kind == "missing":
        msg = "is required"
    elif kind == "literal_error" and "expected" in error.get("ctx", {}):
        msg = f"must be one of {error['ctx']['expected']}"
    elif kind in ("bool_type", "bool_parsing"):
        msg = "must be true or false"
    elif kind == "list_type":
        msg = "must be a list (a JSON array)"
    elif kind in ("model_type", "dict_type"):
        msg = "must be an object (a JSON object or TOML table)"
    elif kind == "too_long" and "max_length" in error.get("ctx", {}):
        msg = f"has too many items; at most {error['ctx']['max_length']} allowed"
    return msg


def _today() -> date:
    # The only place b12plan reads the clock: the engine takes `as_of` as an input.
    return date.today()  # noqa: DTZ011 - calendar dates only, no time zones by design


def as_of_date(text: str | None) -> date:
    """`--as-of` as a date, or today when it was not given."""
    return date.fromisoformat(text) if text else _today()


class DateParam(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """An ISO calendar date, YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Validate the spelling here; the models re-check it with the same rule."""
        if isinstance(value, date):
            return value.isoformat()
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.fail(f"{value!r} is not a date of the form YYYY-MM-DD", param, ctx)
        try:
            when = date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a real calendar date (YYYY-MM-DD)", param, ctx)
        if not FIRST_YEAR <= when.year <= LAST_YEAR:
            self.fail(
                f"{value} is outside the years b12plan accepts ({FIRST_YEAR}–{LAST_YEAR})",
                param,
                ctx,
            )
        return when.isoformat()


DATE = DateParam()


def _complete_protocols(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    from b12plan.protocols import bundled

    return [p for p in ["auto", *bundled()] if p.startswith(incomplete)]


def _complete_protocol_ids(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[str]:
    from b12plan.protocols import bundled

    return [p for p in bundled() if p.startswith(incomplete)]


def _complete_causes(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    return [c for c in (*CAUSES, *CAUSE_ALIASES) if c.startswith(incomplete)]


FORMAT_HELP = {
    "table": "(for a terminal)",
    "json": "(the whole document)",
    "ndjson": "(one dose a line)",
    "csv": "(one dose a row, with a header)",
    "ics": "(a calendar, one all-day event a dose)",
    "fhir": "(an R4 MedicationRequest)",
}


def output_options(formats: tuple[str, ...]) -> Callable[[F], F]:
    """The options every printing command shares: format, output file and colour."""

    def decorator(func: F) -> F:
        func = click.option(
            "--color/--no-color",
            "color",
            default=None,
            help="Force colour on or off (default: on for a terminal unless NO_COLOR is set).",
        )(func)
        func = click.option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, writable=True),
            default=None,
            help="Write here instead of stdout, atomically (nothing on failure).",
        )(func)
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=formats[0],
            show_default=True,
            help="Output format: " + "; ".join(f"{f} {FORMAT_HELP[f]}" for f in formats) + ".",
        )(func)

    return decorator


def use_color(color: bool | None, output: str | None) -> bool:
    """Colour only for a terminal, never into a file, and never when NO_COLOR is set."""
    if output not in (None, "-"):
        return False
    if color is not None:
        return color
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def table_width(color: bool) -> int | None:
    """Terminal width for a terminal, else COLUMNS or a stable 120 (for files and pipes)."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    return None if color and sys.stdout.isatty() else 120


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="b12plan")
def cli() -> None:
    """Vitamin B12 injection schedules: dated repletion and maintenance, traced to guidelines.

    Decision support only, not a prescription: the prescriber decides.
    """


def _patient_options(func: F) -> F:
    options = [
        click.option("--start", type=DATE, help="First injection date (YYYY-MM-DD)."),
        click.option("--dob", type=DATE, help="Date of birth."),
        click.option("--sex", type=click.Choice(SEXES), help="Sex (anaemia thresholds by sex)."),
        click.option(
            "--cause",
            shell_complete=_complete_causes,
            help=f"Cause of deficiency: {', '.join(CAUSES)}.",
        ),
        click.option("--neuro/--no-neuro", default=None, help="Neurological involvement."),
        click.option(
            "--product", type=click.Choice(PRODUCTS), help="Default: the protocol's product."
        ),
        click.option(
            "--route", type=click.Choice(ROUTES), help="Default: the protocol's first route."
        ),
        click.option("--strength", help='Product strength, e.g. "1000 mcg/mL".'),
        click.option(
            "--protocol", shell_complete=_complete_protocols, help="Protocol id, or auto (default)."
        ),
        click.option(
            "--protocol-file",
            type=click.Path(dir_okay=False),
            help="A custom protocol (TOML, same schema as the bundled ones).",
        ),
        click.option(
            "--lab",
            "labs",
            multiple=True,
            help='A lab result, e.g. "b12=150 ng/L@2025-02-24" (repeatable).',
        ),
        click.option(
            "--given", multiple=True, type=DATE, help="A dose already given (repeatable)."
        ),
        click.option("--repletion-end", type=DATE, help="Neuro: last day of alternate-day doses."),
        click.option(
            "--symptoms-returned",
            multiple=True,
            type=DATE,
            help="Date symptoms came back (repeatable).",
        ),
        click.option("--interval", help="Clinician-set maintenance interval: Nmo, Nw or Nd."),
        click.option("--override-reason", help="Why an interval outside the protocol is right."),
        click.option("--until", type=DATE, help="List maintenance doses up to this date."),
        click.option("--as-of", type=DATE, help="Label doses as of this date (default today)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


_OVERRIDES = (
    "start",
    "dob",
    "sex",
    "cause",
    "neuro",
    "product",
    "route",
    "strength",
    "protocol",
    "repletion_end",
    "interval",
    "override_reason",
    "until",
)
_LIST_OVERRIDES = {"labs": "labs", "given": "given", "symptoms_returned": "symptoms_returned"}


def merge_patient(document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Options override the same fields of the patient document."""
    merged = dict(document)
    for name in _OVERRIDES:
        if options.get(name) is not None:
            merged[name] = options[name]
    for option, field in _LIST_OVERRIDES.items():
        if options.get(option):
            merged[field] = list(options[option])
    return merged


def load_patient(
    data: dict[str, Any], as_json: bool, prefix: tuple[str | int, ...] = ()
) -> Patient:
    """Validate a patient document, turning errors into one-line failures."""
    from pydantic import ValidationError

    from b12plan.models import Patient

    try:
        return Patient.model_validate(data)
    except ValidationError as exc:
        raise validation_failure(exc, prefix, as_json) from None


def load_custom_protocol(path: str | None) -> Protocol | None:
    """Read and validate `--protocol-file` (data only, bounded)."""
    if path is None:
        return None
    from b12plan.loading import read_text
    from b12plan.protocols import MAX_PROTOCOL_BYTES, parse_protocol

    return parse_protocol(read_text(path, "protocol_file", MAX_PROTOCOL_BYTES), path)


def make_plan(
    data: dict[str, Any], as_of: str | None, custom: Protocol | None, as_json: bool
) -> tuple[Patient, Plan]:
    """Patient document in, the validated patient and its plan out; the clock is read here
    when `as_of` is absent."""
    from b12plan.engine import build_plan

    patient = load_patient(data, as_json)
    when = as_of_date(as_of)
    return patient, build_plan(patient, as_of=when, custom=custom)


def make_plan_json(
    data: dict[str, Any], as_of: str | None, custom: Protocol | None, explain: bool
) -> tuple[str, bool]:
    """`make_plan` rendered as JSON, and whether it is blocked.

    Straight from the engine's plain document: the same bytes as `render_plan(plan, "json")`
    without validating the engine's output into the `Plan` model first (start-up and time).
    """
    from b12plan.engine.document import is_blocked
    from b12plan.engine.plan import plan_document
    from b12plan.render.jsonout import plan_document_json

    patient = load_patient(data, as_json=True)
    when = as_of_date(as_of)
    document = plan_document(patient, as_of=when, custom=custom, explain=explain)
    return plan_document_json(document), is_blocked(document)


def _fail(exc: InputError, as_json: bool) -> NoReturn:
    raise Failure(exc.loc, exc.msg, as_json=as_json) from None


@cli.command()
@click.argument("patient_file", required=False, metavar="[PATIENT_FILE|-]")
@_patient_options
@output_options(SCHEDULE_FORMATS)
@click.option("--explain", is_flag=True, help="Show the chain of rules that placed each dose.")
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
    batch: bool,
    jobs: int | None,
    **options: Any,
) -> None:
    """Make a dated injection plan for one patient (file, `-` for stdin, or options)."""
    as_json = fmt != "table"
    if batch or jobs is not None:
        from b12plan.batch import batch_command

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
            _fail(exc, as_json)
        ctx.exit(code)
    if explain and fmt == "fhir":
        # Traces belong to single doses; a FHIR Dosage covers a whole segment of a phase.
        raise Failure(
            ("explain",),
            "not available with --format fhir (a Dosage covers a phase, not a dose); "
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
            )
            blocked = plan.blocked
        from b12plan.output import emit

        emit(text, output)
    except InputError as exc:
        _fail(exc, as_json)
    if plan is not None and fmt in DOSE_FORMATS:
        from b12plan.render.notices import plan_notices

        for line in plan_notices(plan):
            sys.stderr.write(line + "\n")
    ctx.exit(EXIT_BLOCKED if blocked else EXIT_OK)


def render_plan(
    plan: Plan,
    fmt: str,
    *,
    color: bool,
    explain: bool,
    patient: Patient | None = None,
    custom: Protocol | None = None,
) -> str:
    """Render a plan in one of the contract's formats.

    `ics` needs the patient (its UIDs hash the inputs that identify the course); `fhir` needs
    the custom protocol when the plan follows one (its Dosage elements follow the segments).
    """
    if fmt == "table":
        from b12plan.render.table import plan_table

        return plan_table(plan, color=color, width=table_width(color), explain=explain)
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
    raise InputError(
        ["format"], f"{fmt!r} is not available; allowed: {', '.join(SCHEDULE_FORMATS)}"
    )


def regimen_document(
    document: dict[str, Any], regimen_text: str | None, options: dict[str, Any]
) -> dict[str, Any]:
    """The regimen document with the command line applied: options override the patient's
    fields (product, route and strength the regimen's too), and `--regimen` replaces the
    file's steps."""
    merged = dict(document)
    patient = merged.get("patient", {})
    if not isinstance(patient, dict):
        raise InputError(["patient"], "must be an object (a patient document)")
    merged["patient"] = merge_patient(patient, options)
    for name in ("product", "route", "strength"):
        # One value for patient and regimen alike, so an option never conflicts with the file.
        if options.get(name) is not None:
            merged[name] = options[name]
    if regimen_text is not None:
        merged.pop("steps", None)
        merged["regimen"] = regimen_text
    return merged


def load_regimen(data: dict[str, Any], as_json: bool) -> Regimen:
    """Validate a regimen document, turning errors into one-line failures."""
    from pydantic import ValidationError

    from b12plan.models import Regimen

    try:
        return Regimen.model_validate(data)
    except ValidationError as exc:
        raise validation_failure(exc, (), as_json, schema="regimen") from None


@cli.command()
@click.argument("regimen_file", required=False, metavar="REGIMEN_FILE|-")
@click.option(
    "--regimen",
    "regimen_text",
    metavar="TEXT",
    help='The proposed regimen as text, e.g. "1000mcg im every 2d x6; then 1000mcg im every '
    "3mo\" (replaces the file's steps).",
)
@_patient_options
@output_options(("table", "json"))
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    default="warning",
    show_default=True,
    help="Exit 1 when any finding is at or above this severity.",
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
    fail_on: str,
    **options: Any,
) -> None:
    """Check a proposed regimen against a protocol: each difference is a finding.

    The regimen comes from REGIMEN_FILE (JSON or TOML, `-` for stdin) or --regimen; the
    patient's fields come from the file's `patient` and the options, as for `schedule`.
    """
    as_json = fmt == "json"
    try:
        if regimen_file is None and regimen_text is None:
            raise InputError(
                ["regimen"],
                "give a regimen file (or - for stdin) or --regimen TEXT, e.g. --regimen "
                "'1000mcg im every 2d x6; then 1000mcg im every 3mo'",
            )
        custom = load_custom_protocol(options.pop("protocol_file"))
        document: dict[str, Any] = {}
        if regimen_file is not None:
            from b12plan.loading import read_document

            document = read_document(regimen_file)
        regimen = load_regimen(regimen_document(document, regimen_text, options), as_json)
        from b12plan.engine.check import check_regimen

        report = check_regimen(
            regimen,
            as_of=as_of_date(options.get("as_of")),
            fail_on=fail_on,
            custom=custom,
        )
        if as_json:
            from b12plan.render.jsonout import document_json

            text = document_json(report)
        else:
            from b12plan.render.check import check_table

            on = use_color(color, output)
            text = check_table(report, color=on, width=table_width(on))
        from b12plan.output import emit

        emit(text, output)
    except InputError as exc:
        _fail(exc, as_json)
    ctx.exit(EXIT_PROBLEMS if report.verdict == "problems" else EXIT_OK)


@cli.command()
@click.argument("protocol_id", required=False, shell_complete=_complete_protocol_ids)
@output_options(("table", "json"))
@click.option(
    "--validate",
    "validate_file",
    type=click.Path(dir_okay=False),
    help="Validate a custom protocol TOML file and show it.",
)
def protocols(
    protocol_id: str | None,
    fmt: str,
    output: str | None,
    color: bool | None,
    validate_file: str | None,
) -> None:
    """List the bundled protocols with their sources (or validate a custom one)."""
    from b12plan.protocols import bundled
    from b12plan.render.catalogue import catalogue_json

    as_json = fmt == "json"
    try:
        custom = load_custom_protocol(validate_file)
    except InputError as exc:
        _fail(exc, as_json)
    chosen = [custom] if custom is not None else list(bundled().values())
    if protocol_id is not None:
        chosen = [p for p in chosen if p.id == protocol_id]
        if not chosen:
            allowed = ", ".join(bundled())
            raise Failure(
                ("protocol_id",),
                f"unknown protocol {protocol_id!r}; allowed: {allowed}",
                as_json=as_json,
            )
    if as_json:
        text = catalogue_json(chosen)
    else:
        from b12plan.render.catalogue import catalogue_table

        on = use_color(color, output)
        text = catalogue_table(chosen, color=on, width=table_width(on))
    from b12plan.output import emit

    try:
        emit(text, output)
    except InputError as exc:
        _fail(exc, as_json)


@cli.command()
@click.argument("name", type=click.Choice(list(SCHEMAS)))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write here instead of stdout, atomically (nothing on failure).",
)
def schema(name: str, output: str | None) -> None:
    """Print the JSON Schema (draft 2020-12) of a document: patient, plan, regimen or check."""
    from b12plan.output import emit
    from b12plan.schemas import schema_json

    try:
        emit(schema_json(name), output)
    except InputError as exc:
        _fail(exc, as_json=False)


def main(argv: list[str] | None = None) -> NoReturn:
    """Console entry point: exit 0/1/2, one line on error, never a traceback."""
    args = sys.argv[1:] if argv is None else argv
    as_json = _wants_json(args)
    try:
        for i, arg in enumerate(args, start=1):
            # A shell cannot pass one, but callers of main() can; os calls would raise on it.
            if "\x00" in arg:
                raise Failure((), f"argument {i} contains a NUL character", as_json=as_json)
        code = cli.main(args=argv, prog_name="b12plan", standalone_mode=False)
    except Failure as exc:
        exc.show()
        code = exc.exit_code
    except click.ClickException as exc:
        # Usage errors from click itself (unknown option, bad choice): one line, exit 2.
        message = printable(exc.format_message().replace("\n", " "))
        if as_json:
            import json

            sys.stderr.write(json.dumps(error_document(message, [((), message)])) + "\n")
        else:
            sys.stderr.write(f"b12plan: error: {message}\n")
        code = EXIT_INPUT
    except click.exceptions.Abort:
        sys.stderr.write("b12plan: aborted\n")
        code = EXIT_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("b12plan: interrupted\n")
        code = 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_OK
    except Exception as exc:
        sys.stderr.write(
            f"b12plan: internal error ({type(exc).__name__}: {printable(str(exc))}); please report "
            "it with the input that caused it\n"
        )
        code = EXIT_INTERNAL
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def _wants_json(args: list[str]) -> bool:
    # Like click, the last --format wins; a misspelt format gets the plain one-line error.
    wanted = False
    for i, arg in enumerate(args):
        if arg == "--format" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--format="):
            value = arg.split("=", 1)[1]
        else:
            continue
        wanted = value in FORMATS and value != "table"
    return wanted
