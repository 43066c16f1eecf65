"""Disk, not memory: an audit's rows grouped by patient and its worklist put in order, with the
standard library's `sqlite3` in a temporary file.

A health board's export is a million patients and twenty million rows in any order; holding
them in a dict would grow with the export. Here memory stays flat: SQLite sorts on disk (its
page cache is bounded), and the worklist is written out in order from the same file. The file
is removed when the audit ends, however it ends. A row's cells are kept with `marshal` (the
fastest round trip of a list of strings; only this process writes and reads them).
"""

from __future__ import annotations

import marshal
import sqlite3
import tempfile
from collections.abc import Generator, Iterable, Iterator
from pathlib import Path
from typing import Any, Final

# Rows go in by the thousand: one transaction per batch keeps inserting cheap.
BATCH: Final = 5000
# SQLite's page cache, in KiB (negative: a size, not a page count): bounded whatever the input.
CACHE_KIB: Final = 16 * 1024


class Spool:
    """A temporary SQLite file: `events` and `patients` rows by patient, `seen` patients, and
    `results` (the worklist) in urgency order."""

    def __init__(self) -> None:
        self._folder = tempfile.TemporaryDirectory(prefix="b12plan-audit-")
        self.db = sqlite3.connect(Path(self._folder.name) / "audit.sqlite3")
        self.db.executescript(
            f"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            PRAGMA temp_store = FILE;
            PRAGMA cache_size = -{CACHE_KIB};
            CREATE TABLE events (pid TEXT, n INTEGER, cells BLOB);
            CREATE TABLE patients (pid TEXT, n INTEGER, cells BLOB);
            CREATE TABLE seen (pid TEXT PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE results (
                rank INTEGER, sub INTEGER, ref TEXT, status TEXT, item BLOB, bug INTEGER
            );
            """
        )
        self._patients_indexed = False

    def close(self) -> None:
        """Remove the file."""
        self.db.close()
        self._folder.cleanup()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ------------------------------------------------------------ rows

    def add_rows(self, table: str, rows: Iterable[tuple[str, int, list[str]]]) -> None:
        """Store (patient id, row number, cells) rows in `events` or `patients`."""
        sql = f"INSERT INTO {table} VALUES (?, ?, ?)"  # noqa: S608 - a table name of ours
        batch: list[tuple[str, int, bytes]] = []
        for pid, n, cells in rows:
            batch.append((pid, n, marshal.dumps(cells)))
            if len(batch) == BATCH:
                self.db.executemany(sql, batch)
                batch.clear()
        if batch:
            self.db.executemany(sql, batch)
        self.db.commit()

    def clear(self, table: str) -> None:
        """Empty one table (an input read again from the start)."""
        self.db.execute(f"DELETE FROM {table}")  # noqa: S608 - a table name of ours
        self.db.commit()

    def event_groups(self) -> Iterator[tuple[str, list[tuple[int, list[str]]]]]:
        """Every patient's event rows, patients in id order, rows in file order."""
        cursor = self.db.execute("SELECT pid, n, cells FROM events ORDER BY pid, n")
        return _grouped(cursor)

    def patient_rows(self, pid: str) -> list[tuple[int, list[str]]]:
        """The `--patients` rows of one patient (more than one is a problem to report)."""
        if not self._patients_indexed:
            self.db.execute("CREATE INDEX IF NOT EXISTS patients_pid ON patients (pid)")
            self._patients_indexed = True
        cursor = self.db.execute("SELECT n, cells FROM patients WHERE pid = ? ORDER BY n", (pid,))
        return [(n, marshal.loads(cells)) for n, cells in cursor]  # noqa: S302 - ours

    def patient_groups(self) -> Generator[tuple[str, list[tuple[int, list[str]]]], None, None]:
        """Every patient's `--patients` rows, patients in id order, rows in file order."""
        cursor = self.db.execute("SELECT pid, n, cells FROM patients ORDER BY pid, n")
        return _grouped(cursor)

    def mark_seen(self, pids: Iterable[str]) -> None:
        """Remember patients that had event rows."""
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?)", ((p,) for p in pids))

    def unseen_patients(self) -> Iterator[tuple[str, list[tuple[int, list[str]]]]]:
        """Patients of `--patients` without any event row, in id order."""
        cursor = self.db.execute(
            "SELECT pid, n, cells FROM patients WHERE pid NOT IN (SELECT pid FROM seen) "
            "ORDER BY pid, n"
        )
        return _grouped(cursor)

    # ------------------------------------------------------------ results

    def add_results(self, results: Iterable[tuple[int, int, str, str, bytes, bool]]) -> None:
        """Store worklist entries: (rank, sub-rank, ref, status, entry as JSON, hit a bug)."""
        batch: list[tuple[int, int, str, str, bytes, bool]] = []
        for result in results:
            batch.append(result)
            if len(batch) == BATCH:
                self.db.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?)", batch)
                batch.clear()
        if batch:
            self.db.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?)", batch)
        self.db.commit()

    def bugs(self) -> int:
        """How many patients hit a bug (their entries say so)."""
        return int(self.db.execute("SELECT count(*) FROM results WHERE bug").fetchone()[0])

    def counts(self) -> dict[str, int]:
        """How many patients have each status."""
        return dict(self.db.execute("SELECT status, count(*) FROM results GROUP BY status"))

    def ordered(self, statuses: Iterable[str] | None = None) -> Iterator[bytes]:
        """The worklist entries (JSON, UTF-8), most urgent first, then by ref; only
        `statuses`."""
        where, args = "", ()
        if statuses is not None:
            wanted: tuple[Any, ...] = tuple(statuses)
            where = f"WHERE status IN ({', '.join('?' * len(wanted))})"
            args = wanted
        cursor = self.db.execute(
            f"SELECT item FROM results {where} ORDER BY rank, sub, ref, rowid",  # noqa: S608
            args,
        )
        return (item for (item,) in cursor)


def _grouped(
    cursor: Iterable[tuple[str, int, bytes]],
) -> Generator[tuple[str, list[tuple[int, list[str]]]], None, None]:
    current: str | None = None
    rows: list[tuple[int, list[str]]] = []
    for pid, n, cells in cursor:
        if pid != current:
            if current is not None:
                yield current, rows
            current, rows = pid, []
        rows.append((n, marshal.loads(cells)))  # noqa: S302 - written by this process
    if current is not None:
        yield current, rows
