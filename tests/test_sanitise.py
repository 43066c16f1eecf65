"""Control characters in user text never reach a terminal, a calendar or any other output.

The torture run of issue 13 printed an override reason's escape sequence raw into the table and
carried ESC, BEL, BS, DEL and NUL into ICS TEXT (RFC 5545 allows no control character there but
HTAB). Every input document now passes one sanitiser (`b12plan.contract.text.clean_tree`) as it is
validated; these tests put any control character into any free-text field, and into every
other string of the documents, and read every format.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b12plan.contract.text import clean_text, clean_tree
from b12plan.contract.vocab import FORMATS
from tests.conftest import ROOT, Result, run

AS_OF = "2025-03-05"
# A patient whose plan carries every free-text field: the override reason (an interval outside
# the protocol's steps needs one) and an injection site.
PATIENT: dict[str, Any] = {
    "start": "2025-03-03",
    "cause": "autoimmune-gastritis",
    "given": [{"date": "2025-03-03", "site": "left deltoid"}],
    "interval": "1mo",
    "override_reason": "symptoms return early",
}
# The same with a dated interval change: its reason is free text too.
CHANGED: dict[str, Any] = {
    "start": "2025-03-03",
    "cause": "autoimmune-gastritis",
    "interval_changes": [{"date": "2025-03-04", "interval": "1mo", "reason": "symptoms early"}],
}
FREE_TEXT = ("override_reason", "site", "interval_changes[0].reason")
PROTOCOL = (
    (ROOT / "src/b12plan/protocols/uk-bnf-hydroxo-nonneuro.toml")
    .read_text(encoding="utf-8")
    .replace('id = "uk-bnf-hydroxo-nonneuro"', 'id = "clinic-hydroxo"')
)
PROTOCOL_TEXT = {
    "title": '"Hydroxocobalamin, no neurological involvement (BNF)"',
    "conventions": json.dumps(
        "'3 times a week for 2 weeks' is 6 doses with gaps of 2, 2, 3, 2, 2 days [C]."
    ),
    "repletion why": '"1 mg 3 times a week for 2 weeks"',
    "maintenance why": '"1 mg every 2–3 months"',
}
SCHEDULE_FORMATS = FORMATS
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def controls(*, surrogates: bool = True) -> st.SearchStrategy[str]:
    """Any control character (C0, DEL, C1), lone surrogate or bidi override, or a known nasty
    sequence (clear screen, set the window title, CR LF, the Unicode line separator)."""
    categories: list[Any] = ["Cc", "Cs"] if surrogates else ["Cc"]
    return st.one_of(
        st.characters(categories=categories),
        st.sampled_from(BIDI),
        st.sampled_from(["\x1b[2J", "\x1b]0;pwned\x07", "\r\n", "\r", "\u2028", "\x00", "\x7f"]),
    )


@st.composite
def dirty(draw: st.DrawFn, text: str, *, surrogates: bool = True) -> str:
    """`text` with control characters put in at random places."""
    out = text
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(out)))
        out = out[:at] + draw(controls(surrogates=surrogates)) + out[at:]
    return out


def unsafe(text: str, fmt: str) -> list[str]:
    """The characters of an output that must not be there: every control character but a tab
    and a line break (CR only in CR LF, where csv and ics end lines), lone surrogates, bidi
    overrides; in a table, no tab either (rich expands them)."""
    if fmt in ("csv", "ics"):
        text = text.replace("\r\n", "\n")
    allowed = "\n" if fmt == "table" else "\t\n"
    return [
        ch
        for ch in text
        if ch not in allowed and (unicodedata.category(ch) in ("Cc", "Cs") or ch in BIDI)
    ]


def _outputs(patient: dict[str, Any], *args: str) -> dict[str, Result]:
    stdin = json.dumps(patient)
    return {
        fmt: run("schedule", "-", "--as-of", AS_OF, "--format", fmt, *args, stdin=stdin)
        for fmt in SCHEDULE_FORMATS
    }


@PROPERTY
@given(data=st.data(), field=st.sampled_from(FREE_TEXT))
def test_any_control_character_in_free_text_reaches_no_format(
    data: st.DataObject, field: str
) -> None:
    """Control characters in the override reason, a site or an interval change's reason are
    planned (exit 0) and written out visibly in every format: none reaches the output."""
    patient = json.loads(json.dumps(CHANGED if field.startswith("interval_") else PATIENT))
    if field == "site":
        patient["given"][0]["site"] = data.draw(dirty("left deltoid"), label="site")
    elif field == "override_reason":
        patient[field] = data.draw(dirty(PATIENT[field]), label=field)
    else:
        change = patient["interval_changes"][0]
        change["reason"] = data.draw(dirty(change["reason"]), label=field)
    for fmt, result in _outputs(patient).items():
        assert result.code == 0, (fmt, result.err)
        assert unsafe(result.out, fmt) == [], fmt
        assert unsafe(result.err, "table") == [], fmt


@PROPERTY
@given(data=st.data(), where=st.sampled_from(sorted(PROTOCOL_TEXT)))
def test_any_control_character_in_a_custom_protocol_reaches_no_output(
    tmp_path: Path, data: st.DataObject, where: str
) -> None:
    """A custom protocol's title, wording or conventions with control characters (as TOML
    escapes) reach no format of schedule, check or protocols."""
    original = PROTOCOL_TEXT[where]
    # JSON's string escapes (\\u001b, \\n, \\t ...) are TOML's too; TOML has no lone surrogates.
    text = json.dumps(data.draw(dirty(json.loads(original), surrogates=False), label=where))
    path = tmp_path / "clinic.toml"
    path.write_text(PROTOCOL.replace(original, text, 1), encoding="utf-8")
    patient = {**PATIENT, "protocol": "clinic-hydroxo", "interval": "2mo"}
    del patient["override_reason"]
    results = _outputs(patient, "--protocol-file", str(path))
    regimen = ("--regimen", "1000mcg im every 2d x6; then 1000mcg im every 2mo")
    base = ("--start", "2025-03-03", "--cause", "dietary", "--protocol", "clinic-hydroxo")
    for fmt in ("table", "json"):
        results[f"check {fmt}"] = run(
            "check", *regimen, *base, "--protocol-file", str(path), "--format", fmt
        )
        results[f"protocols {fmt}"] = run("protocols", "--validate", str(path), "--format", fmt)
    for name, result in results.items():
        assert result.code in (0, 1), (name, result.err)
        fmt = name.split()[-1]
        assert unsafe(result.out, fmt) == [], name
        assert unsafe(result.err, "table") == [], name


def _strings(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every string in a document, keys included (a key's path ends in None)."""
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        found = [(*path, key, None) for key in value]
        for key, item in value.items():
            found += _strings(item, (*path, key))
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _strings(item, (*path, i))]
    return []


