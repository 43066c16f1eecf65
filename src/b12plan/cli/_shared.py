"""What every command shares: exit codes, errors and their one mapping to exit codes, options.

Start-up matters: this module imports only click and b12plan's tiny vocabulary. Pydantic, the
engine and rich load inside the commands that need them (even `json` loads only to print a
JSON error), so `--help` and `--version` stay fast and `--format json` never imports rich.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from click.exceptions import NoArgsIsHelpError

from b12plan.contract.text import (
    LazyPattern,
    clip_loc,
    clip_runs,
    internal_error,
    iso_date_shaped,
    printable,
    quote,
)
from b12plan.contract.vocab import (
    CAUSE_ALIASES,
    CAUSES,
    CONDITION_FLAGS,
    FIRST_YEAR,
    FORMATS,
    LAB_UNITS,
    LAST_YEAR,
    PRODUCTS,
    ROUTES,
    SEXES,
    STOP_REASONS,
)
from b12plan.errors import (
    InvalidInput,
    Loc,
    OutputError,
    ReaderGoneError,
    TerminatedError,
)
from b12plan.io.output import (
    EXIT_IO,
    EXIT_READER_GONE,
    discard_stdout,
    failure,
    is_terminal,
    setup_streams,
    sink_for,
    write_err,
)

if TYPE_CHECKING:
    from b12plan.contract.records import Protocol

EXIT_OK, EXIT_BLOCKED, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 70
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as a shell reports it
EXIT_PROBLEMS = EXIT_BLOCKED  # check: a finding at or above --fail-on
F = TypeVar("F", bound=Callable[..., Any])
# A line break in click's message and the indentation around it (`Choose from:\n\tpatient,`).
_BREAK = LazyPattern(r"[ \t]*\n\s*")


class Failure(click.ClickException):
    """Invalid input or usage: one line on stderr per problem (or one JSON error object listing
    them all), exit code 2."""

    exit_code = EXIT_INPUT

    def __init__(
        self,
        loc: tuple[str | int, ...],
        msg: str,
        *,
        as_json: bool = False,
        more: Sequence[tuple[Loc, str]] = (),
    ) -> None:
        self.error = InvalidInput(loc, msg, more=more)
        self.loc, self.msg, self.as_json = self.error.loc, msg, as_json
        super().__init__(self.error.line())

    def show(self, file: Any = None) -> None:
        """Print each problem on its own line (or the JSON object) to stderr."""
        text = error_text(self.message, self.error.errors, as_json=self.as_json)
        if not self.as_json:
            text = "".join(f"b12plan: error: {line}\n" for line in self.error.lines())
        if file is None:
            write_err(text)
        else:
            file.write(text)


def error_text(message: str, errors: Sequence[tuple[Loc, str]], *, as_json: bool) -> str:
    """What stderr gets for an error: `b12plan: error: MESSAGE`, or with `--format json` the
    contract's error object, on one line."""
    if as_json:
        import json

        return json.dumps(error_document(message, errors)) + "\n"
    return f"b12plan: error: {message}\n"


def error_document(message: str, errors: Sequence[tuple[Loc, str]]) -> dict[str, Any]:
    """The contract's error object for `--format json`: a summary line, then every problem."""
    return {
        "schema_version": "1",
        "error": {
            "message": message,
            "errors": [{"loc": list(clip_loc(loc)), "msg": msg} for loc, msg in errors],
        },
    }


