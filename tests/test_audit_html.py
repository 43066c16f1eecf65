"""The audit's worklist page (`audit --format html`): escaped, self-contained, printable; in a
real browser (headless Chromium) as the handout is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, mm_to_px, pdf_page_count, print_to_pdf, probe, serve
from tests.conftest import EXAMPLES, run
from tests.test_handout_browser import OVERFLOW_PROBE

CLINIC = EXAMPLES / "clinic"
ARGS = (
    str(CLINIC / "records.csv"),
    "--patients",
    str(CLINIC / "patients.csv"),
    "--as-of",
    "2026-12-07",
    "--format",
    "html",
)
browser = pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium; .ci/run does)",
)


def page(*args: str, stdin: str = "") -> str:
    """The worklist page for these arguments (exit 0 required)."""
    result = run("audit", *args, stdin=stdin)
    assert result.code == 0, result.err
    return result.out


def test_the_page_counts_each_status_at_the_top_and_lists_every_patient() -> None:
    """Counts per status come before the table; every patient has a row, most urgent first."""
    html = page(*ARGS)
    counts = html.index('class="counts"')
    assert counts < html.index("<table>")
    assert re.search(r'<li class="lapsed"><strong>1</strong> lapsed</li>', html)
    rows = re.findall(r'<td class="status ([a-z-]+)">', html)
    assert rows[0] == "needs-review"
    assert rows[-1] == "stopped"
    assert len(rows) == 10


def test_the_page_is_self_contained_and_escapes_the_records() -> None:
    """No script, no stylesheet or icon to fetch; a ref with markup is shown as text."""
    text = "patient_id,date,event,cause\n<b>x</b>,2026-12-01,given,pernicious-anaemia\n"
    html = page("-", "--as-of", "2026-12-07", "--format", "html", stdin=text)
    assert "<script" not in html
    assert re.findall(r"<link[^>]*>", html) == ['<link rel="icon" href="data:,">']
    assert "&lt;b&gt;x&lt;/b&gt;" in html
    assert "<b>x</b>" not in html


@browser
def test_the_page_prints_on_a4_landscape_fetching_nothing(tmp_path: Path) -> None:
    """Printed, the example clinic's ten patients take at most two A4 landscape pages; the
    browser asks for the page only."""
    with serve(page(*ARGS)) as served:
        pdf = print_to_pdf(served.url, tmp_path / "worklist.pdf")
    assert served.requests == ["/handout.html"]
    assert 1 <= pdf_page_count(pdf) <= 2
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert {(round(float(w)), round(float(h))) for w, h in boxes} == {(842, 595)}


@browser
def test_no_text_overflows_the_printed_page() -> None:
    """On A4 landscape (print layout) nothing sticks out of the page or spills over."""
    width = mm_to_px(297 - 2 * 12)
    measured = probe(page(*ARGS), OVERFLOW_PROBE.replace("PRINTING", "true"), width, 1200)
    assert measured == {"limit": width, "page": width, "over": []}