def _replace(document: Any, path: tuple[Any, ...], make: Any) -> Any:
    """`document` with the string (or key) at `path` replaced by `make(old)`."""
    if not path:
        return make(document)
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        if rest == (None,):
            return {(make(k) if k == head else k): v for k, v in document.items()}
        return {k: (_replace(v, rest, make) if k == head else v) for k, v in document.items()}
    return [(_replace(v, rest, make) if i == head else v) for i, v in enumerate(document)]


FULL = {
    **PATIENT,
    "dob": "1961-07-09",
    "sex": "female",
    "product": "hydroxocobalamin",
    "route": "im",
    "strength": "1000 mcg/mL",
    "labs": [
        "b12=150 ng/L@2025-02-24",
        {**json.loads('{"analyte": "hb", "value": 118}'), "unit": "g/L", "date": "2025-02-24"},
    ],
    "symptoms_returned": ["2025-03-04"],
    "missed": [{"date": "2025-03-05", "reason": "declined"}],
    "clinic": {"open": ["mon", "tue", "wed", "thu", "fri"], "closed": ["2025-12-25"]},
    "repletion_done": False,
}


@settings(PROPERTY, max_examples=40)
@given(data=st.data(), path=st.sampled_from(_strings(FULL)))
def test_a_control_character_in_any_string_of_a_patient_reaches_no_output(
    data: st.DataObject, path: tuple[Any, ...]
) -> None:
    """Any string of a patient document (values and keys) with control characters: whether it
    is accepted or refused (exit 2), no output or error line carries one."""
    chars = data.draw(st.lists(controls(), min_size=1, max_size=2), label="controls")
    document = _replace(FULL, path, lambda old: old + "".join(chars))
    for fmt, result in _outputs(document).items():
        assert result.code in (0, 1, 2), (fmt, result.err)
        assert unsafe(result.out, fmt) == [], fmt
        assert unsafe(result.err, "table") == [], fmt


