"""The tokenizer of prescribers' wording: the text as numbers, words and symbols.

One pass of one pattern cuts the text; a second pass joins what a reader sees as one token:
dotted or slashed abbreviations (`i.m.`, `s/c`, `e.o.d.`), hyphenated names (`Neo-Cytamen`),
`B12`, ordinals (`2nd`, `third`) and number words (`twenty-eight`, `one thousand`). Each token
keeps where it stands in the text, so an error can point at it. Pure: no I/O.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

from b12plan.contract.text import LazyPattern

# Numbers in ASCII digits only (another script's digits are a symbol the parser refuses); a
# comma groups thousands only as `1,000` (three digits after each comma, no digit after).
_PIECES = LazyPattern(
    r"(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9])(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<space>\s+)"
    r"|(?P<sym>.)",
    0,
)

NUMBER_WORDS: Final = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
TENS: Final = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
ORDINAL_WORDS: Final = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
_ORDINAL_SUFFIXES: Final = frozenset({"st", "nd", "rd", "th"})
_SCALES: Final = {"hundred": 100, "thousand": 1000}


class Token:
    """One token: its kind, its text as written, where it stands, and what it means.

    `kind` is `num` (a number, `value` set), `ord` (an ordinal, `value` set), `word` (`word`
    is its lower-case spelling, dots and slashes of an abbreviation dropped) or `sym` (one
    character). `glued` says nothing separates it from the token before.
    """

    __slots__ = ("end", "glued", "kind", "start", "text", "value", "word")

    def __init__(
        self,
        kind: str,
        text: str,
        start: int,
        end: int,
        *,
        glued: bool,
        word: str = "",
        value: Decimal | None = None,
    ) -> None:
        self.kind = kind
        self.text = text
        self.start = start
        self.end = end
        self.glued = glued
        self.word = word
        self.value = value

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.text!r})"

    def is_word(self, *words: str) -> bool:
        """Whether this is one of `words` (lower case)."""
        return self.kind == "word" and self.word in words

    def is_sym(self, *symbols: str) -> bool:
        """Whether this is one of `symbols`."""
        return self.kind == "sym" and self.word in symbols

    @property
    def number(self) -> Decimal:
        """The value of a `num` or `ord` token (0 for any other)."""
        return self.value if self.value is not None else Decimal(0)


def tokenize(text: str) -> list[Token]:
    """`text` as tokens, joined as a reader sees them (see the module)."""
    raw: list[Token] = []
    glued = False
    for match in _PIECES.compiled.finditer(text):
        kind = match.lastgroup or "sym"
        piece = match.group()
        if kind == "space":
            glued = False
            continue
        token = Token(kind, piece, match.start(), match.end(), glued=glued and bool(raw))
        if kind == "num":
            token.value = Decimal(piece.replace(",", ""))
        else:
            token.word = piece.lower()
        raw.append(token)
        glued = True
    return _number_words(_ordinals(_b12(_compounds(_abbreviations(raw)), text), text), text)


def _join(tokens: list[Token], text: str, kind: str, word: str = "", **extra: object) -> Token:
    first, last = tokens[0], tokens[-1]
    token = Token(kind, text[first.start : last.end], first.start, last.end, glued=first.glued)
    token.word = word
    for name, value in extra.items():
        setattr(token, name, value)
    return token


def _abbreviations(tokens: list[Token]) -> list[Token]:
    """Single letters joined by glued dots or slashes are one word: `i.m.` im, `s/c` sc,
    `e.o.d.` eod, `p.r.n.` prn."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        j = i
        letters = []
        while (
            j < len(tokens)
            and _letter(tokens[j])
            and (j == i or tokens[j].glued)
            and (j == i or tokens[j - 1].is_sym(".", "/"))
        ):
            letters.append(tokens[j].word)
            nxt = j + 1
            if nxt < len(tokens) and tokens[nxt].glued and tokens[nxt].is_sym(".", "/"):
                j = nxt + 1
            else:
                j = nxt
                break
        end = j
        if len(letters) >= 2:
            # A trailing dot belongs to the abbreviation; a trailing slash does not.
            if tokens[end - 1].is_sym("/"):
                end -= 1
            first, last = tokens[i], tokens[end - 1]
            token = Token("word", "", first.start, last.end, glued=first.glued)
            token.word = "".join(letters)
            token.text = "".join(t.text for t in tokens[i:end])
            out.append(token)
            i = end
        else:
            out.append(tokens[i])
            i += 1
    return out


