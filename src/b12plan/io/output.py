"""Every byte b12plan writes goes through here: stdout, stderr, `-o` files and batch output.

Writing can fail in ways that are neither bad input nor a bug; each has its outcome (README,
"Exit codes"), mapped here and nowhere else:
- the reader went away (EPIPE, `b12plan ... | head -1`): ReaderGoneError, exit 141 as a shell
  reports a death by SIGPIPE, nothing on stderr;
- the system refused the bytes (a full disk, an I/O error, a closed stdout): OutputError,
  exit 74 (sysexits' EX_IOERR), one line on stderr;
- stderr itself failing is ignored: there is nowhere left to say so, and the exit code stands.

Encoding: what b12plan writes is UTF-8 whatever the locale (JSON, ICS and CSV are UTF-8 by
their standards); only a terminal gets its own encoding, with what it cannot show replaced by
`?`, so an ASCII or Latin-1 locale never stops a run.

`-o FILE` (`open_output`): a regular file, or a new one, is replaced atomically (a temporary
file beside it, then a rename); a FIFO or a character device (`/dev/null`, `/dev/stdout`, a
process substitution) is written straight, never renamed over; anything else is refused.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, TextIO

from b12plan.contract.text import PATH_CHARS, clip_runs, quote
from b12plan.errors import InvalidInput, OutputError, ReaderGoneError, TerminatedError

if TYPE_CHECKING:
    from pathlib import Path

EXIT_IO = 74
"""The output could not be written (sysexits' EX_IOERR)."""
EXIT_READER_GONE = 141
"""The reader of stdout went away: 128 + SIGPIPE, what a shell reports for `cat` in its place."""
TEMP_MARK = "b12plan"
"""Temporary files are named `.NAME.b12plan-PID-RANDOM.tmp`, beside the target NAME."""


class Sink:
    """One destination for text or UTF-8 bytes, with the error mapping of this module."""

    def __init__(
        self, stream: IO[bytes] | TextIO, target: str, encoding: str = "utf-8", errors: str = ""
    ) -> None:
        self._stream = stream
        self._binary = isinstance(stream, io.RawIOBase | io.BufferedIOBase)
        self._encoding = encoding
        # Never an encoding error: a terminal shows `?`, a file keeps a visible `\\udcff`.
        self._errors = errors or ("backslashreplace" if encoding == "utf-8" else "replace")
        self.target = target
        """What the messages call it: `stdout`, or the `-o` path."""
        self.is_terminal = encoding != "utf-8" or self._errors == "replace"
        """Whether a person reads it as it comes (a terminal)."""

    def write_text(self, text: str) -> None:
        """Write text, encoded as this destination wants it."""
        if self._binary:
            self._write(text.encode(self._encoding, self._errors))
        else:
            self._write(text)

    def write_bytes(self, data: bytes) -> None:
        """Write UTF-8 bytes (batch plans are serialised to bytes straight away)."""
        if self._binary and self._encoding == "utf-8":
            self._write(data)
        else:
            self.write_text(data.decode("utf-8"))

    def fileno(self) -> int | None:
        """The file descriptor underneath, or None for a stream that has none (in memory)."""
        try:
            return self._stream.fileno()
        except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
            return None

    def flush(self) -> None:
        """Pass on what is buffered."""
        try:
            self._stream.flush()
        except (OSError, ValueError) as exc:
            raise failure(exc, self.target) from None

    def _write(self, data: Any) -> None:
        try:
            self._stream.write(data)
        except (OSError, ValueError) as exc:
            raise failure(exc, self.target) from None


def failure(exc: OSError | ValueError, target: str) -> ReaderGoneError | OutputError:
    """What a failed write to `target` means: its reader left, or the system refused it."""
    if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
        return ReaderGoneError(target)
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    return OutputError(clip_runs(f"cannot write {target}: {reason}"))


def setup_streams() -> None:
    """Make Python's own stdout and stderr (click's help, a stray print) follow the rule above."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(OSError, ValueError):
                if is_terminal(stream):
                    stream.reconfigure(errors="replace")
                else:
                    stream.reconfigure(encoding="utf-8", errors="backslashreplace")


def is_terminal(stream: IO[Any] | None) -> bool:
    """Whether `stream` is a terminal (a closed or in-memory stream is not)."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):
        return False


def stdout_sink() -> Sink:
    """Standard output as a Sink; OutputError when it is closed (`>&-` leaves Python none)."""
    return sink_for(sys.stdout, "stdout")


def sink_for(stream: IO[bytes] | TextIO | None, name: str) -> Sink:
    """A Sink for an open stream: a binary one as it is, a text one through its bytes."""
    if stream is None:
        raise OutputError(f"cannot write {name}: it is closed")
    if isinstance(stream, io.RawIOBase | io.BufferedIOBase):
        terminal = is_terminal(stream)
        return Sink(stream, name, errors="replace" if terminal else "")
    buffer: IO[bytes] | None = getattr(stream, "buffer", None)
    if buffer is None:  # in memory (tests), or a wrapper of someone's: text it is
        return Sink(stream, name)
    with contextlib.suppress(OSError, ValueError):
        stream.flush()  # what the text layer holds goes first
    if not is_terminal(stream):
        return Sink(buffer, name)
    encoding: str = getattr(stream, "encoding", None) or "utf-8"
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return Sink(buffer, name, "utf-8", "replace")
    return Sink(buffer, name, encoding, "replace")


def write_out(text: str) -> None:
    """Write `text` to stdout and flush it."""
    sink = stdout_sink()
    sink.write_text(text)
    sink.flush()


def write_err(text: str) -> None:
    """Write `text` to stderr; if that fails there is nowhere to report it, so nothing is."""
    with contextlib.suppress(OutputError, ReaderGoneError):
        sink = sink_for(sys.stderr, "stderr")
        sink.write_text(text)
        sink.flush()


def discard_stdout() -> None:
    """Point stdout at /dev/null, so what Python still holds for it is dropped at exit rather
    than failing again (and printing a traceback) when the interpreter flushes it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def emit(text: str, output: str | None) -> None:
    """Send a finished document to `output` (see `open_output`) or to stdout."""
    with open_output(output) as sink:
        sink.write_text(text)


@contextlib.contextmanager
def open_output(output: str | None) -> Iterator[Sink]:
    """Where a command's output goes: stdout (None or `-`), or the `-o` target.

    A regular file is replaced only if the block finishes (never half-written); a FIFO or a
    character device is written as a stream; a block device, socket or the like is refused.
    """
    if output is None or output == "-":
        sink = stdout_sink()
        yield sink
        sink.flush()
        return
    from pathlib import Path

    target = Path(output)
    try:
        mode = target.stat().st_mode  # follows symlinks: /dev/stdout is a pipe or a terminal
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        msg = f"cannot write {quote(output, PATH_CHARS)}: {exc.strerror or exc}"
        raise InvalidInput(["output"], msg) from None
    if mode is None or stat.S_ISREG(mode):
        # Through a symlink the file it points to is replaced, and the link kept.
        with _atomic_file(target.resolve() if target.is_symlink() else target, output) as sink:
            yield sink
    elif stat.S_ISFIFO(mode) or stat.S_ISCHR(mode):
        with _straight(output) as sink:
            yield sink
    else:
        raise InvalidInput(
            ["output"],
            f"{quote(output, PATH_CHARS)} is not a regular file, a FIFO or a character device; "
            "-o writes only those",
        )


@contextlib.contextmanager
def _straight(output: str) -> Iterator[Sink]:
    # No O_CREAT or O_TRUNC: the node exists and is not a file to replace.
    try:
        fd = os.open(output, os.O_WRONLY)
    except OSError as exc:
        msg = f"cannot write {quote(output, PATH_CHARS)}: {exc.strerror or exc}"
        raise InvalidInput(["output"], msg) from None
    with os.fdopen(fd, "wb") as handle:
        sink = Sink(handle, output)
        yield sink
        sink.flush()


@contextlib.contextmanager
def _atomic_file(target: Path, output: str) -> Iterator[Sink]:
    """A temporary file beside `target`, renamed over it when the block finishes.

    On any failure, Ctrl-C, SIGTERM or SIGHUP the temporary file is removed. A SIGKILL cannot
    be caught: what it leaves is private (mode 0600), hidden, marked as b12plan's with the
    writer's PID, and removed by the next run that writes to the same target.
    """
    import tempfile
    from pathlib import Path

    folder = target.parent
    remove_leftovers(folder, target.name)
    with _signals_raise():
        tmp: str | None = None
        try:
            # A signal between creating the file and entering this block would leave it behind:
            # hold them off until `tmp` is known, so the cleanup below always sees it.
            with _signals_held():
                try:
                    fd, tmp = tempfile.mkstemp(
                        prefix=f".{target.name}.{TEMP_MARK}-{os.getpid()}-",
                        suffix=".tmp",
                        dir=folder,
                    )
                except OSError as exc:
                    msg = f"cannot write {quote(output, PATH_CHARS)}: {exc.strerror or exc}"
                    raise InvalidInput(["output"], msg) from None
            with os.fdopen(fd, "wb") as handle:
                sink = Sink(handle, output)
                yield sink
                sink.flush()
                _finish(handle, _file_mode(target), output)
            try:
                Path(tmp).replace(target)
            except OSError as exc:
                raise failure(exc, output) from None
        except BaseException:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    Path(tmp).unlink()
            raise


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C, SIGTERM and SIGHUP back for the block; they are delivered after it."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _finish(handle: IO[bytes], mode: int, output: str) -> None:
    # The permissions a plain write would give, only now that the file is whole; the data on
    # disk before the rename, so a crash cannot leave the target empty.
    try:
        os.fchmod(handle.fileno(), mode)
        os.fsync(handle.fileno())
    except OSError as exc:
        raise failure(exc, output) from None


def _file_mode(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)  # reading the umask means setting it; put it straight back
        os.umask(umask)
        return 0o666 & ~umask


def remove_leftovers(folder: Path, name: str) -> list[Path]:
    """Remove the temporary files of earlier runs writing `name` that were killed; return them.

    A file is a leftover when its name carries b12plan's mark and the PID in it is not a
    running process (a live writer's file is left alone).
    """
    import glob

    removed = []
    prefix = f".{name}.{TEMP_MARK}-"
    for path in folder.glob(f"{glob.escape(prefix)}*.tmp"):
        pid_text = path.name[len(prefix) :].split("-", 1)[0]
        if pid_text.isdigit() and not _running(int(pid_text)):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is not ours to signal
        return True
    return True


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """While a temporary file exists, SIGTERM and SIGHUP unwind (so it is removed) instead of
    killing the process where it stands; Ctrl-C already does (KeyboardInterrupt)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; callers in threads keep the defaults
        return

    def unwind(signum: int, _frame: object) -> None:
        raise TerminatedError(signum)

    previous = {}
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:  # an ignored signal stays ignored
            previous[signum] = signal.signal(signum, unwind)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
