"""Malformed inputs (tests/corpus/): each exits 2 with one line per problem naming its field and
what is allowed, writes nothing, and gives the contract's JSON error object with `--format json`.

Custom protocol files are data only: validated strictly, bounded in size, never executed.
"""

from __future__ import annotations

import ast
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from b12plan.contract.protocol import MaintenanceSpec, Protocol, RepletionSegment
from b12plan.contract.text import PATH_CHARS, format_loc, printable, quote
from b12plan.io.loading import MAX_DOCUMENT_BYTES
from b12plan.protocols import MAX_PROTOCOL_BYTES, bundled
from tests.conftest import ROOT, Result, run

CORPUS = Path(__file__).parent / "corpus"
EXPECTED: dict[str, list[dict[str, Any]]] = tomllib.loads(
    (CORPUS / "expected.toml").read_text(encoding="utf-8")
)
AS_OF = "2025-03-05"
BASE = ("--start", "2025-03-03", "--cause", "autoimmune-gastritis")
PREFIX = "b12plan: error: "
# A valid custom protocol: the bundled non-neuro one under its own id.
CUSTOM = (
    (ROOT / "src/b12plan/protocols/uk-bnf-hydroxo-nonneuro.toml")
    .read_text(encoding="utf-8")
    .replace('id = "uk-bnf-hydroxo-nonneuro"', 'id = "clinic-hydroxo"')
)


def _generated(make: str) -> bytes:
    """Inputs too big to keep in the repository."""
    if make == "oversize-patient":
        return b'{"start": "2025-03-03", "cause": "dietary", "note": "' + b"a" * MAX_DOCUMENT_BYTES
    if make == "deep-json":
        return b'{"a": ' * 50_000 + b"1" + b"}" * 50_000
    assert make == "oversize-protocol"
    return (CUSTOM + "# " + "x" * MAX_PROTOCOL_BYTES + "\n").encode()


def _argv(case: dict[str, Any], folder: Path) -> tuple[list[str], bytes | None]:
    """The command line for a case (and stdin bytes, for the stdin variant)."""
    args = list(case.get("args", []))
    if "make" in case:
        path = folder / ("input.toml" if case.get("protocol") else "input.json")
        path.write_bytes(_generated(case["make"]))
    elif "file" in case:
        path = CORPUS / case["file"]
    else:
        return (["--as-of", AS_OF] if case.get("bare") else [*BASE, "--as-of", AS_OF]) + args, None
    if case.get("protocol"):
        return [*BASE, "--as-of", AS_OF, "--protocol-file", str(path), *args], None
    return [str(path), "--as-of", AS_OF, *args], path.read_bytes()


def _cases() -> list[Any]:
    out = [pytest.param(c, id=c["file"]) for c in EXPECTED["file"]]
    out += [pytest.param(c, id=f"argv-{c['name']}") for c in EXPECTED["argv"]]
    out += [pytest.param(c, id=f"generated-{c['name']}") for c in EXPECTED["generated"]]
    return out


def _assert_error_lines(result: Result, case: dict[str, Any]) -> list[str]:
    """Exit 2, nothing on stdout, one line per problem, the first naming the case's field and
    what is allowed; the messages, without the prefix."""
    assert result.code == 2, (result.code, result.err)
    assert result.out == ""
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    assert result.err.endswith("\n")
    lines = result.err[:-1].split("\n")
    assert all(line.isprintable() and line.startswith(PREFIX) for line in lines), result.err
    if case.get("problems", 1) == 1:
        assert len(lines) == 1, result.err
    else:
        assert len(lines) == case["problems"], result.err
    messages = [line[len(PREFIX) :] for line in lines]
    message = messages[0]
    head = message.split(": ", 1)[0]
    where = case["where"]
    if where.startswith("--"):
        assert where in head, message  # click's own usage errors name the option
    else:
        assert head == where, message
    assert case.get("allowed", "") in message
    return messages


@pytest.mark.parametrize("case", _cases())
def test_malformed_input_is_one_line_naming_the_field(case: dict[str, Any], tmp_path: Path) -> None:
    """A malformed input exits 2 with a `b12plan: error:` line per problem naming its field."""
    argv, _ = _argv(case, tmp_path)
    _assert_error_lines(run("schedule", *argv), case)


