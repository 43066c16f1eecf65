"""Writing results: stdout, or a file replaced atomically so that nothing is half-written."""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from b12plan.errors import InputError


def write_atomic(path: str, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder and a rename."""
    with atomic_writer(path) as handle:
        handle.write(text)


@contextlib.contextmanager
def atomic_writer(path: str) -> Iterator[TextIO]:
    """A text file that replaces `path` only if the block finishes: never half-written.

    For output too large to hold in memory (`schedule --batch`); OSError becomes InputError.
    """
    target = Path(path)
    folder = target.parent if str(target.parent) else Path()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(["output"], f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private (0600); the result should have the permissions a
        # plain write would give: the replaced file's, else the default under the umask.
        os.chmod(tmp, _file_mode(target))  # noqa: PTH101 - the path is a str from mkstemp
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        Path(tmp).replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise InputError(["output"], f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise


def _file_mode(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def emit(text: str, output: str | None) -> None:
    """Send a finished document to `output` (atomically) or to stdout."""
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(output, text)
