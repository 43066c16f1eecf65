"""Prove an engine optimisation changes no output: plans from a git ref vs the working tree.

Plans a few thousand generated patients (benchmarks/make_patients.py, several seeds and dates)
plus date edge cases (29 February births, month ends, the age-16 boundary) with the engine of
REF (default HEAD, exported with `git archive`) and with the working tree, and compares the
JSON documents byte for byte (with `--explain`, so every dose's trace is compared too).
In the working tree it also checks that the plain document the JSON writers serialise
(`plan_document`, with and without `--explain`) gives the same bytes as the `Plan` model.

    python benchmarks/compare_engine.py            # HEAD vs working tree
    python benchmarks/compare_engine.py abc123 --count 5000
    python benchmarks/compare_engine.py main --hypothesis 20000   # and the tests' patients

With `--hypothesis N` it adds N patients drawn by the tests' Hypothesis strategy
(`tests/strategies.patients`: histories, changes, stops, every condition), and for each patient
also compares the check document of the plan's own protocol regimen, whose patient-level
findings come from the same rules.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_patients import lines  # a sibling script, not a package

ROOT = Path(__file__).resolve().parents[1]

# Runs inside the tree under test: only APIs that every version has.
RUNNER = """
import json, sys
from datetime import date
from pydantic import ValidationError
from b12plan.engine import build_plan
from b12plan.errors import InvalidInput
from b12plan.contract.models import Patient
from b12plan.render.jsonout import plan_json
try:  # since the engine reads plain records: validated by the generated core schema
    import b12plan.contract.records
    from b12plan.contract.validation import validated
    def read(document):
        return validated("patient", document)
except ImportError:  # before: the engine read the model
    read = Patient.model_validate
for line in sys.stdin:
    case = json.loads(line)
    try:
        patient = read(case["patient"])
        plan = build_plan(patient, as_of=date.fromisoformat(case["as_of"]))
        text = plan_json(plan, explain=True, indent=None).rstrip("\\n")
    except (InvalidInput, ValidationError) as exc:
        sys.stdout.write(json.dumps({"error": str(exc)}) + "\\n")
        continue
    if case.get("check"):  # the check document on the same line
        from b12plan.engine.check import check_regimen, protocol_regimen_text
        from b12plan.protocols import bundled
        sig = protocol_regimen_text(bundled()[plan.protocol.id], plan.inputs.route)
        regimen = validated("regimen", {"patient": case["patient"], "regimen": sig})
        report = check_regimen(regimen, as_of=date.fromisoformat(case["as_of"]))
        text += "\\t" + json.dumps(report, default=str, ensure_ascii=False)
    sys.stdout.write(text + "\\n")
"""

# The working tree only: the document path against the model path, case by case.
DOCUMENT_RUNNER = """
import json, sys
from datetime import date
from pydantic import ValidationError
from b12plan.engine.plan import build_plan, plan_document
from b12plan.contract.validation import validated
from b12plan.errors import InvalidInput
from b12plan.render.jsonout import plan_document_json, plan_json
for line in sys.stdin:
    case = json.loads(line)
    try:
        patient = validated("patient", case["patient"])
        as_of = date.fromisoformat(case["as_of"])
        plan = build_plan(patient, as_of=as_of)
    except (InvalidInput, ValidationError):
        sys.stdout.write("same\\n")
        continue
    same = all(
        plan_document_json(plan_document(patient, as_of=as_of, explain=explain), indent=indent)
        == plan_json(plan, explain=explain, indent=indent)
        for explain in (False, True)
        for indent in (None, 2)
    )
    sys.stdout.write("same\\n" if same else "DIFFERENT\\n")
