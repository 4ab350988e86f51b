"""Reading a question: its language, its words, and what each word is.

Every word is accounted for: part of a name or a phrase of the vocabulary (longest first),
a number read as an age or a year, a function word of the question's language, part of the
one record whose name holds the remaining words (said so), or unknown. `ask` refuses a
question with an unknown word rather than answer without it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.names import fold
from stakeholder_graph.queries.vocabulary import (
    MAX_PHRASE,
    RECORD_ROLES,
    Hit,
    language_words,
    lexicon,
    stop_words,
    vocabulary,
)

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SERBIAN_LETTERS = re.compile(r"[čćžšđČĆŽŠĐ]")
# after these a place name takes a case form: u Nišu, iz Subotice, za Kragujevac
_PLACE_PREPOSITIONS = {"u", "iz", "za", "kod", "do", "ka", "od", "na", "sa", "s", "po", "oko", "preko", "prema"}
YEARS = range(1990, 2101)
# before a year these make it a period, which is not one date to check status on
RANGE_WORDS = {"since", "after", "before", "until", "till", "from", "by", "around", "approximately", "circa", "od",
               "do", "posle", "pre", "nakon", "tokom", "oko", "otprilike"}
# before an age these make it a bound, not one age ("do 14 godina": up to 14); "od 14 godina" is one age
AGE_BOUNDS = {"under", "below", "over", "above", "up", "upto", "less", "more", "younger", "older", "do", "ispod",
              "iznad", "preko", "mlađi", "mlađa", "mlađe", "mlađih", "stariji", "starija", "starije", "starijih"}
CASED = {"us": "US"}  # words that mean a name only when written so
MIN_STEMMED = 6  # shorter words are too often another word's stem ('posle', after: 'posla', a job)


@dataclass
class Token:
    text: str  # as written
    key: str  # folded
    capital: bool  # written with a capital, and not the question's first word


@dataclass
class Found:
    """A recognised span of words: first and last token index and what it means."""

    start: int
    end: int  # exclusive
    text: str
    hits: tuple[Hit, ...]


@dataclass
class Parsed:
    question: str
    language: str  # en, sr-Latn or sr-Cyrl
    tokens: list[Token]
    found: list[Found] = field(default_factory=list)
    stop: list[int] = field(default_factory=list)  # token indexes of function words
    unknown: list[int] = field(default_factory=list)
    ambiguous: list[tuple[str, list[Hit]]] = field(default_factory=list)  # partial names of several records
    ambiguous_tokens: set[int] = field(default_factory=set)
    conflicts: list[str] = field(default_factory=list)  # a second, different age or year
    ranges: list[str] = field(default_factory=list)  # "since 2020": a period, not a date
    age: int | None = None
    year: int | None = None

    @property
    def lang(self) -> str:
        """The lexicon's language: en or sr."""
        return "en" if self.language == "en" else "sr"

    def hits(self, role: str) -> list[tuple[Hit, Found]]:
        return [(h, f) for f in self.found for h in f.hits if h.role == role]

    def values(self, role: str) -> list[str]:
        out: list[str] = []
        for h, _ in self.hits(role):
            if h.value not in out:
                out.append(h.value)
        return out

    def cues(self) -> set[str]:
        return {h.value for h, _ in self.hits("cue")}

    def cue_words(self, kind: str) -> list[str]:
        return [f.text for h, f in self.hits("cue") if h.value == kind]

    def unknown_words(self) -> list[str]:
        return [self.tokens[i].text for i in self.unknown]


def tokenize(text: str) -> list[Token]:
    tokens = []
    for i, m in enumerate(_WORD.finditer(text)):
        word = m.group(0)
        key = fold(word)
        if key:
            tokens.append(Token(word, key.replace(" ", ""), i > 0 and word[:1].isupper()))
    return tokens


