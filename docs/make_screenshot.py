"""Draw docs/handout.png, the README's picture of the patient's handout.

The handout of `examples/patient-aig-new.json` (as of 2026-11-24), shown by headless Chromium
(Debian's `chromium`) in a window as tall as the page. Run from a checkout with the package
installed: `python docs/make_screenshot.py [OUT.png]`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.chromium import probe, screenshot, serve  # noqa: E402

PATIENT = ROOT / "examples" / "patient-aig-new.json"
AS_OF = "2026-11-24"
WIDTH_PX = 860


def main() -> None:
    """Write the PNG to the path given, else to docs/handout.png."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "handout.png"
    html = subprocess.run(
        [
            sys.executable,
            "-m",
            "b12plan",
            "schedule",
            str(PATIENT),
            "--as-of",
            AS_OF,
            "--format",
            "html",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    height = probe(html, "var result = document.documentElement.scrollHeight;", WIDTH_PX, 800)
    if not isinstance(height, int):
        msg = f"unexpected page height {height!r}"
        raise TypeError(msg)
    with serve(html) as served:
        screenshot(served.url, target, WIDTH_PX, height)
    print(f"wrote {target} ({WIDTH_PX} x {height} px)")


if __name__ == "__main__":
    main()
