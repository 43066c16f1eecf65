"""Headless Chromium for the handout's tests and for `docs/make_screenshot.py` (stdlib only).

Debian's `chromium` package (`.ci/run` installs it). Each run gets a fresh profile and no
background traffic of its own, so every request a page makes reaches the local server below,
which serves the page and records each request it sees.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import struct
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path

from tests import processes

CHROMIUM = shutil.which("chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)
MM_PER_INCH = 25.4
CSS_PX_PER_INCH = 96
A4_WIDTH_PX = round(210 * CSS_PX_PER_INCH / MM_PER_INCH)


def mm_to_px(mm: float) -> int:
    """CSS pixels (96 a inch) in `mm` millimetres, rounded."""
    return round(mm * CSS_PX_PER_INCH / MM_PER_INCH)


def chromium(url: str, *args: str) -> str:
    """Run headless Chromium on `url` with extra flags; its stdout (the DOM with --dump-dom)."""
    if CHROMIUM is None:
        msg = "chromium is not installed"
        raise RuntimeError(msg)
    with tempfile.TemporaryDirectory(prefix="b12plan-chromium-") as profile:
        # Its own session: the renderer, GPU and crash-handler processes it starts end with it.
        done = processes.run(
            [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, url],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0:
        msg = f"chromium exited {done.returncode}: {done.stderr[-2000:]}"
        raise RuntimeError(msg)
    return done.stdout


@dataclass
class Served:
    """A page served on localhost, and every path the browser asked for."""

    url: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def serve(html: str) -> Iterator[Served]:
    """Serve `html` at http://127.0.0.1:PORT/handout.html for the length of the block."""
    body = html.encode("utf-8")
    served = Served(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            if self.path != "/handout.html":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.url = f"http://127.0.0.1:{server.server_address[1]}/handout.html"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def print_to_pdf(url: str, pdf: Path) -> bytes:
    """Print the page as Chromium would on paper (the page's own @page size); the PDF bytes."""
    chromium(url, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    return pdf.read_bytes()


def pdf_page_count(pdf: bytes) -> int:
    """Pages in a PDF written by Chromium (one uncompressed `/Type /Page` object a page)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def screenshot(url: str, png: Path, width: int, height: int, scale: float = 1) -> bytes:
    """The page as seen in a window of `width` x `height` CSS pixels; the PNG bytes."""
    chromium(
        url,
        f"--window-size={width},{height}",
        f"--force-device-scale-factor={scale}",
        f"--screenshot={png}",
    )
    return png.read_bytes()


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        msg = "not a PNG"
        raise ValueError(msg)
    width, height = struct.unpack(">II", png[16:24])
    return width, height


PROBE_START = '<script id="b12plan-probe">(function () {\n'
PROBE_END = "\ndocument.body.setAttribute('data-probe', JSON.stringify(result));\n})();</script>\n"


def probe(html: str, script: str, width: int, height: int) -> object:
    """Run `script` (JavaScript that sets `result`) at the end of the page; `result` as JSON.

    The page's own Content-Security-Policy forbids every script, so it is taken out of this
    copy: the probe is the test's instrument, not part of the page.
    """
    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    html = html.replace("</body>", PROBE_START + script + PROBE_END + "</body>", 1)
    with serve(html) as served:
        dom = chromium(served.url, f"--window-size={width},{height}", "--dump-dom")
    match = re.search(r'data-probe="([^"]*)"', dom)
    if match is None:
        msg = "the probe did not run"
        raise RuntimeError(msg)
    return json.loads(unescape(match.group(1)))