def test_an_escape_sequence_in_the_override_reason_is_shown_not_obeyed() -> None:
    """The torture run's case: ESC in the override reason is printed as `\\x1b` in the table."""
    patient = {**PATIENT, "override_reason": "fatigue \x1b[31mred\x1b[0m"}
    result = run("schedule", "-", "--as-of", AS_OF, stdin=json.dumps(patient))
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    assert "\\x1b[31mred\\x1b[0m" in result.out


def test_ics_text_carries_no_raw_control_character() -> None:
    """The torture run's case: ESC, BEL, BS, DEL and NUL in a site do not reach ICS TEXT."""
    patient = json.loads(json.dumps(PATIENT))
    patient["given"][0]["site"] = "arm\x1b\x07\x08\x7f\x00"
    result = run("schedule", "-", "--as-of", AS_OF, "--format", "ics", stdin=json.dumps(patient))
    assert result.code == 0, result.err
    assert "Site: arm\\\\x1b\\\\x07\\\\x08\\\\x7f\\\\x00." in result.out.replace("\r\n ", "")
    assert unsafe(result.out, "ics") == []


def test_colour_on_leaves_only_the_table_s_own_styles() -> None:
    """With colour forced on, every ESC in the table starts an SGR style rich wrote; the user's
    escape sequence is shown as text."""
    patient = {**PATIENT, "override_reason": "x\x1b]0;title\x07y"}
    stdin = json.dumps(patient)
    result = run("schedule", "-", "--as-of", AS_OF, "--color", stdin=stdin)
    assert result.code == 0, result.err
    assert "x\\x1b]0;title\\x07y" in result.out
    assert "\x1b]" not in result.out
    assert "\x07" not in result.out


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("plain text, µg and – dashes", "plain text, µg and – dashes"),
        ("a\x1b[31mb", "a\\x1b[31mb"),
        ("line one\r\nline two\rthree", "line one\nline two\nthree"),
        ("tab\tstays", "tab\tstays"),
        ("para\u2029graph\u2028line", "para\ngraph\nline"),
        ("rtl \u202eevil", "rtl \\u202eevil"),
        ("nul\x00 del\x7f c1\x85", "nul\\x00 del\\x7f c1\\x85"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
        ("joiner \u200d and nbsp\u00a0", "joiner \u200d and nbsp\u00a0"),
    ],
)
def test_clean_text_keeps_meaning_and_shows_controls(text: str, clean: str) -> None:
    """Tabs and line breaks stay (CR LF and CR as LF); other controls, lone surrogates and bidi
    overrides are written out visibly; other text is unchanged."""
    assert clean_text(text) == clean


@given(st.text())
def test_clean_text_is_idempotent_and_safe(text: str) -> None:
    """Cleaning twice is cleaning once, and clean text holds no unsafe character."""
    once = clean_text(text)
    assert clean_text(once) == once
    assert unsafe(once, "json") == []


