"""Terminal niceties: colour (`--color/--no-color`, `NO_COLOR`), the table's width, completion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete

from b12plan.cli import cli
from b12plan.cli._shared import table_width, use_color
from b12plan.protocols import bundled
from tests import processes
from tests.conftest import EXAMPLES, run

PATIENT = str(EXAMPLES / "patient-aig-new.json")
HISTORY = str(EXAMPLES / "patient-history-late-dose.json")
AS_OF = ("--as-of", "2026-11-24")
ESC = "\x1b["


def _tty(monkeypatch: pytest.MonkeyPatch, is_tty: bool) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: is_tty, raising=False)


def test_colour_follows_the_terminal_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without flags or NO_COLOR: colour on a terminal, none in a pipe."""
    _tty(monkeypatch, True)
    assert use_color(None, None) is True
    _tty(monkeypatch, False)
    assert use_color(None, None) is False


def test_no_color_turns_colour_off_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A non-empty NO_COLOR (any value) turns colour off (no-color.org)."""
    _tty(monkeypatch, True)
    monkeypatch.setenv("NO_COLOR", "0")
    assert use_color(None, None) is False


def test_empty_no_color_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR set to the empty string does not count (no-color.org)."""
    _tty(monkeypatch, True)
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color(None, None) is True


def test_flags_win_over_no_color_and_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--color` forces colour even with NO_COLOR; `--no-color` removes it on a terminal."""
    monkeypatch.setenv("NO_COLOR", "1")
    _tty(monkeypatch, False)
    assert use_color(True, None) is True
    monkeypatch.delenv("NO_COLOR")
    _tty(monkeypatch, True)
    assert use_color(False, None) is False


def test_never_colour_into_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """An output file never gets escape codes, even with --color; `-o -` is stdout."""
    _tty(monkeypatch, True)
    assert use_color(True, "plan.txt") is False
    assert use_color(True, "-") is True


def test_color_flag_colours_the_table_in_a_pipe() -> None:
    """`schedule --color` writes escape codes even when stdout is not a terminal."""
    assert ESC in run("schedule", PATIENT, *AS_OF, "--color").out
    assert ESC not in run("schedule", PATIENT, *AS_OF, "--no-color").out


def test_no_color_env_wins_over_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """With NO_COLOR set and no flag, the table has no escape codes."""
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in run("schedule", PATIENT, *AS_OF).out


def test_table_written_to_a_file_has_no_colour(tmp_path: Path) -> None:
    """`schedule --color -o FILE` writes plain text."""
    target = tmp_path / "plan.txt"
    assert run("schedule", PATIENT, *AS_OF, "--color", "-o", str(target)).code == 0
    text = target.read_text(encoding="utf-8")
    assert "Decision support only" in text
    assert ESC not in text


@pytest.mark.parametrize("fmt", ["json", "ndjson", "csv", "ics", "fhir", "html"])
def test_machine_formats_are_never_coloured(fmt: str) -> None:
    """--color affects the table only: machine formats stay byte-identical."""
    coloured = run("schedule", PATIENT, *AS_OF, "--format", fmt, "--color").out
    assert ESC not in coloured
    assert coloured == run("schedule", PATIENT, *AS_OF, "--format", fmt).out


def _complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "b12plan", "_B12PLAN_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def test_protocol_ids_complete() -> None:
    """`--protocol` completes to auto and the bundled ids, filtered by what was typed."""
    assert _complete(["schedule", "--protocol"], "") == ["auto", *bundled()]
    assert _complete(["schedule", "--protocol"], "us-") == [
        "us-fda-cyano-label",
        "us-cyano-1000",
        "us-asmbs-bariatric",
    ]


def test_protocols_command_completes_protocol_ids() -> None:
    """`b12plan protocols ID` completes to the bundled ids (not auto)."""
    assert _complete(["protocols"], "uk-bnf") == ["uk-bnf-hydroxo-nonneuro", "uk-bnf-hydroxo-neuro"]


def test_causes_complete_with_their_aliases() -> None:
    """`--cause` completes canonical causes and the aliases."""
    assert _complete(["schedule", "--cause"], "pern") == ["pernicious-anaemia", "pernicious-anemia"]
    assert _complete(["schedule", "--cause"], "di") == ["dietary"]


def test_format_choices_complete() -> None:
    """`--format` completes to the six formats of the contract and the handout."""
    assert _complete(["schedule", "--format"], "") == [
        "table",
        "json",
        "ndjson",
        "csv",
        "ics",
        "fhir",
        "html",
    ]


def _entry_point(**env: str) -> subprocess.CompletedProcess[str]:
    """`python -m b12plan` in a fresh process: click writes completion output as bytes."""
    return processes.run(
        [sys.executable, "-m", "b12plan"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **env},
    )


def test_completion_env_var_drives_the_real_entry_point() -> None:
    """`_B12PLAN_COMPLETE=bash_complete` answers through main(), as the documented eval does."""
    done = _entry_point(
        _B12PLAN_COMPLETE="bash_complete",
        COMP_WORDS="b12plan schedule --cause pern",
        COMP_CWORD="3",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["plain,pernicious-anaemia", "plain,pernicious-anemia"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts_are_printed_for_each_shell(shell: str) -> None:
    """`_B12PLAN_COMPLETE={shell}_source b12plan` prints that shell's completion script."""
    done = _entry_point(_B12PLAN_COMPLETE=f"{shell}_source")
    assert done.returncode == 0, done.stderr
    assert "_B12PLAN_COMPLETE" in done.stdout
    assert "_b12plan_completion" in done.stdout


def test_table_width_is_columns_when_set(monkeypatch: pytest.MonkeyPatch) -> None:
    """COLUMNS wins, on a terminal or not, as shells and `shutil` read it."""
    _tty(monkeypatch, True)
    monkeypatch.setenv("COLUMNS", "80")
    assert table_width(None) == 80
    _tty(monkeypatch, False)
    assert table_width("plan.txt") == 80


def test_table_width_is_the_terminals_without_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal an interactive bash does not export COLUMNS: the terminal's width is used
    (it was 120 whatever the terminal); into a file it is 100."""
    monkeypatch.delenv("COLUMNS")
    _tty(monkeypatch, True)
    monkeypatch.setattr(sys.stdout, "fileno", lambda: 1, raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda _fd: os.terminal_size((87, 24)))
    assert table_width(None) == 87
    assert table_width("-") == 87
    assert table_width("plan.txt") == 100


def test_table_width_is_100_in_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without COLUMNS and a terminal (a pipe, a file) the table is 100 columns wide."""
    monkeypatch.delenv("COLUMNS")
    _tty(monkeypatch, False)
    assert table_width(None) == 100
    lines = run("schedule", PATIENT, *AS_OF).out.splitlines()
    assert max(len(line) for line in lines) == 100


@pytest.mark.parametrize(
    ("columns", "width"), [("10", 40), ("99999", 1000), ("9" * 5000, 1000), ("0", 100), ("²", 100)]
)
def test_table_width_stays_sensible(
    monkeypatch: pytest.MonkeyPatch, columns: str, width: int
) -> None:
    """COLUMNS below 40 or above 1000 is clamped; 0 or not a number is ignored."""
    _tty(monkeypatch, False)
    monkeypatch.setenv("COLUMNS", columns)
    assert table_width(None) == width


def test_colour_marks_words_not_whole_lines() -> None:
    """In colour, a run's phase and the section labels are bold, not the text after them, and
    a status is coloured by what it means."""
    out = run("schedule", HISTORY, *AS_OF, "--color").out
    assert f"{ESC}1mrepletion{ESC}0m: 1 mg 3 times a week" in out
    assert f"{ESC}1mMaintenance: {ESC}0mevery 2mo" in out
    assert f"{ESC}1;31moverdue" in out
    assert f"{ESC}32mgiven" in out


def test_stop_reasons_and_new_conditions_complete() -> None:
    """`--stopped DATE:` completes the stop reasons after the date; `--condition` offers
    b12_hypersensitivity and vegan."""
    assert _complete(["schedule", "--stopped"], "2027-03-01:s") == ["2027-03-01:switched-to-oral"]
    assert len(_complete(["schedule", "--stopped"], "2027-03-01:")) == 6
    assert _complete(["schedule", "--stopped"], "2027-03") == []
    assert _complete(["check", "--condition"], "")[-2:] == ["b12_hypersensitivity", "vegan"]