class DateParam(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """An ISO calendar date, YYYY-MM-DD."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        """Validate the spelling here; the models re-check it with the same rule."""
        if isinstance(value, date):
            return value.isoformat()
        if not isinstance(value, str) or not iso_date_shaped(value):
            self.fail(f"{quote(value)} is not a date of the form YYYY-MM-DD", param, ctx)
        try:
            when = date.fromisoformat(value)
        except ValueError:
            self.fail(f"{quote(value)} is not a real calendar date (YYYY-MM-DD)", param, ctx)
        if not FIRST_YEAR <= when.year <= LAST_YEAR:
            self.fail(
                f"{value} is outside the years b12plan accepts ({FIRST_YEAR}–{LAST_YEAR})",
                param,
                ctx,
            )
        return when.isoformat()


DATE = DateParam()


OPTION_ERRORS = "b12plan.option_errors"
# The commands that report every bad option with the patient's problems (report_option_errors);
# elsewhere a bad option stops at once, as click does.
COLLECTING = frozenset({"schedule", "check"})


class Collected(click.Option):
    """An option whose bad value is recorded rather than raised at once, so that the command
    reports it with every other problem, one line each (see `report_option_errors`)."""

    def process_value(self, ctx: click.Context, value: Any) -> Any:
        """The value, or None after recording why it is bad."""
        try:
            return super().process_value(ctx, value)
        except click.BadParameter as exc:
            if ctx.resilient_parsing or ctx.info_name not in COLLECTING:
                raise
            line = usage_line(exc.format_message())
            ctx.meta.setdefault(OPTION_ERRORS, []).append((self.name, line))
            return None


def option(*names: str, **attrs: Any) -> Callable[[F], F]:
    """`click.option` for b12plan's commands: a bad value is collected, not fatal at once."""
    return click.option(*names, cls=Collected, **attrs)


# The document field each patient option sets, where its name differs (see option_fields).
_OPTION_FIELD = {
    "open_days": "clinic",
    "closed": "clinic",
    "holidays": "clinic",
    "interval_from": "interval_changes",
    "folic_acid_started": "conditions",
}


def report_option_errors(
    ctx: click.Context, as_json: bool, validate: Callable[[], object] | None = None
) -> None:
    """Raise every bad option value at once, one line each as click words it (naming the
    option), then the problems `validate` finds in the rest of the input (the patient with
    the other options applied); nothing if all the options were good.

    A field whose option was bad is left out of the rest: its option was not applied, so
    "is required" or the file's own value would only repeat the same problem."""
    pending: list[tuple[str, str]] = ctx.meta.get(OPTION_ERRORS, [])
    if not pending:
        return
    found: list[tuple[Loc, str]] = [((), line) for _, line in pending]
    failed = {_OPTION_FIELD.get(name, name) for name, _ in pending}
    if validate is not None:
        try:
            validate()
        except InvalidInput as exc:
            found += [
                (loc, msg)
                for loc, msg in exc.errors
                if not failed.intersection(str(part) for part in loc[:2])
            ]
    (loc, msg), *more = found
    raise Failure(loc, msg, as_json=as_json, more=more)


def completes(name: str) -> Callable[[click.Context, click.Parameter, str], Any]:
    """The completer `name` of `cli/_complete.py`, imported only when a shell asks."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> Any:
        from b12plan.cli import _complete

        return getattr(_complete, name)(ctx, param, incomplete)

    return complete


def _complete_stop(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[str]:
    # Completes the reason after `DATE:`; the date is the user's to type.
    when, colon, reason = incomplete.partition(":")
    if not colon:
        return []
    return [f"{when}:{r}" for r in STOP_REASONS if r.startswith(reason)]


FORMAT_HELP = {
    "table": "(for a terminal)",
    "json": "(the whole document)",
    "ndjson": "(one dose a line)",
    "csv": "(one dose a row, with a header)",
    "ics": "(a calendar: all-day events for doses and tests)",
    "fhir": "(an R4 MedicationRequest)",
    "html": "(a printable handout for the patient)",
}


def output_options(
    formats: tuple[str, ...], helps: dict[str, str] | None = None
) -> Callable[[F], F]:
    """The options every printing command shares: format, output file and colour (`helps`:
    what each format is, where a command's differ from a plan's)."""
    words = {**FORMAT_HELP, **(helps or {})}

    def decorator(func: F) -> F:
        func = option(
            "--color/--no-color",
            "color",
            default=None,
            help="Force colour on or off (default: on for a terminal unless NO_COLOR is set).",
        )(func)
        func = option(
            "-o",
            "--output",
            type=click.Path(dir_okay=False, writable=True),
            default=None,
            help="Write here instead of stdout, atomically (nothing on failure).",
        )(func)
        return option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=formats[0],
            show_default=True,
            help="Output format: " + "; ".join(f"{f} {words[f]}" for f in formats) + ".",
        )(func)

    return decorator


brief_option = option(
    "--brief",
    is_flag=True,
    help="Table: leave out the closing paragraph of conventions [C] (the plan still follows "
    "them; --format json lists them).",
)


def use_color(color: bool | None, output: str | None) -> bool:
    """Colour only for a terminal, never into a file, and never when NO_COLOR is set."""
    if output not in (None, "-"):
        return False
    if color is not None:
        return color
    if os.environ.get("NO_COLOR"):
        return False
    return is_terminal(sys.stdout)


DEFAULT_WIDTH, WIDTH_RANGE = 100, (40, 1000)


def table_width(output: str | None) -> int:
    """The width to lay the table out at: `COLUMNS` when set (as shells and `shutil` read it),
    else the terminal's when writing to one, else 100 (a pipe or a file).

    Kept within 40-1000 columns: narrower cannot hold a dated row, wider is a typo.
    """
    columns = os.environ.get("COLUMNS", "").lstrip("0")
    width = DEFAULT_WIDTH
    if columns.isascii() and columns.isdigit():
        # Past four digits it is a typo; int() refuses thousands of them.
        width = int(columns) if len(columns) <= 4 else WIDTH_RANGE[1]
    elif output in (None, "-") and is_terminal(sys.stdout):
        with contextlib.suppress(OSError, ValueError):
            width = os.get_terminal_size(sys.stdout.fileno()).columns or DEFAULT_WIDTH
    return min(max(width, WIDTH_RANGE[0]), WIDTH_RANGE[1])


def patient_options(func: F) -> F:
    options = [
        option("--start", type=DATE, help="First injection date (YYYY-MM-DD)."),
        option("--dob", type=DATE, help="Date of birth."),
        option("--sex", type=click.Choice(SEXES), help="Sex (anaemia thresholds by sex)."),
        option(
            "--cause",
            shell_complete=completes("causes"),
            help=f"Cause of deficiency: {', '.join(CAUSES)}; "
            f"or {' or '.join(CAUSE_ALIASES)} (= {CAUSE_ALIASES['pernicious-anaemia']}).",
        ),
        option(
            "--neuro/--no-neuro",
            default=None,
            help="Neurological involvement: --neuro if there is, --no-neuro if not (no value).",
        ),
        option("--product", type=click.Choice(PRODUCTS), help="Default: the protocol's product."),
        option("--route", type=click.Choice(ROUTES), help="Default: the protocol's first route."),
        option(
            "--strength",
            shell_complete=completes("strengths"),
            help='Product strength, e.g. "1000 mcg/mL".',
        ),
        option(
            "--protocol",
            shell_complete=completes("protocols"),
            help="Protocol id, or auto (default).",
        ),
        option(
            "--protocol-file",
            type=click.Path(dir_okay=False),
            help="A custom protocol (TOML, same schema as the bundled ones).",
        ),
        option(
            "--lab",
            "labs",
            multiple=True,
            shell_complete=completes("labs"),
            help='A lab result, e.g. "b12=150 ng/L@2025-02-24" (repeatable). Analytes and '
            "units: "
            + "; ".join(f"{analyte} ({', '.join(units)})" for analyte, units in LAB_UNITS.items())
            + ".",
        ),
        option("--given", multiple=True, type=DATE, help="A dose already given (repeatable)."),
        option(
            "--repletion-end",
            type=DATE,
            help="The day the loading doses ended (neuro: the last alternate-day dose).",
        ),
        option(
            "--repletion-done/--no-repletion-done",
            default=None,
            help="The loading course was completed before the doses given here: all are "
            "maintenance (start defaults to the first --given).",
        ),
        option(
            "--interval",
            shell_complete=completes("intervals"),
            help="Clinician-set maintenance interval: Nmo, Nw or Nd (from --interval-from, "
            "else from --as-of).",
        ),
        option("--interval-from", type=DATE, help="The date the --interval decision was made."),
        option("--override-reason", help="Why an interval outside the protocol is right."),
        option(
            "--condition",
            "conditions",
            multiple=True,
            type=click.Choice(CONDITION_FLAGS),
            help="A condition that changes safety advice (repeatable).",
        ),
        option("--folic-acid-started", type=DATE, help="When folic acid was started."),
        option(
            "--stopped",
            metavar="DATE:REASON",
            shell_complete=_complete_stop,
            help=f"Treatment stopped on DATE, because: {', '.join(STOP_REASONS)}.",
        ),
        option(
            "--ref",
            metavar="TEXT",
            help="Your own reference for the patient (1-64 printable characters), echoed in "
            "every output.",
        ),
        option(
            "--no-config",
            is_flag=True,
            help="Ignore b12plan.toml (working folder or config folder).",
        ),
        option("--as-of", type=DATE, help="Label doses as of this date (default today)."),
    ]
    for decorate in reversed(options):
        func = decorate(func)
    return func


def schedule_options(func: F) -> F:
    """The patient fields that describe a schedule rather than the patient: a plan uses them;
    `check` would ignore them (it lists a file's in `not_used`), so it does not offer them."""
    options = [
        option(
            "--missed",
            multiple=True,
            metavar="DATE[:REASON]",
            shell_complete=completes("missed"),
            help="A dose not given, with why: declined, did-not-attend, unavailable or other "
            "(repeatable).",
        ),
        option(
            "--symptoms-returned",
            multiple=True,
            type=DATE,
            help="Date symptoms came back (repeatable).",
        ),
        option(
            "--open",
            "open_days",
            metavar="DAYS",
            shell_complete=completes("open_days"),
            help="Weekdays the clinic gives injections, e.g. mon-fri or mon,wed,fri.",
        ),
        option(
            "--closed",
            multiple=True,
            type=DATE,
            help="A date the clinic is closed (repeatable).",
        ),
        option(
            "--holidays",
            metavar="REGION",
            shell_complete=completes("regions"),
            help="Also closed on this region's public holidays, e.g. GB-ENG, US, US-CA.",
        ),
        option("--until", type=DATE, help="List maintenance doses up to this date."),
    ]
    for decorate in reversed(options):
        func = decorate(func)
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
    "repletion_done",
    "interval",
    "override_reason",
    "until",
    "ref",
)
_LIST_OVERRIDES = {"labs": "labs", "given": "given", "symptoms_returned": "symptoms_returned"}


def merge_patient(document: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
    """Options override the same fields of the patient document (see `option_fields`)."""
    from b12plan.api import apply_overrides

    return apply_overrides(document, option_fields(options))


def option_fields(options: dict[str, Any]) -> dict[str, Any]:
    """The patient fields the options set, as overrides for `b12plan.plan` and `plan_many`: a
    list option replaces the list; `--condition` and the clinic options set their field inside
    its object; `--interval-from` makes `--interval` a dated change in place of any interval
    and reason the document gives."""
    fields: dict[str, Any] = {}
    for name in _OVERRIDES:
        if options.get(name) is not None:
            fields[name] = options[name]
    for option, field in _LIST_OVERRIDES.items():
        if options.get(option):
            fields[field] = list(options[option])
    if options.get("missed"):
        fields["missed"] = [_missed(text) for text in options["missed"]]
    if options.get("stopped") is not None:
        fields["stopped"] = _stopped(options["stopped"])
    if options.get("interval_from") is not None:
        if options.get("interval") is None:
            raise InvalidInput(["interval_from"], "needs --interval (the interval decided)")
        change = {"date": options["interval_from"], "interval": options["interval"]}
        if options.get("override_reason") is not None:
            change["reason"] = options["override_reason"]
        fields.update(interval_changes=[change], interval=None, override_reason=None)
    if options.get("conditions") or options.get("folic_acid_started") is not None:
        conditions: dict[str, Any] = dict.fromkeys(options.get("conditions") or (), True)
        if options.get("folic_acid_started") is not None:
            conditions["folic_acid_started"] = options["folic_acid_started"]
        fields["conditions"] = conditions
    clinic = {
        "open": None if options.get("open_days") is None else weekdays(options["open_days"]),
        "closed": list(options.get("closed") or ()) or None,
        "holidays": options.get("holidays"),
    }
    # The settings file's clinic first (`apply_settings`), each key an option gives replaced.
    chosen = dict(options.get(SETTINGS_CLINIC) or {})
    chosen.update({k: v for k, v in clinic.items() if v is not None})
    if chosen:
        fields["clinic"] = chosen
    return fields


SETTINGS_CLINIC = "settings_clinic"
"""Where `apply_settings` puts the settings file's clinic among a command's options."""


def apply_settings(options: dict[str, Any]) -> str | None:
    """Read the settings file (`b12plan.toml`) unless `--no-config`, put its clinic among the
    options (the clinic options override it, key by key), say on stderr which file was used,
    and return its path."""
    from b12plan.io.settings import load

    settings = load(no_config=bool(options.pop("no_config", False)))
    if settings.path is None:
        return None
    if settings.clinic:
        options[SETTINGS_CLINIC] = settings.clinic
    write_err(f"b12plan: note: settings from {settings.path}\n")
    return settings.path


def _missed(text: str) -> dict[str, str] | str:
    """`--missed 2026-12-07:declined` as a missed item (the model checks date and reason)."""
    when, colon, reason = text.partition(":")
    return {"date": when, "reason": reason} if colon else text


def _stopped(text: str) -> dict[str, str]:
    """`--stopped 2027-03-01:switched-to-oral` as the `stopped` object (the model checks both)."""
    when, colon, reason = text.partition(":")
    if not colon or not reason:
        raise InvalidInput(
            ["stopped"],
            f"{quote(text)} must be DATE:REASON, e.g. 2027-03-01:switched-to-oral; reasons: "
            f"{', '.join(STOP_REASONS)}",
        )
    return {"date": when, "reason": reason}


def weekdays(text: str) -> list[str]:
    """`mon-fri` or `mon,wed,fri` (or both: `mon-wed,fri`) as weekday names in week order."""
    from b12plan.contract.vocab import weekday_names

    try:
        return weekday_names(text)
    except ValueError as exc:
        raise InvalidInput(["open"], str(exc)) from None


def load_custom_protocol(path: str | None) -> Protocol | None:
    """Read and validate `--protocol-file` (data only, bounded), as `b12plan.plan` does."""
    from b12plan.api import read_protocol_file

    return read_protocol_file(path)


def fail(exc: InvalidInput, as_json: bool) -> NoReturn:
    """Raise `exc` as the command-line failure (one line, or a JSON error object)."""
    raise Failure(exc.loc, exc.msg, as_json=as_json, more=exc.errors[1:]) from None


def run(group: click.Group, argv: list[str] | None) -> int:
    """Run the command line and return its exit code: the one place errors become exit codes,
    at most one line on stderr (or a JSON error object), never a traceback.

    0/1/2/70 as the contract says; 74 the output could not be written; 141 its reader went
    away; 130, 143 and 129 interrupted by Ctrl-C, SIGTERM or SIGHUP (README, "Exit codes").
    """
    setup_streams()
    args = sys.argv[1:] if argv is None else argv
    as_json = _wants_json(args)
    try:
        for i, arg in enumerate(args, start=1):
            # A shell cannot pass one, but callers of main() can; os calls would raise on it.
            if "\x00" in arg:
                raise Failure((), f"argument {i} contains a NUL character", as_json=as_json)
        flag_values(args, as_json=as_json)
        code = group.main(args=argv, prog_name="b12plan", standalone_mode=False)
        if sys.stdout is not None:
            sink_for(sys.stdout, "stdout").flush()  # click's own output (help) may be held
    except Failure as exc:
        exc.show()
        code = exc.exit_code
    except NoArgsIsHelpError as exc:
        # Bare `b12plan`: click's convention, the whole help (as `--help` prints it) on stderr
        # and exit 2, since no command was given.
        write_err(f"{exc.format_message()}\n")
        code = EXIT_INPUT
    except click.ClickException as exc:
        # Usage errors from click itself (unknown option, bad choice): one line, exit 2.
        message = usage_line(exc.format_message())
        write_err(error_text(message, [((), message)], as_json=as_json))
        code = EXIT_INPUT
    except KeyboardInterrupt:
        write_err("b12plan: interrupted\n")
        code = EXIT_INTERRUPTED
    except click.exceptions.Abort as exc:
        # Click turns Ctrl-C inside a command into Abort: it is still an interruption.
        interrupted = isinstance(exc.__context__, KeyboardInterrupt)
        write_err("b12plan: interrupted\n" if interrupted else "b12plan: aborted\n")
        code = EXIT_INTERRUPTED if interrupted else EXIT_INPUT
    except TerminatedError as exc:
        write_err("b12plan: terminated\n")
        code = 128 + exc.signum
    except ReaderGoneError:
        # The reader went away (`| head`): it asked for no more, so nothing is said; the exit
        # code tells a script (or `set -o pipefail`) that the output was cut short.
        discard_stdout()
        code = EXIT_READER_GONE
    except (OutputError, OSError) as exc:
        # Writing failed (a full disk, an I/O error, a closed stdout), or click's own output
        # did: one line, and nothing of the output is worth keeping.
        discard_stdout()
        found = failure(exc, "stdout") if isinstance(exc, OSError) else exc
        if isinstance(found, ReaderGoneError):
            code = EXIT_READER_GONE
        else:
            write_err(error_text(str(found), [(("output",), str(found))], as_json=as_json))
            code = EXIT_IO
    except Exception as exc:
        write_err(
            f"b12plan: {internal_error(exc)}; please report it with the input that caused it\n"
        )
        code = EXIT_INTERNAL
    return code if isinstance(code, int) else EXIT_OK


# On/off flags a user may follow with a word (`--neuro yes`), which click would then read as
# the file argument ("cannot read yes"); each with its field and its other half.
FLAG_PAIRS: dict[str, tuple[str, str]] = {
    "--neuro": ("neuro", "--no-neuro"),
    "--no-neuro": ("neuro", "--neuro"),
    "--repletion-done": ("repletion_done", "--no-repletion-done"),
    "--no-repletion-done": ("repletion_done", "--repletion-done"),
    "--color": ("color", "--no-color"),
    "--no-color": ("color", "--color"),
}
YES_NO = frozenset({"yes", "no", "y", "n", "true", "false", "on", "off", "1", "0"})


def flag_values(args: Sequence[str], *, as_json: bool) -> None:
    """Refuse `--neuro yes`: an on/off flag takes no value (unless a file of that name exists,
    which the word then names)."""
    for flag, word in itertools.pairwise(args):
        # os.path, not pathlib: pathlib is not loaded on every run (start-up is measured).
        if flag in FLAG_PAIRS and word.lower() in YES_NO and not os.path.exists(word):  # noqa: PTH110
            field, other = FLAG_PAIRS[flag]
            on, off = sorted((flag, other), key=lambda name: name.startswith("--no-"))
            msg = f"{flag} takes no value ({quote(word)}): write {on} for yes, {off} for no"
            raise Failure((field,), msg, as_json=as_json)


def usage_line(message: str) -> str:
    """Click's usage message on one line: each line break, with the indentation around it,
    becomes one space (not an escaped `\\t`); other control characters are escaped."""
    return clip_runs(printable(_BREAK.compiled.sub(" ", message.strip())))


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
