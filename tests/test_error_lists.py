"""Every problem in an input is reported: a line each on stderr naming its field, and all of
them in the JSON error object's `errors`, whose `message` stays one summary line."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run

# Four problems: two required fields missing, a malformed date, a lab without a unit.
BAD = {"dob": "x", "labs": ["b12=15"]}
LINES = [
    "start: is required",
    "cause: is required",
    "dob: 'x' is not a date of the form YYYY-MM-DD",
    "labs[0]: lab 'b12=15' must look like 'b12=150 ng/L@2025-02-24' (analyte=value unit@date)",
]


def test_each_problem_is_a_line_on_stderr() -> None:
    """The table format prints one `b12plan: error:` line per problem, in the input's order."""
    result = run("schedule", "-", stdin=json.dumps(BAD))
    assert result.code == 2
    assert result.out == ""
    assert result.err.splitlines() == [f"b12plan: error: {line}" for line in LINES]


def test_the_json_error_lists_every_problem() -> None:
    """With --format json, `errors` holds every problem and `message` summarises them."""
    result = run("schedule", "-", "--format", "json", stdin=json.dumps(BAD))
    assert result.code == 2
    assert json.loads(result.err) == {
        "schema_version": "1",
        "error": {
            "message": "start: is required (and 3 more)",
            "errors": [
                {"loc": ["start"], "msg": "is required"},
                {"loc": ["cause"], "msg": "is required"},
                {"loc": ["dob"], "msg": "'x' is not a date of the form YYYY-MM-DD"},
                {"loc": ["labs", 0], "msg": LINES[3].removeprefix("labs[0]: ")},
            ],
        },
    }


def test_one_problem_is_one_line_as_before() -> None:
    """A single problem is one line, and the JSON message is that line."""
    result = run("schedule", "--start", "2026-12-01", "--format", "json")
    assert json.loads(result.err)["error"] == {
        "message": "cause: is required",
        "errors": [{"loc": ["cause"], "msg": "is required"}],
    }


def test_a_batch_line_lists_every_problem() -> None:
    """A bad batch line's error object lists every problem; stderr has a line for each, each
    naming the input line."""
    result = run("schedule", "--batch", "-", "--as-of", "2026-11-24", stdin=json.dumps(BAD) + "\n")
    assert result.code == 2
    error = json.loads(result.out)
    assert error["line"] == 1
    assert error["error"]["message"] == "start: is required (and 3 more)"
    assert [e["loc"] for e in error["error"]["errors"]] == [
        ["start"],
        ["cause"],
        ["dob"],
        ["labs", 0],
    ]
    assert result.err.splitlines() == [
        *(f"b12plan: error: line 1: {line}" for line in LINES),
        "b12plan: 1 of 1 lines failed",
    ]


def test_a_regimen_lists_every_problem() -> None:
    """`check` reports each problem of the regimen document and of its patient."""
    document = {
        "patient": {"start": "2026-12-01"},
        "route": "oral",
        "regimen": "1000mcg im every 3mo",
    }
    result = run("check", "-", stdin=json.dumps(document))
    assert result.code == 2
    assert [line.split(": ")[2] for line in result.err.splitlines()] == ["patient.cause", "route"]


def test_a_protocol_file_lists_every_problem(tmp_path: Path) -> None:
    """Each missing key of a custom protocol is its own line, naming the key and the file."""
    path = tmp_path / "empty.toml"
    path.write_text('id = "clinic"\n', encoding="utf-8")
    result = run("protocols", "--validate", str(path))
    assert result.code == 2
    fields = [line.split(": ")[2] for line in result.err.splitlines()]
    assert fields == [
        f"protocol_file.{key}" for key in ("title", "product", "routes", "region")
    ] + [
        "protocol_file.sources",
        "protocol_file.maintenance",
    ]
    assert all(line.endswith(f"in {path}") for line in result.err.splitlines())
