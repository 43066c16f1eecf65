"""`b12plan audit` against its targets (issue 21): CPU a patient, and memory as patients grow.

    python benchmarks/audit_bench.py     # CPU (4,000 patients), memory at 10k and 100k
    python benchmarks/audit_bench.py --memory 10000 100000 1000000   # add a health board

CPU: the CPU time of `audit` a patient once started (the run of N patients less the run of one,
over N - 1), against the same for `schedule --batch` on the same patients as JSON Lines plus a
stdlib `csv` read of the same rows (events and patients files): target at most 1.3x. Memory:
the peak (the largest process) of `audit` at each size, with the events sorted by patient
(streamed) and in date order (grouped on disk): flat. Made by `make_clinic.py`; nothing here is
asserted in the tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import b12plan, measured  # sibling scripts, not a package
from make_clinic import AS_OF, write

TARGET = 1.3
CSV_READ = """
import csv, sys
for name in sys.argv[1:]:
    with open(name, newline="", encoding="utf-8") as source:
        for row in csv.reader(source):
            pass
"""


def per_patient(many: list[str], one: list[str], count: int, empty: Path) -> float:
    """CPU seconds a patient: (run of `count` - run of one) / (count - 1)."""
    return (measured(many, empty)["cpu"] - measured(one, empty)["cpu"]) / (count - 1)


def cpu(count: int, runs: int, folder: Path, empty: Path) -> None:
    """Audit CPU a patient against batch CPU a patient plus a csv read."""
    big, small = folder / "big", folder / "small"
    write(count, big)
    write(1, small)

    def audit(where: Path) -> list[str]:
        return [*b12plan(), "audit", str(where / "events.csv"), "--patients",
                str(where / "patients.csv"), "--as-of", AS_OF, "--format", "ndjson",
                "-o", os.devnull]  # fmt: skip

    def batch(where: Path) -> list[str]:
        return [*b12plan(), "schedule", "--batch", str(where / "patients.jsonl"),
                "--as-of", AS_OF, "-o", os.devnull]  # fmt: skip

    def read(where: Path) -> list[str]:
        return [sys.executable, "-c", CSV_READ, str(where / "events.csv"),
                str(where / "patients.csv")]  # fmt: skip

    ours, batches, reads = [], [], []
    for _ in range(runs):
        ours.append(per_patient(audit(big), audit(small), count, empty))
        batches.append(per_patient(batch(big), batch(small), count, empty))
        reads.append(per_patient(read(big), read(small), count, empty))
    mine = statistics.median(ours) * 1e6
    plan, rows = statistics.median(batches) * 1e6, statistics.median(reads) * 1e6
    rows_count = sum(1 for _ in (big / "events.csv").open(encoding="utf-8")) - 1
    ratio = mine / (plan + rows)
    print(
        f"audit CPU a patient once started, {count:,} patients ({rows_count:,} event rows), "
        f"median of {runs} runs:"
        f"\n  b12plan audit (csv + patients, ndjson out){mine:12.1f} us"
        f"\n  schedule --batch, same patients as JSON Lines{plan:9.1f} us"
        f"\n  stdlib csv read of the same rows{rows:22.1f} us"
        f"\n  ratio {ratio:.2f}x  (target <= {TARGET}x: {'met' if ratio <= TARGET else 'MISSED'})"
    )


def memory(sizes: list[int], folder: Path, empty: Path) -> None:
    """Peak memory of audit at each size, sorted and unsorted."""
    for unsorted in (False, True):
        peaks = []
        for count in sizes:
            where = folder / f"memory-{count}-{unsorted}"
            write(count, where, unsorted=unsorted, jsonl=False)
            command = [*b12plan(), "audit", str(where / "events.csv"), "--patients",
                       str(where / "patients.csv"), "--as-of", AS_OF, "--format", "csv",
                       "-o", os.devnull]  # fmt: skip
            report = measured(command, empty)
            peaks.append(report["rss_kb"] / 1024)
            for name in ("events.csv", "patients.csv"):
                (where / name).unlink()
        order = "in date order (grouped on disk)" if unsorted else "sorted by patient (streamed)"
        shown = ", ".join(f"{p:.1f} MB at {n:,}" for n, p in zip(sizes, peaks, strict=True))
        print(f"  peak memory, events {order}: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--patients", type=int, default=4000, help="patients for the CPU run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--no-cpu", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = folder / "empty"
        empty.write_bytes(b"")
        if not args.no_cpu:
            cpu(args.patients, args.runs, folder, empty)
        if args.memory:
            memory(args.memory, folder, empty)


if __name__ == "__main__":
    main()