def detect_language(text: str, tokens: list[Token]) -> str:
    """en when more of the question's words are English words of the lexicon than Serbian
    ones (names do not count: 'who helps women in Београд' is English); else sr-Cyrl when it
    has a Cyrillic letter, sr-Latn when it has Serbian words or letters (č, ć, ž, š, đ)."""
    serbian = language_words("sr")
    english = language_words("en")
    sr = sum(1 for t in tokens if t.key in serbian and t.key not in english)
    en = sum(1 for t in tokens if t.key in english and t.key not in serbian)
    cyrillic = _CYRILLIC.search(text) is not None
    if en > sr:
        return "en"
    if cyrillic:
        return "sr-Cyrl"
    if sr > en or _SERBIAN_LETTERS.search(text):
        return "sr-Latn"
    return "en"


def _number_words(p: Parsed, used: list[bool]) -> None:
    """Ages ('14 year old', 'aged 14', '14-godišnja', 'od 14 godina') and years ('in 2019',
    '2019. godine'): the number and the words that make it one are accounted for."""
    lex = lexicon()
    age_words = {fold(w) for w in lex["age_words"][p.lang]}
    year_words = {fold(w) for w in lex["year_words"][p.lang]}
    keys = [t.key for t in p.tokens]
    for i, key in enumerate(keys):
        if not key.isdigit():
            continue
        n = int(key)
        after = [j for j in range(i + 1, min(i + 3, len(keys))) if keys[j] in age_words or keys[j] == "old"]
        after = after if after and after[0] == i + 1 else []
        before = [i - 1] if i > 0 and keys[i - 1] in ("aged", "age", "uzrasta", "starosti") else []
        if n <= 120 and (after or before):
            if i > 0 and keys[i - 1] in AGE_BOUNDS:
                p.ranges.append(f"{p.tokens[i - 1].text} {p.tokens[i].text}")
            span = sorted({i, *after, *before})
            start, end = span[0], span[-1] + 1
            if p.age is not None and p.age != n:
                p.conflicts.append(" ".join(t.text for t in p.tokens[start:end]))
            p.age = n
            p.found.append(Found(start, end, " ".join(t.text for t in p.tokens[start:end]), (Hit("age", str(n)),)))
            for j in range(start, end):
                used[j] = True
        elif n in YEARS:
            if i > 0 and keys[i - 1] in RANGE_WORDS:  # "since 2020" is a period, not a day
                p.ranges.append(f"{p.tokens[i - 1].text} {p.tokens[i].text}")
            start = i - 1 if i > 0 and keys[i - 1] in year_words else i
            end = i + 2 if i + 1 < len(keys) and keys[i + 1] in ("godine", "godini") else i + 1
            if p.year is not None and p.year != n:
                p.conflicts.append(key)
            p.year = n
            p.found.append(Found(start, end, " ".join(t.text for t in p.tokens[start:end]), (Hit("year", str(n)),)))
            for j in range(start, end):
                used[j] = True


def _english_variants(phrase: str) -> list[str]:
    """'shelters' -> 'shelter', 'churches' -> 'church': a plural the lists do not spell out."""
    words = phrase.split()
    last = words[-1]
    out = []
    if len(last) > 3 and last.endswith("es"):
        out.append(" ".join(words[:-1] + [last[:-2]]))
    if len(last) > 3 and last.endswith("s") and not last.endswith("ss"):
        out.append(" ".join(words[:-1] + [last[:-1]]))
    return out


def _inside_a_name(p: Parsed, vocab, span: list[int]) -> bool:
    """True when the words around `span` make a whole name ('From Harm' in 'From Harm to Safety')."""
    keys = [t.key for t in p.tokens]
    for start in range(max(0, span[-1] + 1 - MAX_PHRASE), span[0] + 1):
        for end in range(span[-1] + 1, min(len(keys), start + MAX_PHRASE) + 1):
            if (start, end) != (span[0], span[-1] + 1) and " ".join(keys[start:end]) in vocab.names:
                return True
    return False


