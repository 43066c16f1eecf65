"""Generate the package's derived modules from their sources; a test fails until they are current.

    python tools/generate.py           # rewrite them
    python tools/generate.py --check   # exit 1, naming the stale ones

- `src/b12plan/contract/records.py`: each input document's model and the protocol's as a plain
  `__slots__` record (`b12plan.contract.plain.Record`), its fields in the model's order, typed
  as the model types them (a vocabulary keeps its name, a JSON number is `float`).
- `src/b12plan/contract/documents.py`: the plan and check documents as `TypedDict`s, from the
  `Plan` and `CheckReport` models and the models they hold: a key per field (its alias), in the
  model's order, every Literal a `str`; named as `DOCUMENT_NAMES` says, a key optional as
  `OPTIONAL_KEYS` says.
- `src/b12plan/contract/_core_schema.py`: the pydantic-core schemas of the patient and regimen
  documents, made from the models' own core schemas (`b12plan.contract.models`). Each model
  becomes its plain record (`b12plan.contract.records`), which pydantic-core fills in itself;
  every validator the models use is referred to by its name in `b12plan.contract.validators` (a
  function found nowhere else stops the generator). The command line validates with these,
  without loading pydantic's model machinery.
- `src/b12plan/protocols/_bundled.py`: the bundled protocols (the TOML files stay the source),
  validated by the `Protocol` model (`b12plan.contract.protocol`) here, once, and written out as
  the plain records the engine reads (`b12plan.contract.records`).
- `src/b12plan/cli/_help.py`: `b12plan --help` as click writes it.
- `schemas/*.schema.json`: the contract's JSON Schemas, as `b12plan schema NAME` prints them.
- `src/b12plan/render/_template_*.py`: the handout's templates, compiled by Jinja2.

Every generated module says so in its first lines ("Generated from ... by `python
tools/generate.py`: do not edit.").

The text is formatted by ruff (a test dependency), so the files pass `ruff format --check`.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "b12plan"
CORE = PACKAGE / "contract" / "_core_schema.py"
BUNDLED = PACKAGE / "protocols" / "_bundled.py"
HEADER = '"""{what}\n\nGenerated from {source}\nby `python tools/generate.py`: do not edit.\n"""\n'


# ---------------------------------------------------------------- Python source of plain data


def source_of(value: Any, name: Callable[[Any], str | None]) -> str:
    """`value` as a Python expression; `name` spells what is not plain data (or None)."""
    spelled = name(value)
    if spelled is not None:
        return spelled
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, dict):
        items = ", ".join(f"{source_of(k, name)}: {source_of(v, name)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list):
        return "[" + ", ".join(source_of(item, name) for item in value) + "]"
    if isinstance(value, tuple):
        inside = ", ".join(source_of(item, name) for item in value)
        return "(" + inside + ("," if len(value) == 1 else "") + ")"
    msg = f"cannot write {value!r} ({type(value).__name__}) as source"
    raise TypeError(msg)


def formatted(text: str, path: Path) -> str:
    """`text` as `ruff format` writes it."""
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


# ---------------------------------------------------------------- records and documents


RECORDS_MODULE = PACKAGE / "contract" / "records.py"
DOCUMENTS_MODULE = PACKAGE / "contract" / "documents.py"

# The documents' names where they are not the model's name + "Document".
DOCUMENT_NAMES = {
    "ProtocolRef": "ProtocolDocument",
    "MissedRef": "MissedDocument",
    "CheckReport": "CheckDocument",
}
# Keys a document may lack, and when it has them (the model always has the field).
OPTIONAL_KEYS = {
    ("Dose", "trace"): "only when the plan is explained (`--explain`)",
    ("Plan", "settings"): "only when a settings file (b12plan.toml) was read",
    ("CheckReport", "settings"): "only when a settings file (b12plan.toml) was read",
}


def _input_models() -> list[type]:
    """The input documents' models and the protocol's, each after the models it holds."""
    from b12plan.contract.models import Regimen
    from b12plan.contract.protocol import Protocol

    return _held([Regimen, Protocol])


def _held(roots: list[type]) -> list[type]:
    """`roots` and every model their fields hold, each model after those it holds."""
    from pydantic import BaseModel

    order: list[type] = []

    def visit(model: type) -> None:
        if model in order:
            return
        for field in model.model_fields.values():  # type: ignore[attr-defined]
            for inner in _types_in(field.annotation):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    visit(inner)
        order.append(model)

    for root in roots:
        visit(root)
    return order


def _types_in(annotation: Any) -> list[Any]:
    """Every type an annotation names, through Annotated, unions and generics."""
    from typing import get_args

    args = get_args(annotation)
    if not args:
        return [annotation]
    return [annotation, *(inner for arg in args for inner in _types_in(arg))]


class _Spelling:
    """How a generated module writes the models' field types.

    A union of int and float (a JSON number) is `float`; Annotated is its type; a model is its
    record or document. In records a vocabulary (`b12plan.contract.vocab`) keeps its name; in
    documents, which the engine fills with plain strings, every Literal is `str`.
    """

    def __init__(self, model_name: Callable[[type], str], date: str, vocabulary: bool) -> None:
        self.model_name, self.date, self.vocabulary = model_name, date, vocabulary
        self.used: set[str] = set()

    def __call__(self, annotation: Any) -> str:
        import datetime
        import typing

        from pydantic import BaseModel

        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if origin is typing.Annotated:
            return self(args[0])
        if origin in (typing.Union, types.UnionType):
            kinds = [a for a in args if not (a is int and float in args)]
            return " | ".join(self(kind) for kind in kinds)
        if origin is typing.Literal:
            return self._literal(annotation)
        if origin in (list, dict):
            return f"{origin.__name__}[{', '.join(self(arg) for arg in args)}]"
        if annotation is type(None):
            return "None"
        if annotation is datetime.date:
            return self.date
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return self.model_name(annotation)
        if annotation in (bool, int, float, str):
            return str(annotation.__name__)
        msg = f"cannot spell the type {annotation!r} in a generated module"
        raise SystemExit(msg)

    def _literal(self, annotation: Any) -> str:
        import typing

        from b12plan.contract import vocab

        if self.vocabulary:
            for name in sorted(vocab._TYPES):
                if typing.get_args(getattr(vocab, name)) == typing.get_args(annotation):
                    self.used.add(name)
                    return name
        kinds = sorted({type(arg).__name__ for arg in typing.get_args(annotation)})
        return " | ".join(kinds)


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n\n")[0]


def records_source() -> str:
    """The text of `contract/records.py`: each input and protocol model as a plain record."""
    spell = _Spelling(lambda model: model.__name__, "date", vocabulary=True)
    classes = []
    for model in _input_models():
        fields = model.model_fields  # type: ignore[attr-defined]
        names = "".join(f"        {name!r},\n" for name in fields)
        kinds = "".join(f"    {name}: {spell(f.annotation)}\n" for name, f in fields.items())
        unsorted = "  # noqa: RUF023 - the model's order" if list(fields) != sorted(fields) else ""
        classes.append(
            f"\n\nclass {model.__name__}(Record):\n"
            f'    """{_first_line(model.__doc__)}"""\n\n'
            f"    __slots__ = ({unsorted}\n{names}    )\n{kinds}"
        )
    names = "".join(f"        {model.__name__},\n" for model in _input_models())
    vocabulary = ", ".join(sorted(spell.used))
    head = HEADER.format(
        what=(
            "The input documents and the protocols as plain records (`b12plan.contract.plain`): "
            "what the\nengine reads. Each has its model's fields as slots, in its model's order; "
            "the core schema\n(`_core_schema.py`) validates a document straight into them, and "
            "the bundled protocols\n(`b12plan.protocols._bundled`) are written as them."
        ),
        source="the models in `b12plan.contract.models` and `b12plan.contract.protocol`",
    )
    text = (
        f"{head}\nfrom __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
        "from b12plan.contract.plain import Record\n\nif TYPE_CHECKING:\n"
        "    from datetime import date\n\n"
        f"    from b12plan.contract.vocab import {vocabulary}\n"
        + "".join(classes)
        + "\n\nRECORDS: dict[str, type[Record]] = {\n"
        "    cls.__name__: cls\n    for cls in (\n"
        f"{names}    )\n}}\n"
        '"""Each record by the name of the model it stands for."""\n'
    )
    return formatted(text, RECORDS_MODULE)


def _document_name(model: type) -> str:
    return DOCUMENT_NAMES.get(model.__name__, f"{model.__name__}Document")


def documents_source() -> str:
    """The text of `contract/documents.py`: the plan and check documents' `TypedDict`s."""
    import keyword

    from b12plan.contract.models import CheckReport, Plan

    spell = _Spelling(_document_name, "dt.date", vocabulary=False)
    classes = []
    for model in _held([Plan, CheckReport]):
        name = _document_name(model)
        keys = []
        notes = []
        for field_name, field in model.model_fields.items():  # type: ignore[attr-defined]
            key = field.alias or field_name
            kind = spell(field.annotation)
            when = OPTIONAL_KEYS.get((model.__name__, field_name))
            if when is not None:
                kind = f"NotRequired[{kind}]"
                notes.append(f"; `{key}` {when}")
            keys.append((key, kind))
        reserved = [key for key, _ in keys if keyword.iskeyword(key)]
        if reserved:
            items = "".join(f"        {key!r}: {kind},\n" for key, kind in keys)
            doc = f"`{model.__name__}` (its `{reserved[0]}` is a keyword, hence this spelling)"
            classes.append(
                f'\n\n{name} = TypedDict(\n    "{name}",\n    {{\n{items}    }},\n)\n'
                f'"""{doc}{"".join(notes)}."""\n'
            )
        else:
            items = "".join(f"    {key}: {kind}\n" for key, kind in keys)
            doc = f"`{model.__name__}`{''.join(notes)}."
            classes.append(f'\n\nclass {name}(TypedDict):\n    """{doc}"""\n\n{items}')
    head = HEADER.format(
        what=(
            "The plan and check documents as plain data: what the engine builds, before any "
            "model sees it.\n\n"
            "Dicts in the field order and spelling (aliases) of "
            "`b12plan.contract.models.Plan` and\n`CheckReport`, holding plain values and dates; "
            "every format is written from them, and the\nlibrary's `plan()` and `check()` "
            "validate them into the models. For the type checker and the\ntests: the engine "
            "and the renderers import them only when type checking."
        ),
        source="the models in `b12plan.contract.models`",
    )
    text = (
        f"{head}\nfrom __future__ import annotations\n\nimport datetime as dt\n"
        "from typing import NotRequired, TypedDict\n" + "".join(classes)
    )
    return formatted(text, DOCUMENTS_MODULE)


