"""Shell completion for every option and argument whose values a shell can offer (issue 22):
closed lists complete to their values, files to file names, and a new option without a
completer fails here until it has one (or is named below as free text)."""

from __future__ import annotations

import click
import pytest
from click.shell_completion import ShellComplete

from b12plan.cli import cli
from b12plan.contract.vocab import AUDIT_STATUSES, CONDITION_FLAGS, LAB_UNITS, MISS_REASONS

# Values no list can offer: dates, numbers, free text. Everything else must complete.
FREE = {
    "--start", "--dob", "--given", "--repletion-end", "--interval-from", "--folic-acid-started",
    "--as-of", "--symptoms-returned", "--closed", "--until", "--from", "--override-reason",
    "--regimen", "--jobs", "--ref",
}  # fmt: skip
# What a user has typed before asking, where a value has a free part first.
TYPED = {"--missed": "2026-12-07:", "--stopped": "2027-03-01:"}


def _complete(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "b12plan", "_B12PLAN_COMPLETE")
    return [item.value for item in completer.get_completions(args, incomplete)]


def _kinds(args: list[str], incomplete: str) -> list[str]:
    completer = ShellComplete(cli, {}, "b12plan", "_B12PLAN_COMPLETE")
    return [item.type for item in completer.get_completions(args, incomplete)]


PARAMS = [
    (name, param)
    for name, command in sorted(cli.commands.items())
    for param in command.params
    if not (isinstance(param, click.Option) and (param.is_flag or param.name == "help"))
]


@pytest.mark.parametrize(("command", "param"), PARAMS, ids=[f"{n}-{p.opts[-1]}" for n, p in PARAMS])
def test_every_value_completes(command: str, param: click.Parameter) -> None:
    """Every option and argument offers its values (or file names) to the shell, except the
    free ones (dates, numbers, text)."""
    if any(opt in FREE for opt in param.opts):
        return
    ctx = click.Context(cli.commands[command], info_name=command)
    offered = param.shell_complete(ctx, TYPED.get(param.opts[-1], ""))
    assert offered, f"{command} {param.opts} completes to nothing"


def test_files_complete_as_files() -> None:
    """The document arguments of schedule, check and audit complete to file names."""
    assert _kinds(["schedule"], "exa") == ["file"]
    assert _kinds(["check"], "exa") == ["file"]
    assert _kinds(["audit"], "exa") == ["file"]


def test_conditions_complete() -> None:
    """`--condition` offers every condition flag."""
    assert _complete(["schedule", "--condition"], "") == list(CONDITION_FLAGS)


def test_audit_statuses_complete_one_after_another() -> None:
    """`--status` offers the worklist's statuses, then the rest after a comma."""
    assert _complete(["audit", "x.csv", "--status"], "") == list(AUDIT_STATUSES)
    after = _complete(["audit", "x.csv", "--status"], "overdue,")
    assert "overdue,lapsed" in after
    assert "overdue,overdue" not in after


def test_missed_reasons_complete_after_the_date() -> None:
    """`--missed DATE:` offers the reasons."""
    assert _complete(["schedule", "--missed"], "2026-12-07:") == [
        f"2026-12-07:{r}" for r in MISS_REASONS
    ]
    assert _complete(["schedule", "--missed"], "2026-12-07:d") == [
        "2026-12-07:declined",
        "2026-12-07:did-not-attend",
    ]


def test_labs_complete_analytes_then_units() -> None:
    """`--lab` offers the analytes, then after the value that analyte's units."""
    assert _complete(["schedule", "--lab"], "") == [f"{a}=" for a in LAB_UNITS]
    assert _complete(["check", "--lab"], "hb=112 g") == ["hb=112 g/L@", "hb=112 g/dL@"]


def test_open_days_and_regions_complete() -> None:
    """`--open` offers weekdays and ranges after a comma; `--holidays` the regions."""
    assert "mon-fri" in _complete(["schedule", "--open"], "")
    assert _complete(["audit", "x.csv", "--open"], "mon-fri,s") == ["mon-fri,sat", "mon-fri,sun"]
    regions = _complete(["schedule", "--holidays"], "GB")
    assert "GB" in regions
    assert "GB-ENG" in regions
    assert "US-CA" in _complete(["audit", "x.csv", "--holidays"], "us-c")
