"""The README and the docs site stay true: every session, example and command in them runs.

- A ```console block is a shell session: each `$ ` command runs in bash from the project root,
  at 80 columns, with `b12plan` on PATH, and prints what the page shows (a line with '…' cuts
  the rest short).
- A ```python block is a doctest; the blocks of one page run as one session.
- A ```json or ```toml block is a document b12plan reads (a patient, a regimen or a protocol).
- A ```sh block's lines run (those typing `b12plan`), or are one of the few commands that other
  tests cover (set-up, completion).
"""

from __future__ import annotations

import ast
import doctest
import json
import os
import re
import shutil
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests import processes
from tests.conftest import ROOT, run

DOCS = ROOT / "docs"
README_PATH = ROOT / "README.md"
PAGES = [README_PATH, *sorted(DOCS.rglob("*.md"))]
BIN = Path(sys.executable).parent


def _rel(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _blocks(lang: str) -> list[tuple[Path, int, str]]:
    """(page, line number, body) of every fenced block of that language, in page order."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(rf"^```{lang}\n(.*?)^```$", text, re.S | re.M):
            found.append((page, text[: match.start()].count("\n") + 1, match.group(1)))
    return found


def _sessions() -> list[tuple[str, str, str]]:
    """(where, command, shown output) of every `$ ` command of every console block."""
    out = []
    for page, line, body in _blocks("console"):
        lines = body.rstrip("\n").split("\n")
        assert lines[0].startswith("$ "), f"{_rel(page)}:{line} starts with a command"
        i = 0
        while i < len(lines):
            command, at = lines[i][2:], line + 1 + i
            while command.endswith("\\"):
                i += 1
                command = command[:-1] + " " + lines[i].strip()
            i += 1
            shown = []
            while i < len(lines) and not lines[i].startswith("$ "):
                shown.append(lines[i])
                i += 1
            out.append((f"{_rel(page)}:{at}", command, "\n".join(shown)))
    return out


SESSIONS = _sessions()


def _shell_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(COLUMNS="80", TERM="dumb", PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}")
    return env


def _printed_as_shown(shown: list[str], out: list[str], err: list[str]) -> bool:
    """True when the shown lines are stdout's and stderr's lines, each stream in its order
    (the page interleaves them as a terminal did; the pipes here keep them apart)."""
    i = j = 0
    for line in shown:
        if i < len(out) and out[i] == line:
            i += 1
        elif j < len(err) and err[j] == line:
            j += 1
        else:
            return False
    return True


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").split("\n")] if text.strip() else []


@pytest.mark.parametrize(("where", "command", "shown"), SESSIONS, ids=[s[0] for s in SESSIONS])
def test_session_prints_what_the_page_shows(where: str, command: str, shown: str) -> None:
    """Each console command of the README and docs prints, at 80 columns, what the page shows,
    up to a line with '…' where the page cuts it short (a command may first `cd` into a folder
    of examples, as the audit's example clinic does)."""
    if "jq " in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed (apt install jq)")
    typed = re.sub(r"^cd examples/[\w/-]+ && ", "", command)
    assert typed.startswith(("b12plan ", "printf ")), f"{where}: a session types b12plan"
    result = processes.run(
        ["bash", "-c", command],
        cwd=ROOT,
        env=_shell_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    out, err = _lines(result.stdout), _lines(result.stderr)
    expected = [line.rstrip() for line in shown.split("\n")] if shown else []
    cut = next((n for n, line in enumerate(expected) if "…" in line), None)
    if cut is None:
        assert len(expected) == len(out) + len(err), f"{where}\n{result.stdout}{result.stderr}"
    else:
        expected = expected[:cut]
    assert _printed_as_shown(expected, out, err), f"{where}\n{result.stdout}{result.stderr}"


def test_there_are_sessions_on_every_user_guide_page_that_runs_something() -> None:
    """The pages show real sessions: the README and a dozen in the docs."""
    pages = {where.split(":")[0] for where, _, _ in SESSIONS}
    assert "README.md" in pages
    assert len(SESSIONS) >= 15


# ---------------------------------------------------------------- python examples


PYTHON_PAGES = sorted({page for page, _, _ in _blocks("python")})


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=[_rel(p) for p in PYTHON_PAGES])
def test_python_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every ```python block of a page runs as a doctest, from the project root, the blocks of
    a page going on from one another as a session would."""
    blocks = [body for p, _, body in _blocks("python") if p == page]
    assert all(">>> " in block for block in blocks), f"{_rel(page)}: a python block is a doctest"
    monkeypatch.chdir(ROOT)
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs: dict[str, Any] = {}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"{_rel(page)} block {i + 1}", str(page), 0)
        runner.run(test, out=pytest.fail, clear_globs=False)
        globs = test.globs
    assert runner.summarize(verbose=False).attempted >= len(blocks)


# ---------------------------------------------------------------- documents and commands

DOCUMENTS = [(p, n, body, "json") for p, n, body in _blocks("json")]
DOCUMENTS += [(p, n, body, "toml") for p, n, body in _blocks("toml")]


@pytest.mark.parametrize(
    ("page", "line", "body", "kind"), DOCUMENTS, ids=[f"{_rel(d[0])}:{d[1]}" for d in DOCUMENTS]
)
def test_example_documents_are_read(
    page: Path, line: int, body: str, kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON or TOML example is a document b12plan reads without an input error: a regimen
    (`check`), a patient (`schedule`), a protocol file (`protocols --validate`) or a clinic's
    settings file (`b12plan.toml`, read by `schedule` in its folder)."""
    data = json.loads(body) if kind == "json" else tomllib.loads(body)
    path = tmp_path / f"example.{kind}"
    path.write_text(body, encoding="utf-8")
    if kind == "toml" and set(data) <= {"clinic", "due_within"}:
        (tmp_path / "b12plan.toml").write_text(body, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        result = run("schedule", "--start", "2026-12-01", "--cause", "dietary")
        assert result.code == 0, f"{_rel(page)}:{line}: {result.err}"
        assert result.err == "b12plan: note: settings from b12plan.toml\n"
        return
    if "steps" in data:
        argv = ["check", str(path), "--as-of", "2026-11-24"]
    elif "start" in data or "cause" in data:
        argv = ["schedule", str(path), "--as-of", "2026-11-24"]
    else:
        argv = ["protocols", "--validate", str(path)]
    result = run(*argv)
    assert result.code in (0, 1), f"{_rel(page)}:{line}: {result.err}"


# Commands the pages give that other tests run: the set-up lines (README tests below) and the
# shells' completion lines (test_completion_lines_load). Anything else typed in a ```sh block
# must be a `b12plan` command, which runs here.
COVERED = (r"python3 -m venv \.venv && ", r"eval \"\$\(_B12PLAN_COMPLETE=", r"_B12PLAN_COMPLETE=")
SH_LINES = [
    (f"{_rel(p)}:{n}", line)
    for p, n, body in _blocks("sh")
    for line in body.strip().split("\n")
    if not line.startswith("#")
]


@pytest.mark.parametrize(("where", "line"), SH_LINES, ids=[w for w, _ in SH_LINES])
def test_sh_lines_run(where: str, line: str, tmp_path: Path) -> None:
    """A `b12plan` line of a ```sh block runs (exit 0), in a scratch folder that has the
    examples; every other line is one that another test covers."""
    if any(re.match(pattern, line) for pattern in COVERED):
        return
    assert line.startswith("b12plan "), f"{where}: {line!r} is neither run nor covered"
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    result = processes.run(
        ["bash", "-c", line],
        cwd=tmp_path,
        env=_shell_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{where}: {result.stderr}"


def test_completion_lines_load() -> None:
    """Each shell's completion line is given, and bash's defines b12plan's completion."""
    text = (DOCS / "guide" / "completion.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_B12PLAN_COMPLETE={shell}_source b12plan" in text
    result = processes.run(
        ["bash", "-c", 'eval "$(_B12PLAN_COMPLETE=bash_source b12plan)" && complete -p b12plan'],
        env=_shell_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "b12plan" in result.stdout


# ---------------------------------------------------------------- the README


README = README_PATH.read_text(encoding="utf-8")
SETUP = re.search(r"## Set-up\n(.*?)\n## ", README, re.S)


def _sh_blocks() -> list[str]:
    assert SETUP is not None, "README has a Set-up section"
    return re.findall(r"```sh\n(.*?)\n```", SETUP.group(1), re.S)


def test_readme_is_short() -> None:
    """The README fits on a few screens: what it is, set-up, a first session, a glimpse of a
    patient on treatment, a prescription checked and a clinic's worklist, where to read."""
    assert len(README.splitlines()) <= 240
    for page in ("docs/guide/schedule.md", "docs/clinical-rules.md", "docs/api.md"):
        assert f"]({page})" in README


def test_setup_is_two_commands() -> None:
    """Set-up is exactly two one-line commands: install-and-run, install-and-test; the docs'
    home page gives the first one as it is."""
    blocks = _sh_blocks()
    assert len(blocks) == 2
    assert all("\n" not in block for block in blocks)
    assert "b12plan schedule" in blocks[0]
    assert "pytest" in blocks[1]
    assert f"```sh\n{blocks[0]}\n```" in (DOCS / "index.md").read_text(encoding="utf-8")


def test_setup_main_job_runs() -> None:
    """The first set-up command's `b12plan schedule ...` part succeeds on the shipped example."""
    args = _sh_blocks()[0].split("&&")[-1].split()
    assert args[0].endswith("b12plan")
    assert (ROOT / args[2]).exists()
    result = run(*[str(ROOT / a) if a.startswith("examples/") else a for a in args[1:]])
    assert result.code == 0, result.err
    assert "Decision support only" in result.out


def test_ci_runs_the_readme_test_command_and_builds_the_docs() -> None:
    """`.ci/run` installs the test and docs extras at the lock's versions (constraints.txt),
    runs the same pytest command as the README, and builds the docs with `mkdocs build --strict`."""
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _sh_blocks()[1].split("&&")[-1].strip()
    assert "pip install -q -c constraints.txt '.[test]'" in ci
    assert "pip install -q -c constraints.txt '.[docs]'" in ci
    assert test_command in ci
    assert "mkdocs build --strict" in ci
    assert "site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_setup_says_how_to_run_b12plan_and_what_else_is_needed() -> None:
    """Set-up says how to get `b12plan` on PATH (the sessions type it bare) and names jq, which
    the pipeline examples use; contributors install editable, so tests see their edits."""
    assert SETUP is not None
    setup = SETUP.group(1)
    assert "`. .venv/bin/activate`" in setup
    assert "`.venv/bin/b12plan`" in setup
    assert "jq" in setup
    assert "pip install -q -c constraints.txt -e '.[test]'" in _sh_blocks()[1]
    development = (DOCS / "development.md").read_text(encoding="utf-8")
    assert "pip install -q -c constraints.txt -e '.[test]'" in development


# ---------------------------------------------------------------- the site


def test_every_page_is_in_the_site_and_links_resolve() -> None:
    """Every docs page is in mkdocs.yml's nav, and every relative link between pages (and from
    the README into docs/) names a file that exists."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in DOCS.rglob("*.md"):
        assert page.relative_to(DOCS).as_posix() in config, f"{_rel(page)} is not in the nav"
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#:]+?)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{_rel(page)} links to {target}"


def test_nothing_cites_a_file_outside_the_repository() -> None:
    """No page or schema cites `clinical/reference.md`, which is not in the repository: they
    point at the docs' clinical rules instead."""
    places = [*PAGES, *(ROOT / "schemas").glob("*.json")]
    cited = [_rel(p) for p in places if "clinical/reference.md" in p.read_text(encoding="utf-8")]
    assert cited == []


# ---------------------------------------------------------------- the clinical rules page

CLINICAL = DOCS / "clinical-rules.md"
SRC = ROOT / "src" / "b12plan"
SOURCE_ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|B12PLAN")
CODE = re.compile(r"[A-Z][A-Z0-9]+(?:_[A-Z0-9]+)*")
NOT_CODES = {"B12PLAN", "FBC"}  # a source id; a test's name


def _constants(paths: list[Path]) -> list[Any]:
    """Every string constant, and every assignment `NAME = value`, in those modules."""
    found: list[Any] = []
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
    return found


def _engine_modules() -> list[Path]:
    """The rules (the engine, which does no I/O, so its capitals are codes and ids) and the
    registry of sources."""
    return [*SRC.glob("**/engine/**/*.py"), *SRC.glob("**/sources.py")]


def _toml_values(data: Any, key: str) -> list[Any]:
    if isinstance(data, dict):
        return [v for k, v in data.items() if k == key] + [
            x for v in data.values() for x in _toml_values(v, key)
        ]
    if isinstance(data, list):
        return [x for v in data for x in _toml_values(v, key)]
    return []


def _protocols() -> list[dict[str, Any]]:
    return [tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.toml"))]


def emitted_source_ids() -> set[str]:
    """Every source id a plan, a check or a protocol can print: those the rules name, those in
    the registry, and those the bundled protocols cite."""
    ids = {s for s in _constants(_engine_modules()) if SOURCE_ID.fullmatch(s)}
    for protocol in _protocols():
        ids.update(_toml_values(protocol, "source"))
        ids.update(s for sources in _toml_values(protocol, "sources") for s in sources)
    return ids


def _documents_sources(data: Any) -> set[str]:
    if isinstance(data, dict):
        own = {data["source"]} if isinstance(data.get("source"), str) else set()
        return own.union(*(_documents_sources(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(_documents_sources(v) for v in data))
    return set()


def test_every_source_id_is_explained_for_clinicians() -> None:
    """Each source id the output can print has its own heading on the clinical rules page,
    and the golden plans and checks print no other."""
    page = CLINICAL.read_text(encoding="utf-8")
    ids = emitted_source_ids()
    assert {"NICE-NG239", "NHS-PRACTICE", "B12PLAN", "BSH-2014-FOLATE"} <= ids
    missing = sorted(s for s in ids if f"\n### {s}\n" not in page)
    assert missing == [], f"explain these source ids in docs/clinical-rules.md: {missing}"
    printed = set().union(
        *(
            _documents_sources(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted((ROOT / "examples").glob("*.json"))
            if p.name.endswith((".plan.json", ".check.json"))
        )
    )
    assert printed <= ids


def test_every_finding_code_is_explained() -> None:
    """Each finding code the rules can raise is named on the clinical rules page or, for a
    regimen's findings, on the check page."""
    text = CLINICAL.read_text(encoding="utf-8") + (DOCS / "guide" / "check.md").read_text(
        encoding="utf-8"
    )
    codes = {s for s in _constants(_engine_modules()) if CODE.fullmatch(s)} - NOT_CODES
    assert {"IV_ROUTE", "LIFELONG", "DOSE_MISMATCH"} <= codes
    missing = sorted(code for code in codes if f"`{code}`" not in text)
    assert missing == [], f"explain these codes in docs/clinical-rules.md: {missing}"


def _module_conventions() -> tuple[list[str], list[str]]:
    """The engine's conventions for plans (the constants of its conventions module) and for
    checks (CHECK_CONVENTIONS, then WORDING_CONVENTIONS for a regimen read from wording), in the
    order the code gives them."""
    plan: list[str] = []
    check: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.AnnAssign | ast.Assign) or node.value is None:
                continue
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            value = ast.literal_eval(node.value) if _literal(node.value) else None
            check_lists = {"CHECK_CONVENTIONS", "WORDING_CONVENTIONS"}
            if check_lists & set(names) and isinstance(value, tuple | list):
                check += list(value)
            elif path.name == "conventions.py" and isinstance(value, str) and "[C]" in value:
                plan.append(value)
    return plan, check


def _literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except ValueError:
        return False
    return True


def conventions_block() -> str:
    """The conventions section of the clinical rules page, as the code and protocols word it."""
    plan, check = _module_conventions()
    out = ["<!-- conventions: start -->", "", "In a plan, where they apply:", ""]
    out += [f"- {text}" for text in plan]
    out += ["", "In a check of a proposed regimen:", ""]
    out += [f"- {text}" for text in check]
    out += ["", "In the plans of one protocol:", ""]
    for protocol in _protocols():
        for text in protocol.get("conventions", []):
            out.append(f"- `{protocol['id']}`: {text}")
    out += ["", "<!-- conventions: end -->"]
    return "\n".join(out)


def test_every_convention_is_on_the_clinical_page() -> None:
    """The clinical rules page lists every convention [C] a plan or check can print, in its
    words (`UPDATE_DOCS=1 python -m pytest tests/test_docs.py` rewrites the list; review it)."""
    start, end = "<!-- conventions: start -->", "<!-- conventions: end -->"
    text = CLINICAL.read_text(encoding="utf-8")
    before, rest = text.split(start)
    shown, after = rest.split(end)
    expected = conventions_block()
    if os.environ.get("UPDATE_DOCS"):
        CLINICAL.write_text(before + expected + after, encoding="utf-8")
    assert len(_module_conventions()[0]) >= 5
    assert start + shown + end == expected
