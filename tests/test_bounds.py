"""Extreme input is a clean error (exit 2, one short line naming the field), never exit 70.

The torture run of issue 13 found that a 4,001-digit integer in any number field crashed
validation (and a whole batch), that TOML which tomllib rejects with anything but a decode
error crashed, that a given dose of 5,000,000 mcg was accepted, that an error line repeated a
500 KB value whole, and that a lone-surrogate key gave an error naming no field. These tests
generate each class: any integer size in any number field of every document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b12plan.contract.text import quote
from tests.conftest import ROOT, Result, run

AS_OF = "2025-03-05"
PATIENT = {"start": "2025-03-03", "cause": "autoimmune-gastritis"}
LAB = {"analyte": "b12", "value": 150, "unit": "ng/L", "date": "2025-02-24"}
STEP = {"dose_mcg": 1000, "every": "2d", "count": 6}
NUMBER = "__NUMBER__"
# Where a number goes in each document, and the field the error must name.
PATIENT_FIELDS = {
    "labs[0].value": {**PATIENT, "labs": [{**LAB, "value": NUMBER}]},
    "labs[0].ref_low": {**PATIENT, "labs": [{**LAB, "ref_low": NUMBER}]},
    "labs[0].ref_high": {**PATIENT, "labs": [{**LAB, "ref_high": NUMBER}]},
    "given[0].dose_mcg": {**PATIENT, "given": [{"date": "2025-03-03", "dose_mcg": NUMBER}]},
}
REGIMEN_FIELDS = {
    "steps[0].dose_mcg": {"patient": PATIENT, "steps": [{**STEP, "dose_mcg": NUMBER}]},
    "steps[0].count": {"patient": PATIENT, "steps": [{**STEP, "count": NUMBER}]},
    "patient.labs[0].value": {"patient": PATIENT_FIELDS["labs[0].value"], "steps": [STEP]},
}
PROTOCOL = (ROOT / "src/b12plan/protocols/uk-bnf-hydroxo-neuro.toml").read_text(encoding="utf-8")
PROTOCOL_FIELDS = {
    "protocol_file.repletion[0].dose_mcg": ("dose_mcg = 1000\ngaps", f"dose_mcg = {NUMBER}\ngaps"),
    "protocol_file.repletion[0].gaps_days[0]": ("gaps_days = [2]", f"gaps_days = [{NUMBER}]"),
    "protocol_file.repletion[0].provisional_count": (
        "provisional_count = 8",
        f"provisional_count = {NUMBER}",
    ),
    "protocol_file.repletion[0].review_day": ("review_day = 14", f"review_day = {NUMBER}"),
    "protocol_file.maintenance.dose_mcg": (
        'dose_mcg = 1000\ndefault = "2mo"',
        f'dose_mcg = {NUMBER}\ndefault = "2mo"',
    ),
}
# Python refuses to read an integer of more than 4,300 digits (CVE-2020-10735): such a
# document is rejected by the parser, naming the file rather than the field.
PARSER_DIGITS = 4300
SHORT_LINE = 400
HUGE = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def out_of_range_integers(draw: st.DrawFn) -> str:
    """An integer no number field accepts, as JSON/TOML text: zero, negative or 16+ digits,
    up to 6,000 digits."""
    size = draw(st.one_of(st.integers(16, 60), st.integers(61, 6000), st.sampled_from([4001])))
    digits = str(draw(st.integers(1, 9))) + "9" * (size - 1)
    return draw(st.sampled_from([digits, f"-{digits}", "0", "-1"]))


def _json(document: dict[str, object], number: str) -> str:
    # json.dumps cannot write an integer of more than 4,300 digits: the text is spliced in.
    return json.dumps(document).replace(f'"{NUMBER}"', number)


def _assert_clean_error(result: Result, field: str, number: str) -> None:
    """Exit 2 and one short line naming the field (or, past the parser's limit, the file)."""
    assert result.code == 2, (field, result.err[:300])
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err[:300]
    assert len(lines[0]) < SHORT_LINE, lines[0][:300]
    if len(number.lstrip("-")) > PARSER_DIGITS:
        assert f"has more than {PARSER_DIGITS} digits" in lines[0], lines[0]
    else:
        assert lines[0].startswith(f"b12plan: error: {field}: "), lines[0]


@HUGE
@given(number=out_of_range_integers(), field=st.sampled_from(sorted(PATIENT_FIELDS)))
def test_any_integer_in_any_patient_number_field_is_a_clean_error(number: str, field: str) -> None:
    """An integer of any size in any number field of a patient gives exit 2 naming the field."""
    result = run("schedule", "-", "--as-of", AS_OF, stdin=_json(PATIENT_FIELDS[field], number))
    _assert_clean_error(result, field, number)


@HUGE
@given(number=out_of_range_integers(), field=st.sampled_from(sorted(REGIMEN_FIELDS)))
def test_any_integer_in_any_regimen_number_field_is_a_clean_error(number: str, field: str) -> None:
    """An integer of any size in any number field of a regimen gives exit 2 naming the field."""
    result = run("check", "-", "--as-of", AS_OF, stdin=_json(REGIMEN_FIELDS[field], number))
    _assert_clean_error(result, field, number)


@HUGE
@given(number=out_of_range_integers(), field=st.sampled_from(sorted(PROTOCOL_FIELDS)))
def test_any_integer_in_any_protocol_number_field_is_a_clean_error(
    tmp_path: Path, number: str, field: str
) -> None:
    """An integer of any size in any number field of a custom protocol gives exit 2 naming it."""
    old, new = PROTOCOL_FIELDS[field]
    path = tmp_path / "clinic.toml"
    path.write_text(PROTOCOL.replace(old, new.replace(NUMBER, number)), encoding="utf-8")
    _assert_clean_error(run("protocols", "--validate", str(path)), field, number)


@pytest.mark.parametrize("field", sorted(PATIENT_FIELDS))
def test_a_4001_digit_integer_is_a_clean_error(field: str) -> None:
    """The torture run's case: a 4,001-digit integer is exit 2 naming the field, not exit 70."""
    number = "9" * 4001
    result = run("schedule", "-", "--as-of", AS_OF, stdin=_json(PATIENT_FIELDS[field], number))
    assert result.err == (
        f"b12plan: error: {field}: must be "
        + (
            "at most 100000 mcg, the largest dose b12plan accepts (got an integer of 4,001 "
            "digits); check the unit\n"
            if field.endswith("dose_mcg")
            else "at most 1e15 (got an integer of 4,001 digits)\n"
        )
    )
    assert result.code == 2


def test_a_huge_integer_on_one_batch_line_leaves_the_others_planned() -> None:
    """In --batch, the line with the huge integer is its error object; the lines after it are
    still planned."""
    bad = _json(PATIENT_FIELDS["labs[0].value"], "9" * 4001)
    good = json.dumps(PATIENT)
    result = run("schedule", "--batch", "--as-of", AS_OF, stdin=f"{good}\n{bad}\n{good}\n")
    assert result.code == 2
    first, second, third = (json.loads(line) for line in result.out.splitlines())
    assert first["protocol"]["id"] == third["protocol"]["id"] == "uk-bnf-hydroxo-nonneuro"
    assert second["line"] == 2
    assert second["error"]["errors"] == [
        {
            "loc": ["labs", 0, "value"],
            "msg": "must be at most 1e15 (got an integer of 4,001 digits)",
        }
    ]


@pytest.mark.parametrize("dose", ["5000000", "1e308", "100001", "1.7976931348623157e308"])
def test_a_given_dose_above_the_largest_regimen_dose_is_refused(dose: str) -> None:
    """A given dose above 100,000 mcg (100 mg, the largest a regimen step may have) is a typo
    or the wrong unit: exit 2, and the message says the bound."""
    result = run(
        "schedule", "-", "--as-of", AS_OF, stdin=_json(PATIENT_FIELDS["given[0].dose_mcg"], dose)
    )
    assert result.code == 2
    assert result.err.startswith(
        "b12plan: error: given[0].dose_mcg: must be at most 100000 mcg, the largest dose "
        "b12plan accepts (got "
    )


def test_the_largest_given_dose_is_accepted() -> None:
    """100,000 mcg itself is within the bound (it is the regimen grammar's largest dose)."""
    stdin = _json(PATIENT_FIELDS["given[0].dose_mcg"], "100000")
    result = run("schedule", "-", "--as-of", AS_OF, "--format", "json", stdin=stdin)
    assert result.code == 0, result.err
    assert result.json()["doses"][0]["dose_mcg"] == 100000


TOML_CASES = {
    "3000 nested arrays": "x = " + "[" * 3000 + "]" * 3000 + "\n",
    "a 5000-digit integer": "x = " + "9" * 5000 + "\n",
}
TOML_PROBLEMS = {
    "3000 nested arrays": "nested too deeply",
    "a 5000-digit integer": "a number has more than 4300 digits",
}


@pytest.mark.parametrize("case", sorted(TOML_CASES))
@pytest.mark.parametrize("role", ["patient", "regimen", "protocol"])
def test_toml_the_parser_rejects_in_any_way_is_a_clean_error(
    tmp_path: Path, case: str, role: str
) -> None:
    """Deep nesting or a huge integer in a patient, regimen or protocol TOML file is exit 2
    naming the file, not exit 70."""
    path = tmp_path / "input.toml"
    path.write_text('start = "2025-03-03"\n' + TOML_CASES[case], encoding="utf-8")
    if role == "patient":
        result, field = run("schedule", str(path), "--as-of", AS_OF), "file"
    elif role == "regimen":
        result, field = run("check", str(path), "--as-of", AS_OF), "file"
    else:
        base = ("--start", "2025-03-03", "--cause", "dietary", "--as-of", AS_OF)
        result, field = run("schedule", *base, "--protocol-file", str(path)), "protocol_file"
    assert result.code == 2
    assert result.err == (
        f"b12plan: error: {field}: {path} is not valid TOML: {TOML_PROBLEMS[case]}\n"
    )


@pytest.mark.parametrize(
    "document",
    [
        {**PATIENT, "cause": "x" * 500_000},
        {**PATIENT, "start": "2" * 500_000},
        {**PATIENT, "strength": "1" * 500_000 + " mcg/mL"},
        {**PATIENT, "interval": "9" * 500_000 + "mo"},
        {**PATIENT, "labs": ["b12=" + "1" * 500_000 + " ng/L@2025-02-24"]},
        {**PATIENT, "labs": [{**LAB, "unit": "n" * 500_000}]},
    ],
    ids=["cause", "start", "strength", "interval", "lab-string", "unit"],
)
def test_an_error_line_quotes_only_a_short_prefix_of_a_huge_value(document: dict[str, str]) -> None:
    """A 500 KB value gives an error line of a few hundred characters, not a 1 MB line."""
    result = run("schedule", "-", "--as-of", AS_OF, stdin=json.dumps(document))
    assert result.code == 2
    assert len(result.err) < SHORT_LINE, result.err[:500]
    assert result.err.count("\n") == 1


def test_a_huge_regimen_token_is_quoted_short() -> None:
    """A regimen string's bad token is quoted by its first characters and its length."""
    token = "9" * 1500
    result = run("check", "--regimen", f"{token}mcg im every 2d", *_base(), "--as-of", AS_OF)
    assert result.code == 2
    assert f"{quote(token + 'mcg')}: the dose must be at least 1 mcg" in result.err
    assert len(result.err) < SHORT_LINE


def _base() -> tuple[str, ...]:
    return ("--start", "2025-03-03", "--cause", "dietary")


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("short", "'short'"),
        ("x" * 41, "'" + "x" * 40 + "'… (41 characters)"),
        ("a\x1bb", "'a\\x1bb'"),
        ("a\\b", "'a\\b'"),
        ("C:\\temp\\new", "'C:\\temp\\new'"),
        ("a\\x1bb", "'a\\x1bb'"),
        ("it's", '"it\'s"'),
        ("\\\x1b", "'\\\\\\x1b'"),
        (12, "12"),
        (-(10**4000), "a negative integer of 4,001 digits"),
        (10**39, "1" + "0" * 39),
        (10**40, "an integer of 41 digits"),
        (1e308, "1e+308"),
        (True, "True"),
    ],
)
def test_quote_shows_a_value_short(value: object, quoted: str) -> None:
    """quote() writes a value as messages show it: in quotes, a backslash as typed, cut, and
    control characters written out (with a typed backslash then doubled, to tell them apart)."""
    assert quote(value) == quoted


