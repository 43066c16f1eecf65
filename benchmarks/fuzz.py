"""A long fuzz run of the whole CLI: many generated inputs, every outcome counted.

    python benchmarks/fuzz.py                      # 100,000 inputs, seed 13
    python benchmarks/fuzz.py --inputs 5000 --seed 1 --keep failures/

Each input is a patient or regimen document: a realistic one (benchmarks/make_patients.py)
with one to four mutations, chosen to reach the classes of issue 13 and more: integers of any
size and out-of-range numbers spliced into the text, control characters, lone surrogates and
bidirectional overrides in values and keys, very long strings, deep nesting, wrong types,
unknown and duplicate keys, dates at and past the edges, broken bytes. Inputs go to `schedule -`
(one document, in a random format, sometimes with options and `-o`), `check -`, or
`schedule --batch -` (several documents a run), in-process through `b12plan.cli.main` for speed.

It counts exit codes, and flags any run that exits 70, prints a traceback, lets an exception
escape `main`, or writes a control character (other than tab and line breaks) to stdout or
stderr. A failing input is saved with `--keep DIR`. Not run by the tests (it takes minutes):
`tests/test_fuzz.py` and the property tests cover the same ground in seconds.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import json
import random
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_patients import AS_OF, patient  # a sibling script, not a package

from b12plan.cli import main
from b12plan.contract.models import Patient
from b12plan.contract.vocab import FORMATS

PLACEHOLDER = "\x00FUZZ{}\x00"
CONTROLS = [chr(c) for c in (*range(32), 127, *range(0x80, 0xA0))]
BIDI = list("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
NASTY_TEXT = ["\x1b[2J", "\x1b]0;title\x07", "\r\n", "\u2028", "\ud800", "\udfff", "\ufeff"]
REGIMENS = (
    "1000mcg im every 2d x6; then 1000mcg im every 3mo",
    "1000mcg im every 2d x5; then 1000mcg im every 2mo",
    "500mcg im every 1w x4; then 500mcg im every 6mo",
    "1mg sc every 1w x4; then 1mg sc every 1mo",
    "1000mcg im every 1mo",
)
KNOWN_FIELDS = tuple(Patient.model_fields)
OPTIONS = (
    ("--interval", ["2mo", "0mo", "9" * 30 + "mo", "1d", "-1w"]),
    ("--override-reason", ["because\x1b[31m", "x" * 600, "\u202eevil", "ok"]),
    (
        "--lab",
        [
            "b12=" + "9" * 5000 + " ng/L@2025-02-24",
            "b12=150 ng/L@2025-02-24",
            "hb=1e999 g/L@2025-02-24",
        ],
    ),
    ("--given", ["2025-03-03", "2025-02-30", "2199-12-31"]),
    ("--until", ["2026-03-03", "2199-12-31", "1900-01-01"]),
    ("--strength", ["1000 mcg/mL", "1e400 mcg/mL", "9" * 4000 + " mcg/mL"]),
    ("--protocol", ["auto", "uk-bnf-hydroxo-neuro", "us-asmbs-bariatric", "nope\x07"]),
    ("--missed", ["2025-03-05:declined", "2025-03-05:\x1b", "2025-03-05"]),
    ("--explain", []),
    ("--repletion-done", []),
)


class Runner:
    """Runs `b12plan ARGS` in this process, as the console script would, and tallies it."""

    def __init__(self, keep: Path | None) -> None:
        self.codes: collections.Counter[tuple[str, int]] = collections.Counter()
        self.flags: collections.Counter[str] = collections.Counter()
        self.runs = 0
        self.lines = 0
        """Documents sent through --batch."""
        self.keep = keep
        self.kept = 0

    def run(self, label: str, args: list[str], stdin: bytes) -> None:
        """One run; a bad outcome is counted under its flag (and saved with --keep)."""
        out, err = io.StringIO(), io.StringIO()
        old_stdin = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        code: int | None = None
        escaped = ""
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    main(args)
                except SystemExit as exc:
                    code = exc.code if isinstance(exc.code, int) else 0
        except BaseException as exc:  # what the fuzz looks for: anything escaping main
            escaped = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            sys.stdin = old_stdin
        self.runs += 1
        self.codes[label, -1 if code is None else code] += 1
        text = err.getvalue()
        flags = []
        if escaped:
            flags.append("exception escaped main")
        if code == 70 or "internal error" in text:
            flags.append("exit 70 (internal error)")
        if "Traceback" in text or "Traceback" in out.getvalue():
            flags.append("traceback")
        if _unsafe(out.getvalue(), args) or _unsafe(text, ["table"]):
            flags.append("control character in the output")
        for flag in flags:
            self.flags[flag] += 1
        if flags and self.keep is not None and self.kept < 200:
            self.kept += 1
            case = {
                "args": args,
                "stdin": stdin.decode("utf-8", "backslashreplace"),
                "flags": flags,
            }
            case["code"], case["stderr"], case["escaped"] = code, text[:2000], escaped
            (self.keep / f"case-{self.kept:03}.json").write_text(json.dumps(case, indent=1))


def _unsafe(text: str, args: list[str]) -> bool:
    if "csv" in args or "ics" in args:
        text = text.replace("\r\n", "\n")
    return any(
        ch not in "\t\n" and (unicodedata.category(ch) in ("Cc", "Cs") or ch in BIDI) for ch in text
    )


def raw_value(rng: random.Random) -> str:
    """A JSON value as text, often one json.dumps cannot write (a 5,000-digit integer)."""
    kind = rng.randrange(14)
    if kind == 0:
        digits = rng.choice([16, 20, 309, 400, 4000, 4001, 4300, 4301, 6000])
        return rng.choice(["", "-"]) + str(rng.randint(1, 9)) + "9" * (digits - 1)
    if kind == 1:
        return rng.choice(["0", "-0", "-1", "1e400", "-1e400", "1e-400", "0.0", "1e308", "5e-324"])
    if kind == 2:
        return rng.choice(["NaN", "Infinity", "-Infinity", "01", "1.", ".5", "+1", "0x10"])
    if kind == 3:
        return json.dumps(_dirty(rng, rng.choice(["left arm", "reason", "dietary", "2025-03-03"])))
    if kind == 4:
        return json.dumps("x" * rng.choice([101, 501, 2001, 100_000, 600_000]))
    if kind == 5:
        depth = rng.choice([33, 100, 999, 5000])
        return "[" * depth + "]" * depth
    if kind == 6:
        depth = rng.choice([33, 100, 999])
        return '{"a":' * depth + "1" + "}" * depth
    if kind == 7:
        return rng.choice(["true", "false", "null", "{}", "[]", '""', '" "'])
    if kind == 8:
        return json.dumps(
            rng.choice(
                [
                    "2025-02-30",
                    "9999-12-31",
                    "1899-12-31",
                    "2199-12-31",
                    "1900-01-01",
                    "2025-3-3",
                    "２０２５-03-03",
                    "2025-03-03T00:00",
                ]
            )
        )
    if kind == 9:
        return json.dumps(rng.choice(["2mo", "0d", "999mo", "1000mo", "9" * 50 + "d", "3 mo"]))
    if kind == 10:
        return json.dumps(
            rng.choice(
                [
                    "b12=150 ng/L@2025-02-24",
                    "b12=1e999 ng/L@2025-02-24",
                    "mma=0.2 µmol/L@2025-03-01",
                    "hb=0 g/L@2025-02-24",
                    "b12=" + "9" * 5000 + " ng/L@2025-02-24",
                ]
            )
        )
    if kind == 11:
        return json.dumps([{"date": "2025-03-03", "dose_mcg": rng.choice([1, 1000, 5_000_000])}])
    if kind == 12:
        return json.dumps(rng.choice(NASTY_TEXT), ensure_ascii=rng.random() < 0.5)
    return json.dumps(rng.random() * 10 ** rng.randint(-5, 20))


def _dirty(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice([*CONTROLS, *BIDI, *NASTY_TEXT]) + text[at:]
    return text


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*path, i))
    return found


def _set(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


def mutate(rng: random.Random, document: dict[str, Any]) -> str:
    """The document as JSON text after one to four mutations."""
    spliced: list[str] = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        kind = rng.randrange(10)
        paths = _paths(document)
        if kind <= 1 and paths:  # a value replaced by raw text
            spliced.append(raw_value(rng))
            _set(document, rng.choice(paths), PLACEHOLDER.format(len(spliced) - 1))
        elif kind == 2:  # a field added, often one the models know
            name = rng.choice([*KNOWN_FIELDS, "note", _dirty(rng, "start"), "\ud800"])
            spliced.append(raw_value(rng))
            document[name] = PLACEHOLDER.format(len(spliced) - 1)
        elif kind == 3 and document:  # a field removed
            document.pop(rng.choice(list(document)))
        elif kind == 4 and paths:  # a key renamed with a control character
            path = rng.choice([p for p in paths if isinstance(p[-1], str)] or paths)
            if isinstance(path[-1], str):
                parent = document
                for step in path[:-1]:
                    parent = parent[step]
                parent[_dirty(rng, path[-1])] = parent.pop(path[-1])
        else:  # free text where the models take it: the plan is made, the text reaches output
            free_text(rng, document.get("patient", document))
    text = json.dumps(document, ensure_ascii=rng.random() < 0.5)
    for i, raw in enumerate(spliced):
        text = text.replace(json.dumps(PLACEHOLDER.format(i), ensure_ascii=False), raw)
        text = text.replace(json.dumps(PLACEHOLDER.format(i)), raw)
    if rng.random() < 0.05:  # broken bytes: cut short, or a duplicate key
        text = rng.choice([text[: rng.randint(0, len(text))], text[:-1] + ', "start": "x"}'])
    return text


def free_text(rng: random.Random, document: dict[str, Any]) -> None:
    """Dirty text in a field that is free text: an override reason, a site, a change's reason."""
    if not isinstance(document, dict):
        return
    kind = rng.randrange(3)
    if kind == 0:
        document["interval"], document["override_reason"] = "1mo", _dirty(rng, "fatigue")
    elif kind == 1:
        given = document.get("given")
        if not isinstance(given, list) or not given:
            given = [document.get("start", "2025-03-03")]
        first = given[0] if isinstance(given[0], dict) else {"date": given[0]}
        document["given"] = [{**first, "site": _dirty(rng, "left deltoid")}, *given[1:]]
    else:
        when = document.get("start", "2025-03-03")
        change = {"date": when, "interval": "1mo", "reason": _dirty(rng, "symptoms early")}
        document["interval_changes"] = [change]
        document.pop("interval", None)
        document.pop("override_reason", None)


