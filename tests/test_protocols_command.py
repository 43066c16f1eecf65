"""`b12plan protocols`: the catalogue with sources, one protocol, JSON, and `--validate FILE`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import dates, run, run_patient

IDS = [
    "uk-bnf-hydroxo-nonneuro",
    "uk-bnf-hydroxo-neuro",
    "uk-hydroxo-dietary",
    "uk-hydroxo-prophylaxis",
    "uk-hydroxo-leber",
    "us-fda-cyano-label",
    "us-cyano-1000",
    "us-asmbs-bariatric",
]
# The reference's table: product, routes, maintenance dose/default/steps, repletion
# (count, gaps, dose) per segment, a source it cites, named only (prophylaxis-like).
CATALOGUE: dict[str, tuple[Any, ...]] = {
    "uk-bnf-hydroxo-nonneuro": (
        "hydroxocobalamin",
        ["im"],
        (1000, "3mo", ["2mo", "3mo"]),
        [(6, [2, 2, 3, 2, 2], 1000)],
        "BNF-HYDROXO",
        False,
    ),
    "uk-bnf-hydroxo-neuro": (
        "hydroxocobalamin",
        ["im"],
        (1000, "2mo", ["2mo"]),
        [(None, [2], 1000)],
        "BNF-HYDROXO",
        False,
    ),
    "uk-hydroxo-dietary": (
        "hydroxocobalamin",
        ["im"],
        (1000, "6mo", ["3mo", "6mo"]),
        [(6, [2, 2, 3, 2, 2], 1000)],
        "CKS-2019",
        False,
    ),
    "uk-hydroxo-prophylaxis": (
        "hydroxocobalamin",
        ["im"],
        (1000, "3mo", ["2mo", "3mo"]),
        [],
        "SMPC-HYDROXO",
        True,
    ),
    "uk-hydroxo-leber": (
        "hydroxocobalamin",
        ["im"],
        (1000, "1mo", ["1mo"]),
        [(14, [1], 1000), (None, [3, 4], 1000)],
        "SMPC-HYDROXO",
        False,
    ),
    "us-fda-cyano-label": (
        "cyanocobalamin",
        ["im", "sc"],
        (100, "1mo", ["1mo"]),
        [(7, [1], 100), (7, [2], 100), (6, [3, 4], 100)],
        "FDA-CYANO",
        False,
    ),
    "us-cyano-1000": (
        "cyanocobalamin",
        ["im", "sc"],
        (1000, "1mo", ["1mo", "2mo", "3mo"]),
        [(7, [1], 1000), (4, [7], 1000)],
        "STABLER-2013",
        False,
    ),
    "us-asmbs-bariatric": (
        "cyanocobalamin",
        ["im", "sc"],
        (1000, "1mo", ["1mo"]),
        [],
        "ASMBS-2016",
        True,
    ),
}

CUSTOM = """\
id = "clinic-weekly"
title = "Clinic weekly loading"
product = "hydroxocobalamin"
routes = ["im"]
region = "uk"
sources = ["BNF-HYDROXO"]
conventions = ["Weekly loading, 3 doses [C]."]

[[repletion]]
dose_mcg = 1000
count = 3
gaps_days = [7]
why = "1 mg weekly for 3 weeks"
source = "BNF-HYDROXO"

[maintenance]
dose_mcg = 1000
default = "2mo"
steps = ["2mo", "3mo"]
why = "1 mg every 2-3 months"
source = "SMPC-HYDROXO"
"""


def catalogue(*args: str) -> list[dict[str, Any]]:
    """The protocols listed by `protocols ARGS --format json`."""
    result = run("protocols", *args, "--format", "json")
    assert result.code == 0, result.err
    assert result.err == ""
    protocols: list[dict[str, Any]] = result.json()["protocols"]
    return protocols


def test_json_lists_the_eight_protocols_in_order() -> None:
    """`protocols --format json` lists the eight bundled protocols, in its order."""
    assert [p["id"] for p in catalogue()] == IDS


@pytest.mark.parametrize("protocol_id", IDS)
def test_each_protocol_matches_the_reference(protocol_id: str) -> None:
    """Product, routes, repletion segments, maintenance steps and sources as in the reference."""
    product, routes, (dose, default, steps), segments, source, named_only = CATALOGUE[protocol_id]
    (got,) = catalogue(protocol_id)
    assert got["id"] == protocol_id
    assert (got["product"], got["routes"], got["named_only"]) == (product, routes, named_only)
    assert (got["maintenance"]["dose_mcg"], got["maintenance"]["default"]) == (dose, default)
    assert got["maintenance"]["steps"] == steps
    assert [(s["count"], s["gaps_days"], s["dose_mcg"]) for s in got["repletion"]] == segments
    assert source in got["sources"]
    assert set(got["source_titles"]) == set(got["sources"])
    assert all(title != sid for sid, title in got["source_titles"].items())


def test_neuro_protocol_open_repletion() -> None:
    """The neuro protocol's repletion is open-ended with 8 provisional doses and a day-14 review."""
    (got,) = catalogue("uk-bnf-hydroxo-neuro")
    (segment,) = got["repletion"]
    assert (segment["provisional_count"], segment["review_day"]) == (8, 14)
    assert got["regimen"] == (
        "1 mg on alternate days until no further improvement (until repletion_end); "
        "then 1000 mcg every 2mo (allowed 2mo)"
    )


