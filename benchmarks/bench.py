"""Start-up, batch CPU and batch memory against the targets of issue 16, measured side by side.

    python benchmarks/bench.py                      # everything (about 10 minutes)
    python benchmarks/bench.py --rounds 41 --no-batch
    python benchmarks/bench.py --memory-lines 0     # skip the 100,000-line memory runs

Run it with the Python of the install to measure (a fresh venv with `pip install .` is what a
user has; the script finds the `b12plan` console script beside that Python). Nothing here is
asserted in the tests.

Start-up: every command and its baseline run once per round, interleaved, and each command's
median wall time is compared with its baseline's; the median CPU time is printed beside it (it
does not count time spent waiting for a CPU), and with valgrind installed each command is also
run once under callgrind: user-space instruction counts repeat to within 0.1% on a loaded
machine, where times drift by tens of percent. The verdict is on the instruction counts when
there are some, else on the wall times. Targets:
- `b12plan --help` and `--version`: at most 1.10x `python -c "import click"`;
- `schedule --format json`: at most 1.10x `python -c "import click, pydantic,
  dateutil.relativedelta"` (the floor of b12plan's own stack);
- table, ics, fhir and html, and `check` (json and table): at most 1.15x that floor plus the
  import of the format's own renderer library (rich's console, panel and text for the tables,
  icalendar, Jinja2).

Batch: the CPU time of `schedule --batch` per plan once started (the run of N lines less the run
of one line, over N - 1), against the same for a stdlib-`json` round trip of the same lines and
plans (each input line and each output plan read with `json.loads` and written with
`json.dumps`): at most 1.5x. Then the peak memory of `--jobs 2` at 10,000 and at 100,000 lines
(the largest of its processes): flat, and the rate of each `--jobs` value.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_patients import AS_OF, lines  # a sibling script, not a package

HELP_TARGET, JSON_TARGET, FORMAT_TARGET, BATCH_TARGET = 1.10, 1.10, 1.15, 1.5
PATIENT = ["--start", "2025-03-03", "--cause", "autoimmune-gastritis", "--as-of", "2025-03-01"]
REGIMEN = ["--regimen", "1000mcg im every 2d x6; then 1000mcg im every 3mo"]

CLICK = "import click"
FLOOR = "import click, pydantic, dateutil.relativedelta"
# What each renderer imports from its library: the floor of that format.
RICH = (
    f"{FLOOR}; from rich import box; from rich.console import Console; "
    "from rich.panel import Panel; from rich.text import Text; from rich.cells import cell_len"
)
ICALENDAR = f"{FLOOR}; from icalendar import Calendar, Event"
JINJA2 = f"{FLOOR}; import jinja2"

# As after `pip install`, in a user's shell: bytecode is cached (PYTHONDONTWRITEBYTECODE=1 would
# recompile b12plan's sources on every start, but not click's or pydantic's), output buffered.
ENV = {
    name: value
    for name, value in os.environ.items()
    if name not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
}
# Runs a command as its child and reports the child's CPU time and peak memory (the largest
# of its processes, workers included): what `time -v` would say, without needing it.
MEASURE = """
import json, resource, subprocess, sys
with open(sys.argv[1], "rb") as stdin:
    done = subprocess.run(sys.argv[2:], stdin=stdin, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": done.returncode, "cpu": usage.ru_utime + usage.ru_stime,
                  "rss_kb": usage.ru_maxrss, "err": done.stderr.decode()[-300:]}))
"""
# The reference for a batch: read and write the same lines and plans with the stdlib alone.
ROUND_TRIP = """
import json, sys
with open(sys.argv[3], "w") as out:
    for name in sys.argv[1:3]:
        with open(name, "rb") as source:
            for line in source:
                out.write(json.dumps(json.loads(line), separators=(",", ":")) + "\\n")
"""


def b12plan() -> list[str]:
    """The installed console script beside this Python, else `python -m b12plan`."""
    script = Path(sys.executable).with_name("b12plan")
    if script.exists():
        return [str(script)]
    found = shutil.which("b12plan")
    return [found] if found else [sys.executable, "-m", "b12plan"]


def python(code: str) -> list[str]:
    """`python -c CODE`, with the Python of the install measured."""
    return [sys.executable, "-c", code]


class Case:
    """One start-up command: what it runs, its baseline (a label) and target ratio."""

    def __init__(
        self, label: str, command: list[str], base: str | None = None, target: float = 0.0
    ) -> None:
        self.label, self.command, self.base, self.target = label, command, base, target
        self.walls: list[float] = []
        self.cpus: list[float] = []
        self.instructions: int | None = None


def startup_cases() -> list[Case]:
    """Baselines first, then each command with the baseline it is held to."""
    cli = b12plan()
    schedule, check = [*cli, "schedule", *PATIENT], [*cli, "check", *REGIMEN, *PATIENT]
    return [
        Case("import click", python(CLICK)),
        Case("floor: import click, pydantic, dateutil", python(FLOOR)),
        Case("floor + rich (table)", python(RICH)),
        Case("floor + icalendar", python(ICALENDAR)),
        Case("floor + jinja2", python(JINJA2)),
        Case("b12plan --help", [*cli, "--help"], "import click", HELP_TARGET),
        Case("b12plan --version", [*cli, "--version"], "import click", HELP_TARGET),
        Case(
            "schedule --format json",
            [*schedule, "--format", "json"],
            "floor: import click, pydantic, dateutil",
            JSON_TARGET,
        ),
        Case("schedule (table)", schedule, "floor + rich (table)", FORMAT_TARGET),
        Case("schedule --format ics", [*schedule, "--format", "ics"], "floor + icalendar", 1.15),
        Case(
            "schedule --format fhir",
            [*schedule, "--format", "fhir"],
            "floor: import click, pydantic, dateutil",
            FORMAT_TARGET,
        ),
        Case("schedule --format html", [*schedule, "--format", "html"], "floor + jinja2", 1.15),
        Case(
            "check --format json",
            [*check, "--format", "json"],
            "floor: import click, pydantic, dateutil",
            FORMAT_TARGET,
        ),
        Case("check (table)", check, "floor + rich (table)", FORMAT_TARGET),
    ]


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds to run `command` (output discarded); it must exit 0 or 1."""
    cpu = _children_cpu()
    began = time.perf_counter()
    done = subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        env=ENV,
    )
    took = time.perf_counter() - began
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()}")
    return took, _children_cpu() - cpu