def _letter(token: Token) -> bool:
    return token.kind == "word" and len(token.word) == 1


def _compounds(tokens: list[Token]) -> list[Token]:
    """Words joined by glued hyphens are one word (`neo-cytamen`, `life-long`), unless both are
    number words (`twenty-eight` is a number, read later)."""
    out: list[Token] = []
    for token in tokens:
        if (
            token.kind == "word"
            and token.glued
            and len(out) >= 2
            and out[-1].is_sym("-")
            and out[-1].glued
            and out[-2].kind == "word"
            and not (out[-2].word in TENS and token.word in NUMBER_WORDS)
        ):
            hyphen, before = out.pop(), out.pop()
            joined = Token(
                "word", before.text + hyphen.text + token.text, before.start, token.end,
                glued=before.glued,
            )  # fmt: skip
            joined.word = f"{before.word}-{token.word}"
            out.append(joined)
        else:
            out.append(token)
    return out


def _b12(tokens: list[Token], text: str) -> list[Token]:
    """`B12`, `vitB12`: a letter glued to the number 12 is the vitamin's name, one word."""
    out: list[Token] = []
    for token in tokens:
        if (
            token.kind == "num"
            and token.glued
            and token.text == "12"
            and out
            and out[-1].is_word("b", "vitb")
        ):
            before = out.pop()
            out.append(_join([before, token], text, "word", before.word + "12"))
        else:
            out.append(token)
    return out


def _ordinals(tokens: list[Token], text: str) -> list[Token]:
    """`2nd`, `3rd`, `second`, `third`: ordinals (as in `every 2nd day`)."""
    out: list[Token] = []
    for token in tokens:
        if (
            token.kind == "word"
            and token.glued
            and token.word in _ORDINAL_SUFFIXES
            and out
            and out[-1].kind == "num"
        ):
            before = out.pop()
            out.append(_join([before, token], text, "ord", value=before.value))
        elif token.kind == "word" and token.word in ORDINAL_WORDS:
            out.append(_join([token], text, "ord", value=Decimal(ORDINAL_WORDS[token.word])))
        else:
            out.append(token)
    return out


def _number_words(tokens: list[Token], text: str) -> list[Token]:
    """Number words are numbers: `six`, `twenty-eight`, `twenty eight`, `one thousand`,
    `five hundred`, `one hundred and fifty`."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        value, end = _number_at(tokens, i)
        if end == i:
            out.append(tokens[i])
            i += 1
            continue
        out.append(_join(tokens[i:end], text, "num", value=Decimal(value)))
        i = end
    return out


def _number_at(tokens: list[Token], i: int) -> tuple[int, int]:
    """The value of the number words from `i`, and where they end (`i` if none)."""
    total, current, j = 0, 0, i
    while j < len(tokens) and tokens[j].kind == "word":
        word = tokens[j].word
        below_hundred = current % 100
        if word in TENS and below_hundred == 0:
            current += TENS[word]
            # `twenty-eight`: the hyphen joins a tens word to a unit word.
            if (
                j + 2 < len(tokens)
                and tokens[j + 1].is_sym("-")
                and tokens[j + 1].glued
                and tokens[j + 2].glued
                and NUMBER_WORDS.get(tokens[j + 2].word, 10) < 10
            ):
                j += 1
        elif word in NUMBER_WORDS and (
            below_hundred == 0 or (below_hundred % 10 == 0 and NUMBER_WORDS[word] < 10)
        ):
            if j > i and below_hundred == 0 and current == 0:
                break  # `one two`: two numbers
            current += NUMBER_WORDS[word]
        elif word == "hundred" and 1 <= current < 10:
            current *= 100
        elif word == "thousand" and current >= 1 and total == 0:
            total, current = current * 1000, 0
        elif (
            word == "and"
            and j > i
            and (total or current >= 100)
            and j + 1 < len(tokens)
            and (tokens[j + 1].word in NUMBER_WORDS or tokens[j + 1].word in TENS)
        ):
            pass  # `one hundred and fifty`
        else:
            break
        j += 1
    return total + current, j
