"""Rewrite `constraints.txt`, the lock CI and development install from, from this environment.

    python tools/lock.py    # after installing the versions to pin, and a green gate

Every installed distribution but b12plan itself (an editable install), pinned as `pip freeze`
writes it, under the file's own header comment.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LOCK = Path(__file__).resolve().parents[1] / "constraints.txt"


def main() -> None:
    """Keep the header, replace the pins."""
    header = [
        line for line in LOCK.read_text(encoding="utf-8").splitlines() if line.startswith("#")
    ]
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    pins = sorted((line for line in frozen if "==" in line), key=str.lower)
    LOCK.write_text("\n".join([*header, *pins]) + "\n", encoding="utf-8")
    print(f"wrote {LOCK.name}: {len(pins)} pins")


if __name__ == "__main__":
    main()