def _capitalised_names(p: Parsed, g: StakeholderGraph, used: list[bool]) -> None:
    """Two or more capitalised words in a row that are part of one record's name, and not a
    name or phrase themselves, are that record ('what does Criminal Police do?': the
    Directorate, not 'criminal' and 'police'). A question written all in capitals or in title
    case says nothing by its capitals and is skipped."""
    written = [t.text[:1].isupper() for t in p.tokens]
    if len(p.tokens) < 3 or sum(written) > 0.6 * len(p.tokens):
        return
    vocab = vocabulary(g)
    runs, run = [], []
    for i, capital in enumerate(written):
        if capital and not used[i]:
            run.append(i)
        else:
            runs, run = runs + ([run] if len(run) > 1 else []), []
    runs += [run] if len(run) > 1 else []
    for run in runs:
        for size in range(len(run), 1, -1):
            for start in range(len(run) - size + 1):
                span = run[start:start + size]
                if any(used[i] for i in span):
                    continue
                phrase = " ".join(p.tokens[i].key for i in span)
                if vocab.lookup(phrase, p.lang) or _inside_a_name(p, vocab, span):
                    continue
                matches = [m for m in g.index.partial(phrase, tuple(RECORD_ROLES), min_begun=99)
                           if m.kind in RECORD_ROLES]
                if len(matches) == 1:
                    text = " ".join(p.tokens[i].text for i in span)
                    p.found.append(Found(span[0], span[-1] + 1, text,
                                         (Hit(RECORD_ROLES[matches[0].kind], matches[0].id, "partial"),)))
                    for i in span:
                        used[i] = True


def _phrases(p: Parsed, g: StakeholderGraph, used: list[bool]) -> None:
    """Longest phrases first: names, the lexicon, Serbian case forms of places (after a
    preposition or with a capital), Serbian stems."""
    vocab = vocabulary(g)
    keys = [t.key for t in p.tokens]
    n = len(keys)
    serbian = p.lang == "sr"
    forms = vocab.case_forms() if serbian else {}
    for size in range(min(MAX_PHRASE, n), 0, -1):
        for i in range(n - size + 1):
            if any(used[i:i + size]):
                continue
            phrase = " ".join(keys[i:i + size])
            hits = tuple(h for h in vocab.lookup(phrase, p.lang) if h.role not in ("age_word", "year_word"))
            if phrase in CASED and p.tokens[i].text != CASED[phrase]:
                hits = ()  # "us" is a pronoun, "US" the country
            if not hits and not serbian:
                for variant in _english_variants(phrase):
                    hits = tuple(h for h in vocab.lookup(variant, p.lang) if h.role not in ("age_word", "year_word"))
                    if hits:
                        break
            if not hits and serbian and phrase in forms:
                after_preposition = i > 0 and keys[i - 1] in _PLACE_PREPOSITIONS
                if after_preposition or p.tokens[i].capital:
                    hits = forms[phrase]
            if hits:
                p.found.append(Found(i, i + size, " ".join(t.text for t in p.tokens[i:i + size]), hits))
                used[i:i + size] = [True] * size
    stop = stop_words(p.lang)
    if serbian and any(not used[i] and keys[i] not in stop for i in range(n)):
        _stems(p, g, used)  # only for words no phrase took: most questions never load the stemmer


def _stems(p: Parsed, g: StakeholderGraph, used: list[bool]) -> None:
    from stakeholder_graph.queries.serbian import stem

    stems = vocabulary(g).stems()
    stop = stop_words("sr")
    keys = [t.key for t in p.tokens]
    n = len(keys)
    for size in range(min(3, n), 0, -1):
        for i in range(n - size + 1):
            if any(used[i:i + size]) or (size == 1 and (keys[i] in stop or len(keys[i]) < MIN_STEMMED)):
                continue
            key = " ".join(stem(k) for k in keys[i:i + size])
            if key in stems:
                p.found.append(Found(i, i + size, " ".join(t.text for t in p.tokens[i:i + size]), stems[key]))
                used[i:i + size] = [True] * size




