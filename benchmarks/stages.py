"""Where a `--batch` plan's CPU goes, stage by stage, in this process.

    python benchmarks/stages.py                 # 2,000 patients, best of 5 passes
    python benchmarks/stages.py --count 4000 --passes 9

Each generated patient (benchmarks/make_patients.py, seed 7) goes the way a batch line goes:
the JSON line parsed, validated into its plain record, the planning state built, each stage of
`b12plan.engine.plan.STAGES` in turn, then the JSON line written. The figure of each step is
its CPU time per patient (microseconds), the best of the passes: a loaded machine only ever
adds time. Reading the clock costs a fraction of a microsecond a step, so the steps add up to
a little more than `bench.py`'s breakdown. Lines the engine refuses are left out of every step.
Nothing here is asserted in the tests.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_patients import AS_OF, lines  # a sibling script, not a package

from b12plan.contract.validation import validated
from b12plan.engine.plan import STAGES
from b12plan.engine.stages.state import Planning
from b12plan.errors import InvalidInput
from b12plan.io.parsing import parse_json_line
from b12plan.render.jsonout import plan_document_bytes


def stage_name(stage: object) -> str:
    """A stage by its module's name: `loading`, `findings`..."""
    return str(getattr(stage, "__module__", "?")).rsplit(".", 1)[-1]


def one_pass(raw: list[bytes], as_of: date) -> dict[str, int]:
    """Nanoseconds spent in each step over every plannable line."""
    clock = time.process_time_ns
    spent = dict.fromkeys(["parse", "validate", "state", *map(stage_name, STAGES), "json"], 0)
    for line in raw:
        began = clock()
        data = parse_json_line(line)
        parsed = clock()
        try:
            record = validated("patient", data)
            valid = clock()
            state = Planning(
                record, as_of, catalogue=None, custom=None, explain=False, holidays=None
            )
            built = clock()
            times = []
            for stage in STAGES:
                stage(state)
                times.append(clock())
        except InvalidInput:
            continue
        plan_document_bytes(state.document, indent=None)
        spent["json"] += clock() - times[-1]
        spent["parse"] += parsed - began
        spent["validate"] += valid - parsed
        spent["state"] += built - valid
        before = built
        for stage, after in zip(STAGES, times, strict=True):
            spent[stage_name(stage)] += after - before
            before = after
    return spent


def main() -> None:
    """Print each step's CPU per patient."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=2000, help="patients")
    parser.add_argument("--passes", type=int, default=5, help="passes; the best of each step")
    args = parser.parse_args()
    raw = [text.encode() for text in lines(args.count, seed=7)]
    as_of = date.fromisoformat(AS_OF)
    best: dict[str, float] = {}
    for _ in range(args.passes):
        spent = one_pass(raw, as_of)
        for name, ns in spent.items():
            best[name] = min(best.get(name, float("inf")), ns / args.count / 1000)
    print(f"CPU a patient, best of {args.passes} passes over {args.count} (us)")
    for name, micros in best.items():
        print(f"  {name:<12}{micros:7.1f}")
    print(f"  {'total':<12}{sum(best.values()):7.1f}")


if __name__ == "__main__":
    main()