def _options(rng: random.Random) -> list[str]:
    args: list[str] = []
    for _ in range(rng.choice([0, 0, 0, 1, 2])):
        option, values = rng.choice(OPTIONS)
        args += [option, rng.choice(values)] if values else [option]
    return args


def fuzz(inputs: int, seed: int, keep: Path | None) -> Runner:
    """Generate `inputs` documents and run them through schedule, check and --batch."""
    rng = random.Random(seed)  # noqa: S311 - reproducible fuzz data, not secrets
    runner = Runner(keep)
    done = 0
    with tempfile.TemporaryDirectory() as folder:
        while done < inputs:
            route = rng.random()
            if route < 0.5:  # schedule -, one document
                text = mutate(rng, patient(rng)) if rng.random() < 0.9 else json.dumps(patient(rng))
                args = ["schedule", "-", "--as-of", AS_OF, "--format", rng.choice(FORMATS)]
                if rng.random() < 0.03:
                    args += ["-o", str(Path(folder) / rng.choice(["out.txt", "plan.json"]))]
                runner.run("schedule", args + _options(rng), text.encode("utf-8", "surrogatepass"))
                done += 1
            elif route < 0.8:  # check -, one regimen
                regimen: dict[str, Any] = {"patient": patient(rng)}
                if rng.random() < 0.5:
                    regimen["regimen"] = rng.choice(REGIMENS)
                else:
                    regimen["steps"] = [
                        {"dose_mcg": 1000, "every": "2d", "count": 6},
                        {"dose_mcg": 1000, "every": "3mo"},
                    ]
                text = mutate(rng, regimen)
                args = ["check", "-", "--as-of", AS_OF, "--format", rng.choice(["table", "json"])]
                runner.run("check", args + _options(rng), text.encode("utf-8", "surrogatepass"))
                done += 1
            else:  # schedule --batch -, several documents a run
                count = rng.randint(1, 10)
                lines = [
                    mutate(rng, patient(rng)) if rng.random() < 0.5 else json.dumps(patient(rng))
                    for _ in range(count)
                ]
                data = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n"
                if rng.random() < 0.05:
                    data = data.replace(b"\n", b"\r\n", 1) + bytes([rng.randrange(256)]) * 3
                args = ["schedule", "--batch", "-", "--as-of", AS_OF]
                if rng.random() < 0.5:
                    args += ["--format", "json"]
                runner.run("schedule --batch", args, data)
                runner.lines += count
                done += count
    return runner


def main_(argv: list[str] | None = None) -> int:
    """Run the fuzz and print the tally; exit 1 if anything was flagged."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--keep", type=Path, help="save flagged inputs here")
    options = parser.parse_args(argv)
    if options.keep is not None:
        options.keep.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    runner = fuzz(options.inputs, options.seed, options.keep)
    spent = time.perf_counter() - began
    print(f"{options.inputs:,} inputs in {runner.runs:,} runs, seed {options.seed}, {spent:.0f} s")
    for (label, code), count in sorted(runner.codes.items()):
        print(f"  {label}: exit {code if code >= 0 else 'none'}: {count:,} runs")
    print(f"  (schedule --batch: {runner.lines:,} documents in its runs)")
    for flag in (
        "exception escaped main",
        "exit 70 (internal error)",
        "traceback",
        "control character in the output",
    ):
        print(f"  {flag}: {runner.flags[flag]:,}")
    return 1 if runner.flags else 0


if __name__ == "__main__":
    sys.exit(main_())
