"""Programs the tests start: each with a deadline, and none outliving its test (stdlib only).

A test waiting on a program that stalls (its pipe, its terminal, its exit) would stall the whole
run with no word: a pytest-xdist worker sitting idle. So every wait here has a deadline, and a
program is started in a session of its own, so that its cleanup ends its whole process group:
Chromium's helpers and `--jobs` workers go with it, and each is reaped (no zombie is left).
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import time
from collections.abc import Iterator, Sequence
from typing import Any

DEADLINE = 120
"""Seconds any one program, read or wait may take: far above a loaded machine's worst."""


def end_group(process: subprocess.Popen[Any]) -> None:
    """Kill `process` and every process of its group, reap it, and close its pipes.

    The group is killed even when its leader is gone: a helper it left may still hold a pipe.
    """
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    process.wait(timeout=DEADLINE)
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.close()


@contextlib.contextmanager
def started(args: Sequence[str], **popen: Any) -> Iterator[subprocess.Popen[Any]]:
    """`subprocess.Popen(args, **popen)` for the length of the block, in a session of its own;
    at the end, however the block ends, it and its group are killed and reaped."""
    process = subprocess.Popen(args, start_new_session=True, **popen)
    try:
        yield process
    finally:
        end_group(process)


def run(
    args: Sequence[str],
    *,
    input: str | bytes | None = None,
    timeout: float = DEADLINE,
    capture_output: bool = False,
    check: bool = False,
    **popen: Any,
) -> subprocess.CompletedProcess[Any]:
    """`subprocess.run(args, ...)` with a deadline (TimeoutExpired past it) after which, as
    after a normal end, the program's whole group is killed and reaped."""
    if capture_output:
        popen.update(stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if input is not None:
        popen["stdin"] = subprocess.PIPE
    with started(args, **popen) as process:
        out, err = process.communicate(input, timeout=timeout)
    done = subprocess.CompletedProcess(process.args, process.returncode, out, err)
    if check:
        done.check_returncode()
    return done


def read_until_closed(fd: int, timeout: float = DEADLINE) -> bytes:
    """All a program writes into `fd` (a pipe or a terminal's leader side) until its other end
    closes; TimeoutError if that takes longer than `timeout` seconds in all."""
    deadline = time.monotonic() + timeout
    chunks = []
    while True:
        left = deadline - time.monotonic()
        ready, _, _ = select.select([fd], [], [], max(left, 0))
        if not ready:
            msg = f"the program wrote for more than {timeout} s without closing its output"
            raise TimeoutError(msg)
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)
