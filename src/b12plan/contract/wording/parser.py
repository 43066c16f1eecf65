"""The parser of prescribers' wording: the text split into phases, each read, then completed.

[R10] Phases split on `then`, `;`, `followed by`, `thereafter`, `→`, dashes and `Maintenance:`.
A comma splits only where the words on both sides say how often (`1 mg, IM, every 3 months` is
one phase; `alt days x6, monthly` two). Each phase is read by `items.PhaseReader`, then
completed here: [R1] the dose from a strength and volume, [R2] dose, route and strength carried
to later phases, [R6] count and duration agreeing, [R12] every phase but the last ending, one
product. A refusal becomes one `WordingError` line that ends with wordings that would be read,
each tried before it is offered.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from b12plan.contract.intervals import Interval
from b12plan.contract.text import quote
from b12plan.contract.vocab import MAX_DOSE_MCG, MIN_DOSE_MCG
from b12plan.contract.wording import lexicon as lx
from b12plan.contract.wording.items import Edit, Phase, PhaseReader, Refusal
from b12plan.contract.wording.reading import (
    Reading,
    ReadStep,
    WordingError,
    _doses_in,
    describe,
    interval_words,
)
from b12plan.contract.wording.tokens import Token, tokenize

MAX_STEPS: Final = 20
MAX_COUNT: Final = 200
SUGGESTION_CHARS: Final = 160
MAX_CHARS: Final = 2000  # as any string of an input document
_ORDINALS: Final = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth",
)  # fmt: skip
_DASHES: Final = frozenset({"-", "–", "—", "−"})
_LABEL_TAILS: Final = frozenset({"dose", "doses", "phase", "course", "treatment", "regimen"})


def read_regimen(text: str) -> Reading:
    """The regimen `text` as read, or WordingError: one line naming the words, what they could
    mean, and wording that would be read."""
    try:
        return _read(text)
    except Refusal as refusal:
        offered = _readable(text, refusal)
        raise WordingError(
            _message(refusal, offered), refusal.start, refusal.end, tuple(offered)
        ) from None


def _readable(text: str, refusal: Refusal) -> list[str]:
    """The refusal's edits applied to the text, those that read (at most three)."""
    readable: list[str] = []
    for start, end, new in refusal.edits:
        candidate = _tidy(text[:start] + new + text[end:])
        if (
            candidate not in readable
            and candidate != _tidy(text)
            and len(candidate) <= SUGGESTION_CHARS
            and _reads(candidate)
        ):
            readable.append(candidate)
    return readable[:3]


def _tidy(text: str) -> str:
    """An edited text with single spaces, and none left before a comma or semicolon."""
    text = " ".join(text.split())
    for mark in (",", ";"):
        text = text.replace(f" {mark}", mark)
    return text


def _message(refusal: Refusal, readable: list[str]) -> str:
    if not readable:
        return f"{refusal.problem}; {refusal.hint}" if refusal.hint else refusal.problem
    shown = " or ".join(quote(c, SUGGESTION_CHARS) for c in readable)
    lead = refusal.lead if "{}" in refusal.lead else refusal.lead + " {}"
    joint = " " if refusal.problem.endswith("?") else "; "
    return f"{refusal.problem}{joint}{lead.format(shown)}"


def _reads(text: str) -> bool:
    try:
        _read(text)
    except Refusal:
        return False
    return True


def _read(text: str) -> Reading:
    if len(text) > MAX_CHARS:
        raise Refusal(
            f"{quote(text)}: is longer than {MAX_CHARS} characters; write one regimen", 0, 0
        )
    tokens = _restated(text, tokenize(text))
    pieces, boundaries = _split(text, tokens)
    phases, separators = _fold(text, pieces, boundaries)
    if len(phases) > MAX_STEPS:
        raise Refusal(f"has {len(phases)} phases; at most {MAX_STEPS} are read", 0, len(text), ())
    steps = _complete(text, phases)
    for n, (step, phase) in enumerate(zip(steps[:-1], phases, strict=False)):
        if not step.ends:
            raise _no_end(text, n, phase, separators[n])
    return Reading(text, _product(phases), tuple(steps))


# ---------------------------------------------------------------- [R10] phases