@pytest.mark.parametrize("case", _cases())
def test_malformed_input_writes_no_output_file(case: dict[str, Any], tmp_path: Path) -> None:
    """With -o, a failed run leaves no output file and no temporary file behind."""
    argv, _ = _argv(case, tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("schedule", "-o", str(folder / "plan.txt"), *argv)
    _assert_error_lines(result, case)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("case", _cases())
def test_malformed_input_gives_the_contract_json_error(
    case: dict[str, Any], tmp_path: Path
) -> None:
    """With --format json, stderr holds one JSON error object: the first line (and how many
    more) as its message, and every problem of the plain lines in `errors`."""
    if "--format" in case.get("args", []):
        pytest.skip("the case sets its own --format")
    argv, _ = _argv(case, tmp_path)
    lines = _assert_error_lines(run("schedule", *argv), case)
    result = run("schedule", "--format", "json", *argv)
    assert result.code == 2
    assert result.out == ""
    assert result.err.count("\n") == 1
    document = json.loads(result.err)
    assert list(document) == ["schema_version", "error"]
    assert document["schema_version"] == "1"
    assert list(document["error"]) == ["message", "errors"]
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    assert document["error"]["message"] == lines[0] + more
    errors = document["error"]["errors"]
    assert len(errors) == len(lines)
    for error, line in zip(errors, lines, strict=True):
        assert list(error) == ["loc", "msg"]
        assert all(isinstance(part, str | int) for part in error["loc"])
        if not case["where"].startswith("--"):
            # The JSON carries the raw input; the line shows it escaped.
            assert line == printable(f"{format_loc(error['loc'])}: {error['msg']}")
    if not case["where"].startswith("--"):
        assert printable(format_loc(errors[0]["loc"])) == case["where"]


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=c["file"]) for c in EXPECTED["file"] if c["file"].endswith(".json")]
)
def test_malformed_json_on_stdin_is_the_same_error(case: dict[str, Any], tmp_path: Path) -> None:
    """The same document on stdin (`schedule -`) fails the same way."""
    argv, stdin = _argv(case, tmp_path)
    assert stdin is not None
    result = run("schedule", "-", *argv[1:], stdin=stdin)
    _assert_error_lines(result, case)


def test_corpus_has_100_cases_and_every_file_is_listed_once() -> None:
    """The corpus holds at least 100 cases and no file without an expectation."""
    listed = [c["file"] for c in EXPECTED["file"]]
    assert len(listed) == len(set(listed))
    on_disk = sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.toml")
    assert sorted(listed) == on_disk
    total = sum(len(EXPECTED[k]) for k in ("file", "argv", "generated"))
    assert total >= 100
    assert all(c["where"] for k in EXPECTED for c in EXPECTED[k])


# ------------------------------------------------ custom protocol files are data only

PYTHONISH = "__import__('os').system('touch {marker}') {{{{7*7}}}} ${{HOME}} `id`"


def test_python_looking_strings_in_a_protocol_stay_text(tmp_path: Path) -> None:
    """Strings that look like code are shown verbatim in the plan and never run."""
    marker = tmp_path / "ran"
    text = PYTHONISH.format(marker=marker)
    toml = CUSTOM.replace(
        'title = "Hydroxocobalamin, no neurological involvement (BNF)"',
        f"title = {json.dumps(text)}",
    ).replace('why = "1 mg every 2–3 months"', f"why = {json.dumps(text)}")
    assert toml.count(text) == 2
    path = tmp_path / "clinic.toml"
    path.write_text(toml, encoding="utf-8")
    result = run(
        *("schedule", *BASE, "--as-of", AS_OF, "--protocol-file", str(path)), "--format", "json"
    )
    assert result.code == 0, result.err
    plan = result.json()
    assert plan["protocol"]["id"] == "clinic-hydroxo"
    assert plan["protocol"]["title"] == text
    assert plan["maintenance"]["why"] == f"{text} (SMPC-HYDROXO)"
    assert not marker.exists()


def test_protocols_validate_shows_python_looking_title_verbatim(tmp_path: Path) -> None:
    """`protocols --validate` shows a code-like title as text, and nothing runs."""
    marker = tmp_path / "ran"
    text = PYTHONISH.format(marker=marker)
    path = tmp_path / "clinic.toml"
    path.write_text(
        CUSTOM.replace(
            'title = "Hydroxocobalamin, no neurological involvement (BNF)"',
            f"title = {json.dumps(text)}",
        ),
        encoding="utf-8",
    )
    result = run("protocols", "--validate", str(path), "--format", "json")
    assert result.code == 0, result.err
    assert text in result.out
    assert not marker.exists()


