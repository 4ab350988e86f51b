"""The words a question may use, by language: the lexicon (queries/lexicon.yaml) and the
graph's own names, as one phrase index per graph.

A phrase is a folded word sequence ('novom sadu', 'legal aid'); it maps to hits: what it
means (a record, a service type, a cue of a kind of question, a generic word). The same index
answers `ask` and the commands' own options (`who --population deca`), so a word means one
thing everywhere.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from stakeholder_graph.graph.diskcache import digest, remember
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.names import fold
from stakeholder_graph.graph.schema import VOCABULARIES
from stakeholder_graph.queries.serbian import actor_names, case_forms, place_names

LANGUAGES = ("en", "sr")
# record kinds a question can name, and the role each plays in it
RECORD_ROLES = {"place": "place", "population": "population", "actor": "actor", "project": "project",
                "exploitation_form": "form", "service": "service_record"}
MAX_PHRASE = 10  # words


@dataclass(frozen=True)
class Hit:
    """What a phrase means: role (place, population, actor, project, form, service,
    service_record, sector, cue, generic, age_word, year_word), value (an id, a service type,
    a sector or a cue's kind), and how it was found (name, lexicon, case form, stem)."""

    role: str
    value: str
    how: str = "name"


# what the tables below are computed from: the lexicon and the code that folds and declines
_CODE = [Path(__file__), Path(__file__).with_name("serbian.py"), Path(__file__).parents[1] / "graph" / "names.py",
         Path(__file__).parents[1] / "graph" / "schema.py"]


@lru_cache(maxsize=1)
def _lexicon_text() -> bytes:
    return resources.files("stakeholder_graph.queries").joinpath("lexicon.yaml").read_bytes()


@lru_cache(maxsize=1)
def _lexicon_key() -> str:
    return digest(_lexicon_text(), *_CODE)


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """The lexicon as data (read once per process; parsed once per change, on disk after)."""

    def read() -> dict:
        import yaml

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        return yaml.load(_lexicon_text().decode("utf-8"), Loader=loader)

    return remember("lexicon", _lexicon_key(), read)


def _words(entry, lang: str) -> list[str]:
    if isinstance(entry, dict):
        return [str(w) for w in entry.get(lang, []) or []]
    return [str(w) for w in entry or []]


@lru_cache(maxsize=None)
def stop_words(lang: str) -> frozenset[str]:
    """Folded function words of a language ('sr' for both scripts)."""
    return remember(f"stop-{lang}", _lexicon_key(), lambda: frozenset(fold(w) for w in lexicon()["stop_words"][lang]))


@lru_cache(maxsize=1)
def subject_forms() -> frozenset[str]:
    """The folded Serbian forms of the people who refer that are a sentence's subject
    ('policija', 'socijalni radnik'); their other forms are objects ('policiji')."""
    return frozenset(fold(w) for entry in lexicon()["actors"].values() for w in entry.get("sr_subject", []))


@lru_cache(maxsize=None)
def language_words(lang: str) -> frozenset[str]:
    """Every folded word of a language's lexicon (function words too): what tells the
    languages of a question apart."""

    def words() -> frozenset[str]:
        found = set(stop_words(lang))
        for phrase in lexicon_phrases(lang):
            found.update(phrase.split())
        return frozenset(found)

    return remember(f"words-{lang}", _lexicon_key(), words)


@lru_cache(maxsize=None)
def lexicon_phrases(lang: str) -> dict[str, tuple[Hit, ...]]:
    """{folded phrase: hits} for the lexicon's words of one language (no graph names)."""
    return remember(f"phrases-{lang}", _lexicon_key(), lambda: _lexicon_phrases(lang))


def _lexicon_phrases(lang: str) -> dict[str, tuple[Hit, ...]]:
    lex = lexicon()
    found: dict[str, list[Hit]] = {}

    def add(words, hit: Hit) -> None:
        for w in words:
            key = fold(w)
            if key and hit not in found.setdefault(key, []):
                found[key].append(hit)

    add(_words(lex["generic"], lang), Hit("generic", "generic", "lexicon"))
    for kind, entry in lex["cues"].items():
        add(_words(entry, lang), Hit("cue", kind, "lexicon"))
    for service_type, entry in lex["services"].items():
        add(_words(entry, lang), Hit("service", service_type, "lexicon"))
    for sector, entry in lex["sectors"].items():
        add(_words(entry, lang), Hit("sector", sector, "lexicon"))
    for role, section in (("form", "forms"), ("population", "populations"), ("actor", "actors")):
        for record, entry in lex[section].items():
            add(_words(entry, lang), Hit(role, record, "lexicon"))
    add(_words(lex["age_words"], lang), Hit("age_word", "age", "lexicon"))
    add(_words(lex["year_words"], lang), Hit("year_word", "year", "lexicon"))
    if lang == "sr":
        for english, serbian in lex["name_words"].items():
            add(serbian, Hit("name_word", fold(english), "lexicon"))
    if lang == "en":  # the taxonomy's own words: 'legal aid' for legal_aid
        for service_type in VOCABULARIES["service_type"]:
            add([service_type.replace("_", " ")], Hit("service", service_type, "lexicon"))
    return {k: tuple(v) for k, v in found.items()}


class Vocabulary:
    """Phrase indexes of one graph: its names (every language), the Serbian case forms of its
    places, the lexicon of each language, and the Serbian stems."""

    def __init__(self, g: StakeholderGraph):
        self.g = g
        names: dict[str, list[Hit]] = {}
        for key, ids in g.index.keys().items():
            for rid in ids:
                role = RECORD_ROLES.get(g.kind(rid))
                if role:
                    names.setdefault(key, []).append(Hit(role, rid, "name"))
        self.names = {k: tuple(v) for k, v in names.items()}
        self._forms: dict[str, tuple[Hit, ...]] | None = None
        self._stems: dict[str, tuple[Hit, ...]] | None = None

    def lookup(self, phrase: str, lang: str) -> tuple[Hit, ...]:
        """Hits of a folded phrase: the graph's names, then the lexicon of `lang`."""
        return self.names.get(phrase, ()) + lexicon_phrases(lang).get(phrase, ())

    def _key(self) -> str:
        """What the Serbian tables of this graph depend on: the lexicon and the names."""
        labels = sorted(
            (rid, str(a.get("name")), str(a.get("aliases")), str(a.get("names")))
            for rid, a in self.g.G.nodes(data=True) if a.get("kind") in ("place", "actor")
        )
        return digest(_lexicon_key(), labels, sorted(self.names))

    def case_forms(self) -> dict[str, tuple[Hit, ...]]:
        """{folded case form: hits} of every place's Serbian names ('nisu', 'novom sadu') and
        of the actor names that decline whole ('atinom', 'centru za socijalni rad'),
        leaving out forms that are words of the Serbian lexicon or names themselves
        (computed once per change of the names, on disk after)."""
        if self._forms is None:
            self._forms = remember("case-forms", self._key(), self._case_forms)
        return self._forms

    def _case_forms(self) -> dict[str, tuple[Hit, ...]]:
        taken = set(lexicon_phrases("sr")) | stop_words("sr") | set(self.names)
        forms: dict[str, list[Hit]] = {}
        named = [("place", p, place_names(self.g.node(p))) for p in self.g.ids_of("place")]
        named += [("actor", a, actor_names(self.g.node(a))) for a in self.g.ids_of("actor")]
        for role, rid, labels in named:
            for name in labels:
                for form in case_forms(name):
                    if form not in taken:
                        hits = forms.setdefault(form, [])
                        if all(h.value != rid for h in hits):
                            hits.append(Hit(role, rid, "case form"))
        return {k: tuple(v) for k, v in forms.items()}

    def stems(self) -> dict[str, tuple[Hit, ...]]:
        """{stemmed phrase: hits} of the Serbian lexicon's phrases, for the forms it does not
        list ('skloništima' finds 'sklonište'); computed once per change, on disk after."""
        if self._stems is None:
            from stakeholder_graph.queries.serbian import stemmer_file

            self._stems = remember("stems", digest(_lexicon_key(), stemmer_file()), _stems)
        return self._stems


def _stems() -> dict[str, tuple[Hit, ...]]:
    """The Serbian lexicon's phrases by their stems (only meanings a stem alone points to)."""
    from stakeholder_graph.queries.serbian import stem

    stems: dict[str, list[Hit]] = {}
    for phrase, hits in lexicon_phrases("sr").items():
        if any(h.role in ("cue", "generic", "service", "population", "form", "actor") for h in hits):
            key = " ".join(stem(w) for w in phrase.split())
            if len(key) >= 3:
                for h in hits:
                    h = Hit(h.role, h.value, "stem")
                    if h not in stems.setdefault(key, []):
                        stems[key].append(h)
    # a stem two meanings share is no evidence of either
    return {k: tuple(v) for k, v in stems.items() if len({(h.role, h.value) for h in v}) == 1}


_VOCABULARIES: "weakref.WeakKeyDictionary[StakeholderGraph, Vocabulary]" = weakref.WeakKeyDictionary()


def vocabulary(g: StakeholderGraph) -> Vocabulary:
    """The graph's vocabulary, built once per graph."""
    found = _VOCABULARIES.get(g)
    if found is None:
        found = _VOCABULARIES[g] = Vocabulary(g)
    return found


def term_of(g: StakeholderGraph, text: str, role: str) -> str | None:
    """The one record id or service type a word of either language names in a role
    ('deci' -> 'children', 'sklonište' -> 'shelter'), or None."""
    key = fold(text)
    values = {h.value for lang in LANGUAGES for h in lexicon_phrases(lang).get(key, ()) if h.role == role}
    if not values:
        vocab = vocabulary(g)
        values = {h.value for h in vocab.names.get(key, ()) if h.role == role}
        if not values and role == "place":
            values = {h.value for h in vocab.case_forms().get(key, ())}
    return values.pop() if len(values) == 1 else None


__all__ = ["Hit", "LANGUAGES", "Vocabulary", "language_words", "lexicon", "lexicon_phrases", "stop_words",
           "subject_forms", "term_of", "vocabulary"]
