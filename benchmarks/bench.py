"""Start-up ratios and `--batch` throughput against the targets of issue 7 (medians).

    python benchmarks/bench.py                 # defaults: 31 start-up rounds, 3 batch runs
    python benchmarks/bench.py --lines 20000 --jobs 1,2,4

Start-up: each round runs every command once, side by side (baselines and b12plan alternate),
and the median wall time of each is compared with its baseline:
- `b12plan --help` against `python -c "import click"` (target: at most 1.15x);
- `b12plan schedule --format json` against
  `python -c "import click, pydantic, dateutil.relativedelta"` (target: at most 1.15x).
The median CPU time (user + system) of each command is printed beside it: on a shared machine it
is the steadier figure, as it does not count time spent waiting for a CPU.
Throughput: `b12plan schedule --batch FILE` on generated patients (benchmarks/make_patients.py),
JSON Lines in and out (to /dev/null), wall time including start-up, for each `--jobs` value
(target: 10,000 plans a second with `--jobs 1`); also the rate once started (the wall time of a
one-line batch taken off). Then where one plan's time goes, in this process, on the path a batch
takes. Nothing here is asserted in the tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
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

STARTUP_TARGET = 1.15
THROUGHPUT_TARGET = 10_000
PATIENT = ["--start", "2025-03-03", "--cause", "autoimmune-gastritis", "--as-of", "2025-03-01"]


def b12plan() -> list[str]:
    """The installed console script beside this Python, else `python -m b12plan`."""
    script = Path(sys.executable).with_name("b12plan")
    if script.exists():
        return [str(script)]
    found = shutil.which("b12plan")
    return [found] if found else [sys.executable, "-m", "b12plan"]


# As after `pip install`, in a user's shell: bytecode is cached (an editable or
# PYTHONDONTWRITEBYTECODE=1 set-up would otherwise recompile b12plan's sources on every start, but
# not click's or pydantic's), and output is buffered (PYTHONUNBUFFERED=1 makes every write a
# system call).
ENV = {
    name: value
    for name, value in os.environ.items()
    if name not in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED")
}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(command: list[str], stdin: Path | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds to run `command` to completion (output discarded).

    It must succeed or exit 1.
    """
    with open(stdin or os.devnull, "rb") as source:  # noqa: PTH123 - a plain file handle
        cpu = _children_cpu()
        began = time.perf_counter()
        done = subprocess.run(
            command,
            stdin=source,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
            env=ENV,
        )
        took = time.perf_counter() - began
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr.decode()}")
    return took, _children_cpu() - cpu


def wall(command: list[str], stdin: Path | None = None) -> float:
    """Wall seconds to run `command` (see `timed`)."""
    return timed(command, stdin)[0]


CLICK = 'python -c "import click"'
DEPS = 'python -c "import click, pydantic, dateutil.relativedelta"'
CLICK_HELP = "reference: a one-command click group's --help"
PYDANTIC = "reference: the same imports and one pydantic model defined"
MINIMAL_CLICK_APP = "import click\n@click.group()\ndef c():\n    'x'\nc(['--help'])"
# `import pydantic` alone is lazy: defining a model is what loads pydantic's machinery.
ONE_MODEL = (
    "import click, dateutil.relativedelta\nfrom pydantic import BaseModel, Field\n"
    "class M(BaseModel):\n    x: int = Field(1)"
)


def startup_commands() -> list[tuple[str, list[str], str | None, float | None]]:
    """What start-up compares: the two targets, and references that show where time goes.

    Each entry: label, command, the label of its baseline (listed before it) and target ratio.
    """
    python, cli = [sys.executable], b12plan()
    return [
        (CLICK, [*python, "-c", "import click"], None, None),
        ("b12plan --help", [*cli, "--help"], CLICK, STARTUP_TARGET),
        ("b12plan --version", [*cli, "--version"], CLICK, None),
        (CLICK_HELP, [*python, "-c", MINIMAL_CLICK_APP], CLICK, None),
        (DEPS, [*python, "-c", "import click, pydantic, dateutil.relativedelta"], None, None),
        (
            "b12plan schedule ... --format json",
            [*cli, "schedule", *PATIENT, "--format", "json"],
            DEPS,
            STARTUP_TARGET,
        ),
        (
            PYDANTIC,
            [*python, "-c", ONE_MODEL],
            DEPS,
            None,
        ),
    ]


def startup(rounds: int) -> None:
    """Median wall and CPU times, every command once per round (side by side), and the ratios."""
    commands = startup_commands()
    for _, command, _, _ in commands:  # warm the file cache and write bytecode
        wall(command)
    walls: dict[str, list[float]] = {label: [] for label, _, _, _ in commands}
    cpus: dict[str, list[float]] = {label: [] for label, _, _, _ in commands}
    for _ in range(rounds):
        for label, command, _, _ in commands:
            took, cpu = timed(command)
            walls[label].append(took)
            cpus[label].append(cpu)
    median = {label: statistics.median(values) * 1000 for label, values in walls.items()}
    median_cpu = {label: statistics.median(values) * 1000 for label, values in cpus.items()}
    print(f"start-up, median of {rounds} side-by-side rounds: wall time (and CPU time)")
    for label, _, baseline, target in commands:
        line = f"  {label:<60}{median[label]:7.1f} ms"
        if baseline is None:
            line += f"           ({median_cpu[label]:5.1f} ms CPU)"
        else:
            ratio = median[label] / median[baseline]
            cpu_ratio = median_cpu[label] / median_cpu[baseline]
            line += f"  {ratio:5.2f}x  ({median_cpu[label]:5.1f} ms CPU, {cpu_ratio:4.2f}x)"
            if target is not None:
                verdict = "met" if ratio <= target else f"MISSED by {ratio / target - 1:.1%}"
                line += f"  target <= {target}x: {verdict}"
        print(line)


