"""The table and the audit's worklist in a real terminal (a pseudo-terminal of 60, 80 and 120
columns, `COLUMNS` unset, colour on): every line fits the terminal, and the text is the
reviewed golden under tests/golden/pty/ (issue 22).

The goldens hold what the terminal shows, colour codes taken out. To regenerate on purpose
after a reviewed change: `UPDATE_GOLDEN=1 python -m pytest tests/test_pty.py`, then read them
(`cat tests/golden/pty/*.80.txt`) as a clinician would before committing.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import sys
import termios
from pathlib import Path

import pytest

from tests import processes
from tests.conftest import EXAMPLES

GOLDEN = Path(__file__).parent / "golden" / "pty"
WIDTHS = (60, 80, 120)
BIN = Path(sys.executable).parent / "b12plan"
CLINIC = EXAMPLES / "clinic"
COMMANDS: dict[str, tuple[Path, tuple[str, ...]]] = {
    "plan": (
        EXAMPLES,
        ("schedule", "patient-history-late-dose.json", "--as-of", "2026-11-24",
         "--until", "2028-06-30"),
    ),
    "plan-blocked": (
        EXAMPLES,
        ("schedule", "--start", "2026-12-01", "--cause", "dietary", "--dob", "2015-01-01",
         "--as-of", "2026-11-24"),
    ),
    "check": (EXAMPLES, ("check", "regimen-underdosed.json", "--as-of", "2026-11-24")),
    "worklist": (
        CLINIC,
        ("audit", "records.csv", "--patients", "patients.csv", "--as-of", "2026-12-07"),
    ),
}  # fmt: skip
_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\][^\x07]*\x07")


def in_terminal(folder: Path, args: tuple[str, ...], columns: int, tmp: Path) -> tuple[str, bool]:
    """What `b12plan ARGS` shows in a terminal `columns` wide: (text without colour codes,
    whether it was coloured)."""
    main, child = pty.openpty()
    try:
        fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
        env.update(TERM="xterm-256color", XDG_CONFIG_HOME=str(tmp), HOME=str(tmp))
        with processes.started(
            [str(BIN), *args], cwd=folder, stdin=child, stdout=child, stderr=child, env=env
        ) as process:
            os.close(child)
            child = -1
            shown = processes.read_until_closed(main)
            process.wait(timeout=processes.DEADLINE)
    finally:
        for fd in (main, child):
            if fd >= 0:
                os.close(fd)
    raw = shown.decode("utf-8").replace("\r\n", "\n")
    return _ESCAPE.sub("", raw), "\x1b[" in raw


CASES = [(name, width) for name in COMMANDS for width in WIDTHS]


@pytest.mark.parametrize(("name", "columns"), CASES, ids=[f"{n}-{w}" for n, w in CASES])
def test_readable_in_a_real_terminal(name: str, columns: int, tmp_path: Path) -> None:
    """At 60, 80 and 120 columns of a real terminal the output is coloured, no line is wider
    than the terminal, and it reads as the reviewed golden."""
    if not BIN.exists():
        pytest.skip("the b12plan script is not installed beside this Python")
    folder, args = COMMANDS[name]
    text, coloured = in_terminal(folder, args, columns, tmp_path)
    assert coloured
    too_wide = [line for line in text.splitlines() if len(line) > columns]
    assert too_wide == []
    golden = GOLDEN / f"{name}.{columns}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