def test_table_lists_every_protocol_with_sources() -> None:
    """The table lists each id with its sources, and the full title of each source cited."""
    result = run("protocols")
    assert result.code == 0, result.err
    lines = [line.rstrip() for line in result.out.splitlines()]
    assert lines[0] == "Protocols"
    assert lines[1].split() == ["id", "product", "routes", "regimen", "sources"]
    rows = [line.split()[0] for line in lines if line.startswith((" uk-", " us-"))]
    assert rows == IDS
    for note in [
        "BNF-HYDROXO: BNF hydroxocobalamin (dosing updated 2021)",
        "ASMBS-2016: ASMBS integrated health micronutrient guidelines 2016",
        "STABLER-2013: Stabler, NEJM 2013;368:149",
    ]:
        assert note in lines


def test_table_for_one_protocol() -> None:
    """`protocols ID` shows only that protocol and its sources."""
    result = run("protocols", "us-asmbs-bariatric")
    assert result.code == 0, result.err
    assert "us-asmbs-bariatric" in result.out
    assert "uk-bnf-hydroxo-nonneuro" not in result.out
    assert result.out.rstrip().splitlines()[-1] == (
        "ASMBS-2016: ASMBS integrated health micronutrient guidelines 2016"
    )


def test_unknown_id_lists_the_allowed() -> None:
    """An unknown id is exit 2 with one line listing every allowed id."""
    result = run("protocols", "uk-nonsense")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        f"b12plan: error: protocol_id: unknown protocol 'uk-nonsense'; allowed: {', '.join(IDS)}\n"
    )


def test_unknown_id_as_json_error() -> None:
    """With --format json the unknown id is the contract's error object."""
    result = run("protocols", "uk-nonsense", "--format", "json")
    assert result.code == 2
    error = json.loads(result.err)
    assert error["schema_version"] == "1"
    assert error["error"]["errors"][0]["loc"] == ["protocol_id"]


def test_validate_a_valid_custom_protocol(tmp_path: Path) -> None:
    """`--validate FILE` shows a valid custom protocol as the catalogue would."""
    path = tmp_path / "clinic.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    (got,) = catalogue("--validate", str(path))
    assert got["id"] == "clinic-weekly"
    assert got["regimen"] == (
        "1 mg weekly for 3 weeks (3 doses); then 1000 mcg every 2mo (allowed 2mo–3mo)"
    )
    table = run("protocols", "--validate", str(path))
    assert table.code == 0
    assert "clinic-weekly" in table.out


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (('default = "2mo"', 'default = "4mo"'), "protocol_file.maintenance", "default 4mo"),
        (("count = 3", "count = 0"), "protocol_file.repletion[0].count", "greater than"),
        (('routes = ["im"]', 'routes = ["iv"]'), "protocol_file.routes[0]", "'im' or 'sc'"),
        (('id = "clinic-weekly"', 'id = "Clinic Weekly"'), "protocol_file.id", "pattern"),
        (('sources = ["BNF-HYDROXO"]', "sources = []"), "protocol_file.sources", "at least 1"),
        (("[maintenance]", "[maintenance]\nsurprise = 1"), "protocol_file.maintenance", "unknown"),
        (('id = "clinic-weekly"', 'id = "clinic'), "protocol_file", "is not valid TOML"),
    ],
    ids=["default-not-a-step", "zero-count", "iv-route", "bad-id", "no-source", "extra", "toml"],
)
def test_validate_an_invalid_custom_protocol(
    tmp_path: Path, change: tuple[str, str], loc: str, message: str
) -> None:
    """An invalid custom protocol is exit 2, one line naming the field and the file."""
    path = tmp_path / "broken.toml"
    path.write_text(CUSTOM.replace(*change), encoding="utf-8")
    result = run("protocols", "--validate", str(path))
    assert result.code == 2
    assert result.out == ""
    line = result.err.strip()
    assert len(line.splitlines()) == 1
    assert line.startswith(f"b12plan: error: {loc}")
    assert message in line
    assert str(path) in line


def test_validate_missing_file(tmp_path: Path) -> None:
    """A missing file is exit 2, naming it."""
    result = run("protocols", "--validate", str(tmp_path / "absent.toml"))
    assert result.code == 2
    assert "absent.toml" in result.err


def test_custom_protocol_schedules(tmp_path: Path) -> None:
    """A valid custom protocol plans by its own gaps and steps, and says it was chosen as custom."""
    path = tmp_path / "clinic.toml"
    path.write_text(CUSTOM, encoding="utf-8")
    doc = {"start": "2026-04-13", "cause": "dietary", "until": "2026-10-31"}
    result = run_patient(
        doc, "--as-of", "2026-04-01", "--format", "json", "--protocol-file", str(path)
    )
    assert result.code == 0, result.err
    plan = result.json()
    assert plan["protocol"]["chosen_because"] == "custom protocol file"
    assert plan["protocol"]["conventions"][0] == "Weekly loading, 3 doses [C]."
    assert dates(plan, "repletion") == ["2026-04-13", "2026-04-20", "2026-04-27"]
    assert dates(plan, "maintenance") == ["2026-06-27", "2026-08-27", "2026-10-27"]
