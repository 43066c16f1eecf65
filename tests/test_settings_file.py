"""`b12plan.toml`: a clinic's days and defaults, read by schedule, check and audit; options
override it, `--no-config` ignores it, and each output says which file was used."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests import processes
from tests.conftest import run

AS_OF = "2026-12-01"
SCHEDULE = ("schedule", "--start", "2026-12-04", "--cause", "pernicious-anaemia", "--as-of", AS_OF)
REGIMEN = ("--regimen", "1000mcg im every 2d x6; then 1000mcg im every 3mo")
CHECK = ("check", *REGIMEN, "--start", "2026-12-04", "--cause", "pernicious-anaemia")
SETTINGS = """due_within = "14d"

[clinic]
open = "mon-fri"
closed = [2026-12-25, "2026-12-28"]
holidays = "GB-ENG"
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a b12plan.toml."""
    (tmp_path / "b12plan.toml").write_text(SETTINGS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def first_dates(*args: str) -> list[str]:
    """The first four dose dates `schedule ARGS --format json` gives."""
    result = run(*SCHEDULE, *args, "--format", "json")
    assert result.code == 0, result.err
    return [d["date"] for d in result.json()["doses"][:4]]


def test_schedule_reads_the_clinic_days_and_says_so(folder: Path) -> None:
    """In a folder with b12plan.toml, weekend doses move to Monday, and stderr names the file."""
    result = run(*SCHEDULE, "--format", "json")
    assert result.code == 0
    assert [d["date"] for d in result.json()["doses"][:4]] == [
        "2026-12-04",
        "2026-12-07",
        "2026-12-09",
        "2026-12-14",
    ]
    assert result.err == "b12plan: note: settings from b12plan.toml\n"
    assert folder.is_dir()


@pytest.mark.usefixtures("folder")
def test_no_config_ignores_it() -> None:
    """`--no-config` plans as if there were no settings file (the Saturday dose stays)."""
    assert first_dates("--no-config")[:2] == ["2026-12-04", "2026-12-06"]


@pytest.mark.usefixtures("folder")
def test_options_override_the_file_key_by_key() -> None:
    """`--open mon-sun` replaces the file's open days; its holidays still apply."""
    assert first_dates("--open", "mon-sun")[:2] == ["2026-12-04", "2026-12-06"]


def test_the_user_config_folder_is_read_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a file in the working folder, the one in the config folder is read."""
    config = tmp_path / "config"
    config.mkdir()
    (config / "b12plan.toml").write_text(SETTINGS, encoding="utf-8")
    monkeypatch.setenv("B12PLAN_CONFIG_DIR", str(config))
    monkeypatch.chdir(tmp_path)
    assert first_dates()[1] == "2026-12-07"


@pytest.mark.usefixtures("folder")
def test_check_reads_it() -> None:
    """`check` reads the settings file too, and says so."""
    result = run(*CHECK, "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert "settings from" in result.err


def test_audit_reads_due_within_and_names_the_file(folder: Path) -> None:
    """The audit's due-soon window comes from the file; the worklist names the file."""
    events = (
        "patient_id,date,event,cause,repletion_done\nP,2026-09-20,given,pernicious-anaemia,yes\n"
    )
    result = run("audit", "-", "--as-of", "2026-12-01", "--format", "json", stdin=events)
    worklist = result.json()
    assert worklist["due_within"] == "14d"
    assert worklist["settings"] == "b12plan.toml"
    assert (folder / worklist["settings"]).is_file()
    assert worklist["patients"][0]["status"] == "up-to-date"  # due 2026-12-21: 20 days
    table = run("audit", "-", "--as-of", "2026-12-01", stdin=events)
    assert table.out.splitlines()[0].endswith("; settings: b12plan.toml")
    page = run("audit", "-", "--as-of", "2026-12-01", "--format", "html", stdin=events)
    assert "settings: b12plan.toml" in page.out


@pytest.mark.usefixtures("folder")
def test_plans_and_checks_name_the_settings_file() -> None:
    """With a settings file read, the plan and check documents end with `settings` (its
    path) and their tables' headers say `settings: PATH`."""
    plan = run(*SCHEDULE, "--format", "json")
    assert list(plan.json())[-1] == "settings"
    assert plan.json()["settings"] == "b12plan.toml"
    table = run(*SCHEDULE)
    assert "│ settings: b12plan.toml" in table.out
    report = run(*CHECK, "--as-of", AS_OF, "--format", "json")
    assert report.code == 0, report.err
    assert list(report.json())[-1] == "settings"
    assert report.json()["settings"] == "b12plan.toml"
    assert "│ settings: b12plan.toml" in run(*CHECK, "--as-of", AS_OF).out


