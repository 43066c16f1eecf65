"""The command line's validator (the core schema generated from the models, into plain records)
and the models themselves accept the same documents, make the same values and say the same
errors, in the same order, at the same locations: on the bad-input corpus, the examples and
generated patients and regimens, whole and broken.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from b12plan.contract.models import Patient, Regimen
from b12plan.contract.plain import Record
from b12plan.contract.validation import through, validated
from b12plan.errors import InvalidInput
from b12plan.io.parsing import parse_document
from tests.conftest import EXAMPLES
from tests.strategies import patients

CORPUS = Path(__file__).parent / "corpus"
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODELS: dict[str, type[BaseModel]] = {"patient": Patient, "regimen": Regimen}


def _plain(value: Any) -> Any:
    """A model or record as nested dicts; every other value with its type (1 is not 1.0)."""
    if isinstance(value, BaseModel):
        return {name: _plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, Record):
        return {name: _plain(item) for name, item in value.fields()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return (type(value).__name__, value)


def _outcome(validate: Callable[[], Any]) -> Any:
    try:
        return "valid", _plain(validate())
    except InvalidInput as exc:
        return "invalid", exc.errors


def assert_same(schema: str, data: Any) -> Any:
    """Both validators give the same values, or the same list of (location, message): the
    core schema through the one door (`validated`), the model through the same conversion."""
    model = MODELS[schema]
    by_model = _outcome(lambda: through(model.model_validate, data, schema=schema))
    by_core = _outcome(lambda: validated(schema, data))  # type: ignore[call-overload]
    assert by_core == by_model
    return by_core


def _corpus_documents() -> list[Any]:
    """Every patient document of the corpus that parses (JSON or TOML); the rest never reach
    validation, and protocol files are validated by the protocol model alone."""
    cases = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))["file"]
    out = []
    for case in cases:
        if case.get("protocol"):
            continue
        path = CORPUS / case["file"]
        try:
            document = parse_document(path.read_text(encoding="utf-8"), path.name)
        except (InvalidInput, UnicodeDecodeError):
            continue
        out.append(pytest.param(document, id=path.name))
    return out


@pytest.mark.parametrize("document", _corpus_documents())
def test_the_corpus_is_judged_alike(document: Any) -> None:
    """Each malformed patient of the corpus: the same errors from the core schema as from
    the model."""
    assert_same("patient", document)


def test_the_corpus_covers_invalid_documents() -> None:
    """The comparison is not vacuous: most of the corpus fails validation."""
    outcomes = [assert_same("patient", case.values[0])[0] for case in _corpus_documents()]
    assert outcomes.count("invalid") > 100


def _examples(kind: str) -> list[Path]:
    """The example documents of a kind (not the plans and reports made from them)."""
    return sorted(p for p in EXAMPLES.glob(f"{kind}-*") if len(p.suffixes) == 1)


@pytest.mark.parametrize("path", _examples("patient"), ids=lambda p: p.name)
def test_example_patients_are_made_alike(path: Path) -> None:
    """Each example patient gives the same values from both validators."""
    document = parse_document(path.read_text(encoding="utf-8"), path.name)
    assert assert_same("patient", document)[0] == "valid"


@pytest.mark.parametrize("path", _examples("regimen"), ids=lambda p: p.name)
def test_example_regimens_are_made_alike(path: Path) -> None:
    """Each example regimen gives the same values from both validators."""
    document = parse_document(path.read_text(encoding="utf-8"), path.name)
    assert assert_same("regimen", document)[0] == "valid"


@FAST
@given(patients())
def test_generated_patients_are_made_alike(case: tuple[dict[str, Any], date]) -> None:
    """A generated valid patient gives the same values from both validators."""
    assert assert_same("patient", case[0])[0] == "valid"


# Any JSON value, and TOML's dates: what a broken document may hold in place of a field.
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.dates()
    | st.sampled_from(["2025-03-03", "3mo", "b12=150 ng/L@2025-02-24", "im", "mon", "x" * 2001]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [*Patient.model_fields, "note"]


@st.composite
def broken(draw: st.DrawFn, document: dict[str, Any]) -> dict[str, Any]:
    """`document` with one to four fields replaced, removed or damaged within."""
    out = dict(document)
    for _ in range(draw(st.integers(1, 4))):
        field = draw(st.sampled_from(FIELDS))
        action = draw(st.sampled_from(["replace", "remove", "inside"]))
        if action == "remove":
            out.pop(field, None)
        elif action == "inside" and isinstance(out.get(field), list | dict) and out[field]:
            inner = out[field]
            if isinstance(inner, list):
                inner = list(inner)
                inner[draw(st.integers(0, len(inner) - 1))] = draw(JSON)
            else:
                inner = {**inner, draw(st.sampled_from([*inner, "other"])): draw(JSON)}
            out[field] = inner
        else:
            out[field] = draw(JSON)
    return out


@FAST
@given(patients().flatmap(lambda case: broken(case[0])))
def test_broken_patients_get_the_same_errors(document: dict[str, Any]) -> None:
    """A generated patient with fields replaced, removed or damaged: the same values, or the
    same errors in the same order, from both validators."""
    assert_same("patient", document)


STEPS = st.lists(
    st.fixed_dictionaries(
        {"dose_mcg": st.sampled_from([500, 1000, 0.5, -1, "1000"]), "every": JSON},
        optional={"count": JSON, "route": st.sampled_from(["im", "sc", "oral"])},
    ),
    max_size=3,
)


@FAST
@given(
    patients().flatmap(lambda case: broken(case[0]) | st.just(case[0])),
    STEPS | st.none(),
    st.sampled_from([None, "1000mcg im every 2d x6; then 1000mcg im every 3mo", "500 im", 5]),
    st.dictionaries(st.sampled_from(["product", "route", "strength", "extra"]), JSON, max_size=2),
)
def test_generated_regimens_are_judged_alike(
    patient: dict[str, Any], steps: Any, text: Any, extra: dict[str, Any]
) -> None:
    """A regimen of a (perhaps broken) patient, steps and/or a regimen string: the same values
    or the same errors from both validators."""
    document: dict[str, Any] = {"patient": patient, **extra}
    if steps is not None:
        document["steps"] = steps
    if text is not None:
        document["regimen"] = text
    assert_same("regimen", document)


@pytest.mark.parametrize("value", [None, [], 5, "x", [{"start": "2025-03-03"}]])
@pytest.mark.parametrize("schema", ["patient", "regimen"])
def test_a_document_that_is_not_an_object_is_judged_alike(schema: str, value: Any) -> None:
    """Not an object at all: one problem, the same from both validators."""
    outcome, errors = assert_same(schema, value)
    assert outcome == "invalid"
    assert errors == [((), "must be an object (a JSON object or TOML table)")]


def _written_types() -> dict[str, tuple[str, ...]]:
    """The vocabularies' types as the type checker reads them in `contract/vocab.py`."""
    import ast

    from b12plan.contract import vocab

    tree = ast.parse(Path(vocab.__file__).read_text(encoding="utf-8"))
    found = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Subscript)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "Literal"
            and not isinstance(node.value.slice, ast.Call | ast.Subscript)
        ):
            inside = node.value.slice
            items = inside.elts if isinstance(inside, ast.Tuple) else [inside]
            (target,) = node.targets
            assert isinstance(target, ast.Name)
            found[target.id] = tuple(ast.literal_eval(item) for item in items)
    return found