def test_clean_tree_cleans_keys_and_values_and_keeps_other_values() -> None:
    """Every string of a document is cleaned, keys included; numbers and the rest stay."""
    tree = {"a\x1b": ["b\x07", 1, 2.5, None, True, {"c": "\x00"}]}
    assert clean_tree(tree) == {"a\\x1b": ["b\\x07", 1, 2.5, None, True, {"c": "\\x00"}]}


TREES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=6)
    | st.sampled_from(["ok", "a\x1bb", "\u202e", "line\r\nbreak", "\ud800"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner)
        | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=3)
    ),
    max_leaves=40,
)


def _deep(levels: int) -> Any:
    tree: Any = "x"
    for _ in range(levels):
        tree = {"a": [tree]}
    return tree


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(TREES, st.integers(30, 34).map(_deep)))
def test_clean_tree_gives_what_cleaning_every_node_gives(tree: Any) -> None:
    """The quick check that returns a clean document as it is never changes the outcome: the
    same tree (keys, values, lists for tuples) or the same depth error as a full walk."""
    from b12plan.contract import text

    def walked() -> Any:
        try:
            return text._clean(tree, 0)
        except text._TooDeepError:
            return "too deep"

    try:
        got: Any = clean_tree(tree)
    except ValueError:
        got = "too deep"
    assert got == walked()
    assert type(got) is type(walked())


JSON_TREES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=6)
    | st.sampled_from(["ok", "a\x1bb", "\x7f", "\u202e", "back\\slash", "é"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(JSON_TREES, st.integers(28, 34).map(_deep)), st.booleans())
def test_a_line_passed_as_clean_by_its_bytes_is_clean(tree: Any, ascii_only: bool) -> None:
    """A JSON line whose bytes pass as clean parses to a document the full walk finds clean,
    and every line cleans to what the walk gives, whether its document is marked or not."""
    from b12plan.contract import text
    from b12plan.io.parsing import parse_json_line

    line = json.dumps({"doc": tree}, ensure_ascii=ascii_only).encode()
    document = parse_json_line(line)
    if text.json_text_is_clean(line):
        assert type(document) is text.CleanDocument
        assert text._is_clean(json.loads(line))
    try:
        walked: Any = text._clean(json.loads(line), 0)
    except text._TooDeepError:
        walked = "too deep"
    try:
        got: Any = clean_tree(document)
    except ValueError:
        got = "too deep"
    assert got == walked


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        (b'{"start":"2025-01-17","labs":["b12=300 ng/L@2025-01-13"],"given":[{"date":"x"}]}', True),
        (b'{"ref": "a\\u001bb"}', False),  # an escape may spell a control character
        (b'{"ref": "a\\\\b"}', False),  # an escaped backslash: rare, and left to the walk
        (b'{"ref": "a\x7fb"}', False),  # DEL, the control character JSON lets through raw
        ('{"ref": "caf\u00e9"}'.encode(), False),  # beyond ASCII: a bidi mark, say
        (b"[" * 31 + b"]" * 31, True),
        (b"[" * 32 + b"]" * 32, False),  # might nest MAX_DEPTH deep
    ],
)
def test_json_text_is_clean_reads_the_bytes(line: bytes, clean: bool) -> None:
    """Printable ASCII without a backslash, and fewer than MAX_DEPTH brackets, passes as clean;
    anything that could hold a character to clean, or nest too deep, does not."""
    from b12plan.contract.text import json_text_is_clean

    assert json_text_is_clean(line) is clean


def test_a_changed_copy_of_a_clean_document_is_walked_again() -> None:
    """Only the parser's own document is taken as clean: a copy with a field added is a plain
    dict, and its control characters are cleaned."""
    from b12plan.api import apply_overrides
    from b12plan.contract.text import CleanDocument
    from b12plan.io.parsing import parse_json_line

    document = parse_json_line(b'{"start": "2025-01-17"}')
    assert type(document) is CleanDocument
    changed = apply_overrides(document, {"override_reason": "a\x1bb"})
    assert type(changed) is dict
    assert clean_tree(changed)["override_reason"] == "a\\x1bb"