# ---------------------------------------------------------------- core schemas


def _validator_names() -> dict[int, str]:
    from b12plan.contract import validators

    return {
        id(value): attr
        for attr, value in sorted(vars(validators).items())
        if isinstance(value, types.FunctionType)
    }


def _ref(ref: str) -> str:
    # pydantic's refs carry the class's id(); the record's name is enough and stays put.
    return ref.split(":", maxsplit=1)[0].rsplit(".", 1)[-1]


class _Core:
    """The models' core schema, rewritten to validate into records."""

    def __init__(self) -> None:
        from b12plan.contract import records

        self.records = records.RECORDS
        self.validators = _validator_names()

    def convert(self, schema: Any) -> Any:
        if isinstance(schema, list):
            return [self.convert(item) for item in schema]
        if not isinstance(schema, dict):
            return schema
        kind = schema.get("type")
        if kind == "model":
            return self._model(schema)
        if kind in ("function-before", "function-after", "function-wrap", "function-plain"):
            return self._function(schema)
        if kind == "default" and type(schema.get("default")).__name__ in self.records:
            return {**self._plain(schema), "default": schema["default"]}
        if kind == "default" and schema.get("default", ()) == []:
            # pydantic-core deep-copies a default it cannot hash, in Python (`copy.deepcopy`),
            # for every document; a new empty list from `list` is the same value for nothing.
            out = {key: value for key, value in self._plain(schema).items() if key != "default"}
            return {**out, "default_factory": list}
        return self._plain(schema)

    def _plain(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for key, value in schema.items():
            if key in ("metadata", "serialization"):
                continue  # JSON Schema hooks and output: validation needs neither
            if key in ("ref", "schema_ref") and isinstance(value, str):
                # (A field may be named `ref`, as the patient's is: its schema is a dict.)
                out[key] = _ref(value)
            else:
                out[key] = self.convert(value)
        return out

    def _function(self, schema: dict[str, Any]) -> dict[str, Any]:
        out = self._plain(schema)
        function = schema["function"]["function"]
        name = self.validators.get(id(function))
        if name is None:
            msg = (
                f"{function!r} is not a function of b12plan.contract.validators: the command line "
                "could not validate with it without loading the models"
            )
            raise SystemExit(msg)
        out["function"] = {**out["function"], "function": _Function(name)}
        return out

    def _model(self, schema: dict[str, Any]) -> dict[str, Any]:
        cls = schema["cls"]
        record = self.records.get(cls.__name__)
        if record is None:
            msg = f"no record in b12plan.contract.records stands for {cls.__name__}"
            raise SystemExit(msg)
        fields = list(cls.model_fields)
        if list(record.__slots__) != fields:
            msg = f"records.{record.__name__} has fields {record.__slots__}, the model {fields}"
            raise SystemExit(msg)
        unknown = set(schema) - {"type", "cls", "config", "custom_init", "root_model", "schema"}
        unknown -= {"metadata", "ref", "post_init"}
        if unknown or schema.get("custom_init") or schema.get("root_model"):
            msg = f"{cls.__name__}: model schema keys {sorted(unknown)} are not supported"
            raise SystemExit(msg)
        out = {
            "type": "dataclass",
            "cls": record,
            "fields": fields,
            "slots": True,
            "config": schema["config"],
            "schema": self._arguments(schema["schema"], schema["config"]),
        }
        if "ref" in schema:
            out["ref"] = _ref(schema["ref"])
        return out

    def _arguments(self, schema: dict[str, Any], config: dict[str, Any]) -> dict[str, Any]:
        """The model's fields (inside its before-validators) as a dataclass's arguments."""
        if schema["type"] != "model-fields":
            return {**self._function(schema), "schema": self._arguments(schema["schema"], config)}
        if schema.get("computed_fields") or set(schema) - {
            "type",
            "fields",
            "model_name",
            "computed_fields",
        }:
            msg = f"{schema['model_name']}: model-fields keys beyond fields are not supported"
            raise SystemExit(msg)
        fields = []
        for name, field in schema["fields"].items():
            if set(field) - {"type", "schema", "metadata"}:
                msg = f"{schema['model_name']}.{name}: field options are not supported"
                raise SystemExit(msg)
            fields.append(
                {"type": "dataclass-field", "name": name, "schema": self.convert(field["schema"])}
            )
        return {
            "type": "dataclass-args",
            "dataclass_name": schema["model_name"],
            "fields": fields,
            "extra_behavior": config.get("extra_fields_behavior", "ignore"),
        }


class _Function(str):
    """A validator, written as `v.NAME`."""


def _core_name(value: Any) -> str | None:
    from b12plan.contract import records
    from b12plan.contract.plain import Record

    if isinstance(value, _Function):
        return f"v.{value}"
    if isinstance(value, type) and issubclass(value, Record):
        return f"r.{value.__name__}"
    if value is list:
        return "list"
    if type(value).__name__ in records.RECORDS and hasattr(type(value), "model_fields"):
        # A model instance as a default (`conditions`): the same values, as its record.
        values = ", ".join(
            f"{field}={source_of(getattr(value, field), _core_name)}"
            for field in type(value).model_fields
        )
        return f"r.{type(value).__name__}({values})"
    return None


def core_source() -> str:
    """The text of `contract/_core_schema.py`."""
    from b12plan.contract.models import Patient, Regimen

    core = _Core()
    parts = [
        HEADER.format(
            what="pydantic-core schemas of the input documents, validating into plain records.",
            source="the models in `b12plan.contract.models`",
        ),
        "\nfrom typing import Any\n\nfrom b12plan.contract import records as r\n",
        "from b12plan.contract import validators as v\n",
    ]
    for name, model in (("patient", Patient), ("regimen", Regimen)):
        model.model_rebuild()
        schema = core.convert(model.__pydantic_core_schema__)
        parts.append(
            f"\n\ndef {name}() -> Any:\n"
            f'    """The {name} document\'s schema, for `pydantic_core.SchemaValidator`."""\n'
            f"    return {source_of(schema, _core_name)}\n"
        )
    return formatted("".join(parts), CORE)


# ---------------------------------------------------------------- bundled protocols


def _record_name(value: Any) -> str | None:
    from b12plan.contract.plain import Record

    if isinstance(value, Record):
        values = ", ".join(
            f"{name}={source_of(item, _record_name)}" for name, item in value.fields()
        )
        return f"{type(value).__name__}({values})"
    return None


def bundled_source() -> str:
    """The text of `protocols/_bundled.py`: every TOML file, validated, in catalogue order."""
    from b12plan.protocols import CATALOGUE_ORDER, parse_protocol

    found = {}
    for path in sorted((PACKAGE / "protocols").glob("*.toml")):
        protocol = parse_protocol(path.read_text(encoding="utf-8"), path.name)
        found[protocol.id] = protocol
    ordered = {pid: found[pid] for pid in CATALOGUE_ORDER if pid in found} | found
    parts = [
        HEADER.format(
            what="The bundled protocols, validated, as the plain records the engine reads.",
            source="the TOML files beside it, through `b12plan.contract.protocol`",
        ),
        "\nfrom b12plan.contract.records import MaintenanceSpec, Protocol, RepletionSegment\n\n",
        "BUNDLED: dict[str, Protocol] = {\n",
        *(f"    {pid!r}: {source_of(p, _record_name)},\n" for pid, p in ordered.items()),
        "}\n",
        '"""The protocols shipped with b12plan, by id, in catalogue order."""\n',
    ]
    return formatted("".join(parts), BUNDLED)


# ---------------------------------------------------------------- compiled templates


TEMPLATES = PACKAGE / "render" / "templates"


def template_source(name: str) -> str:
    """The text of the module holding template `name` compiled, by the handout's environment."""
    import jinja2

    from b12plan.render import handout

    compiled = handout.environment(jinja2.BaseLoader()).compile(
        (TEMPLATES / name).read_text(encoding="utf-8"), name, name, raw=True, defer_init=True
    )
    module = handout.COMPILED[name].rsplit(".", 1)[-1]
    head = HEADER.format(
        what=f"The handout template `{name}`, compiled by Jinja2 (its module loader's format).",
        source=f"`render/templates/{name}`",
    )
    note = (
        "# Compiled by this Jinja2; any other compiles the source instead.\n"
        f"jinja2_version = {jinja2.__version__!r}\n"
    )
    path = PACKAGE / "render" / f"{module}.py"
    return formatted(f"{head}\n{note}{compiled}\n", path)


def _templates() -> dict[Path, Callable[[], str]]:
    from b12plan.render import handout

    return {
        PACKAGE / "render" / f"{module.rsplit('.', 1)[-1]}.py": (
            lambda name=name: template_source(name)
        )
        for name, module in handout.COMPILED.items()
    }


# ---------------------------------------------------------------- the top-level help


HELP = PACKAGE / "cli" / "_help.py"


def help_source() -> str:
    """The text of `cli/_help.py`: `b12plan --help` as click writes it at `HELP_WIDTH`."""
    from b12plan.cli import HELP_WIDTH
    from b12plan.cli._group import cli

    # As `b12plan --help` makes it (the group's context settings), without parsing `--help`.
    with cli.make_context("b12plan", [], resilient_parsing=True, terminal_width=HELP_WIDTH) as ctx:
        text = cli.get_help(ctx) + "\n"  # as click echoes it
    head = HEADER.format(
        what="`b12plan --help` as click writes it on a terminal of 80 columns or more.",
        source="the click group `b12plan.cli._group.cli`",
    )
    lines = "".join(f"    {line!r}\n" for line in text.splitlines(keepends=True))
    return formatted(f"{head}\nHELP = (\n{lines})\n", HELP)


# ---------------------------------------------------------------- the contract's JSON Schemas


SCHEMA_FOLDER = ROOT / "schemas"


def _schemas() -> dict[Path, Callable[[], str]]:
    """`schemas/NAME.schema.json`, as `b12plan schema NAME` prints it (tests/test_schemas.py)."""
    from b12plan.contract.json_schema import SCHEMAS, schema_json

    return {
        SCHEMA_FOLDER / f"{name}.schema.json": (lambda name=name: schema_json(name))
        for name in SCHEMAS
    }


# ---------------------------------------------------------------- the whole set


GENERATED: dict[Path, Callable[[], str]] = {
    RECORDS_MODULE: records_source,
    DOCUMENTS_MODULE: documents_source,
    CORE: core_source,
    BUNDLED: bundled_source,
    HELP: help_source,
    **_templates(),
    **_schemas(),
}


def main() -> None:
    """Rewrite the generated files, or with --check say which are stale."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    parser.add_argument("--again", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    stale = []
    for path, make in GENERATED.items():
        text = make()
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.relative_to(ROOT))
        print(f"{'stale' if args.check else 'wrote'} {path.relative_to(ROOT)}")
        if args.check:
            continue
        path.write_text(text, encoding="utf-8")
        if path == RECORDS_MODULE and not args.again:
            # The modules after it are made with the records, which this process imported
            # before they were rewritten: a fresh one makes them.
            again = [sys.executable, __file__, "--again"]
            sys.exit(subprocess.run(again, check=False).returncode)
    sys.exit(1 if stale and args.check else 0)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