def _restated(text: str, tokens: list[Token]) -> list[Token]:
    """`every 28 (twenty-eight) days`: a number restated in brackets is said once; one that
    differs is refused."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if (
            token.is_sym("(")
            and i + 2 < len(tokens)
            and tokens[i + 1].kind == "num"
            and tokens[i + 2].is_sym(")")
            and out
            and out[-1].kind == "num"
        ):
            said, again = out[-1], tokens[i + 1]
            if said.number != again.number:
                start, end = said.start, tokens[i + 2].end
                raise Refusal(
                    f"{quote(text[start:end])}: the number in brackets differs",
                    start,
                    end,
                    [(start, end, said.text), (start, end, again.text)],
                    "write one of them:",
                )
            i += 3
            continue
        out.append(token)
        i += 1
    return out


def _separator_at(tokens: list[Token], i: int) -> tuple[int, bool]:
    """How many tokens from `i` separate phases (0: none), and whether they always do."""
    token, n = tokens[i], len(tokens)
    if token.kind == "word":
        if token.word in lx.SEPARATOR_WORDS:
            return 1, True
        for phrase in lx.SEPARATOR_PHRASES:
            if all(i + k < n and tokens[i + k].is_word(w) for k, w in enumerate(phrase)):
                return len(phrase), True
        if token.word in lx.LABEL_WORDS:
            j = i + 1
            if j < n and tokens[j].is_word(*_LABEL_TAILS):
                j += 1
            if j < n and tokens[j].is_sym(":"):
                return j - i + 1, True
        return 0, False
    if token.is_sym(";", "→"):
        return 1, True
    if token.is_sym(","):
        return 1, False
    if token.is_sym(*_DASHES):
        if i + 1 < n and tokens[i + 1].is_sym(">") and tokens[i + 1].glued:
            return 2, True  # `->`
        before = tokens[i - 1] if i else None
        after = tokens[i + 1] if i + 1 < n else None
        if before is not None and after is not None and before.kind == "num":
            if after.kind == "num" and after.number > before.number:
                return 0, False  # `2-4 weeks`: a range, refused by the phase's rules
            if after.kind == "word" and token.glued and after.glued:
                return 0, False  # `3-monthly`
        return 1, True
    return 0, False


Boundary = tuple[list[Token], bool]


def _split(text: str, tokens: list[Token]) -> tuple[list[list[Token]], list[Boundary]]:
    """The phases' tokens, and the separators between them (tokens, whether always a split);
    separators inside brackets do not split."""
    pieces: list[list[Token]] = [[]]
    boundaries: list[Boundary] = []
    run: list[Token] = []
    hard = False
    depth = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        length, always = (0, False) if depth else _separator_at(tokens, i)
        if length:
            run += tokens[i : i + length]
            hard = hard or always
            i += length
            continue
        depth += token.is_sym("(") - token.is_sym(")")
        depth = max(depth, 0)
        if run:
            if pieces[-1]:
                boundaries.append((run, hard))
                pieces.append([])
            elif any(_links(t) for t in run):
                raise _dangling(run, "has nothing before it")
            run, hard = [], False
        pieces[-1].append(token)
        i += 1
    if run and any(_links(t) or t.word in lx.LABEL_WORDS for t in run):
        raise _dangling(run, "at the end has nothing after it")
    if not pieces[-1]:
        raise Refusal(
            f"{quote(text)}: the regimen is empty; write it, e.g. '1 mg IM every 3 months'",
            0,
            len(text),
        )
    return pieces, boundaries


def _links(token: Token) -> bool:
    """Whether a separator's token says one phase follows another (`then`, `→`, a dash), as
    `;`, `,` and a label (`Maintenance:`) alone do not."""
    return token.is_sym("→", *_DASHES) or (
        token.kind == "word" and token.word not in lx.LABEL_WORDS and token.word not in _LABEL_TAILS
    )


def _said(run: list[Token]) -> str:
    """The separator's words as written, commas left out: `then`, `followed by`."""
    words = [t for t in run if not t.is_sym(",")]
    return " ".join(t.text for t in words) if words else ","


