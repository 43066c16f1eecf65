"""Every byte out goes through one writer (`b12plan.io.output`), with one mapping of what fails.

The torture run of issue 13 found: a full disk on stdout reported as an internal error (exit
70); a reader that went away giving exit 1 (the contract's "blocked"); non-UTF-8 locales
crashing json, ics, fhir and table output; `-o` replacing a FIFO or a device node with a
regular file; and killed runs leaving `.NAME.XXXX.tmp` files behind. These tests run the real
console script in a subprocess (real file descriptors, locales and signals), for every format,
every kind of output target and several locales.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b12plan.contract.text import PATH_CHARS, quote
from b12plan.contract.vocab import FORMATS
from b12plan.io.output import TEMP_MARK, remove_leftovers
from tests import processes

PATIENT = ["--start", "2025-03-03", "--cause", "autoimmune-gastritis", "--as-of", "2025-03-05"]
LINE = b'{"start": "2025-03-03", "cause": "dietary"}\n'

EXIT_IO, EXIT_READER_GONE = 74, 141
B12PLAN = (sys.executable, "-m", "b12plan")
DEVICES = {"null": (1, 3), "full": (1, 7)}  # Linux's major and minor numbers


def char_device(folder: Path, name: str) -> Path:
    """A character device to write `-o` onto: /dev/NAME for a user who cannot replace it, but
    a private node of the same device for root, so that a regression cannot replace the
    system's own /dev/null while the tests run."""
    if os.geteuid() != 0:
        return Path("/dev") / name
    path = folder / f"dev-{name}"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(*DEVICES[name]))
    except OSError:
        pytest.skip("root without mknod: /dev itself would be at risk")
    return path


def _is_device(path: str) -> bool:
    try:
        return stat.S_ISCHR(Path(path).stat().st_mode)
    except OSError:
        return False


# A character device, not merely a path: a run of old code can leave a regular file there.
needs_dev_full = pytest.mark.skipif(not _is_device("/dev/full"), reason="no /dev/full device")


