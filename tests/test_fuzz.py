"""A bounded fuzz of the CLI entry point: random command lines and random stdin.

The only outcomes allowed are exit 0, 1 or 2, never a traceback or an internal error; exit 2
is one line on stderr per problem (one JSON object with a JSON format) and leaves no file behind.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b12plan.cli import cli
from tests.conftest import EXAMPLES, ROOT, Result, run
from tests.strategies import patients

CORPUS = Path(__file__).parent / "corpus"
FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BASE = ["--start", "2025-03-03", "--cause", "dietary", "--as-of", "2025-03-05"]
EDGE_VALUES = (
    "",
    " ",
    "-",
    "--",
    "auto",
    "2025-03-03",
    "2025-02-30",
    "2024-02-29",
    "1900-01-01",
    "2199-12-31",
    "9999-12-31",
    "0001-01-01",
    "yesterday",
    "20250303",
    "２０２５-03-03",
    "3mo",
    "0mo",
    "999mo",
    "1d",
    "-1w",
    "1000 mcg/mL",
    "1e400 mcg/mL",
    "0 mg/mL",
    "b12=150 ng/L@2025-02-24",
    "b12=150@2025-02-24",
    "b12=1e999 ng/L@2025-02-24",
    "hb=118 g/dL@2025-02-24",
    "mma=0.2 µmol/L@2025-03-01",
    "autoimmune-gastritis",
    "pernicious-anaemia",
    "uk-bnf-hydroxo-neuro",
    "us-asmbs-bariatric",
    "0",
    "1",
    "65",
    "-1",
    "NaN",
    "x" * 600,
    "é",
    "{}",
    "plan.json",
    "[/]",  # rich markup in user text once crashed the table
    "[bold]",
    "\x1b[2J",
    "1000mcg im every 2d x6; then 1000mcg im every 3mo",
    "1 mg sc every 1w x4",
    "1000mcg im evry 2d",
    "1000mcg im every 2d;",
    "warning",
    "block",
)
REGIMEN_STRINGS = tuple(v for v in EDGE_VALUES if " every " in v or "evry" in v)
# Never a real --jobs above 1: starting process pools would dominate the time budget.
JOBS_VALUES = ("0", "1", "65", "-1", "x", "")
ODD_TOKENS = ("--bogus", "-x", "--", "--format=json", "--start=", "--help", "-h", "--version")


def _options() -> dict[str, list[tuple[str, bool, tuple[str, ...]]]]:
    """Every command's options from click itself: (name, is a flag, choices)."""
    table: dict[str, list[tuple[str, bool, tuple[str, ...]]]] = {}
    for name, command in sorted(cli.commands.items()):
        rows = []
        for param in command.params:
            if isinstance(param, click.Option):
                choices = tuple(param.type.choices) if isinstance(param.type, click.Choice) else ()
                rows += [(o, param.is_flag, choices) for o in (*param.opts, *param.secondary_opts)]
        table[name] = rows
    return table


