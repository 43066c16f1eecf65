"""The handout in a real browser: headless Chromium prints it, shows it, and measures it.

Each page is served from a local server that records every request, so a page that fetched a
font, an image or a stylesheet would show a second request. These tests skip only where
Debian's `chromium` is not installed (`.ci/run` installs it).
"""

from __future__ import annotations

import json
import re
import sys
from importlib import resources
from pathlib import Path

import pytest

from tests import processes
from tests.chromium import (
    CHROMIUM,
    mm_to_px,
    pdf_page_count,
    png_size,
    print_to_pdf,
    probe,
    serve,
)
from tests.conftest import EXAMPLES, ROOT, run

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run does)",
)

PATIENTS = sorted(
    p
    for p in EXAMPLES.glob("patient-*")
    if p.suffix in (".json", ".toml") and ".plan" not in p.name
)
AS_OF = ("--as-of", "2026-11-24")
BLOCKED = ("--start", "2026-12-01", "--cause", "dietary", "--route", "iv", *AS_OF)
# The page's width on A4 inside the handout's @page margins (14 mm each side).
PRINT_WIDTH_PX = mm_to_px(210 - 2 * 14)
# The narrowest window headless Chromium opens (it widens anything less to 500 px).
NARROW_WIDTH_PX = 500

# Lays the page out as on paper (print rules on, screen rules off), then lists every element
# that sticks out of the page or whose content spills out of its own box.
OVERFLOW_PROBE = """
const printing = PRINTING;
for (const sheet of document.styleSheets) {
  for (const rule of sheet.cssRules) {
    if (!rule.media || !printing) continue;
    const text = rule.media.mediaText;
    if (text.includes('print')) rule.media.mediaText = 'all';
    else if (text.includes('screen')) rule.media.mediaText = 'not all';
  }
}
const limit = document.documentElement.clientWidth;
const over = [];
for (const el of document.querySelectorAll('body *')) {
  if (el.id === 'b12plan-probe') continue;
  const box = el.getBoundingClientRect();
  const spills = el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
  if (box.right > limit + 0.5 || box.left < -0.5 || spills) {
    over.push(el.tagName + ': ' + el.textContent.trim().slice(0, 50));
  }
}
var result = {limit: limit, page: document.documentElement.scrollWidth, over: over};
"""


def _html(*args: str, code: int = 0) -> str:
    result = run("schedule", *args, "--format", "html")
    assert result.code == code, result.err
    return result.out


@pytest.mark.parametrize(
    "args",
    [(str(p), *AS_OF) for p in PATIENTS] + [BLOCKED],
    ids=[p.name for p in PATIENTS] + ["blocked"],
)
def test_each_example_prints_on_at_most_two_a4_pages_fetching_nothing(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    """Printed, a typical plan takes one or two A4 pages; the browser asks for the page only."""
    html = _html(*args, code=1 if args == BLOCKED else 0)
    with serve(html) as served:
        pdf = print_to_pdf(served.url, tmp_path / "handout.pdf")
    assert served.requests == ["/handout.html"]
    assert 1 <= pdf_page_count(pdf) <= 2
    # A4 in points (595 x 842), as the page's @page rule asks.
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(595, 842)}


def _stress_case(tmp_path: Path) -> tuple[str, ...]:
    """A long record with an overdue dose, notes, and a custom protocol whose title is one
    unbroken 120-character word: the widest content the handout can be given."""
    bundled = resources.files("b12plan.protocols").joinpath("uk-bnf-hydroxo-nonneuro.toml")
    custom = bundled.read_text(encoding="utf-8").replace(
        'id = "uk-bnf-hydroxo-nonneuro"', 'id = "my-protocol"'
    )
    title = "W" * 120 + " " + "a long title " * 13
    custom = re.sub(r'^title = ".*"$', f'title = "{title}"', custom, flags=re.MULTILINE)
    path = tmp_path / "custom.toml"
    path.write_text(custom, encoding="utf-8")
    late = str(EXAMPLES / "patient-history-late-dose.json")
    return (late, *AS_OF, "--protocol-file", str(path), "--strength", "500 mcg/mL")


@pytest.mark.parametrize(
    ("width", "printing"), [(PRINT_WIDTH_PX, True), (NARROW_WIDTH_PX, False)], ids=["a4", "narrow"]
)
def test_no_text_overflows_the_page(tmp_path: Path, width: int, printing: bool) -> None:
    """On A4 (print layout) and on a narrow screen, nothing sticks out or spills over."""
    html = _html(*_stress_case(tmp_path))
    assert "W" * 120 in html
    script = OVERFLOW_PROBE.replace("PRINTING", json.dumps(printing))
    measured = probe(html, script, width, 1200)
    assert measured == {"limit": width, "page": width, "over": []}


def test_the_overflow_probe_sees_a_line_that_does_not_fit(tmp_path: Path) -> None:
    """The probe itself works: an unbreakable line wider than A4 is reported."""
    html = _html(*_stress_case(tmp_path)).replace(
        "<main>", '<main><p style="white-space: nowrap">' + "X" * 200 + "</p>", 1
    )
    script = OVERFLOW_PROBE.replace("PRINTING", "true")
    measured = probe(html, script, PRINT_WIDTH_PX, 1200)
    assert isinstance(measured, dict)
    assert measured["page"] > PRINT_WIDTH_PX
    assert any(item.startswith("P: XXXX") for item in measured["over"])


def test_the_readme_screenshot_script_makes_a_png(tmp_path: Path) -> None:
    """docs/make_screenshot.py draws the example handout into a PNG as wide as it says."""
    target = tmp_path / "handout.png"
    done = processes.run(
        [sys.executable, str(ROOT / "docs" / "make_screenshot.py"), str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    width, height = png_size(target.read_bytes())
    assert width == 860
    assert 1200 < height < 4000