@pytest.mark.parametrize(
    ("after", "where"),
    [
        ("", "protocol_file.code"),
        ("gaps_days = [2, 2, 3, 2, 2]\n", "protocol_file.repletion[0].code"),
        ('why = "1 mg every 2–3 months"\n', "protocol_file.maintenance.code"),
    ],
)
def test_unknown_keys_are_rejected_at_every_level(after: str, where: str, tmp_path: Path) -> None:
    """An extra key in the top table, a segment or maintenance is an error naming it."""
    assert after in CUSTOM
    toml = CUSTOM.replace(after, f'{after}code = "print(1)"\n', 1)
    path = tmp_path / "clinic.toml"
    path.write_text(toml, encoding="utf-8")
    result = run("schedule", *BASE, "--as-of", AS_OF, "--protocol-file", str(path))
    assert result.code == 2
    assert result.err.startswith(f"{PREFIX}{where}: unknown key;"), result.err
    assert result.err.count("\n") == 1


def test_protocol_file_of_exactly_the_size_cap_is_read_and_one_byte_more_is_not(
    tmp_path: Path,
) -> None:
    """MAX_PROTOCOL_BYTES is the bound: a file of that size plans, one byte more fails."""
    body = CUSTOM.encode()
    pad = MAX_PROTOCOL_BYTES - len(body) - 3
    exact = body + b"# " + b"x" * pad + b"\n"
    assert len(exact) == MAX_PROTOCOL_BYTES
    path = tmp_path / "clinic.toml"
    path.write_bytes(exact)
    ok = run("schedule", *BASE, "--as-of", AS_OF, "--protocol-file", str(path))
    assert ok.code == 0, ok.err
    path.write_bytes(exact[:-1] + b"x\n")
    big = run("schedule", *BASE, "--as-of", AS_OF, "--protocol-file", str(path))
    assert big.code == 2
    shown = quote(str(path), PATH_CHARS)
    assert big.err == f"{PREFIX}protocol_file: {shown} is larger than {MAX_PROTOCOL_BYTES} bytes\n"


def test_protocol_models_are_strict_and_forbid_extra_fields() -> None:
    """Every protocol model refuses unknown keys and coercion (TOML "1000" stays a string)."""
    for model in (Protocol, RepletionSegment, MaintenanceSpec):
        assert model.model_config.get("extra") == "forbid"
        assert model.model_config.get("strict") is True
        assert model.model_config.get("frozen") is True


def test_bundled_protocols_parse_through_the_same_strict_loader() -> None:
    """The eight bundled protocols are data read by the same validator as custom files."""
    assert list(bundled()) == [
        "uk-bnf-hydroxo-nonneuro",
        "uk-bnf-hydroxo-neuro",
        "uk-hydroxo-dietary",
        "uk-hydroxo-prophylaxis",
        "uk-hydroxo-leber",
        "us-fda-cyano-label",
        "us-cyano-1000",
        "us-asmbs-bariatric",
    ]


def test_nothing_in_b12plan_evaluates_code() -> None:
    """No module calls eval, exec, compile or __import__: input is only ever data."""
    calls = []
    for path in sorted((ROOT / "src/b12plan").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls += [
            f"{path.name}:{node.lineno}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"eval", "exec", "compile", "__import__"}
        ]
    assert calls == []


# ------------------------------------------------ text that looks like markup stays text


@pytest.mark.parametrize("reason", ["[/]", "[/bold]", "[bold red]loud", "[link=file:///etc]x"])
def test_markup_in_an_override_reason_is_shown_as_typed(reason: str) -> None:
    """Rich markup in user text neither crashes the table (it was exit 70) nor is swallowed."""
    args = ("--interval", "5w", "--override-reason", reason)
    result = run("schedule", *BASE, "--as-of", AS_OF, *args)
    assert result.code == 0, result.err
    assert result.err == ""
    assert reason in " ".join(result.out.split())  # wrapped lines are indented


def test_markup_in_a_custom_protocol_is_shown_as_typed(tmp_path: Path) -> None:
    """A custom protocol's text with "[/]" shows as typed in both tables."""
    path = tmp_path / "clinic.toml"
    old = 'why = "1 mg 3 times a week for 2 weeks"'
    assert old in CUSTOM
    path.write_text(CUSTOM.replace(old, 'why = "1 mg [/] 3 times a week"'), encoding="utf-8")
    catalogue = run("protocols", "--validate", str(path))
    assert catalogue.code == 0, catalogue.err
    assert "1 mg [/] 3 times a week (6 doses)" in catalogue.out
    plan = run("schedule", *BASE, "--as-of", AS_OF, "--protocol-file", str(path))
    assert plan.code == 0, plan.err
    assert "1 mg [/] 3 times a week (BNF-HYDROXO)" in plan.out
