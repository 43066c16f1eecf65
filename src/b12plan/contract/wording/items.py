"""The rules of one phase: what each run of words says (a dose, a route, how often, an end).

`PhaseReader.read` walks one phase's tokens; at each token the rules are tried in turn, each one
convention of the clinical reference, "Reading prescribers' wording" (cited [R1]..[R12]). A
rule fills a slot of the `Phase`; a second, different value for a slot, or words that could
mean two things, is a `Refusal` naming the words, the readings and edits that would read. The
phase is completed (carried values, its end) by `parser.py`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Final

from b12plan.contract.text import quote
from b12plan.contract.wording import lexicon as lx
from b12plan.contract.wording.tokens import Token

if TYPE_CHECKING:
    from collections.abc import Sequence

Edit = tuple[int, int, str]
"""Replace text[start:end] with the string: one way of writing the words so they read."""
MAX_INTERVAL: Final = 999
_RANGE_JOINERS: Final = frozenset({"-", "–", "—", "−", "to", "or"})
_SLOT_NAMES: Final = {
    "dose": "doses",
    "strength": "strengths",
    "volume": "volumes",
    "ampoules": "ampoule counts",
    "route": "routes",
    "frequency": "frequencies",
    "count": "counts",
    "duration": "durations",
    "until": "ends",
    "lifelong": "ends",
    "once": "single doses",
}


class Refusal(Exception):  # noqa: N818 - not an error of the program: the wording is refused
    """Words that cannot be read without a guess: the problem (the words quoted first), where
    they stand, and edits of the text that would read, offered after `lead`."""

    def __init__(
        self,
        problem: str,
        start: int,
        end: int,
        edits: Sequence[Edit] = (),
        lead: str = "write",
        hint: str = "",
    ) -> None:
        super().__init__(problem)
        self.problem, self.start, self.end = problem, start, end
        self.edits, self.lead = tuple(edits), lead
        self.hint = hint
        """Said instead of the edits when none of them reads."""


class Slot:
    """A value the phase's words gave, and where they stand."""

    __slots__ = ("aside", "end", "start", "value")

    def __init__(self, value: object, start: int, end: int, *, aside: bool) -> None:
        self.value, self.start, self.end, self.aside = value, start, end, aside


class Phase:
    """What one phase's words say, slot by slot (`frequency` is `("every", (n, unit))` or
    `("times_per_week", n)`; `duration` and intervals are `(n, unit)`)."""

    __slots__ = ("products", "slots", "tokens")

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.slots: dict[str, Slot] = {}
        self.products: list[tuple[str, Token]] = []

    def get(self, name: str) -> object:
        """The value of a slot, or None."""
        slot = self.slots.get(name)
        return None if slot is None else slot.value

    @property
    def timed(self) -> bool:
        """Whether the words say how often (or that it is a single dose)."""
        return "frequency" in self.slots or "once" in self.slots

    @property
    def start(self) -> int:
        """Where the phase's words begin."""
        return self.tokens[0].start if self.tokens else 0

    @property
    def end(self) -> int:
        """Where they end."""
        return self.tokens[-1].end if self.tokens else 0


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edits between `a` and `b`, or `limit + 1` once past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def product_of(word: str) -> str | None:
    """[R11] The product a word names, common misspellings of the two names included."""
    if word in lx.PRODUCT_WORDS:
        return lx.PRODUCT_WORDS[word]
    if len(word) < 10 or not word.isalpha():
        return None
    near = {
        product
        for product in ("hydroxocobalamin", "cyanocobalamin")
        if levenshtein(word, product, lx.MISSPELT_WITHIN) <= lx.MISSPELT_WITHIN
        or levenshtein(word, product.replace("o", "y", 1), 1) <= 1
    }
    return near.pop() if len(near) == 1 else None


def _whole(value: Decimal) -> bool:
    return value == value.to_integral_value()