def _dangling(run: list[Token], where: str) -> Refusal:
    start, end = run[0].start, run[-1].end
    return Refusal(
        f"{quote(_said(run))} {where}",
        start,
        end,
        [(start, end, "")],
        "remove it, or add the phase it leads to, e.g.",
    )


def _fold(
    text: str, pieces: list[list[Token]], boundaries: list[Boundary]
) -> tuple[list[Phase], list[list[Token]]]:
    """The phases, with each comma that does not split merged away; and the separator before
    each phase after the first. Each piece is read once alone (does it say how often?), each
    phase once whole."""
    groups = [pieces[0]]
    timed = PhaseReader(text, pieces[0]).read().timed
    separators: list[list[Token]] = []
    for piece, (run, hard) in zip(pieces[1:], boundaries, strict=True):
        piece_timed = PhaseReader(text, piece).read().timed
        if not hard and not (timed and piece_timed):
            groups[-1] = groups[-1] + piece
            timed = timed or piece_timed
        else:
            groups.append(piece)
            separators.append(run)
            timed = piece_timed
    return [PhaseReader(text, group).read() for group in groups], separators


# ---------------------------------------------------------------- completing each phase


def _words(text: str, phase: Phase, name: str) -> str:
    slot = phase.slots[name]
    return text[slot.start : slot.end]


def _joined(words: str, problem: str) -> str:
    return f"{quote(words)}{problem if problem.startswith(':') else ' ' + problem}"


def _refuse(text: str, phase: Phase, problem: str, *edits: Edit, lead: str = "write") -> Refusal:
    """A refusal of the whole phase: its words quoted, then `problem` (a verb, or `: ` and a
    noun)."""
    words = text[phase.start : phase.end]
    return Refusal(_joined(words, problem), phase.start, phase.end, edits, lead)


def _slot_refusal(
    text: str, phase: Phase, name: str, problem: str, *edits: Edit, lead: str = "write"
) -> Refusal:
    slot = phase.slots[name]
    words = text[slot.start : slot.end]
    return Refusal(_joined(words, problem), slot.start, slot.end, edits, lead)


def _complete(text: str, phases: list[Phase]) -> list[ReadStep]:
    steps: list[ReadStep] = []
    dose: Decimal | None = None
    strength: tuple[Decimal, Decimal, bool] | None = None
    route: str | None = None
    for phase in phases:
        # [R2] Dose, route (and the strength a volume needs) carry to later phases.
        strength = phase.get("strength") or strength  # type: ignore[assignment]
        dose = _dose(text, phase, strength) or dose
        if dose is None and "spaced" in phase.slots:
            raise _spaced(text, phase)
        if dose is None:
            raise _refuse(text, phase, ": no dose (how much per injection?)",
                          _insert_dose(phase), lead="write it with its unit, e.g.")  # fmt: skip
        route = phase.get("route") or route  # type: ignore[assignment]
        steps.append(_step(text, phase, dose, route))
    return steps


def _insert_dose(phase: Phase) -> Edit:
    """Where a dose would go: before the route or how often, else at the end."""
    starts = [slot.start for name, slot in phase.slots.items() if name != "lifelong"]
    if starts:
        return (min(starts), min(starts), "1 mg ")
    return (phase.end, phase.end, " 1 mg")


def _dose(
    text: str, phase: Phase, strength: tuple[Decimal, Decimal, bool] | None
) -> Decimal | None:
    """[R1] The phase's own dose in micrograms: as written; a volume of a strength; an ampoule
    of a strength with its volume (`1mg/1ml` alone is one ampoule); None when it states none."""
    dose = phase.get("dose")
    volume, ampoules = phase.get("volume"), phase.get("ampoules")
    implied: Decimal | None = None
    if strength is not None:
        mass, per, explicit = strength
        if isinstance(volume, Decimal):
            implied = volume * mass / per
        elif isinstance(ampoules, Decimal) and explicit:
            implied = ampoules * mass
        elif isinstance(ampoules, Decimal):
            raise _slot_refusal(
                text, phase, "ampoules",
                "is an ampoule of a strength per mL, but the ampoule's volume is not given; "
                "write the dose, e.g. '1000 mcg'",
            )  # fmt: skip
        elif explicit and "strength" in phase.slots:
            implied = mass
    if isinstance(dose, Decimal):
        if implied is not None and implied != dose:
            raise _slot_refusal(
                text, phase, "dose",
                f"disagrees with the strength and volume given ({_mcg(implied)}); write one",
            )  # fmt: skip
        return dose
    if implied is not None:
        return implied
    if "strength" in phase.slots:
        raise _slot_refusal(
            text, phase, "strength",
            "is a strength, not a dose: how much is given? write the dose, e.g. '1000 mcg'",
        )  # fmt: skip
    for name in ("volume", "ampoules"):
        if name in phase.slots:
            slot = phase.slots[name]
            raise _slot_refusal(
                text, phase, name,
                "is a volume with no strength, so the dose is unknown",
                (slot.start, slot.end, f"{text[slot.start : slot.end]} of 1 mg/1 mL"),
                lead="write the dose, or the strength with it, e.g.",
            )  # fmt: skip
    return None