def instructions(command: list[str]) -> int | None:
    """User-space instructions to run `command`, counted by callgrind (None without it)."""
    if shutil.which("valgrind") is None:
        return None
    # A fixed hash seed: set and dict layouts, and so the counts, repeat from run to run.
    env = {**ENV, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={os.devnull}", *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
        env=env,
    )
    found = re.search(rb"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None


def startup(rounds: int, callgrind: bool) -> None:
    """Median wall and CPU times (every command once per round, side by side), instruction
    counts, the ratios and the verdicts."""
    cases = startup_cases()
    for case in cases:  # warm the file cache and write bytecode
        timed(case.command)
    for _ in range(rounds):
        for case in cases:
            took, cpu = timed(case.command)
            case.walls.append(took)
            case.cpus.append(cpu)
    if callgrind:
        for case in cases:
            case.instructions = instructions(case.command)
    by_label = {case.label: case for case in cases}
    counted = all(case.instructions is not None for case in cases)
    print(
        f"start-up: median of {rounds} side-by-side rounds, wall (CPU)"
        + ("; user-space instructions (callgrind)" if counted else "")
    )
    for case in cases:
        wall = statistics.median(case.walls) * 1000
        cpu = statistics.median(case.cpus) * 1000
        line = f"  {case.label:<42}{wall:7.1f} ms ({cpu:5.1f})"
        if counted:
            assert case.instructions is not None  # noqa: S101 - counted
            line += f" {case.instructions / 1e6:7.1f} M"
        if case.base is not None:
            base = by_label[case.base]
            wall_ratio = statistics.median(case.walls) / statistics.median(base.walls)
            cpu_ratio = statistics.median(case.cpus) / statistics.median(base.cpus)
            line += f"  {wall_ratio:5.2f}x ({cpu_ratio:4.2f}x)"
            ratio = wall_ratio
            if counted:
                assert case.instructions is not None and base.instructions is not None  # noqa: S101
                ratio = case.instructions / base.instructions
                line += f" {ratio:5.3f}x"
            line += f"  <= {case.target:.2f}x: " + verdict(ratio, case.target)
        print(line)


def verdict(ratio: float, target: float) -> str:
    """`met`, or by how much the target is missed."""
    return "met" if ratio <= target else f"MISSED by {ratio / target - 1:.1%}"


# ---------------------------------------------------------------- batch


def measured(command: list[str], stdin: Path) -> dict[str, float]:
    """CPU seconds and peak memory (KB, the largest process) of `command` reading `stdin`."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(stdin), *command],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    report: dict[str, float] = json.loads(done.stdout)
    if report["code"] not in (0, 1, 2):
        sys.exit(f"{' '.join(command)} failed ({report['code']}): {report['err']}")
    return report


def batch(count: int, runs: int, memory_lines: int, jobs: list[int]) -> None:
    """CPU per plan against the stdlib round trip, peak memory, and plans a second."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, first = folder / "patients.jsonl", folder / "one.jsonl"
        source.write_text("".join(f"{line}\n" for line in lines(count)), encoding="utf-8")
        first.write_text(f"{lines(1)[0]}\n", encoding="utf-8")
        empty = folder / "empty"
        empty.write_bytes(b"")
        plans, plan = folder / "plans.jsonl", folder / "plan.jsonl"
        command = [*b12plan(), "schedule", "--batch", "--as-of", AS_OF]
        # The plans of the same lines, for the reference to read.
        measured([*command, str(source), "-o", str(plans)], empty)
        measured([*command, str(first), "-o", str(plan)], empty)
        out = folder / "round-trip.jsonl"
        ours, reference = [], []
        for _ in range(runs):
            many = measured([*command, str(source), "-o", os.devnull], empty)["cpu"]
            one = measured([*command, str(first), "-o", os.devnull], empty)["cpu"]
            ours.append((many - one) / (count - 1))
            many = measured(python_round_trip(source, plans, out), empty)["cpu"]
            one = measured(python_round_trip(first, plan, out), empty)["cpu"]
            reference.append((many - one) / (count - 1))
        mine, theirs = statistics.median(ours) * 1e6, statistics.median(reference) * 1e6
        print(
            f"batch CPU a plan once started, {count} lines, --jobs 1, median of {runs} runs:"
            f"\n  b12plan schedule --batch{mine:27.1f} us"
            f"\n  stdlib json round trip of the same lines and plans{theirs:7.1f} us"
            f"  {mine / theirs:5.2f}x  <= {BATCH_TARGET}x: {verdict(mine / theirs, BATCH_TARGET)}"
        )
        for n in jobs:
            walls = []
            for _ in range(runs):
                began = time.perf_counter()
                measured([*command, "--jobs", str(n), str(source), "-o", os.devnull], empty)
                walls.append(time.perf_counter() - began)
            took = statistics.median(walls)
            print(
                f"  --jobs {n:<3}{count / took:10,.0f} plans/s  ({took:.2f} s, start-up included)"
            )
        if memory_lines:
            memory(folder, command, count, memory_lines, empty)


def python_round_trip(source: Path, plans: Path, out: Path) -> list[str]:
    """The stdlib reference run: read `source` and `plans`, write both back."""
    return [sys.executable, "-c", ROUND_TRIP, str(source), str(plans), str(out)]


def memory(folder: Path, command: list[str], small: int, large: int, empty: Path) -> None:
    """Peak memory of `--jobs 2` (the largest process) at `small` and at `large` lines."""
    peaks = {}
    for count in (small, large):
        source = folder / f"memory-{count}.jsonl"
        source.write_text("".join(f"{line}\n" for line in lines(count)), encoding="utf-8")
        report = measured([*command, "--jobs", "2", str(source), "-o", os.devnull], empty)
        peaks[count] = report["rss_kb"] / 1024
        source.unlink()
    growth = peaks[large] / peaks[small] - 1
    print(
        f"  peak memory, --jobs 2: {peaks[small]:.1f} MB at {small:,} lines, "
        f"{peaks[large]:.1f} MB at {large:,} ({growth:+.1%}): "
        + ("flat" if abs(growth) < 0.1 else "NOT FLAT")
    )


# ---------------------------------------------------------------- where a plan's time goes


def breakdown(count: int, runs: int) -> None:
    """Where one plan's time goes, in this process, on the path a batch takes."""
    try:
        from b12plan.contract.validation import validated
        from b12plan.contract.vocab import is_blocked  # noqa: F401 - present since issue 16
        from b12plan.engine.plan import plan_document
        from b12plan.io.parsing import parse_json_line
        from b12plan.render.jsonout import plan_document_bytes
    except ImportError:
        print("(no breakdown: this install predates the plain records)")
        return
    from datetime import date

    raw = [text.encode() for text in lines(count, seed=7)]
    as_of = date.fromisoformat(AS_OF)
    clock = time.perf_counter
    best = dict.fromkeys(("parse", "validate", "engine", "json"), float("inf"))
    for _ in range(runs):
        spent = dict.fromkeys(best, 0.0)
        for line in raw:
            began = clock()
            data = parse_json_line(line)
            parsed = clock()
            record = validated("patient", data)
            valid = clock()
            document = plan_document(record, as_of=as_of, explain=False)
            planned = clock()
            plan_document_bytes(document, indent=None)
            spent["json"] += clock() - planned
            spent["parse"] += parsed - began
            spent["validate"] += valid - parsed
            spent["engine"] += planned - valid
        for name, seconds in spent.items():
            best[name] = min(best[name], seconds / count * 1e6)
    print(f"a plan in this process, best of {runs} runs of {count} (us)")
    print(f"  parse the JSON line (strict)                    {best['parse']:7.1f}")
    print(f"  validate (core schema, into plain records)      {best['validate']:7.1f}")
    print(f"  plan (engine, plain document)                   {best['engine']:7.1f}")
    print(f"  write the JSON line (pydantic-core)             {best['json']:7.1f}")


def machine() -> None:
    """Enough about this machine to compare figures from another one."""
    loop = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"reference loop sum(range(1000)): {loop:.1f} us; b12plan: {' '.join(b12plan())}"
    )


def main() -> None:
    """Run the benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=31, help="start-up rounds")
    parser.add_argument("--no-callgrind", action="store_true", help="times only")
    parser.add_argument("--no-batch", action="store_true", help="start-up only")
    parser.add_argument("--lines", type=int, default=10_000, help="lines of a batch run")
    parser.add_argument("--memory-lines", type=int, default=100_000, help="0: skip")
    parser.add_argument("--runs", type=int, default=3, help="batch runs")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    args = parser.parse_args()
    machine()
    startup(args.rounds, callgrind=not args.no_callgrind)
    if not args.no_batch:
        batch(args.lines, args.runs, args.memory_lines, [int(n) for n in args.jobs.split(",")])
        breakdown(min(args.lines, 2000), args.runs)


if __name__ == "__main__":
    main()
