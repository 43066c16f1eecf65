"""The one door into the input documents: validation by the generated pydantic-core schema into
plain records, and the one conversion of pydantic's errors into `InvalidInput`.

A caller, the command line included, meets one exception type with one list of problems, each
naming its field, whether the generated validator or a model's own `model_validate` found it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from b12plan.contract.text import shorten
from b12plan.errors import InvalidInput, Loc

if TYPE_CHECKING:
    from types import FrameType

    from pydantic_core import SchemaValidator, ValidationError

    from b12plan.contract.records import Patient, Regimen

T = TypeVar("T")


@overload
def validated(schema: Literal["patient"], data: Any, *, prefix: Loc = ()) -> Patient: ...
@overload
def validated(schema: Literal["regimen"], data: Any, *, prefix: Loc = ()) -> Regimen: ...
def validated(schema: str, data: Any, *, prefix: Loc = ()) -> Any:
    """The `schema` document (patient, regimen) validated into its plain record
    (`b12plan.contract.records`), by the core schema generated from its model: the one door into
    them. Any failure is an InvalidInput naming every field at fault (see `through`)."""
    # `through`'s try spelled out here: a batch validates every line, and handing the validator
    # to `through` cost a few tenths of a microsecond a line.
    try:
        return core_validator(schema).validate_python(data)
    except Exception as exc:
        raise _invalid(exc, schema=schema, prefix=prefix) from None


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
        raise _invalid(exc, schema=schema, prefix=prefix) from None


def _invalid(exc: Exception, *, schema: str, prefix: Loc) -> InvalidInput:
    """What a validator raised, as the InvalidInput `through` raises for it."""
    # Imported only now: a valid document (a batch line) pays nothing for it.
    from pydantic_core import ValidationError

    if isinstance(exc, ValidationError):
        return from_validation_error(exc, schema=schema, prefix=prefix)
    what = f"{type(exc).__name__}: {shorten(str(exc))}"
    return InvalidInput(prefix, f"the {schema} document could not be read ({what})")


_CORE: dict[str, SchemaValidator] = {}


def core_validator(schema: str) -> SchemaValidator:
    """The pydantic-core validator of the `schema` document, built on first use."""
    found = _CORE.get(schema)
    if found is None:
        found = _CORE[schema] = _built(schema)
    return found


def _built(schema: str) -> SchemaValidator:
    """The validator of `schema`, built with Ctrl-C held back until it is: pydantic-core calls
    Python while it builds (a class's name, a pattern), and a KeyboardInterrupt raised there is
    lost ("Exception ignored in: 'cls_name'") or becomes a SchemaError. A Ctrl-C that arrives
    meanwhile is raised as soon as the validator is built."""
    from pydantic_core import SchemaValidator

    from b12plan.contract import _core_schema

    if TYPE_CHECKING:
        import signal
    else:
        # The C module `signal` wraps, loaded at every start; `signal` would add ~1% to it.
        import _signal as signal

    arrived: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:  # noqa: ARG001 - a handler's
        arrived.append(signum)

    previous = signal.getsignal(signal.SIGINT)
    if previous is not None:  # None: a handler set outside Python, left as it is
        try:
            signal.signal(signal.SIGINT, hold)
        except ValueError:  # not the main thread, the only one that runs Python's handlers
            previous = None
    try:
        return SchemaValidator(getattr(_core_schema, schema)())
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
        if arrived:
            signal.raise_signal(signal.SIGINT)


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
        msg = "must be a list (an array, [...])"  # the same in JSON and TOML
    elif kind in ("model_type", "dict_type"):
        msg = "must be an object (a JSON object or TOML table)"
    elif kind == "too_long" and "max_length" in error.get("ctx", {}):
        msg = f"has too many items; at most {error['ctx']['max_length']} allowed"
    return msg