@pytest.mark.parametrize(
    ("key", "shown"),
    [
        ("a\\b", "'a\\b'"),
        ("C:\\Users\\ann", "'C:\\Users\\ann'"),
        ("\\x1b[31mred", "'\\x1b[31mred'"),
        ("x" * 30 + "\\" * 20, "'" + "x" * 30 + "\\" * 10 + "'… (50 characters)"),
    ],
)
def test_an_unknown_key_with_backslashes_is_shown_as_typed(key: str, shown: str) -> None:
    """An unknown key holding backslashes is named with each backslash once, as its user wrote
    the key (not doubled), in the error line and in the JSON error object's message."""
    document = json.dumps({"start": "2025-03-03", "cause": "dietary", key: 1})
    result = run("schedule", "-", "--as-of", AS_OF, stdin=document)
    assert result.code == 2
    assert result.err == (
        f"b12plan: error: {shown}: unknown field; see `b12plan schema patient` for the fields "
        "allowed\n"
    )
    as_json = run("schedule", "-", "--as-of", AS_OF, "--format", "json", stdin=document)
    assert json.loads(as_json.err)["error"]["message"].startswith(f"{shown}: unknown field")


def test_a_lone_surrogate_key_names_the_key() -> None:
    """A JSON key that is a lone surrogate is named (escaped, as the JSON spelt it, one
    backslash) as the unknown field."""
    stdin = '{"start": "2025-03-03", "cause": "dietary", "\\ud800": 1}'
    result = run("schedule", "-", "--as-of", AS_OF, stdin=stdin)
    assert result.code == 2
    assert result.err == (
        "b12plan: error: '\\ud800': unknown field; see `b12plan schema patient` for the fields "
        "allowed\n"
    )