def _spaced(text: str, phase: Phase) -> Refusal:
    """`B12 100 monthly`: with no dose said, a number before `monthly` could be the dose."""
    words = _words(text, phase, "frequency").split()
    n, unit = words[0], words[-1]
    every_words = f"every {n} {unit.removesuffix('ly').replace('dai', 'day')}s"
    return _slot_refusal(
        text, phase, "frequency",
        f"could be a dose of {n} with no unit, or {every_words}",
        *_replace(phase, "frequency", f"{n} mcg {unit}"),
        lead="if the dose was meant, write",
    )  # fmt: skip


def _mcg(value: Decimal) -> str:
    return f"{value.normalize():f} mcg"


def _step(text: str, phase: Phase, dose: Decimal, route: str | None) -> ReadStep:
    if not MIN_DOSE_MCG <= dose <= MAX_DOSE_MCG:
        said = next(n for n in ("dose", "strength", "volume", "ampoules") if n in phase.slots)
        problem = f": the dose must be at least {MIN_DOSE_MCG} mcg and at most {MAX_DOSE_MCG} mcg"
        raise _slot_refusal(text, phase, said, problem)
    frequency = phase.get("frequency")
    every: Interval | None = None
    times: int | None = None
    if isinstance(frequency, tuple):
        kind, value = frequency
        if kind == "every":
            every = Interval(*value)
        else:
            times = value
    count = phase.get("count")
    duration_value = phase.get("duration")
    duration = Interval(*duration_value) if isinstance(duration_value, tuple) else None
    until = phase.get("until")
    if "once" in phase.slots:
        if frequency is not None:
            raise _slot_refusal(
                text, phase, "once",
                f": a single dose, or a dose {_words(text, phase, 'frequency')}?",
                *_remove(phase, "once", "frequency"), lead="write one of them:",
            )  # fmt: skip
        if count not in (None, 1) or duration is not None:
            other = "count" if "count" in phase.slots else "duration"
            raise _slot_refusal(
                text, phase, "once", f": a single dose, but a {other} too",
                *_remove(phase, "once", other), lead="write one of them:",
            )  # fmt: skip
        count = 1
    if frequency is None and count != 1:
        if count is not None or duration is not None or until is not None:
            raise _refuse(text, phase, ": no frequency (how often?)",
                          (phase.end, phase.end, " every 2 days"), lead="say it, e.g.")  # fmt: skip
        raise _refuse(text, phase, ": no frequency (how often?)",
                      (phase.end, phase.end, " every 3 months"), lead="say it, e.g.")  # fmt: skip
    ends = [n for n in ("count", "aside_count", "once", "duration") if n in phase.slots]
    if until is not None and ends:
        end = ends[0]
        raise _slot_refusal(
            text, phase, "until", f"and {quote(_words(text, phase, end))}: two ends",
            *_remove(phase, "until", end), lead="write one of them:",
        )  # fmt: skip
    if "lifelong" in phase.slots and ends:
        end = ends[0]
        raise _slot_refusal(
            text, phase, "lifelong", f"contradicts {quote(_words(text, phase, end))}",
            *_remove(phase, "lifelong", end), lead="write one of them:",
        )  # fmt: skip
    if isinstance(count, int) and not 1 <= count <= MAX_COUNT:
        raise _slot_refusal(text, phase, "count", f": a count must be from 1 to {MAX_COUNT}")
    step = ReadStep(
        _number(dose),
        route,
        every=every,
        times_per_week=times,
        count=count if isinstance(count, int) else None,
        duration=duration,
        until=until if isinstance(until, str) else None,
    )
    _x_days(text, phase, step)
    return _agree(text, phase, step)