def b12plan(
    *args: str,
    stdin: bytes = b"",
    env: dict[str, str] | None = None,
    stdout: int | None = subprocess.PIPE,
) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m b12plan ARGS` as a user's shell would."""
    return processes.run(
        [*B12PLAN, *args],
        input=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        # Set here, not by conftest's fixture: module-scoped fixtures run before it.
        env={**os.environ, "TERM": "dumb", "COLUMNS": "120", **(env or {})},
    )


@needs_dev_full
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_full_disk_on_stdout_is_an_io_error(fmt: str) -> None:
    """`> /dev/full` is exit 74 with one line naming stdout and the reason, in every format."""
    with Path("/dev/full").open("wb") as full:
        done = b12plan("schedule", *PATIENT, "--format", fmt, stdout=full.fileno())
    assert done.returncode == EXIT_IO, done.stderr
    line = "cannot write stdout: No space left on device"
    if fmt == "table":
        assert done.stderr.decode() == f"b12plan: error: {line}\n"
    else:
        assert done.stderr.decode() == (
            '{"schema_version": "1", "error": {"message": "' + line + '", "errors": '
            '[{"loc": ["output"], "msg": "' + line + '"}]}}\n'
        )


@needs_dev_full
def test_a_full_disk_under_a_batch_is_an_io_error() -> None:
    """A batch onto a full disk stops with exit 74 and one line, not an internal error."""
    with Path("/dev/full").open("wb") as full:
        done = b12plan("schedule", "--batch", stdin=LINE * 50, stdout=full.fileno())
    assert done.returncode == EXIT_IO
    assert done.stderr == b"b12plan: error: cannot write stdout: No space left on device\n"


@needs_dev_full
def test_a_full_disk_under_o_is_an_io_error(tmp_path: Path) -> None:
    """`-o /dev/full` (a character device, written straight) is exit 74 too."""
    full = char_device(tmp_path, "full")
    done = b12plan("schedule", *PATIENT, "--format", "json", "-o", str(full))
    assert done.returncode == EXIT_IO
    assert f"cannot write {full}: No space left on device".encode() in done.stderr
    assert stat.S_ISCHR(full.stat().st_mode)


def _shell(redirect: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m b12plan ARGS REDIRECT` through /bin/sh, for the redirections only a shell
    makes (`>&-` starts Python without a stdout at all)."""
    command = " ".join([*B12PLAN, *args, redirect])
    return processes.run(["/bin/sh", "-c", command], capture_output=True, timeout=60)


def test_a_closed_stdout_is_an_io_error() -> None:
    """`>&-` leaves no stdout at all: exit 74 and one line, not an internal error."""
    done = _shell(">&-", "schedule", *PATIENT)
    assert done.returncode == EXIT_IO
    assert done.stderr == b"b12plan: error: cannot write stdout: it is closed\n"


def test_a_stdout_closed_under_python_is_an_io_error() -> None:
    """A stdout whose descriptor was closed after start-up: exit 74 naming the reason."""
    code = "import os; os.close(1); from b12plan.cli import main; main()"
    done = processes.run(
        [sys.executable, "-c", code, "schedule", *PATIENT], stderr=subprocess.PIPE, timeout=60
    )
    assert done.returncode == EXIT_IO
    assert done.stderr == b"b12plan: error: cannot write stdout: Bad file descriptor\n"


def test_a_closed_stdin_is_an_input_error() -> None:
    """`<&-` leaves no stdin: `schedule -` and `--batch` are exit 2 naming it."""
    for args in (("schedule", "-"), ("schedule", "--batch")):
        done = _shell("<&-", *args, "--as-of", "2025-03-05")
        assert done.returncode == 2
        assert done.stderr == b"b12plan: error: file: cannot read stdin: it is closed\n"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_reader_that_goes_away_gives_exit_141_and_no_message(jobs: str) -> None:
    """`b12plan schedule --batch big.jsonl | head -1`: the reader left, so the batch stops with
    exit 141 (a shell's SIGPIPE), says nothing, and prints no traceback."""
    with processes.started(
        [*B12PLAN, "schedule", "--batch", "--jobs", jobs, "--as-of", "2025-03-05"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdin is not None
        assert process.stdout is not None
        assert process.stderr is not None
        feeder = threading.Thread(target=_feed, args=(process.stdin, LINE * 20_000), daemon=True)
        feeder.start()
        assert process.stdout.readline().startswith(b'{"schema_version":"1"')
        process.stdout.close()
        code = process.wait(timeout=processes.DEADLINE)
        feeder.join(timeout=processes.DEADLINE)
        assert code == EXIT_READER_GONE
        assert process.stderr.read() == b""


def _feed(pipe: object, data: bytes) -> None:
    with contextlib.suppress(BrokenPipeError, ValueError):
        pipe.write(data)  # type: ignore[attr-defined]
        pipe.close()  # type: ignore[attr-defined]


def test_a_reader_gone_before_a_single_document_gives_exit_141() -> None:
    """A reader that closed before a whole document was written: exit 141, silently."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = b12plan("schedule", *PATIENT, "--format", "json", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_READER_GONE
    assert done.stderr == b""


LOCALES = [
    {"LC_ALL": "C", "LANG": "C"},
    {"LC_ALL": "C", "PYTHONIOENCODING": "ascii"},
    {"PYTHONIOENCODING": "latin-1"},
    {"PYTHONIOENCODING": "ascii:strict", "PYTHONUTF8": "0", "LC_ALL": "C"},
    {"PYTHONIOENCODING": "cp1252"},
]


@pytest.fixture(scope="module")
def utf8_outputs() -> dict[str, bytes]:
    """Each format's bytes under a UTF-8 locale, to compare the others with."""
    env = {"PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}
    return {fmt: b12plan("schedule", *PATIENT, "--format", fmt, env=env).stdout for fmt in FORMATS}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("locale", LOCALES, ids=lambda env: " ".join(sorted(env.values())))
def test_any_locale_writes_the_same_utf8_bytes(
    utf8_outputs: dict[str, bytes], fmt: str, locale: dict[str, str]
) -> None:
    """Under an ASCII, Latin-1 or cp1252 locale every format is written, as UTF-8, byte for
    byte as under a UTF-8 one (the table holds `→` and `µ`, which ASCII lacks)."""
    done = b12plan("schedule", *PATIENT, "--format", fmt, env=locale)
    assert done.returncode == 0, done.stderr
    assert done.stdout == utf8_outputs[fmt]
    assert done.stdout.decode("utf-8")


@pytest.mark.parametrize("locale", LOCALES[1:3], ids=["ascii", "latin-1"])
def test_errors_and_batches_under_any_locale_are_utf8(locale: dict[str, str]) -> None:
    """Error lines and batch output are UTF-8 under any locale too (a µ in the echoed input)."""
    bad = b12plan("schedule", "--start", "2025-03-03", "--cause", "µ-deficiency", env=locale)
    assert bad.returncode == 2
    assert "unknown cause 'µ-deficiency'" in bad.stderr.decode("utf-8")
    lab = '{"start": "2025-03-03", "cause": "dietary", "labs": ["mma=0.2 µmol/L@2025-03-01"]}\n'
    batch = b12plan("schedule", "--batch", "--as-of", "2025-03-05", stdin=lab.encode(), env=locale)
    assert batch.returncode == 0, batch.stderr
    assert "µmol/L" in batch.stdout.decode("utf-8")


def test_a_terminal_with_an_ascii_encoding_gets_replacements_not_a_crash() -> None:
    """Onto a terminal whose encoding is ASCII, the table is written in ASCII with `?` for
    what it cannot show."""
    import pty

    leader, follower = pty.openpty()
    try:
        with processes.started(
            [*B12PLAN, "schedule", *PATIENT, "--no-color"],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "120"},
        ) as process:
            os.close(follower)
            follower = -1
            received = processes.read_until_closed(leader)
            assert process.wait(timeout=60) == 0
    finally:
        for fd in (leader, follower):
            if fd >= 0:
                os.close(fd)
    text = received.decode("ascii")
    assert "?" in text
    assert "Injections" in text


# ------------------------------------------------------------------ -o onto any target


@contextlib.contextmanager
def _fifo_reader(path: Path) -> Iterator[list[bytes]]:
    """A FIFO at `path` with a reader collecting what is written into it."""
    os.mkfifo(path)
    got: list[bytes] = []

    def read() -> None:
        with path.open("rb") as fifo:
            got.append(fifo.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    yield got
    reader.join(timeout=60)


def test_o_onto_a_fifo_writes_into_it_and_keeps_it(tmp_path: Path) -> None:
    """`-o FIFO` writes the document into the FIFO; the FIFO stays a FIFO."""
    path = tmp_path / "plan.fifo"
    with _fifo_reader(path) as got:
        done = b12plan("schedule", *PATIENT, "--format", "json", "-o", str(path))
    assert done.returncode == 0, done.stderr
    assert stat.S_ISFIFO(path.stat().st_mode)
    assert got[0].startswith(b'{\n  "schema_version": "1"')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.fifo"]


def test_o_onto_dev_null_writes_into_it_and_keeps_it(tmp_path: Path) -> None:
    """`-o /dev/null` discards the output; /dev/null stays a character device."""
    null = char_device(tmp_path, "null")
    before = null.stat()
    done = b12plan("schedule", *PATIENT, "--format", "json", "-o", str(null))
    after = null.stat()
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_o_onto_a_socket_is_refused(tmp_path: Path) -> None:
    """`-o SOCKET` is neither a file nor a stream b12plan writes: exit 2, the socket kept."""
    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        done = b12plan("schedule", *PATIENT, "-o", str(path))
    assert done.returncode == 2
    shown = quote(str(path), PATH_CHARS)
    assert done.stderr.decode() == (
        f"b12plan: error: output: {shown} is not a regular file, a FIFO or a character device; "
        "-o writes only those\n"
    )
    assert stat.S_ISSOCK(path.stat().st_mode)


def test_o_through_a_symlink_replaces_the_file_and_keeps_the_link(tmp_path: Path) -> None:
    """`-o LINK` replaces the file the link points to, atomically; the link stays a link."""
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    done = b12plan("schedule", *PATIENT, "--format", "json", "-o", str(link))
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith('{\n  "schema_version": "1"')


TARGETS = ("fifo", "dev-null", "socket", "symlink-to-dev-null", "symlink-to-fifo", "folder")


def _make_target(kind: str, folder: Path) -> Path:
    path = folder / f"target-{kind}"
    if kind in ("fifo", "symlink-to-fifo"):
        fifo = folder / "the.fifo"
        os.mkfifo(fifo)
        if kind == "fifo":
            return fifo
        path.symlink_to(fifo)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
        sock.close()
    elif kind == "symlink-to-dev-null":
        path.symlink_to(char_device(folder, "null"))
    elif kind == "folder":
        path.mkdir()
    else:
        return char_device(folder, "null")
    return path


def _kind(path: Path) -> tuple[bool, int]:
    info = path.lstat()
    followed = path.stat() if path.is_symlink() else info
    return stat.S_ISLNK(info.st_mode), stat.S_IFMT(followed.st_mode)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(TARGETS),
    command=st.sampled_from(
        [
            ("schedule", *PATIENT, "--format", "json"),
            ("schedule", *PATIENT, "--format", "ics"),
            ("schedule", "--batch", "-", "--as-of", "2025-03-05"),
            ("check", *PATIENT, "--regimen", "1000mcg im every 2d x6; then 1000mcg im every 3mo"),
            ("schema", "plan"),
            ("protocols",),
        ]
    ),
)
def test_o_never_replaces_what_is_not_a_regular_file(kind: str, command: tuple[str, ...]) -> None:
    """Whatever the command, `-o` onto a FIFO, a device, a socket, a symlink to one of those,
    or a folder either writes into it or refuses (exit 2); the node is never replaced."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        target = _make_target(kind, Path(folder))
        before = _kind(target)
        reader = None
        if "fifo" in kind:
            fifo = Path(folder) / "the.fifo"
            reader = threading.Thread(target=fifo.read_bytes, daemon=True)
            reader.start()
        done = b12plan(*command, "-o", str(target), stdin=LINE)
        if reader is not None:
            if done.returncode != 0:  # nothing opened the FIFO: let the reader go
                with contextlib.suppress(OSError):
                    os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=60)
        assert done.returncode in (0, 1, 2), done.stderr
        assert _kind(target) == before
        assert b"Traceback" not in done.stderr
        leftovers = [p.name for p in Path(folder).iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []


# ------------------------------------------------------------------ temporary files


@contextlib.contextmanager
def _batch_waiting(output: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A batch into `output` whose input stays open: it waits, mid-run, for more lines (and is
    killed at the end of the block if it still runs)."""
    with processes.started(
        [*B12PLAN, "schedule", "--batch", "--as-of", "2025-03-05", "-o", str(output)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdin is not None
        process.stdin.write(LINE * 3)
        process.stdin.flush()
        deadline = time.monotonic() + 60
        while not (_temps(output.parent) and _waits_for_input(process.pid)):
            assert time.monotonic() < deadline, "the batch never opened its temporary file"
            time.sleep(0.01)
        yield process


def _waits_for_input(pid: int) -> bool:
    """Whether the process sleeps reading a pipe (its stdin: the lines are done), where Linux
    says; elsewhere, true. So the signal lands in the writer, the code under test, and not
    while the validator is built (where Ctrl-C is held back: tests/test_interrupt.py)."""
    try:
        wchan = Path(f"/proc/{pid}/wchan").read_text(encoding="utf-8")
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    # A running process has no wait channel ("0"), nor has a sleeping one where the kernel
    # hides them: there, sleeping is as near as it can be told.
    return "pipe" in wchan or (wchan in ("", "0") and state == "S")


def _temps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize(
    ("signum", "code", "message"),
    [
        (signal.SIGTERM, 143, b"b12plan: terminated\n"),
        (signal.SIGINT, 130, b"b12plan: interrupted\n"),
        (signal.SIGHUP, 129, b"b12plan: terminated\n"),
    ],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
)
def test_a_signal_mid_run_removes_the_temporary_file(
    tmp_path: Path, signum: int, code: int, message: bytes
) -> None:
    """SIGTERM, Ctrl-C or SIGHUP while writing `-o` removes the temporary file, leaves the old
    file as it was, and exits 128 + the signal."""
    output = tmp_path / "plans.jsonl"
    output.write_text("old\n", encoding="utf-8")
    with _batch_waiting(output) as process:
        process.send_signal(signum)
        assert process.wait(timeout=60) == code
        assert process.stderr is not None
        assert process.stderr.read().strip(b"\n") + b"\n" == message
    assert _temps(tmp_path) == []
    assert output.read_text(encoding="utf-8") == "old\n"


def test_a_sigkill_leftover_is_marked_private_and_removed_by_the_next_run(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: its leftover is hidden, private (0600), named with b12plan's
    mark and the dead writer's PID, and the next run to the same target removes it."""
    output = tmp_path / "plans.jsonl"
    with _batch_waiting(output) as process:
        process.kill()
        process.wait(timeout=60)
    (leftover,) = _temps(tmp_path)
    assert leftover.name.startswith(f".plans.jsonl.{TEMP_MARK}-{process.pid}-")
    assert stat.S_IMODE(leftover.stat().st_mode) == 0o600
    done = b12plan("schedule", "--batch", "-o", str(output), "--as-of", "2025-03-05", stdin=LINE)
    assert done.returncode == 0, done.stderr
    assert _temps(tmp_path) == []
    assert output.read_bytes().startswith(b'{"schema_version":"1"')


def test_a_live_writers_temporary_file_is_left_alone(tmp_path: Path) -> None:
    """Only a dead writer's file is a leftover: a running process's (here, this one's) stays."""
    mine = tmp_path / f".out.json.{TEMP_MARK}-{os.getpid()}-abc.tmp"
    dead = tmp_path / f".out.json.{TEMP_MARK}-{_dead_pid()}-def.tmp"
    other = tmp_path / ".out.json.xyz.tmp"  # not ours: no mark
    for path in (mine, dead, other):
        path.write_text("x", encoding="utf-8")
    assert remove_leftovers(tmp_path, "out.json") == [dead]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])


def _dead_pid() -> int:
    with processes.started([sys.executable, "-c", "pass"]) as process:
        process.wait(timeout=processes.DEADLINE)
    return process.pid


def test_a_write_error_on_stderr_does_not_change_the_exit_code() -> None:
    """With stderr on a full disk, bad input still exits 2 (there is nowhere to say more)."""
    if not _is_device("/dev/full"):
        pytest.skip("no /dev/full device")
    with Path("/dev/full").open("wb") as full:
        done = processes.run(
            [*B12PLAN, "schedule", "--start", "2025-02-30"],
            stdout=subprocess.PIPE,
            stderr=full.fileno(),
            timeout=60,
        )
    assert done.returncode == 2
    assert done.stdout == b""


@needs_dev_full
def test_help_onto_a_full_disk_is_an_io_error() -> None:
    """Even click's own output (`--help`) goes through the mapping: exit 74, not 70."""
    with Path("/dev/full").open("wb") as full:
        done = b12plan("--help", stdout=full.fileno())
    assert done.returncode == EXIT_IO
    assert done.stderr == b"b12plan: error: cannot write stdout: No space left on device\n"


def test_the_kill_signals_are_restored_after_writing(tmp_path: Path) -> None:
    """The SIGTERM handler that removes a temporary file is in place only while one exists."""
    from tests.conftest import run

    before = signal.getsignal(signal.SIGTERM)
    result = run("schedule", *PATIENT, "-o", str(tmp_path / "plan.txt"))
    assert result.code == 0, result.err
    assert signal.getsignal(signal.SIGTERM) is before


def test_ctrl_c_the_moment_the_temporary_file_is_made_still_removes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C arriving just as the temporary file is created (before the writer could know
    its name) is held until the cleanup can see the file: nothing is left behind.

    The signal goes to the main thread, as a terminal's Ctrl-C reaches the command line (one
    thread): sent to the process, a test runner's other threads (pytest-xdist's) could take it
    and raise the KeyboardInterrupt before the main thread's mask could hold it."""
    import tempfile
    import threading

    from b12plan.io import output as output_module

    made = tempfile.mkstemp
    main = threading.main_thread().ident
    assert main is not None

    def mkstemp_then_interrupt(*args: object, **kwargs: object) -> tuple[int, str]:
        result = made(*args, **kwargs)  # type: ignore[call-overload]
        signal.pthread_kill(main, signal.SIGINT)
        return result  # type: ignore[no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_interrupt)
    target = tmp_path / "plan.json"
    with pytest.raises(KeyboardInterrupt), output_module.open_output(str(target)) as sink:
        sink.write(b"never kept")
    assert list(tmp_path.iterdir()) == []