def _runs(p: Parsed, taken: set[int], translated: dict[int, str]) -> list[list[int]]:
    """Maximal runs of words no phrase took (function words inside them kept), trimmed of
    function words at their ends."""
    stop = stop_words(p.lang)
    runs: list[list[int]] = []
    for i in range(len(p.tokens)):
        if i in taken and i not in translated:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    trimmed = []
    for run in runs:
        while run and p.tokens[run[0]].key in stop and run[0] not in translated:
            run = run[1:]
        while run and p.tokens[run[-1]].key in stop and run[-1] not in translated:
            run = run[:-1]
        if run:
            trimmed.append(run)
    return trimmed


def _partial_names(p: Parsed, g: StakeholderGraph, kinds: tuple[str, ...] | None) -> None:
    """Runs of words no phrase took, read as part of one record's name ('the Afghan project',
    'Centre for Youth'); a Serbian word for a word of an English name counts as that word
    ('avganistanski'). A run that is part of several names is ambiguous; one part of none
    is split at its function words and each part tried alone."""
    translated = {i: h.value for f in p.found for h in f.hits if h.role == "name_word" for i in range(f.start, f.end)}
    # a phrase that is also a name word stays recognised only by its other meanings, unless a
    # name takes it below
    p.found = [Found(f.start, f.end, f.text, tuple(h for h in f.hits if h.role != "name_word")) for f in p.found]
    p.found = [f for f in p.found if f.hits]
    taken = {i for f in p.found for i in range(f.start, f.end)}
    stop = stop_words(p.lang)
    pending = _runs(p, taken, translated)
    while pending:
        run = pending.pop(0)
        words = " ".join(translated.get(i, p.tokens[i].key) for i in run)
        # whole words only: a begun word ('Centra', 'vic') is more often another word than the
        # start of a name
        matches = [m for m in g.index.partial(words, kinds or tuple(RECORD_ROLES), min_begun=99)
                   if m.kind in RECORD_ROLES]
        text = " ".join(p.tokens[i].text for i in run)
        if len(run) == 1 and not (p.tokens[run[0]].text[:1].isupper() or run[0] in translated):
            matches = []  # one everyday word ('city', 'west') is not a name; 'Afghan' may be
        if len(matches) == 1:
            p.found = [f for f in p.found if not (run[0] <= f.start and f.end <= run[-1] + 1)]
            p.found.append(Found(run[0], run[-1] + 1, text, (Hit(RECORD_ROLES[matches[0].kind], matches[0].id, "partial"),)))
        elif len(matches) > 1:
            p.ambiguous.append((text, [Hit(RECORD_ROLES[m.kind], m.id, "partial") for m in matches]))
            p.ambiguous_tokens.update(run)
        else:
            parts, current = [], []
            for i in run:
                if p.tokens[i].key in stop and i not in translated:
                    if current:
                        parts.append(current)
                    current = []
                else:
                    current.append(i)
            if current:
                parts.append(current)
            if len(parts) > 1:
                pending[:0] = parts


def _kinds_for(cues: set[str]) -> tuple[str, ...] | None:
    """The kinds of record a partial name may be, from what the question asks."""
    if cues & {"projects", "achievements", "leads"}:
        return ("project", "place")
    if cues & {"partners", "refer", "works_with"}:
        return ("actor", "place")
    return None


def parse(g: StakeholderGraph, text: str, partial_kinds: tuple[str, ...] | None = None) -> Parsed:
    """The question's words, each accounted for (see the module's docstring)."""
    tokens = tokenize(text)
    p = Parsed(text, detect_language(text, tokens), tokens)
    used = [False] * len(tokens)
    _number_words(p, used)
    _capitalised_names(p, g, used)
    _phrases(p, g, used)
    _partial_names(p, g, partial_kinds or _kinds_for(p.cues()))
    covered = {i for f in p.found for i in range(f.start, f.end)} | p.ambiguous_tokens
    stop = stop_words(p.lang)
    for i, t in enumerate(tokens):
        if i not in covered:
            (p.stop if t.key in stop else p.unknown).append(i)
    p.found.sort(key=lambda f: f.start)
    return p


__all__ = ["Found", "Parsed", "Token", "detect_language", "parse", "tokenize"]