def throughput(count: int, runs: int, jobs: list[int]) -> None:
    """Median plans per second through `schedule --batch`, per --jobs value."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "patients.jsonl"
        source.write_text("".join(f"{line}\n" for line in lines(count)), encoding="utf-8")
        first = Path(tmp) / "one.jsonl"
        first.write_text(f"{lines(1)[0]}\n", encoding="utf-8")
        print(
            f"batch throughput: {count} generated patients, schedule --batch, JSON Lines in and "
            f"out, median of {runs} runs (wall time, start-up included; then without it)"
        )
        one = [*b12plan(), "schedule", "--batch", "--as-of", AS_OF]
        started = statistics.median(wall(one, stdin=first) for _ in range(max(runs, 5)))
        for n in jobs:
            command = [*b12plan(), "schedule", "--batch", "--as-of", AS_OF, "--jobs", str(n)]
            took = statistics.median(wall(command, stdin=source) for _ in range(runs))
            rate = count / took
            line = f"  --jobs {n:<3}{rate:10,.0f} plans/s  ({took:.2f} s)"
            if took > started:
                line += f"  {count / (took - started):8,.0f}/s once started"
            if n == 1:
                verdict = (
                    "met"
                    if rate >= THROUGHPUT_TARGET
                    else f"MISSED: {THROUGHPUT_TARGET / rate:.2f}x short"
                )
                line += f"  (target >= {THROUGHPUT_TARGET:,}/s on one core: {verdict})"
            print(line)


def breakdown(count: int, runs: int) -> None:
    """Where one plan's time goes, in this process: the reason behind the throughput."""
    from datetime import date

    import b12plan
    from b12plan.cli.batch import answer
    from b12plan.engine import build_plan
    from b12plan.engine.plan import plan_document
    from b12plan.loading import loads_strict
    from b12plan.models import Patient
    from b12plan.render.jsonout import plan_document_bytes, plan_json

    texts, as_of = lines(count, seed=7), date.fromisoformat(AS_OF)
    raw = [text.encode() for text in texts]
    phases: dict[str, list[float]] = {
        name: [] for name in ("parse", "validate", "engine", "json", "line", "model")
    }

    clock = time.perf_counter
    doses = findings = labs = 0
    for _ in range(runs):
        spent = dict.fromkeys(phases, 0.0)
        # One patient at a time, as a batch does: holding every plan would time the GC too.
        for text in texts:
            began = clock()
            data = loads_strict(text)
            parsed = clock()
            patient = Patient.model_validate(data)
            validated = clock()
            document = plan_document(patient, as_of=as_of, explain=False)
            planned = clock()
            plan_document_bytes(document, indent=None)
            spent["json"] += clock() - planned
            spent["parse"] += parsed - began
            spent["validate"] += validated - parsed
            spent["engine"] += planned - validated
            doses += len(document["doses"])
            findings += len(document["findings"])
            labs += len(document["labs"])
        # Then the same lines end to end, and the model path, each in a loop of its own.
        began = clock()
        for number, result in enumerate(b12plan.plan_many(raw, as_of=as_of), 1):
            answer(number, result, json_errors=False)
        spent["line"] = clock() - began
        began = clock()
        for text in texts:
            plan_json(build_plan(Patient.model_validate(loads_strict(text)), as_of=as_of))
        spent["model"] = clock() - began
        for name, seconds in spent.items():
            phases[name].append(seconds / count)
    plans = count * runs
    us = {name: statistics.median(values) * 1e6 for name, values in phases.items()}

    print(f"per plan, in-process, on a batch line's path (median of {runs} runs, {count} plans)")
    print(f"  {'parse the JSON line (strict: no duplicate keys, NaN)':<60}{us['parse']:7.1f} us")
    print(f"  {'validate the patient (pydantic Patient model)':<60}{us['validate']:7.1f} us")
    engine = (
        f"plan it (engine; {doses / plans:.1f} doses, {findings / plans:.1f} findings, "
        f"{labs / plans:.1f} labs a plan)"
    )
    print(f"  {engine:<60}{us['engine']:7.1f} us")
    print(f"  {'write the plan document as compact JSON (pydantic-core)':<60}{us['json']:7.1f} us")
    print(f"  {'all of it, as a batch line (plan_many, batch.answer)':<60}{us['line']:7.1f} us")
    print(
        f"  {'so at most this many plans/s on one core, before any I/O':<60}"
        f"{1e6 / us['line']:7,.0f}   (10,000/s leaves 100 us a plan)"
    )
    print(f"  {'the same line through build_plan, Plan and plan_json':<60}{us['model']:7.1f} us")


def machine() -> None:
    """Enough about this machine to compare figures from another one."""
    loop = min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
        f"reference loop sum(range(1000)): {loop:.1f} us"
    )


def main() -> None:
    """Run both benchmarks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=31, help="start-up rounds")
    parser.add_argument("--lines", type=int, default=10_000, help="patients per batch run")
    parser.add_argument("--runs", type=int, default=3, help="batch runs per --jobs value")
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values")
    args = parser.parse_args()
    machine()
    startup(args.rounds)
    throughput(args.lines, args.runs, [int(n) for n in args.jobs.split(",")])
    breakdown(min(args.lines, 2000), max(args.runs, 3))


if __name__ == "__main__":
    main()