def _number(dose: Decimal) -> int | float:
    return int(dose) if dose == dose.to_integral_value() else float(dose)


def _x_days(text: str, phase: Phase, step: ReadStep) -> None:
    """[R12] `x 6d` after alternate days: 6 doses, or 6 days (3 doses)? Refused unless the
    doses are daily (then both readings agree)."""
    slot = phase.slots.get("x_days")
    if slot is None or "frequency" not in phase.slots or step.every == Interval(1, "d"):
        return
    n = slot.value
    how = _words(text, phase, "frequency")
    doses = _doses_in(step, Interval(int(n), "d"))  # type: ignore[call-overload]
    as_days = f"{n} days ({doses} doses)" if doses is not None else f"{n} days"
    raise Refusal(
        f"{quote(text[slot.start : slot.end])} after {quote(how)} could mean {n} doses or "
        f"{as_days}",
        slot.start,
        slot.end,
        [(slot.start, slot.end, f"x{n}"), (slot.start, slot.end, f"for {n} days")],
    )


def _agree(text: str, phase: Phase, step: ReadStep) -> ReadStep:
    """[R6] A count and a duration must agree; a count in brackets restates the duration's."""
    aside = phase.get("aside_count")
    if isinstance(aside, int):
        given = step.count if step.count is not None else None
        derived = _doses_in(step, step.duration) if step.duration is not None else None
        if step.duration is not None and given is None:
            if derived != aside:
                raise _slot_refusal(
                    text, phase, "aside_count",
                    f"is not what {quote(_words(text, phase, 'duration'))} gives "
                    f"({describe(step)})",
                    *_remove(phase, "aside_count", "duration"), lead="write one of them:",
                )  # fmt: skip
            return step
        if given is not None and given != aside:
            raise _slot_refusal(text, phase, "aside_count", "disagrees with the count",
                                *_remove(phase, "aside_count", "count"),
                                lead="write one of them:")  # fmt: skip
        step.count = aside
    if step.count is None or step.duration is None:
        return step
    derived = _doses_in(step, step.duration)
    if derived == step.count:
        return step
    how = describe(step, with_end=False)
    over = f"{how} for {interval_words(step.duration)}"
    said = (
        f"is {derived} doses, not {step.count}"
        if derived is not None
        else "depends on the month's length"
    )
    raise _slot_refusal(
        text, phase, "count",
        f"and {quote(_words(text, phase, 'duration'))} disagree: {over} {said}",
        *_remove(phase, "count", "duration"), lead="write one of them:",
    )  # fmt: skip


def _remove(phase: Phase, *names: str) -> list[Edit]:
    return [(phase.slots[n].start, phase.slots[n].end, "") for n in names if n in phase.slots]


def _replace(phase: Phase, name: str, *options: str) -> list[Edit]:
    slot = phase.slots[name]
    return [(slot.start, slot.end, option) for option in options]


def _no_end(text: str, n: int, phase: Phase, separator: list[Token]) -> Refusal:
    which = f"the {_ORDINALS[n]} phase" if n < len(_ORDINALS) else f"phase {n + 1}"
    return _refuse(
        text,
        phase,
        f": {which} has no end, so the phase after {quote(_said(separator))} never starts",
        (phase.end, phase.end, " x6"),
        (phase.end, phase.end, " until no further improvement"),
        lead="give it a count, a duration or 'until no further improvement', e.g.",
    )


def _product(phases: list[Phase]) -> str | None:
    """[R11] The one product the wording names; [R12] two products are refused."""
    named: dict[str, Token] = {}
    for phase in phases:
        for product, token in phase.products:
            named.setdefault(product, token)
    if len(named) > 1:
        first, second = named.values()
        raise Refusal(
            f"{quote(second.text)}: two products ({quote(first.text)} and {quote(second.text)}) "
            "in one regimen; check each product's regimen on its own",
            second.start,
            second.end,
        )
    return next(iter(named), None)
