"""Start-up stays light: each command loads only the modules it uses (no timing assertions).

Each check runs a fresh interpreter, because this test process has imported everything already.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

from tests import processes

# Runs the real entry point, then reports every loaded module (atexit runs after SystemExit).
CLI_PROBE = """
import atexit, json, sys
atexit.register(lambda: open(out, "w").write(json.dumps(sorted(sys.modules))))
out, sys.argv = sys.argv[1], ["b12plan", *sys.argv[2:]]
from b12plan.cli import main
main()
"""
HEAVY = (
    "pydantic",
    "rich",
    "b12plan.engine",
    "b12plan.contract.models",
    "dateutil",
    "icalendar",
    "jinja2",
)


def _loaded(tmp_path: Path, *args: str, stdin: str = "", columns: str = "100") -> set[str]:
    """The modules loaded by `b12plan ARGS` (on a terminal `columns` wide), which must
    succeed."""
    report = tmp_path / "modules.json"
    done = processes.run(
        [sys.executable, "-c", CLI_PROBE, str(report), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": columns},
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(report.read_text(encoding="utf-8")))


def _any_of(modules: set[str], package: str) -> list[str]:
    return sorted(m for m in modules if m == package or m.startswith(package + "."))


@pytest.mark.parametrize("flag", ["--help", "--version", "schedule --help", "schema --help"])
def test_help_and_version_load_no_heavy_module(tmp_path: Path, flag: str) -> None:
    """`--help` and `--version` never import pydantic, rich, dateutil or the engine."""
    modules = _loaded(tmp_path, *flag.split())
    for package in HEAVY:
        assert _any_of(modules, package) == [], package


# The package itself, the group, and what every command shares; anything else under it is a
# command's.
CLI_CORE = {"b12plan.cli", "b12plan.cli._group", "b12plan.cli._shared"}


@pytest.mark.parametrize("flag", ["--help", "--version", "-h", "-V"])
def test_group_help_and_version_load_no_command_module(tmp_path: Path, flag: str) -> None:
    """`--help` and `--version` are answered without click or any command module (on a
    terminal of 80 columns or more, as here), and the group answers them without any command
    module on a narrower one."""
    modules = _loaded(tmp_path, flag)
    assert set(_any_of(modules, "b12plan.cli")) <= {"b12plan.cli", "b12plan.cli._help"}
    assert _any_of(modules, "click") == []
    narrow = _loaded(tmp_path, flag, columns="60")
    assert set(_any_of(narrow, "b12plan.cli")) <= CLI_CORE | {"b12plan.cli._help"}
    for loaded in (modules, narrow):
        assert _any_of(loaded, "pydantic") == []
        assert _any_of(loaded, "rich") == []


@pytest.mark.parametrize("name", ["schedule", "check", "protocols", "schema"])
def test_command_help_loads_only_its_own_module(tmp_path: Path, name: str) -> None:
    """`b12plan NAME --help` imports that command's module and no other command's."""
    modules = _loaded(tmp_path, name, "--help")
    assert set(_any_of(modules, "b12plan.cli")) == {*CLI_CORE, f"b12plan.cli.{name}"}


SCHEDULE = ("schedule", "--start", "2025-03-03", "--cause", "dietary", "--as-of", "2025-03-01")


def test_schedule_json_does_not_load_rich(tmp_path: Path) -> None:
    """`schedule --format json` plans (engine and pydantic-core loaded) without rich or
    icalendar."""
    modules = _loaded(tmp_path, *SCHEDULE, "--format", "json")
    assert "b12plan.engine" in modules
    assert "pydantic_core" in modules
    assert _any_of(modules, "rich") == []
    assert _any_of(modules, "icalendar") == []
    assert _any_of(modules, "jinja2") == []


def test_looking_for_the_settings_file_does_not_load_platformdirs(tmp_path: Path) -> None:
    """With no settings file anywhere, `schedule --format json` looks in the working folder
    and the user's config folder, and writes the plan, without importing platformdirs (and the
    tempfile, shutil and compression modules it brings) or pathlib (which pydantic-core's
    `to_json` imports, with ipaddress and urllib)."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("B12PLAN_CONFIG_DIR", "XDG_CONFIG_HOME")
    }
    report = tmp_path / "modules.json"
    done = processes.run(
        [sys.executable, "-c", CLI_PROBE, str(report), *SCHEDULE, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
        env={**env, "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    modules = set(json.loads(report.read_text(encoding="utf-8")))
    assert "b12plan.io.settings" in modules
    for package in ("platformdirs", "tempfile", "shutil", "bz2", "lzma", "pathlib", "ipaddress"):
        assert _any_of(modules, package) == [], package


@pytest.mark.parametrize(
    ("fmt", "renderer"), [("ndjson", "rows"), ("csv", "rows"), ("fhir", "fhir")]
)
def test_row_and_fhir_formats_load_neither_rich_nor_icalendar(
    tmp_path: Path, fmt: str, renderer: str
) -> None:
    """ndjson, csv and fhir need neither the table's rich nor the calendar library."""
    modules = _loaded(tmp_path, *SCHEDULE, "--format", fmt)
    assert f"b12plan.render.{renderer}" in modules
    assert _any_of(modules, "rich") == []
    assert _any_of(modules, "icalendar") == []


def test_ics_loads_icalendar_but_not_rich(tmp_path: Path) -> None:
    """icalendar is imported by the ics renderer, and only there; rich stays out."""
    modules = _loaded(tmp_path, *SCHEDULE, "--format", "ics")
    assert "icalendar" in modules
    assert _any_of(modules, "rich") == []


@pytest.mark.skipif(
    not any(importlib.util.find_spec(name) for name in ("_sha2", "_sha256")),
    reason="this Python is built without its own sha256: hashlib is the only one",
)
def test_ics_hashes_the_course_without_openssl(tmp_path: Path) -> None:
    """The course's sha256 comes from CPython's built-in module: hashlib would load OpenSSL's
    libcrypto (~2% of the command's start-up) for a hundred bytes."""
    modules = _loaded(tmp_path, *SCHEDULE, "--format", "ics")
    assert "hashlib" not in modules
    assert "_hashlib" not in modules


def test_batch_does_not_load_rich(tmp_path: Path) -> None:
    """`schedule --batch` writes JSON Lines without importing rich."""
    line = '{"start": "2025-03-03", "cause": "dietary"}\n'
    modules = _loaded(tmp_path, "schedule", "--batch", "--as-of", "2025-03-01", stdin=line)
    assert "b12plan.cli.batch" in modules
    assert _any_of(modules, "rich") == []


def test_engine_imports_neither_click_nor_rich() -> None:
    """The engine can be imported without the CLI's click or the table's rich."""
    probe = (
        "import json, sys; import b12plan.engine.plan, b12plan.engine.check; "
        "import b12plan.contract.models; "
        "print(json.dumps(sorted(sys.modules)))"
    )
    done = processes.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    modules = set(json.loads(done.stdout))
    assert "b12plan.engine.plan" in modules
    assert _any_of(modules, "click") == []
    assert _any_of(modules, "rich") == []


def test_html_loads_jinja2_but_neither_rich_nor_icalendar(tmp_path: Path) -> None:
    """The handout's Jinja2 is loaded for `--format html`, and the other libraries stay out."""
    modules = _loaded(tmp_path, *SCHEDULE, "--format", "html")
    assert "jinja2" in modules
    assert _any_of(modules, "rich") == []
    assert _any_of(modules, "icalendar") == []


@pytest.mark.parametrize(
    ("library", "renderers"),
    [
        ("icalendar", ["render/ics.py"]),
        ("jinja2", ["render/handout.py", "render/worklist_html.py"]),
    ],
)
def test_only_its_renderer_imports_a_format_library(library: str, renderers: list[str]) -> None:
    """No module but the format's renderers imports its library, so no other path pulls it in
    (the handout's compiled templates are Jinja2's own code, loaded by the handout alone; the
    audit's worklist page is the other html renderer)."""
    src = Path(__file__).resolve().parents[1] / "src" / "b12plan"
    importers = []
    for path in sorted(src.rglob("*.py")):
        if path.name.startswith("_template_"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == library or n.startswith(f"{library}.") for n in names):
                importers.append(path.relative_to(src).as_posix())
    assert importers == renderers


def test_check_json_does_not_load_rich(tmp_path: Path) -> None:
    """`check --format json` compares a regimen (engine loaded) without importing rich."""
    args = ("check", "--regimen", "1000mcg im every 2d x6; then 1000mcg im every 3mo")
    patient = ("--start", "2025-03-03", "--cause", "dietary", "--as-of", "2025-03-01")
    modules = _loaded(tmp_path, *args, *patient, "--format", "json")
    assert "b12plan.engine.check" in modules
    assert _any_of(modules, "rich") == []


def test_check_help_loads_no_heavy_module(tmp_path: Path) -> None:
    """`check --help` needs neither pydantic, rich nor the engine."""
    modules = _loaded(tmp_path, "check", "--help")
    for package in HEAVY:
        assert _any_of(modules, package) == [], package


def test_schema_loads_no_engine_or_rich(tmp_path: Path) -> None:
    """`schema plan` needs the models (pydantic) but not the engine, rich or icalendar."""
    modules = _loaded(tmp_path, "schema", "plan")
    assert "b12plan.contract.models" in modules
    for package in ("b12plan.engine", "rich", "icalendar"):
        assert _any_of(modules, package) == [], package


REGIMEN = ("check", "--regimen", "1000mcg im every 2d x6; then 1000mcg im every 3mo")
PLANNING = [
    *(("schedule", fmt) for fmt in ("table", "json", "ndjson", "csv", "ics", "fhir", "html")),
    ("check", "table"),
    ("check", "json"),
    ("batch", "json"),
]


def _planning(tmp_path: Path, command: str, fmt: str) -> set[str]:
    if command == "batch":
        line = '{"start": "2025-03-03", "cause": "dietary", "labs": ["b12=150 ng/L@2025-02-01"]}\n'
        return _loaded(tmp_path, "schedule", "--batch", "--as-of", "2025-03-01", stdin=line)
    lab = ("--lab", "b12=150 ng/L@2025-02-01", "--given", "2025-03-03", "--as-of", "2025-03-05")
    args = (*SCHEDULE, *lab) if command == "schedule" else (*REGIMEN, *SCHEDULE[1:], *lab)
    return _loaded(tmp_path, *args, "--format", fmt)


@pytest.mark.parametrize(("command", "fmt"), PLANNING)
def test_planning_validates_without_pydantics_model_machinery(
    tmp_path: Path, command: str, fmt: str
) -> None:
    """Every format of `schedule` and `check`, and a batch, validate with pydantic-core's own
    validator and records, and read the bundled protocols as records: neither pydantic's
    `BaseModel` (nor `pydantic` at all) nor b12plan's models are imported."""
    modules = _planning(tmp_path, command, fmt)
    assert {
        "pydantic_core",
        "b12plan.contract._core_schema",
        "b12plan.protocols._bundled",
    } <= modules
    assert _any_of(modules, "pydantic") == []
    assert "b12plan.contract.models" not in modules
    assert "b12plan.contract.protocol" not in modules


def _defines_a_dataclass(module: str) -> bool:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Name | ast.Attribute)
        and (node.id if isinstance(node, ast.Name) else node.attr) == "dataclass"
        for node in ast.walk(tree)
    )


@pytest.mark.parametrize(("command", "fmt"), PLANNING)
def test_no_dataclass_is_defined_on_a_planning_path(tmp_path: Path, command: str, fmt: str) -> None:
    """No b12plan module loaded to plan defines a dataclass (each costs as much to define as a
    small module does to import): records are `__slots__` classes or NamedTuples."""
    modules = _planning(tmp_path, command, fmt)
    mine = sorted(m for m in modules if m == "b12plan" or m.startswith("b12plan."))
    assert [m for m in mine if _defines_a_dataclass(m)] == []


def test_a_custom_protocol_file_is_validated_by_the_model(tmp_path: Path) -> None:
    """`--protocol-file` is the one planning input that still goes through a pydantic model."""
    source = Path(__file__).resolve().parents[1] / "src/b12plan/protocols/uk-hydroxo-dietary.toml"
    custom = tmp_path / "custom.toml"
    custom.write_text(
        source.read_text(encoding="utf-8").replace("uk-hydroxo-dietary", "clinic-dietary"),
        encoding="utf-8",
    )
    modules = _loaded(tmp_path, *SCHEDULE, "--format", "json", "--protocol-file", str(custom))
    assert "b12plan.contract.protocol" in modules


GC_PROBE = """
import gc, io, sys
from contextlib import redirect_stdout
from b12plan.cli import main
counts = []
for _ in range(2):
    try:
        with redirect_stdout(io.StringIO()):
            main(sys.argv[1:])
    except SystemExit:
        pass
    counts.append(gc.get_freeze_count())
print(*counts)
"""


def test_a_command_sets_what_is_loaded_aside_from_the_collector_once(tmp_path: Path) -> None:
    """What is loaded before a command runs is frozen out of the cyclic collector's passes
    (they walked it again and again), once a process: a second command freezes nothing more."""
    done = processes.run(
        [sys.executable, "-c", GC_PROBE, *SCHEDULE, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    first, second = map(int, done.stdout.split())
    assert first > 1000
    assert second == first
