"""The tests' own process helpers (tests/processes.py): every wait has a deadline, and a program
started by a test never outlives it, nor do the processes it starts."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests import conftest, processes


def _gone(pid: int) -> bool:
    """Whether process `pid` has ended (a zombie awaiting its reaper counts), within 10 s."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
        except FileNotFoundError:
            return True
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.05)
    return False


def _helper_pid(path: Path) -> int:
    """The process id a shell wrote into `path`, once it is there."""
    deadline = time.monotonic() + 10
    while not path.read_text(encoding="utf-8").strip():
        assert time.monotonic() < deadline, "the shell never wrote its helper's id"
        time.sleep(0.05)
    return int(path.read_text(encoding="utf-8"))


def test_a_program_past_its_deadline_is_killed_with_what_it_started(tmp_path: Path) -> None:
    """`run` past its deadline raises TimeoutExpired, and the program's own child is gone too."""
    pid_file = tmp_path / "helper.pid"
    pid_file.write_text("", encoding="utf-8")
    script = f"sleep 60 & echo $! > {pid_file}; wait"
    with pytest.raises(subprocess.TimeoutExpired):
        processes.run(["sh", "-c", script], capture_output=True, timeout=1)
    assert _gone(_helper_pid(pid_file))


def test_a_helper_left_behind_by_a_finished_program_is_ended(tmp_path: Path) -> None:
    """A program that ends but leaves a helper running (as Chromium can) leaves no process."""
    pid_file = tmp_path / "helper.pid"
    pid_file.write_text("", encoding="utf-8")
    done = processes.run(["sh", "-c", f"sleep 60 & echo $! > {pid_file}"])
    assert done.returncode == 0
    assert _gone(_helper_pid(pid_file))


def test_a_block_that_fails_still_ends_and_reaps_its_program() -> None:
    """`started`: however the block ends, its program is killed and reaped (no zombie)."""
    with pytest.raises(RuntimeError), processes.started(["sleep", "60"]) as process:
        raise RuntimeError
    assert process.returncode == -9


def test_reading_a_pipe_that_never_closes_times_out() -> None:
    """`read_until_closed` gives up with TimeoutError, not a wait for ever."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"partial")
        with pytest.raises(TimeoutError):
            processes.read_until_closed(read_end, timeout=0.3)
    finally:
        os.close(read_end)
        os.close(write_end)


def test_run_checks_the_exit_code_when_asked() -> None:
    """`run(..., check=True)` raises CalledProcessError on a failing exit, as subprocess does."""
    with pytest.raises(subprocess.CalledProcessError):
        processes.run(["sh", "-c", "exit 3"], check=True)
    assert processes.run(["sh", "-c", "exit 3"]).returncode == 3


def _lost(_: object) -> None:
    """A pool worker that dies mid-task, as one the kernel kills for memory would."""
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture
def _short_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(conftest, "FORK_DEADLINE", 2)


@pytest.mark.usefixtures("_short_deadline", "forks")
def test_a_lost_pool_worker_fails_the_test_instead_of_stalling_the_run() -> None:
    """Under `forks`, a process pool waiting for ever on a lost worker's answer fails at the
    deadline (and the pool's workers are gone after)."""
    import multiprocessing

    with (
        pytest.raises(pytest.fail.Exception, match="still running after 2 s"),
        multiprocessing.get_context("fork").Pool(2) as pool,
    ):
        pool.apply_async(_lost, (None,)).get()