def test_a_batch_names_the_settings_file_in_every_plan(folder: Path) -> None:
    """Each plan of `schedule --batch` names the settings file read, as `schedule --format
    json` does (its lines and the one-patient document are the same object), whether this
    process writes the lines or, with `--jobs 2` onto a file, the workers do; an error line
    does not."""
    patient = {"start": "2026-12-04", "cause": "pernicious-anaemia"}
    lines = json.dumps(patient) + "\n{}\n" + json.dumps(patient) + "\n"
    (folder / "in.jsonl").write_text(lines, encoding="utf-8")
    alone = run(*SCHEDULE, "--format", "json").json()
    for jobs in ("1", "2"):
        out = folder / f"out-{jobs}.jsonl"
        # In a process of its own, from the folder: `--jobs` workers then write the file.
        done = processes.run(
            [sys.executable, "-m", "b12plan", "schedule", "--batch", "in.jsonl", "--as-of", AS_OF,
             "--jobs", jobs, "-o", str(out)],
            capture_output=True, cwd=folder, timeout=300,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        first, error, third = (json.loads(line) for line in out.read_text().splitlines())
        assert first == third == alone
        assert "settings" not in error


def test_without_a_settings_file_nothing_is_added(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No settings file read (none found, or `--no-config`): no `settings` key, no header line,
    as every golden made without one."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("B12PLAN_CONFIG_DIR", str(tmp_path / "none"))
    assert "settings" not in run(*SCHEDULE, "--format", "json").json()
    assert "settings" not in run(*SCHEDULE).out
    assert "settings" not in run(*CHECK, "--as-of", AS_OF, "--format", "json").json()
    (tmp_path / "b12plan.toml").write_text(SETTINGS, encoding="utf-8")
    assert "settings" not in run(*SCHEDULE, "--no-config", "--format", "json").json()


def test_a_settings_path_is_shown_printable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config folder whose name holds a control character is named with it written out, so
    neither the terminal nor the JSON carries it."""
    config = tmp_path / "odd\x1b[31mname"
    config.mkdir()
    (config / "b12plan.toml").write_text(SETTINGS, encoding="utf-8")
    monkeypatch.setenv("B12PLAN_CONFIG_DIR", str(config))
    monkeypatch.chdir(tmp_path)
    named = run(*SCHEDULE, "--format", "json").json()["settings"]
    assert named.endswith("odd\\x1b[31mname/b12plan.toml")
    assert "\x1b" not in run(*SCHEDULE).out


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[clinic]\nopen = "mon-fry"\n', "clinic.open: 'mon-fry' is not a list of weekdays"),
        ("[clinic]\nopen = 5\n", 'must be a TOML string such as "mon-fri"'),
        ('[clinic]\nclosed = "2026-12-25"\n', "clinic.closed must be a TOML array of dates"),
        ('[clinic]\nholidays = "XX-YY"\n', "clinic.holidays:"),
        ('colour = "red"\n', "'colour' is not a setting; allowed: clinic, due_within"),
        ("[clinic\n", "is not TOML"),
    ],
)
def test_a_bad_settings_file_is_one_line_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, says: str
) -> None:
    """A settings file b12plan cannot use fails the run with one line naming the file, the
    key and what is allowed (in TOML's words)."""
    (tmp_path / "b12plan.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run(*SCHEDULE)
    assert result.code == 2
    assert result.err.startswith("b12plan: error: settings: ")
    assert "b12plan.toml" in result.err
    assert says in result.err
    assert "JSON" not in result.err
    assert json.dumps(says)  # the expectation is text


@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/ann"},
        {"HOME": "/home/ann/"},
        {"HOME": "/home/ann", "XDG_CONFIG_HOME": "/etc/xdg-ann"},
        {"HOME": "/home/ann", "XDG_CONFIG_HOME": "  "},
        {"HOME": "/home/ann", "XDG_CONFIG_HOME": ""},
        {"HOME": "/home/ann", "XDG_CONFIG_HOME": "relative/config"},
        {"HOME": "/home/ann", "ANDROID_DATA": "/data", "ANDROID_ROOT": "/system"},
        {"XDG_CONFIG_HOME": "/srv/config"},
    ],
)
def test_the_config_folder_is_the_one_platformdirs_names(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    """The config folder found without importing platformdirs is the one platformdirs names,
    whatever HOME and XDG_CONFIG_HOME say."""
    import platformdirs

    from b12plan.io.settings import CONFIG_DIR_VARIABLE, config_folder

    for name in (CONFIG_DIR_VARIABLE, "HOME", "XDG_CONFIG_HOME", "ANDROID_DATA", "ANDROID_ROOT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert config_folder() == platformdirs.user_config_dir("b12plan", appauthor=False)


def test_the_settings_folder_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """`B12PLAN_CONFIG_DIR` names the config folder over HOME and XDG_CONFIG_HOME."""
    from b12plan.io.settings import CONFIG_DIR_VARIABLE, config_folder

    monkeypatch.setenv(CONFIG_DIR_VARIABLE, "/srv/b12plan")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/etc/xdg-ann")
    assert config_folder() == "/srv/b12plan"
