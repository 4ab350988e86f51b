"""Search every record by name, alias or Serbian name, in either script, forgiving of case,
diacritics and typos: 'nis', 'NIŠ' and 'Ниш' find Niš; 'atna' finds Atina.

The records searched are those of the graph given, so a graph filtered for an audience
(StakeholderGraph.for_audience) never yields a record above it. Matching runs on the folded
keys of the graph's name index (graph.names.fold); typos are scored by rapidfuzz.
"""
from __future__ import annotations

from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.names import fold
from stakeholder_graph.queries.matching import named

# how a key matched, best first; a typo scores below every match of the letters as given
EXACT, BEGINS, WORD, CONTAINS = 100, 96, 93, 90
TYPO_CUTOFF = 80  # rapidfuzz similarity (0-100) below which a key is not offered
KIND_ORDER = {"actor": 0, "service": 1, "project": 2, "place": 3, "population": 4, "exploitation_form": 5}


def _typo_scores(key: str, keys: list[str]) -> dict[str, float]:
    """Keys within a few edits of `key`, whole or the part of a longer key that fits best."""
    from rapidfuzz import fuzz, process

    if len(key) < 3:  # two letters fit too much by chance
        return {}
    found = process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=50)
    if len(key) >= 5:  # 'centr za zastitu' within a longer name; only keys longer than the text
        longer = [k for k in keys if len(k) > len(key)]
        found += process.extract(key, longer, scorer=fuzz.partial_ratio, score_cutoff=TYPO_CUTOFF + 8, limit=50)
    scores: dict[str, float] = {}
    for k, score, _ in found:
        scores[k] = max(scores.get(k, 0), min(score, CONTAINS - 1) * 0.9)
    return scores


def search(g: StakeholderGraph, text: str, kinds: tuple[str, ...] | None = None, limit: int = 25) -> dict:
    """Records matching `text`, best first: {"query", "results": [{"id", "kind", "name",
    "names", "matched", "score"}]}. The same record appears once, with its best match.

    >>> [r["id"] for r in search(g, "Ниш")["results"][:1]]
    ['nis']
    >>> [r["id"] for r in search(g, "atna", kinds=("actor",))["results"][:1]]
    ['atina']
    """
    key = fold(text)
    out: dict[str, tuple[float, str]] = {}
    if key:
        index = g.index
        keys = index.keys()

        def keep(k: str, score: float) -> None:
            for rid, label in keys[k].items():
                if rid not in g.G or (kinds and g.kind(rid) not in kinds):
                    continue
                if out.get(rid, (-1, ""))[0] < score:
                    out[rid] = (score, label)

        for k in keys:
            if k == key:
                keep(k, EXACT)
            elif k.startswith(key):
                keep(k, BEGINS)
            elif f" {key}" in f" {k}":
                keep(k, WORD)
            elif len(key) >= 3 and key in k:  # 'ni' inside 'albania' is chance
                keep(k, CONTAINS)
        for k, score in _typo_scores(key, list(keys)).items():
            keep(k, score)
    ranked = sorted(out.items(), key=lambda item: (-item[1][0], KIND_ORDER.get(g.kind(item[0]), 9),
                                                    g.name(item[0]).lower(), item[0]))
    return {
        "query": text,
        "results": [{**named(g, rid), "kind": g.kind(rid), "matched": label, "score": round(score, 1)}
                    for rid, (score, label) in ranked[:limit]],
    }


def suggestions(g: StakeholderGraph, text: str, kinds: tuple[str, ...] | None = None, limit: int = 10) -> list[str]:
    """Names to offer as someone types (in every script the data names them in)."""
    names: list[str] = []
    for r in search(g, text, kinds, limit)["results"]:
        for name in [r["name"], *r.get("names", {}).values()]:
            if name not in names:
                names.append(name)
    return names


__all__ = ["search", "suggestions"]