def test_each_type_the_type_checker_reads_is_its_vocabulary() -> None:
    """Each vocabulary's type, written out for the type checker, lists the words of its tuple
    (the one the command line offers and the models' runtime type is built from), in order."""
    from typing import get_args

    from b12plan.contract import vocab

    written = _written_types()
    assert set(written) == set(vocab._TYPES)
    for kind, words in vocab._TYPES.items():
        assert written[kind] == getattr(vocab, words), kind
        assert get_args(getattr(vocab, kind)) == getattr(vocab, words), kind


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (1, None),
        (10**15, None),
        (1.5, None),
        (10**15 + 1, "must be at most 1e15 (got 1000000000000001)"),
        (0, "must be greater than 0 (got 0)"),
        (-3, "must be greater than 0 (got -3)"),
        (True, "must be a number"),
        (1e16, "must be at most 1e15 (got 1e+16)"),
    ],
)
def test_a_positive_number_is_one_from_above_zero_to_1e15(
    value: object, problem: str | None
) -> None:
    """A number field takes a number above zero and at most 1e15, integer or not, and no bool;
    an integer in range is answered at once, every other value by the full checks."""
    from b12plan.contract.validators import positive_number

    if problem is None:
        assert positive_number(value) is value
    else:
        with pytest.raises(ValueError) as raised:
            positive_number(value)
        assert str(raised.value) == problem
