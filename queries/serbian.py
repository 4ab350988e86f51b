"""Serbian word forms: the case forms of place names, and a stemmer for other words.

Serbian inflects names: "u Nišu", "iz Subotice", "u Novom Sadu", "Sremskoj Mitrovici". No
maintained library declines place names (lemmatisers trained on running text miss most of
Serbia's 145 municipalities, and the one library for Serbian names declines personal names),
so the forms are generated from each place's name by the regular rules of Serbian declension:
feminine -a, neuter -o/-e, masculine consonant stems with the fleeting a (Kragujevac,
Kragujevca), plural names (Pećinci), and the adjectives in front (Novi, Sremska). Only the
genitive, dative/locative, accusative and instrumental are generated: the cases a place takes
after iz, u, za, kod, do, ka, sa. Forms are generated liberally (both endings where usage
varies); a form that is also another word of the lexicon is not used.

Other Serbian words are matched by their stem: Snowball's Serbian stemmer (snowballstemmer,
a maintained pure-Python package), imported only for a Serbian question, so English questions
and every other command never load it.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from stakeholder_graph.graph.names import fold, to_latin

PREPOSITIONS = {"na", "pri", "kod", "u", "od", "do", "za"}  # a name's words after one stay as they are
_SIBILANT = {"k": "c", "g": "z", "h": "s"}  # Bačka Palanka: u Bačkoj Palanci
_PALATAL_ENDINGS = ("c", "č", "ć", "š", "ž", "j", "đ", "lj", "nj", "dž")
_CASES = ("gen", "dat", "acc", "ins")


def _feminine_noun(w: str) -> dict[str, set[str]]:
    stem = w[:-1]
    dative = {stem + "i"}
    if stem and stem[-1] in _SIBILANT:
        dative.add(stem[:-1] + _SIBILANT[stem[-1]] + "i")
    return {"gen": {stem + "e"}, "dat": dative, "acc": {stem + "u"}, "ins": {stem + "om"}}


def _neuter_noun(w: str) -> dict[str, set[str]]:
    stem = w[:-1]
    return {"gen": {stem + "a"}, "dat": {stem + "u"}, "acc": {w}, "ins": {stem + "om", stem + "em"}}


def _masculine_stems(w: str) -> set[str]:
    """The stem and, for -ac/-ak, the stem without the fleeting a (Kragujevac: Kragujevc-;
    Šabac: Šapc-, the b unvoiced before c)."""
    stems = {w}
    if len(w) > 3 and w[-2] == "a" and w[-1] in "ck" and w[-3] not in "aeiou":
        short = w[:-2] + w[-1]
        stems.add(short)
        if short.endswith("bc"):
            stems.add(short[:-2] + "pc")
        if short.endswith("dc"):
            stems.add(short[:-2] + "c")
    return stems


def _masculine_noun(w: str) -> dict[str, set[str]]:
    stems = _masculine_stems(w)
    instrumental = {s + ("em" if s.endswith(_PALATAL_ENDINGS) else "om") for s in stems} | {s + "om" for s in stems}
    return {"gen": {s + "a" for s in stems}, "dat": {s + "u" for s in stems}, "acc": {w},
            "ins": instrumental}


def _plural_noun(w: str) -> dict[str, set[str]]:
    """Pećinci, Odžaci, Lučani, Sremski Karlovci: genitive -a (with a fleeting a: Pećinaca),
    dative, locative and instrumental -ima, accusative -e."""
    stem = w[:-1]
    if stem.endswith("ac"):  # Odžaci: Odžaka (the c before i was a k)
        k = stem[:-1] + "k"
        return {"gen": {k + "a"}, "dat": {stem + "ima"}, "acc": {k + "e"}, "ins": {stem + "ima"}}
    genitive = {stem + "a"}
    if len(stem) > 2 and stem[-2] not in "aeiou":
        genitive.add(stem[:-1] + "a" + stem[-1] + "a")
    return {"gen": genitive, "dat": {stem + "ima"}, "acc": {stem + "e"}, "ins": {stem + "ima"}}


def _adjective(w: str, plural: bool) -> dict[str, set[str]]:
    if plural:
        stem = w[:-1]
        return {"gen": {stem + "ih"}, "dat": {stem + "im", stem + "ima"}, "acc": {stem + "e"}, "ins": {stem + "im"}}
    if w.endswith("a"):  # feminine: Sremska, Bela, Bačka, Bajina
        stem = w[:-1]
        return {"gen": {stem + "e"}, "dat": {stem + "oj"}, "acc": {stem + "u"}, "ins": {stem + "om"}}
    if w.endswith(("o", "e")):  # neuter: Veliko, Malo
        stem = w[:-1]
        return {"gen": {stem + "og", stem + "eg"}, "dat": {stem + "om", stem + "em"}, "acc": {w},
                "ins": {stem + "im"}}
    stem = w[:-1] if w.endswith("i") else w  # masculine: Novi, Gornji; possessive Vladičin
    return {"gen": {stem + "og", stem + "eg"}, "dat": {stem + "om", stem + "em"}, "acc": {w},
            "ins": {stem + "im"}}


def _adjective_like(w: str) -> bool:
    return w.endswith(("a", "e", "i", "o", "in", "ov", "ev"))


def _is_plural(w: str) -> bool:
    return w.endswith(("ci", "ni", "ri", "ari", "ani")) and len(w) > 4


def _noun(w: str) -> dict[str, set[str]]:
    if w.endswith("a"):
        return _feminine_noun(w)
    if w.endswith(("o", "e")):
        return _neuter_noun(w)
    if w.endswith("i") and _is_plural(w):
        return _plural_noun(w)
    if w[-1].isalpha() and w[-1] not in "aeiou":
        return _masculine_noun(w)
    return {case: {w} for case in _CASES}


def case_forms(name: str) -> set[str]:
    """Folded genitive, dative/locative, accusative and instrumental forms of a Serbian place
    name in Latin script ('Novi Sad' -> 'novog sada', 'novom sadu', ...); the nominative
    itself is not among them.

    >>> sorted(case_forms("Niš"))
    ['nisa', 'nisem', 'nisom', 'nisu']
    >>> 'sremskoj mitrovici' in case_forms("Sremska Mitrovica")
    True
    """
    words = name.split()
    if not words:
        return set()
    lowered = [w.lower() for w in words]
    # words after a preposition (Petrovac na Mlavi) and the conjunction (Bosna i Hercegovina) stay
    cut = next((i for i, w in enumerate(lowered) if i > 0 and w in PREPOSITIONS), len(words))
    inflected, fixed = lowered[:cut], lowered[cut:]
    parts = [i for i, w in enumerate(inflected) if w != "i"]
    if not parts:
        return set()
    head = inflected[parts[-1]]
    plural = _is_plural(head)
    # in "Bosna i Hercegovina" and "Grad Beograd" both nouns decline; the words before the noun
    # that end like adjectives (Novi, Sremska, Veliko, Vladičin) decline as adjectives
    nouns = {i for i in parts if "i" in inflected or i == parts[-1] or not _adjective_like(inflected[i])}
    tables = []
    for i, w in enumerate(inflected):
        if w == "i":
            tables.append({case: {"i"} for case in _CASES})
        elif i in nouns:
            tables.append(_noun(w))
        else:
            tables.append(_adjective(w, plural))
    out: set[str] = set()
    for case in _CASES:
        combos = [""]
        for table in tables:
            combos = [f"{c} {f}".strip() for c in combos for f in sorted(table[case])]
        out.update(fold(" ".join([c, *fixed])) for c in combos)
    out.discard(fold(name))
    return out


def place_names(attrs: dict) -> list[str]:
    """The Serbian names of a place to decline: its name, its Latin name, and its Cyrillic
    name in Latin script (Београд: Beograd)."""
    names = [attrs.get("name", "")]
    own = attrs.get("names") or {}
    if own.get("sr-Latn"):
        names.append(own["sr-Latn"])
    if own.get("sr-Cyrl"):
        names.append(to_latin(own["sr-Cyrl"]))
    return [n for n in dict.fromkeys(names) if n]


def actor_names(attrs: dict) -> list[str]:
    """The names of an actor that decline as a whole: one word (Atina, ASTRA: sa Atinom, ASTRE)
    or a noun and a complement after a preposition (Centar za socijalni rad: u Centru za
    socijalni rad). Names whose later words are a genitive complement (Zaštitnik građana) are
    left to the lexicon."""
    labels = [attrs.get("name", ""), *attrs.get("aliases", []), *(attrs.get("names") or {}).values()]
    out = []
    for label in labels:
        label = to_latin(label)
        words = label.split()
        if (len(words) == 1 and len(label) >= 4 and label.isalpha()) or \
                (len(words) > 2 and words[1].lower() in PREPOSITIONS):
            out.append(label)
    return list(dict.fromkeys(out))


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer  # only for Serbian questions: the cold start of everything else stays light

    return snowballstemmer.stemmer("serbian")


def stemmer_file() -> Path:
    """The stemmer's code, part of the key of the cached stems (importlib.metadata would
    cost more to import than the whole lookup)."""
    import snowballstemmer.serbian_stemmer as module

    return Path(module.__file__)


def stem(word: str) -> str:
    """The Snowball stem of a folded Serbian word ('deci' -> 'dec')."""
    return _stemmer().stemWord(word)


__all__ = ["actor_names", "case_forms", "place_names", "stem", "stemmer_file"]