def test_a_lone_surrogate_key_is_named_in_the_json_error() -> None:
    """With --format json the error object's loc holds the key, escaped, as a string."""
    stdin = '{"start": "2025-03-03", "cause": "dietary", "a\\udfff": 1}'
    result = run("schedule", "-", "--as-of", AS_OF, "--format", "json", stdin=stdin)
    assert result.code == 2
    assert json.loads(result.err)["error"]["errors"][0]["loc"] == ["a\\udfff"]


def test_a_document_nested_too_deeply_names_where() -> None:
    """Nesting deeper than any document has is refused naming the path, not a RecursionError."""
    deep: object = 1
    for _ in range(200):
        deep = [deep]
    stdin = json.dumps({**PATIENT, "labs": deep})
    result = run("schedule", "-", "--as-of", AS_OF, stdin=stdin)
    assert result.code == 2
    assert result.err.startswith("b12plan: error: ")
    assert "is nested more than 32 levels deep" in result.err
    assert len(result.err) < SHORT_LINE


def test_anything_raised_while_validating_a_protocol_is_a_clean_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a protocol validator raises beyond ValueError (here an OverflowError, as the
    torture run found for numbers) is exit 2 naming the file, not an internal error."""
    from b12plan.contract.intervals import Interval
    from b12plan.protocols import bundled

    def overflow(_text: str) -> Interval:
        raise OverflowError("int too large to convert to float")

    bundled()  # the bundled protocols load as usual first
    monkeypatch.setattr(Interval, "parse", staticmethod(overflow))
    path = tmp_path / "clinic.toml"
    path.write_text(PROTOCOL.replace("uk-bnf-hydroxo-neuro", "clinic"), encoding="utf-8")
    result = run("protocols", "--validate", str(path))
    assert result.err == (
        f"b12plan: error: protocol_file: {path} could not be read (OverflowError: int too large "
        "to convert to float)\n"
    )
    assert result.code == 2


def _valued_options() -> list[tuple[str, str]]:
    """(command, option) for every option of every command that takes a value."""
    import click

    from b12plan.cli import cli

    found = []
    for name in sorted(cli.list_commands(click.Context(cli))):
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag:
                found.append((name, param.opts[-1]))
    return found


@pytest.mark.parametrize(("command", "option"), _valued_options())
def test_a_huge_value_for_any_option_gives_a_short_error_line(command: str, option: str) -> None:
    """Every option of every command, given a 100 KB value, fails (or not) with stderr lines of
    a few hundred characters: no message repeats the value whole."""
    base = {
        "schedule": ["--start", "2025-03-03", "--cause", "dietary", "--as-of", AS_OF],
        "check": [
            "--start",
            "2025-03-03",
            "--cause",
            "dietary",
            "--regimen",
            "1000mcg im every 2d",
        ],
    }.get(command, [])
    value = "7" * 100_000
    result = run(command, *base, option, value)
    assert "Traceback" not in result.err
    assert all(len(line) < SHORT_LINE for line in result.err.splitlines()), result.err[:500]


def test_clip_runs_cuts_only_absurd_unquoted_runs() -> None:
    """The net under quote(): a 300+ character run without a blank is cut to 100 characters
    with its length said; ordinary messages and paths are untouched."""
    from b12plan.contract.text import clip_runs

    path = "/tmp/" + "a" * 200 + "/plan.json"
    assert clip_runs(f"cannot read {path}: No such file") == f"cannot read {path}: No such file"
    long = "/" + "b" * 999
    assert clip_runs(f"cannot read {long}: File name too long") == (
        f"cannot read {long[:100]}… (1,001 characters) File name too long"
    )
