"""The exceptions b12plan raises on purpose, each with its exit code, and the one conversion
of pydantic's errors into the first of them.

`InvalidInput` is the one type for bad input from any layer (exit 2), public as
`b12plan.InvalidInput`; the code base raises it under its older name `InputError`, the same
class. Pydantic's `ValidationError` becomes one through `validated`/`from_validation_error`, so
a caller, the command line included, meets one type with one list of problems. The other
exceptions belong to the writer (`output.py`): the output could not be written (exit 74), or
its reader went away (exit 141). The CLI turns each into its exit code and at most one line on
stderr; it never shows a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from b12plan.text import clip_runs, format_loc, printable, shorten

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator, ValidationError

    from b12plan.inputs import Patient, Regimen

__all__ = [
    "InputError",
    "InvalidInput",
    "Loc",
    "OutputError",
    "ReaderGoneError",
    "TerminatedError",
    "format_loc",
    "from_validation_error",
    "printable",
    "through",
    "validated",
]

Loc = tuple[str | int, ...]
"""Where a problem is: field names and list positions, `("labs", 0, "unit")`."""
T = TypeVar("T")


class InvalidInput(ValueError):  # noqa: N818 - the public name (issue 15): says what was wrong
    """Input that cannot be planned from: every problem found, each with its location.

    Raised by `plan`, `check` and `to_text` (and yielded by `plan_many`) for any problem with
    what they were given: a field of the document, the file it came from, its JSON or TOML, a
    custom protocol, a date. `errors` lists every problem as a `(location, message)` pair, in
    the input's order, the list the command line prints; a location is a tuple of field names
    and list positions, such as `("labs", 0, "unit")`. `str()` of it is one line: the first
    problem and how many more there are. A subclass of ValueError.
    """

    __module__ = "b12plan"  # where callers find it; also how it pickles (batch workers)

    def __init__(
        self, loc: Sequence[str | int], msg: str, *, more: Sequence[tuple[Loc, str]] = ()
    ) -> None:
        self.loc: Loc = tuple(loc)
        """Where the first problem is."""
        self.msg = clip_runs(msg)
        """What is wrong with it, and what is allowed."""
        self.errors: list[tuple[Loc, str]] = [
            (self.loc, self.msg),
            *((tuple(where), clip_runs(text)) for where, text in more),
        ]
        """Every problem as `(location, message)`, the first one first, in the input's order."""
        self.ref: str | None = None
        """The `ref` of the patient whose document this is, where it could still be read (a
        batch line that failed names it in its error line)."""
        super().__init__(self.line())

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.errors, self.ref))

    def line(self) -> str:
        """One line for the whole error: the first problem, and how many more there are."""
        more = len(self.errors) - 1
        return problem_line(self.loc, self.msg) + (f" (and {more} more)" if more else "")

    def lines(self) -> list[str]:
        """One line per problem, `labs[0].unit: ...`: what the command line prints."""
        return [problem_line(loc, msg) for loc, msg in self.errors]

    def within(self, *prefix: str | int) -> InvalidInput:
        """The same problems, each located inside `prefix` (a document within a document)."""
        (loc, msg), *more = [((*prefix, *loc), msg) for loc, msg in self.errors]
        return InvalidInput(loc, msg, more=more)


InputError = InvalidInput
"""The name the code base raises it by: the same class."""


def _rebuild(errors: list[tuple[Loc, str]], ref: str | None = None) -> InvalidInput:
    (loc, msg), *more = errors
    made = InvalidInput(loc, msg, more=more)
    made.ref = ref
    return made


def problem_line(loc: Sequence[str | int], msg: str) -> str:
    """`labs[0].unit: ...`: the field, then the message, on one printable line."""
    return printable(f"{where}: {msg}" if (where := format_loc(loc)) else msg)


class OutputError(Exception):
    """The output could not be written (a full disk, an I/O error, a closed stream): exit 74.

    The message names the target and the system's reason, e.g. `cannot write stdout: No space
    left on device`.
    """


class ReaderGoneError(Exception):
    """Whoever read stdout went away (`| head`): exit 141, as a shell reports SIGPIPE."""


class TerminatedError(BaseException):
    """SIGTERM or SIGHUP arrived while a temporary file existed: unwind, remove it, and exit
    128 + the signal's number, as the signal itself would have.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(signum)


@overload
def validated(schema: Literal["patient"], data: Any, *, prefix: Loc = ()) -> Patient: ...
@overload
def validated(schema: Literal["regimen"], data: Any, *, prefix: Loc = ()) -> Regimen: ...
def validated(schema: str, data: Any, *, prefix: Loc = ()) -> Any:
    """The `schema` document (patient, regimen) validated into its plain record
    (`b12plan.inputs`), by the core schema generated from its model: the one door into them.
    Any failure is an InvalidInput naming every field at fault (see `through`)."""
    return through(core_validator(schema).validate_python, data, schema=schema, prefix=prefix)


def through(validate: Callable[[Any], T], data: Any, *, schema: str, prefix: Loc = ()) -> T:
    """`validate(data)`, where any failure is an InvalidInput naming every field at fault, or
    the document when no field can be named; `validated` passes the generated core
    validator, a test the model's own `model_validate`, for the same errors from both.

    Field types bound what they take (numbers of any size included), so the second clause is
    a net: whatever else a validator raises must not become an internal error (exit 70).
    """
    try:
        return validate(data)
    except Exception as exc:
        # Imported only now: a valid document (a batch line) pays nothing for it.
        from pydantic_core import ValidationError

        if isinstance(exc, ValidationError):
            raise from_validation_error(exc, schema=schema, prefix=prefix) from None
        what = f"{type(exc).__name__}: {shorten(str(exc))}"
        raise InvalidInput(prefix, f"the {schema} document could not be read ({what})") from None


_CORE: dict[str, SchemaValidator] = {}


def core_validator(schema: str) -> SchemaValidator:
    """The pydantic-core validator of the `schema` document, built on first use."""
    found = _CORE.get(schema)
    if found is None:
        from pydantic_core import SchemaValidator

        from b12plan import _core

        found = _CORE[schema] = SchemaValidator(getattr(_core, schema)())
    return found


def from_validation_error(
    exc: ValidationError, *, schema: str = "patient", prefix: Loc = ()
) -> InvalidInput:
    """Every pydantic error as one readable problem naming its field; `schema` is the document
    (patient, regimen) whose `b12plan schema` an unknown field is pointed to."""
    problems: list[tuple[Loc, str]] = []
    for error in exc.errors(include_url=False):
        loc = prefix + tuple(error["loc"])
        # Unknown fields point to the schema of the document they were found in.
        document = "patient" if schema == "patient" or loc[:1] == ("patient",) else schema
        problems.append((loc, _friendly(error, document)))
    (loc, msg), *more = problems
    return InvalidInput(loc, msg, more=more)


_AS_MODEL = {"unexpected_keyword_argument": "extra_forbidden", "dataclass_type": "model_type"}


def _friendly(error: Any, schema: str) -> str:
    msg = str(error["msg"])
    kind = error.get("type", "")
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    # The core schema makes plain records where the models make models: pydantic-core names
    # the same problems as a dataclass's (an unknown keyword, not a dictionary).
    kind = _AS_MODEL.get(kind, kind)
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