class PhaseReader:
    """Reads one phase's tokens into a `Phase` (see the module)."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.toks = tokens
        self.i = 0
        self.phase = Phase(tokens)
        self.aside = False

    # ------------------------------------------------------------ helpers

    def tok(self, k: int = 0) -> Token | None:
        """The token `k` places from the current one, if any."""
        j = self.i + k
        return self.toks[j] if 0 <= j < len(self.toks) else None

    def _word(self, k: int, *words: str) -> bool:
        token = self.tok(k)
        return token is not None and token.is_word(*words)

    def _sym(self, k: int, *symbols: str) -> bool:
        token = self.tok(k)
        return token is not None and token.is_sym(*symbols)

    def _glued(self, k: int) -> bool:
        token = self.tok(k)
        return token is not None and token.glued

    def _words(self, k: int, phrase: Sequence[str]) -> bool:
        return all(self._word(k + n, w) for n, w in enumerate(phrase))

    def _span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets of tokens `first`..`last` (offsets from the current one)."""
        a, b = self.tok(first), self.tok(last)
        assert a is not None and b is not None  # noqa: S101 - callers pass tokens that exist
        return a.start, b.end

    def words(self, first: int, last: int) -> str:
        """The text of tokens `first`..`last`, as written."""
        start, end = self._span(first, last)
        return self.text[start:end]

    def refuse(
        self,
        problem: str,
        first: int = 0,
        last: int = 0,
        *edits: Edit,
        lead: str = "write",
        hint: str = "",
    ) -> Refusal:
        """A refusal of tokens `first`..`last`: the words quoted, then `problem` (a verb, or
        `: ` and a noun)."""
        start, end = self._span(first, last)
        joined = problem if problem.startswith(":") else f" {problem}"
        return Refusal(f"{quote(self.text[start:end])}{joined}", start, end, edits, lead, hint)

    def replace(self, first: int, last: int, *options: str) -> list[Edit]:
        """Edits that put each of `options` in place of tokens `first`..`last`."""
        start, end = self._span(first, last)
        return [(start, end, option) for option in options]

    def set(self, name: str, value: object, first: int, last: int) -> None:
        """Fill a slot from tokens `first`..`last`; a different second value is refused."""
        start, end = self._span(first, last)
        have = self.phase.slots.get(name)
        if have is None:
            self.phase.slots[name] = Slot(value, start, end, aside=self.aside)
        elif have.value != value:
            one, other = self.text[have.start : have.end], self.text[start:end]
            if self.aside or have.aside:
                problem = f"the words in brackets disagree with {quote(one)}"
            else:
                problem = (
                    f"two {_SLOT_NAMES.get(name, name)} in one phase ({quote(one)} and "
                    f"{quote(other)})"
                )
            raise Refusal(
                f"{quote(other)}: {problem}",
                start,
                end,
                [(start, end, ""), (have.start, have.end, "")],
                "write one of them:"
                if self.aside or have.aside
                else "separate phases with 'then', or write one of them:",
            )
        self.i += last + 1

    # ------------------------------------------------------------ the walk

    def read(self) -> Phase:
        """Every token of the phase read by a rule, or a Refusal at the first that is not."""
        while self.i < len(self.toks):
            self._item()
        return self.phase

    def _item(self) -> None:
        token = self.tok()
        assert token is not None  # noqa: S101 - the walk stops at the end
        if token.kind == "num":
            self._number()
        elif token.kind == "word":
            self._word_item(token.word)
        elif token.kind == "sym":
            self._symbol(token)
        else:
            raise self.refuse("is an ordinal with no 'every' before it; write e.g. 'every 2nd day'")

    def _symbol(self, token: Token) -> None:
        if token.word == "(":
            self._aside()
        elif token.word in lx.FILLER_SYMBOLS:
            self.i += 1
        elif token.word == "×":
            self._times_sign()
        elif token.word == ")":
            raise self.refuse("is a closing bracket with no opening one")
        else:
            raise self.refuse(
                "is not a sign b12plan reads in a regimen",
                0,
                0,
                *self.replace(0, 0, ""),
            )

    def _word_item(self, word: str) -> None:
        for rule in (self._refused, self._until, self._lifelong, self._route, self._product):
            if rule(word):
                return
        if word == "every":
            self._every()
        elif word == "q":
            self._q()
        elif word in lx.ALTERNATE:
            self._alternate()
        elif word in lx.INTERVAL_WORDS:
            n, unit = lx.INTERVAL_WORDS[word]
            self._set_every(n, unit, 0, 0)
        elif word in lx.TIMES_WORDS:
            self._times(Decimal(lx.TIMES_WORDS[word]), 0, word=True)
        elif word == "x":
            self._times_sign()
        elif word in ("for", "over"):
            self._for()
        elif word in ("stat", "one-off"):
            # [R9] "stat", "once": a single dose.
            self.set("once", 1, 0, 0)
        elif word in ("single", "one") and self._word(1, *lx.DOSE_WORDS):
            self.set("once", 1, 0, 1)
        elif word in ("a", "an") and self._word(1, *lx.AMPOULES):
            self.set("ampoules", Decimal(1), 0, 1)
        elif word in lx.MASS_UNITS or word in lx.VOLUME_UNITS:
            raise self.refuse(
                "is a unit with no number before it; write the dose, e.g. '1 mg' or '1000 mcg'"
            )
        elif word in lx.FILLER_WORDS or word in lx.LABEL_WORDS:
            self.i += 1
        else:
            self._unknown(word)

    def _unknown(self, word: str) -> None:
        known = [
            *lx.INTERVAL_WORDS, *lx.ROUTE_WORDS, *lx.PRODUCT_WORDS, *lx.TIME_UNITS,
            "every", "until", "then", "alternate", "times", "weekly", "doses", "micrograms",
        ]  # fmt: skip
        near = sorted(
            {k for k in known if len(k) > 3 and levenshtein(word, k, 2) <= (1 if len(k) < 6 else 2)}
        )
        meant = " or ".join(quote(k) for k in near)
        raise self.refuse(
            "is not a word b12plan reads in a regimen",
            0,
            0,
            *self.replace(0, 0, *near, ""),
            lead="did you mean {}?",
            hint=f"did you mean {meant}?" if near else "",
        )

    # ------------------------------------------------------------ [R12] refused on sight

    def _refused(self, word: str) -> bool:
        if word in lx.REFUSED_WORDS:
            why, *instead = lx.REFUSED_WORDS[word]
            raise self.refuse(why, 0, 0, *self.replace(0, 0, *instead))
        if word in lx.SEVERAL_A_DAY:
            # [R12] bd, tds, qds: several injections a day.
            raise self.refuse(
                f"is {lx.SEVERAL_A_DAY[word]}: not an injection schedule (one injection a "
                "day at most)",
                0,
                0,
                *self.replace(0, 0, "daily"),
                lead="if once a day was meant, write",
            )
        if word in lx.OTHER_COBALAMINS:
            raise self.refuse(
                "is not a product b12plan has protocols for (hydroxocobalamin, "
                "cyanocobalamin): check this regimen by hand"
            )
        if word.endswith("cobalamin") and word not in lx.NO_PRODUCT_WORDS and not product_of(word):
            raise self.refuse(
                "is not a product b12plan knows (hydroxocobalamin, cyanocobalamin)",
                0,
                0,
                *self.replace(0, 0, "hydroxocobalamin", "cyanocobalamin"),
            )
        if word in lx.OTHER_ROUTES:
            raise self.refuse(
                f"is a {lx.OTHER_ROUTES[word]} route: b12plan checks injections (IM, SC) and "
                "reads oral doses (PO) only to report them"
            )
        for phrase in lx.AS_NEEDED_PHRASES:
            if self._words(0, phrase):
                raise self._as_needed(len(phrase) - 1)
        if word == "prn":
            raise self._as_needed(0)
        return False

    def _as_needed(self, last: int) -> Refusal:
        return self.refuse(
            "(as needed) has no interval to check",
            0,
            last,
            *self.replace(0, last, "", "every 3 months"),
            lead="write a fixed interval, e.g.",
        )

    # ------------------------------------------------------------ [R8] until / lifelong

    def _until(self, word: str) -> bool:
        if word not in ("until", "till", "while", "as"):
            return False
        for phrase in lx.UNTIL_PHRASES:
            if self._words(0, phrase):
                from b12plan.contract.wording.reading import NO_FURTHER_IMPROVEMENT

                self.set("until", NO_FURTHER_IMPROVEMENT, 0, len(phrase) - 1)
                return True
        if word == "as":
            return False
        # Anything else after `until` is an end b12plan cannot date: the rest of the phase.
        last = len(self.toks) - 1 - self.i
        raise self.refuse(
            "is not an end b12plan can date",
            0,
            last,
            *self.replace(0, last, "until no further improvement", "x6", "for 2 weeks"),
            lead="write 'until no further improvement', a count or a duration, e.g.",
        )

    def _lifelong(self, word: str) -> bool:
        # [R8] "for life", "lifelong" add nothing: the phase already goes on.
        for phrase in lx.LIFELONG_PHRASES:
            if word == phrase[0] and self._words(0, phrase):
                self.set("lifelong", True, 0, len(phrase) - 1)
                return True
        return False

    # ------------------------------------------------------------ [R3] route, [R11] product

    def _route(self, word: str) -> bool:
        for phrase, route in lx.ROUTE_PHRASES.items():
            if word == phrase[0] and self._words(0, phrase):
                self.set("route", route, 0, len(phrase) - 1)
                return True
        if word in lx.ROUTE_WORDS:
            self.set("route", lx.ROUTE_WORDS[word], 0, 0)
            return True
        return False

    def _product(self, word: str) -> bool:
        if word in lx.VITAMIN_WORDS:
            # `Vit B12`, `Vit. B12`, `vitamin B12`: no product named.
            dot = self.tok(1)
            k = 2 if dot is not None and dot.is_sym(".") else 1
            if not self._word(k, *lx.NO_PRODUCT_WORDS):
                return False
            self.i += k + 1
            return True
        if word in lx.NO_PRODUCT_WORDS:
            self.i += 1
            return True
        product = product_of(word)
        if product is None:
            return False
        token = self.tok()
        assert token is not None  # noqa: S101
        self.phase.products.append((product, token))
        self.i += 1
        return True

    # ------------------------------------------------------------ numbers: [R1] dose, [R6] counts

    def _number(self) -> None:
        value = self.tok()
        assert value is not None  # noqa: S101
        nxt = self.tok(1)
        self._range_check(0)
        if nxt is not None and nxt.is_sym("/") and nxt.glued and self._fraction_ahead(0):
            self._fraction(0, role=None)
        elif nxt is not None and nxt.kind == "word" and nxt.word in lx.MASS_UNITS:
            self._dose()
        elif nxt is not None and nxt.kind == "word" and nxt.word in lx.VOLUME_UNITS:
            self.set("volume", value.number, 0, 1)
        elif nxt is not None and nxt.kind == "word" and nxt.word in lx.AMPOULES:
            self.set("ampoules", value.number, 0, 1)
        elif self._word(1, "times", "time", "x") or self._sym(1, "×"):
            self._times(value.number, 1)
        elif nxt is not None and nxt.is_sym("/") and self._unit(2) is not None:
            # `3/week`: times a week.
            self._times(value.number, 0)
        elif nxt is not None and nxt.kind == "word" and nxt.word in lx.DOSE_WORDS:
            self._count(0, 1)
        elif self._n_ly():
            return
        elif nxt is not None and self._unit(1) is not None:
            what = self.words(0, 1)
            raise self.refuse(
                f"could mean every {what} or for {what}",
                0,
                1,
                *self.replace(0, 1, f"every {what}", f"for {what}"),
            )
        else:
            self._bare_number(value)

    def _bare_number(self, value: Token) -> None:
        shown = value.text
        raise self.refuse(
            "is a number with no unit (a dose needs mcg or mg; an interval days, weeks or months)",
            0,
            0,
            *self.replace(0, 0, f"{shown} mcg", f"{shown} mg"),
        )

    def _range_check(self, k: int) -> None:
        """[R12] `2-4 weeks`, `250 micrograms to 1mg`, `six or seven days`: a range."""
        first = self.tok(k)
        if first is None or first.kind != "num":
            return
        unit_first = self._unit_word(k + 1)
        j = k + 2 if unit_first else k + 1
        joiner, second = self.tok(j), self.tok(j + 1)
        if (
            joiner is None
            or second is None
            or second.kind != "num"
            or not (joiner.is_sym(*_RANGE_JOINERS) or joiner.is_word(*_RANGE_JOINERS))
        ):
            return
        if joiner.kind == "sym" and not unit_first and second.number <= first.number:
            return  # `x6 - 1mg`: a dash between phases, not a range
        last = j + 1
        end = last + 1 if self._unit_word(last + 1) else last
        role = self._range_role(k, end)
        if unit_first:
            low, high = self.words(k, k + 1), self.words(last, end)
            edits = self.replace(k, end, low, high)
        else:
            low, high = first.text, second.text
            edits = self.replace(k, last, low, high)
            if end > last:
                unit = self.words(end, end)
                low, high = f"{low} {unit}", f"{high} {unit}"
        raise self.refuse(
            f": {role} is a range ({self.words(k, end)}): {low} or {high}? b12plan reads one value",
            k,
            end,
            *edits,
        )

    def _range_role(self, k: int, end: int) -> str:
        before = self.tok(k - 1)
        unit = self.tok(end)
        if unit is not None and unit.kind == "word" and unit.word in lx.MASS_UNITS:
            return "dose"
        if unit is not None and unit.is_word("times"):
            return "frequency"
        if self._word(k - 1, "x") or self._sym(k - 1, "×"):
            return "count"
        if before is not None and before.is_word("for", "over"):
            return "duration"
        if unit is not None and unit.kind == "word" and unit.word in lx.DOSE_WORDS:
            return "count"
        return "interval"

    def _unit_word(self, k: int) -> bool:
        token = self.tok(k)
        return (
            token is not None
            and token.kind == "word"
            and (
                token.word in lx.MASS_UNITS
                or token.word in lx.TIME_UNITS
                or token.word in lx.DOSE_WORDS
                or token.word in lx.VOLUME_UNITS
                or token.word in lx.N_LY
                or token.word in ("m", "times")
            )
        )

    def _dose(self) -> None:
        """[R1] `1mg`, `1,000 mcg`, `500 micrograms`; a strength `1mg/1ml`, `1000 mcg/mL`."""
        amount = self.tok()
        unit = self.tok(1)
        assert amount is not None and unit is not None  # noqa: S101
        mcg = amount.number * lx.MASS_UNITS[unit.word]
        self._range_check(0)
        per = self.tok(2)
        if per is not None and (per.is_sym("/") or per.is_word("per", "in")):
            volume, last = Decimal(1), 3
            explicit = False
            stated = self.tok(3)
            if stated is not None and stated.kind == "num":
                volume, last, explicit = stated.number, 4, True
            if not self._word(last, *lx.VOLUME_UNITS):
                raise self.refuse(
                    "is not a strength b12plan reads; write it as '1 mg/1 mL'", 0, last - 1
                )
            if volume <= 0:
                raise self.refuse("is a strength of no volume", 0, last)
            self.set("strength", (mcg, volume, explicit), 0, last)
            return
        self.set("dose", mcg, 0, 1)

    def _count(self, first: int, last: int, at: int = 0) -> None:
        """[R6] `x6`, `6 doses`, `6 injections`: a count of doses (the number at `at`)."""
        token = self.tok(at)
        assert token is not None  # noqa: S101
        if "," in token.text:
            raise self.refuse(
                "is a count with a thousands comma: one number, or a count then a dose? write "
                "the count alone, e.g. 'x6', and 'then' before the next phase",
                at,
                at,
            )
        if not _whole(token.number) or token.number < 1:
            raise self.refuse("is not a count (a whole number of doses, at least 1)", first, last)
        name = "aside_count" if self.aside else "count"
        self.set(name, int(token.number), first, last)

    # ------------------------------------------------------------ [R4]-[R7] how often

    def _unit(self, k: int) -> str | None:
        """The time unit at `k` (`d`, `w`, `mo`, `h`, `y`; `m` for a lone m), else None."""
        token = self.tok(k)
        if token is None or token.kind != "word":
            return None
        if token.word == "m":
            return "m"
        if token.word == "fortnight":
            return "fortnight"
        return lx.TIME_UNITS.get(token.word)

    def _interval(self, n: Decimal, unit: str, first: int, last: int) -> tuple[int, str]:
        """`n` `unit` as an interval the document writes (Nd, Nw, Nmo), or refused."""
        words = self.words(first, last)
        if unit == "m":
            # [R12] q3m: minutes or months.
            raise self.refuse(
                f"could mean every {n} minutes or every {n} months",
                first,
                last,
                *self.replace(first, last, f"every {n} months"),
                lead="if months were meant, write",
            )
        if unit == "fortnight":
            n, unit = n * 2, "w"
        if not _whole(n):
            whole = "a fraction of a month" if unit == "mo" else "not a whole number"
            raise self.refuse(
                f"is {whole}: doses are dated in whole days, weeks or months; write it in "
                "weeks or days",
                first,
                last,
            )
        if unit == "h":
            if n < 24:
                raise self.refuse(
                    "is several injections a day: not an injection schedule", first, last
                )
            if n % 24:
                raise self.refuse(
                    "is not a whole number of days; write it in days, e.g. 'every 2 days'",
                    first,
                    last,
                )
            n, unit = n / 24, "d"
        if unit == "y":
            n, unit = n * 12, "mo"
        if not 1 <= n <= MAX_INTERVAL:
            raise self.refuse(f"must be from 1 to {MAX_INTERVAL} {words.split()[-1]}", first, last)
        return int(n), unit

    def _set_every(self, n: Decimal | int, unit: str, first: int, last: int) -> None:
        interval = self._interval(Decimal(n), unit, first, last)
        self.set("frequency", ("every", interval), first, last)

    def _every(self) -> None:
        """[R4] `every 3 months`, `every day`, `every other day`, `every 2nd day`,
        `every 8/52`; [R12] `every 2-4 weeks` and `every 6` are refused."""
        nxt = self.tok(1)
        if nxt is None:
            raise self.refuse("with no interval after it; write e.g. 'every 3 months'")
        if nxt.is_word("other", *lx.ALTERNATE) or nxt.kind == "ord":
            n = Decimal(2) if nxt.kind == "word" else nxt.number
            unit = self._unit(2)
            if unit is None:
                raise self.refuse("with no unit after it; write e.g. 'every other day'", 0, 1)
            self._set_every(n, unit, 0, 2)
            return
        if nxt.kind == "num":
            self.i += 1
            self._range_check(0)
            if self._fraction_ahead(0):
                self.i -= 1
                self._fraction(1, role="interval", first=0)
                return
            self.i -= 1
            unit = self._unit(2)
            if unit is None:
                raise self._no_unit(0, 1)
            self._set_every(nxt.number, unit, 0, 2)
            return
        unit = self._unit(1)
        if unit is None:
            raise self.refuse("is not an interval; write e.g. 'every 3 months'", 0, 1)
        self._set_every(1, unit, 0, 1)

    def _no_unit(self, first: int, last: int) -> Refusal:
        number = self.tok(last)
        assert number is not None  # noqa: S101
        n = number.text
        return self.refuse(
            f": interval has no unit (every {n} days, weeks or months?)",
            first,
            last,
            *self.replace(first, last, f"every {n} days", f"every {n} weeks", f"every {n} months"),
        )

    def _q(self) -> None:
        """[R4] `q2mo`, `q4w`, `q28d`, `q48h`; [R12] `q3m`, `q6` (no unit) refused."""
        nxt = self.tok(1)
        if nxt is not None and nxt.kind == "num":
            unit = self._unit(2)
            if unit is None:
                raise self._no_unit(0, 1)
            self._set_every(nxt.number, unit, 0, 2)
            return
        unit = self._unit(1)
        if unit is None or unit == "m":
            raise self.refuse("with no interval after it; write e.g. 'every 3 months'")
        self._set_every(1, unit, 0, 1)

    def _alternate(self) -> None:
        """[R4] alternate days, alt days, alt. days, alternative days: every 2 days."""
        k = 2 if self._sym(1, ".") else 1
        unit = self._unit(k)
        if unit is None:
            raise self.refuse("with no unit after it; write e.g. 'alternate days'")
        self._set_every(2, unit, 0, k)

    def _n_ly(self) -> bool:
        """[R4] `3-monthly`, `2 monthly`, `8-weekly`: every N months or weeks."""
        hyphen = self._sym(1, "-") and self._glued(1) and self._glued(2)
        k = 2 if hyphen else 1
        word = self.tok(k)
        if word is None or word.kind != "word" or word.word not in lx.N_LY:
            return False
        number = self.tok()
        assert number is not None  # noqa: S101
        self._set_every(number.number, lx.N_LY[word.word], 0, k)
        if not hyphen:
            # `100 monthly` with no dose in the phase could be a dose with no unit.
            self.phase.slots["spaced"] = self.phase.slots["frequency"]
        return True

    def _times(self, n: Decimal, last: int, *, word: bool = False) -> None:
        """[R5] `3 times a week`, `3x/week`, `x3/wk`, `thrice weekly`, `twice a week`,
        `once daily`, `once every 3 months`; [R9] `once` alone is a single dose; [R6] `6
        times` alone is a count."""
        k = last + 1
        if self._word(k, "every") and word:
            self.i += k  # `once every 3 months`
            self._every()
            return
        if self._word(k, "a", "per", "each", "an") or self._sym(k, "/"):
            unit = self._unit(k + 1)
            if unit is None:
                raise self.refuse("a what? write e.g. '3 times a week'", 0, k)
            self._per(n, unit, k + 1)
            return
        token = self.tok(k)
        if token is not None and token.kind == "word" and token.word in lx.PER_WORDS:
            self._per(n, lx.PER_WORDS[token.word], k)
            return
        if word and n == 1:
            self.set("once", 1, 0, last)  # [R9]
            return
        if word:
            raise self.refuse("what? write e.g. 'twice a week'", 0, last)
        self._count(0, last)

    def _per(self, n: Decimal, unit: str, last: int) -> None:
        if not _whole(n) or n < 1:
            raise self.refuse("is not a whole number of times", 0, last)
        times = int(n)
        if unit == "fortnight":
            if times > 1:
                raise self.refuse("write it per week, e.g. 'once a week'", 0, last)
            self._set_every(2, "w", 0, last)
            return
        if unit in ("d", "h") and (times > 1 or unit == "h"):
            raise self.refuse(
                "is several injections a day: not an injection schedule",
                0,
                last,
                *self.replace(0, last, "daily"),
                lead="if once a day was meant, write",
            )
        if unit == "w" and times > 1:
            if times > 7:
                raise self.refuse("is more than once a day: not an injection schedule", 0, last)
            self.set("frequency", ("times_per_week", times), 0, last)
            return
        if unit == "mo" and times > 1:
            raise self.refuse(
                "is an interval of a fraction of a month: doses are dated in whole months, "
                "weeks or days",
                0,
                last,
                *self.replace(0, last, "every 2 weeks"),
                lead="write it in weeks, e.g.",
            )
        if unit == "y":
            if 12 % times:
                raise self.refuse(
                    "is not a whole number of months apart; write the interval, e.g. "
                    "'every 3 months'",
                    0,
                    last,
                )
            self._set_every(12 // times, "mo", 0, last)
            return
        if unit == "m":
            raise self.refuse("could mean a minute or a month; write 'once a month'", 0, last)
        self._set_every(1, unit, 0, last)

    def _fraction_ahead(self, k: int) -> bool:
        slash, below = self.tok(k + 1), self.tok(k + 2)
        return (
            slash is not None
            and slash.is_sym("/")
            and slash.glued
            and below is not None
            and below.kind == "num"
            and below.glued
        )

    def _fraction(self, k: int, role: str | None, first: int | None = None) -> None:
        """[R7] N/12 months, N/52 weeks where the frequency stands (`then 3/12`, `3/12ly`,
        `every 8/52`); [R6] after a frequency or `x`/`for`, a duration (`od x 14/7`);
        [R12] N/7 as an interval is refused."""
        first = k if first is None else first
        top, below = self.tok(k), self.tok(k + 2)
        assert top is not None and below is not None  # noqa: S101
        last = k + 2
        if self._word(k + 3, "ly") and self._glued(k + 3):
            last, role = k + 3, "interval"
        units = {Decimal(7): "d", Decimal(52): "w", Decimal(12): "mo"}
        unit = units.get(below.number)
        if unit is None:
            raise self.refuse(
                "is not a fraction b12plan reads (N/7 days, N/52 weeks, N/12 months)", first, last
            )
        if role is None:
            role = "duration" if "frequency" in self.phase.slots else "interval"
        if role == "duration":
            self._set_duration(top.number, unit, first, last)
            return
        if unit == "d":
            n = top.text
            raise self.refuse(
                f"where the interval stands could mean every {n} days or {n} times a week",
                first,
                last,
                *self.replace(first, last, f"every {n} days", f"{n} times a week"),
            )
        self._set_every(top.number, unit, first, last)

    # ------------------------------------------------------------ [R6] count or duration

    def _times_sign(self) -> None:
        """`x6`, `× 4 doses`: a count; `x 2 weeks`, `x2/52`: a duration; `x3/wk`: times a
        week."""
        nxt = self.tok(1)
        if nxt is None or nxt.kind != "num":
            raise self.refuse("with no count after it; write e.g. 'x6'")
        self.i += 1
        self._range_check(0)
        self.i -= 1
        if self._fraction_ahead(1):
            self._fraction(1, role="duration", first=0)
            return
        after = self.tok(2)
        if after is not None and (
            after.is_sym("/") or after.is_word("a", "per", "each") or after.word in lx.PER_WORDS
        ):
            self.i += 1
            self._times(nxt.number, 0)
            return
        unit = self._unit(2)
        if unit is not None:
            self._set_duration(nxt.number, unit, 0, 2, x_form=True)
            return
        if after is not None and after.kind == "word" and after.word in lx.DOSE_WORDS:
            self._count(0, 2, at=1)
            return
        self._count(0, 1, at=1)

    def _for(self) -> None:
        """`for 2 weeks`, `for a week`, `over 2 weeks`, `for 2/52`: a duration; `for 6
        doses`: a count."""
        nxt = self.tok(1)
        if nxt is not None and nxt.is_word("a", "an") and self._unit(2) is not None:
            self._set_duration(Decimal(1), self._unit(2) or "", 0, 2)
            return
        if nxt is None or nxt.kind != "num":
            raise self.refuse("how long? write e.g. 'for 2 weeks' or 'for 6 doses'")
        self.i += 1
        self._range_check(0)
        self.i -= 1
        if self._fraction_ahead(1):
            self._fraction(1, role="duration", first=0)
            return
        if self._word(2, *lx.DOSE_WORDS):
            self._count(0, 2, at=1)
            return
        unit = self._unit(2)
        if unit is None:
            raise self.refuse(
                f"what? {nxt.text} days, weeks or doses?",
                0,
                1,
                *self.replace(0, 1, f"for {nxt.text} weeks", f"for {nxt.text} doses"),
            )
        self._set_duration(nxt.number, unit, 0, 2)

    def _set_duration(
        self, n: Decimal, unit: str, first: int, last: int, *, x_form: bool = False
    ) -> None:
        if unit == "m":
            raise self.refuse(
                f"could mean {n} minutes or {n} months; write 'for {n} months'", first, last
            )
        n_int, unit_code = self._interval(n, unit, first, last)
        if x_form and unit_code == "d":
            # [R12] "x 6d" after alternate days: 6 doses, or 6 days? Judged when complete.
            start, end = self._span(first, last)
            self.phase.slots["x_days"] = Slot(n_int, start, end, aside=self.aside)
        self.set("duration", (n_int, unit_code), first, last)

    # ------------------------------------------------------------ asides in brackets

    def _aside(self) -> None:
        """`every 28 (twenty-eight) days`: a restated number must be the same; `1 mL (1,000
        mcg total)`, `(6 doses)`: what the brackets say fills the phase or agrees with it."""
        close = next(
            (j for j in range(self.i + 1, len(self.toks)) if self.toks[j].is_sym(")")), None
        )
        inner_open = next(
            (j for j in range(self.i + 1, close or len(self.toks)) if self.toks[j].is_sym("(")),
            None,
        )
        if close is None or inner_open is not None:
            raise self.refuse("is an opening bracket with no closing one")
        inner = self.toks[self.i + 1 : close]
        if len(inner) == 1 and inner[0].kind == "num":
            # A restated number (`28 (twenty-eight)`) is taken out before phases are read.
            raise self.refuse(
                "is a number in brackets that restates no number before it", 0, close - self.i
            )
        if not inner:
            raise self.refuse("is empty brackets", 0, close - self.i)
        before = set(self.phase.slots)
        reader = PhaseReader(self.text, inner)
        reader.phase = self.phase
        reader.aside = True
        reader.read()
        # What the brackets said stands for the brackets: removing it removes them too.
        opening, closing = self.toks[self.i], self.toks[close]
        for name in set(self.phase.slots) - before:
            self.phase.slots[name].start = opening.start
            self.phase.slots[name].end = closing.end
        self.i = close + 1