OPTIONS = _options()


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Inputs: a valid custom protocol, examples and corpus files, a missing path, a folder.

    All are copies in a temporary folder: any path may come after `-o`, and a successful run
    overwrites it, so repository files must never be in the pool."""
    folder = tmp_path_factory.mktemp("fuzz-inputs")
    text = (ROOT / "src/b12plan/protocols/uk-bnf-hydroxo-nonneuro.toml").read_text(encoding="utf-8")
    (folder / "clinic.toml").write_text(
        text.replace("uk-bnf-hydroxo-nonneuro", "clinic-hydroxo"), encoding="utf-8"
    )
    examples = [*sorted(EXAMPLES.glob("patient-*")), *sorted(EXAMPLES.glob("regimen-*"))]
    for source in [*examples, *sorted(CORPUS.iterdir())[::9]]:
        shutil.copyfile(source, folder / source.name)
    picked = sorted(str(p) for p in folder.iterdir())
    return [*picked, str(folder / "missing.json"), str(folder)]


def _value(files: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(EDGE_VALUES),
        st.sampled_from(files),
        # Never a "/": a random absolute path after -o would write outside the temporary cwd.
        st.text(max_size=12).filter(lambda text: "/" not in text and "\\" not in text),
    )


@st.composite
def argvs(draw: st.DrawFn, files: list[str]) -> list[str]:
    """A command line of real option names with random and edge values."""
    command = draw(st.sampled_from([*OPTIONS, *OPTIONS, "bogus", "--help", "--version"]))
    if command not in OPTIONS:
        return [command, *draw(st.lists(_value(files), max_size=2))]
    tokens = [command]
    if command == "schedule" and draw(st.booleans()):
        tokens += BASE
    if command == "check" and draw(st.booleans()):
        tokens += [*BASE, "--regimen", draw(st.sampled_from(REGIMEN_STRINGS))]
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            tokens.append(draw(_value(files)))
        elif kind == 1:
            tokens.append(draw(st.sampled_from(ODD_TOKENS)))
        else:
            option, flag, choices = draw(st.sampled_from(OPTIONS[command]))
            tokens.append(option)
            if option == "--jobs":
                tokens.append(draw(st.sampled_from(JOBS_VALUES)))
            elif not flag:
                tokens.append(draw(st.sampled_from(choices) if choices else _value(files)))
    return tokens


JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(EDGE_VALUES),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
PATIENT_KEYS = (
    "start",
    "cause",
    "dob",
    "sex",
    "neuro",
    "product",
    "route",
    "strength",
    "protocol",
    "labs",
    "given",
    "repletion_end",
    "symptoms_returned",
    "conditions",
    "interval",
    "override_reason",
    "until",
    "extra",
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[bytes, str]:
    """stdin for `schedule -`: a valid patient with random fields changed, JSON-ish values,
    JSON Lines, or raw bytes; with the as_of to plan on."""
    patient, as_of = draw(patients())
    kind = draw(st.sampled_from(["mutated", "mutated", "mutated", "json", "lines", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200)), str(as_of)
    if kind == "json":
        return json.dumps(draw(JSON_VALUES)).encode(), str(as_of)
    document: dict[str, Any] = dict(patient)
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(PATIENT_KEYS))
        if draw(st.integers(0, 3)) == 0:
            document.pop(key, None)
        else:
            document[key] = draw(JSON_VALUES)
    if kind == "lines":
        return (json.dumps(patient) + "\n" + json.dumps(document) + "\n").encode(), str(as_of)
    return json.dumps(document, ensure_ascii=draw(st.booleans())).encode(), str(as_of)


def _check(result: Result, argv: list[str], folder: Path) -> None:
    """Exit 0/1/2 only, no traceback; exit 2 is an error line per problem, or one JSON object."""
    assert result.code in (0, 1, 2), (argv, result.code, result.err)
    assert "Traceback" not in result.err, argv
    assert "internal error" not in result.err, (argv, result.err)
    if result.code != 2:
        return
    assert result.err.endswith("\n"), (argv, result.err)
    lines = result.err.split("\n")[:-1]
    # Echoed input is escaped: no newline, carriage return or escape sequence inside a line.
    assert all(line.isprintable() for line in lines), (argv, result.err)
    if argv[:1] == ["schedule"] and ("--batch" in argv or "--jobs" in argv):
        assert all(line.startswith(("b12plan: ", "{")) for line in lines), (argv, result.err)
        return
    if lines[0].startswith("{"):
        assert len(lines) == 1, (argv, result.err)
        assert set(json.loads(lines[0])) == {"schema_version", "error"}
    else:
        assert all(line.startswith("b12plan: error: ") for line in lines), (argv, result.err)
    assert list(folder.iterdir()) == [], (argv, "a failed run left a file")


@FUZZ
@given(data=st.data())
def test_random_command_lines_only_exit_0_1_or_2(files: list[str], data: st.DataObject) -> None:
    """Random argv from the real option names never crashes and fails with error lines."""
    argv = data.draw(argvs(files), label="argv")
    stdin = data.draw(st.sampled_from([b"", b'{"start": "2025-03-03", "cause": "dietary"}']))
    with tempfile.TemporaryDirectory() as cwd, contextlib.chdir(cwd):
        _check(run(*argv, stdin=stdin), argv, Path(cwd))


@settings(FUZZ, max_examples=200)
@given(stdin=documents(), fmt=st.sampled_from(["table", "json"]), batch=st.booleans())
def test_random_stdin_only_exits_0_1_or_2(stdin: tuple[bytes, str], fmt: str, batch: bool) -> None:
    """Random and broken patient documents on stdin never crash and fail with error lines."""
    data, as_of = stdin
    argv = ["schedule", "-", "--as-of", as_of, "--format", fmt, *(["--batch"] if batch else [])]
    with tempfile.TemporaryDirectory() as cwd, contextlib.chdir(cwd):
        _check(run(*argv, stdin=data), argv, Path(cwd))


REGIMEN_KEYS = ("patient", "product", "route", "strength", "steps", "regimen", "extra")


@st.composite
def regimen_documents(draw: st.DrawFn) -> tuple[bytes, str]:
    """stdin for `check -`: a valid patient and regimen with random fields changed, or any
    JSON value, or raw bytes; with the as_of to check on."""
    patient, as_of = draw(patients())
    kind = draw(st.sampled_from(["mutated", "mutated", "steps", "json", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=200)), str(as_of)
    if kind == "json":
        return json.dumps(draw(JSON_VALUES)).encode(), str(as_of)
    document: dict[str, Any] = {
        "patient": patient,
        "regimen": draw(st.sampled_from(REGIMEN_STRINGS)),
    }
    if kind == "steps":
        document.pop("regimen")
        step = st.fixed_dictionaries(
            {"dose_mcg": JSON_VALUES, "every": st.sampled_from(EDGE_VALUES)},
            optional={"count": JSON_VALUES, "route": st.sampled_from(["im", "sc", "iv", "po"])},
        )
        document["steps"] = draw(st.lists(step, max_size=3))
    for _ in range(draw(st.integers(0, 2))):
        key = draw(st.sampled_from(REGIMEN_KEYS))
        if draw(st.integers(0, 3)) == 0:
            document.pop(key, None)
        else:
            document[key] = draw(JSON_VALUES)
    return json.dumps(document).encode(), str(as_of)


@settings(FUZZ, max_examples=200)
@given(stdin=regimen_documents(), fmt=st.sampled_from(["table", "json"]))
def test_random_regimens_only_exit_0_1_or_2(stdin: tuple[bytes, str], fmt: str) -> None:
    """Random and broken regimen documents on stdin never crash and fail with error lines."""
    data, as_of = stdin
    argv = ["check", "-", "--as-of", as_of, "--format", fmt]
    with tempfile.TemporaryDirectory() as cwd, contextlib.chdir(cwd):
        _check(run(*argv, stdin=data), argv, Path(cwd))
