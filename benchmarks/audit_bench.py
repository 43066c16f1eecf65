"""`b12plan audit` against its targets (issue 21): CPU a patient, and memory as patients grow.

    python benchmarks/audit_bench.py     # CPU (4,000 patients; instructions on 1,000), memory
    python benchmarks/audit_bench.py --memory 10000 100000 1000000   # add a health board

CPU: the CPU time of `audit` a patient once started (the run of N patients less the run of one,
over N - 1), against the same for `schedule --batch` on the same patients as JSON Lines plus a
stdlib `csv` read of the same rows (events and patients files): target at most 1.3x. Each
round runs the three side by side; the median and the best of the rounds are shown. With
valgrind installed each is also run once under callgrind (on `--callgrind` patients, less one
patient, likewise): user-space instruction counts repeat to within 0.1% on a loaded machine,
where times drift by tens of percent, and the verdict is on them. Memory: the peak (the
largest process) of `audit` at each size, with the events sorted by patient (streamed) and in
date order (grouped on disk): flat. Made by `make_clinic.py`; nothing here is asserted in the
tests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import b12plan, instructions, measured  # sibling scripts, not a package
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


def commands(where: Path) -> dict[str, list[str]]:
    """The three commands measured, on the clinic in `where`."""
    return {
        "audit": [*b12plan(), "audit", str(where / "events.csv"), "--patients",
                  str(where / "patients.csv"), "--as-of", AS_OF, "--format", "ndjson",
                  "-o", os.devnull],
        "batch": [*b12plan(), "schedule", "--batch", str(where / "patients.jsonl"),
                  "--as-of", AS_OF, "-o", os.devnull],
        "read": [sys.executable, "-c", CSV_READ, str(where / "events.csv"),
                 str(where / "patients.csv")],
    }  # fmt: skip


def cpu(count: int, runs: int, counted: int, folder: Path, empty: Path) -> None:
    """Audit CPU a patient against batch CPU a patient plus a csv read; instructions too."""
    big, small = folder / "big", folder / "small"
    write(count, big)
    write(1, small)
    many, one = commands(big), commands(small)
    times: dict[str, list[float]] = {name: [] for name in many}
    for _ in range(runs):
        for name in many:
            times[name].append(per_patient(many[name], one[name], count, empty))
    rows_count = sum(1 for _ in (big / "events.csv").open(encoding="utf-8")) - 1
    print(
        f"audit CPU a patient once started, {count:,} patients ({rows_count:,} event rows), "
        f"{runs} rounds, median (best):"
    )
    for label, pick in (("median", statistics.median), ("best", min)):
        mine, plan, rows = (pick(times[name]) * 1e6 for name in ("audit", "batch", "read"))
        print(
            f"  {label}: audit {mine:.1f} us, batch {plan:.1f} us, csv read {rows:.1f} us: "
            f"{mine / (plan + rows):.2f}x"
        )
    if counted and shutil.which("valgrind") is not None:
        sized = folder / "counted"
        write(counted, sized)
        many = commands(sized)
        per: dict[str, float] = {}
        for name in many:
            high, low = instructions(many[name]), instructions(one[name])
            if high is None or low is None:
                return
            per[name] = (high - low) / (counted - 1)
        ratio = per["audit"] / (per["batch"] + per["read"])
        print(
            f"  instructions a patient ({counted:,} patients, callgrind): audit "
            f"{per['audit'] / 1e3:,.0f} k, batch {per['batch'] / 1e3:,.0f} k, csv read "
            f"{per['read'] / 1e3:,.0f} k: {ratio:.3f}x  (target <= {TARGET}x: "
            f"{'met' if ratio <= TARGET else 'MISSED'})"
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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--callgrind", type=int, default=1000, help="patients for the instruction counts (0: none)"
    )
    parser.add_argument("--memory", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--no-cpu", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        empty = folder / "empty"
        empty.write_bytes(b"")
        if not args.no_cpu:
            cpu(args.patients, args.runs, args.callgrind, folder, empty)
        if args.memory:
            memory(args.memory, folder, empty)


if __name__ == "__main__":
    main()