"""


def edge_cases() -> list[dict[str, object]]:
    """Birthdays on 29 February and month ends, around the age-16 boundary and leap years."""
    cases: list[dict[str, object]] = []
    starts = [date(2024, 2, 28), date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1)]
    starts += [date(2025, 1, 31), date(2025, 8, 31), date(2025, 12, 31), date(2026, 2, 28)]
    for start in starts:
        for years in (15, 16, 17, 18, 60):
            for month, day in ((2, 28), (2, 29), (3, 1), (1, 31), (12, 31), (start.month, 1)):
                year = start.year - years
                try:
                    dob = date(year, month, day)
                except ValueError:
                    continue
                if dob >= start:
                    continue
                for as_of in (start - timedelta(days=1), start + timedelta(days=200)):
                    patient = {"start": start.isoformat(), "dob": dob.isoformat()}
                    patient |= {"cause": "autoimmune-gastritis", "protocol": "auto"}
                    cases.append({"patient": patient, "as_of": as_of.isoformat()})
    for start in starts:
        for protocol in ("uk-hydroxo-prophylaxis", "us-asmbs-bariatric", "us-cyano-1000"):
            patient = {"start": start.isoformat(), "cause": "gastrectomy", "protocol": protocol}
            if protocol.startswith("us"):
                patient["product"] = "cyanocobalamin"
            patient["conditions"] = {"pregnant": True}
            last = start + timedelta(days=3652)
            cases.append({"patient": patient | {"until": last.isoformat()}, "as_of": "2026-01-01"})
            cases.append({"patient": patient, "as_of": start.isoformat()})
    return cases


def generated(count: int) -> list[dict[str, object]]:
    """Patients from make_patients, planned as of three different dates."""
    out = []
    for seed, as_of in ((1, "2025-06-01"), (2, "2025-06-01"), (3, "2025-01-31")):
        for line in lines(count // 3, bad=0.0, seed=seed):
            out.append({"patient": json.loads(line), "as_of": as_of})
    return out


def drawn(count: int) -> list[dict[str, object]]:
    """Patients drawn by the tests' Hypothesis strategy, the same ones every run."""
    sys.path.insert(0, str(ROOT))
    from hypothesis import HealthCheck, given, settings
    from tests.strategies import patients

    out: list[dict[str, object]] = []

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(patients())
    def collect(case: tuple[dict[str, object], date]) -> None:
        document, as_of = case
        out.append({"patient": document, "as_of": as_of.isoformat(), "check": True})

    collect()
    return out


def run(src: Path, cases: str, runner: str = RUNNER) -> list[str]:
    """Plan every case with the package found in `src`."""
    env = dict(os.environ, PYTHONPATH=str(src))
    done = subprocess.run(
        [sys.executable, "-c", runner],
        check=False,
        input=cases,
        capture_output=True,
        text=True,
        env=env,
    )
    if done.returncode != 0:
        sys.exit(f"runner failed under {src}:\n{done.stderr}")
    return done.stdout.splitlines()


def main() -> None:
    """Compare and report; exit 1 on any difference."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ref", nargs="?", default="HEAD")
    parser.add_argument("--count", type=int, default=3000, help="generated patients")
    parser.add_argument("--hypothesis", type=int, default=0, help="the tests' drawn patients")
    args = parser.parse_args()
    cases = generated(args.count) + edge_cases() + drawn(args.hypothesis)
    text = "".join(json.dumps(case) + "\n" for case in cases)
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", args.ref, "src"], capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tmp, filter="data")
        before = run(Path(tmp) / "src", text)
    after = run(ROOT / "src", text)
    errors = sum(line.startswith('{"error"') for line in after)
    if len(before) != len(after):
        sys.exit(f"{len(before)} lines from {args.ref}, {len(after)} from the working tree")
    differ = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    print(f"{len(cases)} patients ({errors} rejected as input errors): {args.ref} vs working tree")
    print(f"identical: {len(cases) - len(differ)}, different: {len(differ)}")
    for i in differ[:5]:
        print(f"  case {i}: {json.dumps(cases[i])}")
    paths = run(ROOT / "src", text, DOCUMENT_RUNNER)
    apart = [i for i, verdict in enumerate(paths) if verdict != "same"]
    print(f"document vs Plan model in the working tree: {len(apart)} of {len(cases)} differ")
    for i in apart[:5]:
        print(f"  case {i}: {json.dumps(cases[i])}")
    sys.exit(1 if differ or apart else 0)


if __name__ == "__main__":
    main()
