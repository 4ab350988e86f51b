"""Forgiving name lookup: case, diacritics and both Serbian scripts fold to one key."""
from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass

# Serbian Cyrillic to Latin (Gaj). Cyrillic to Latin is a fixed mapping; the reverse is
# ambiguous, so both sides fold to Latin and then lose their diacritics.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ć", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    # letters of neighbouring Cyrillic alphabets, folded the same way
    "ѓ": "gj", "ќ": "kj", "ѕ": "dz", "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja",
    "ё": "e", "ъ": "", "ь": "",
}
_SPECIAL = {"đ": "dj", "ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "ë": "e"}
_NON_WORD = re.compile(r"[^0-9a-z]+")


def to_latin(text: str) -> str:
    """Serbian Cyrillic written in Serbian Latin, diacritics kept: 'Нишавски округ' ->
    'Nišavski okrug' (capitals too: 'Љиг' -> 'Ljig')."""
    out = []
    for ch in str(text):
        low = ch.lower()
        latin = _CYRILLIC.get(low)
        if latin is None:
            out.append(ch)
        else:
            out.append(latin.capitalize() if ch != low else latin)
    return "".join(out)


def fold(text: str) -> str:
    """Fold a name to its lookup key: 'Ниш', 'NIŠ', 'nis' -> 'nis'."""
    lowered = str(text).lower()
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in lowered)
    latin = "".join(_SPECIAL.get(ch, ch) for ch in latin)
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", latin) if not unicodedata.combining(ch)
    )
    return _NON_WORD.sub(" ", stripped).strip()


@dataclass(frozen=True)
class Match:
    id: str
    kind: str
    name: str
    matched: str  # the name or alias that matched


class NameIndex:
    """Maps folded ids, names, other-script names and aliases to record ids."""

    def __init__(self) -> None:
        self._keys: dict[str, dict[str, str]] = {}  # folded key -> {id: the label matched}
        self._kinds: dict[str, str] = {}
        self._names: dict[str, str] = {}

    def add(self, record_id: str, kind: str, name: str, labels: list[str]) -> None:
        self._kinds[record_id] = kind
        self._names[record_id] = name
        for label in [name, *labels, record_id]:  # a key that is a name and an id keeps the name
            key = fold(label)
            if key:
                self._keys.setdefault(key, {}).setdefault(record_id, label)

    def lookup(self, text: str, kinds: tuple[str, ...] | None = None) -> list[Match]:
        """Every record whose id, name or alias folds to the same key as `text`."""
        found = self._keys.get(fold(text), {})
        return [
            Match(rid, self._kinds[rid], self._names[rid], label)
            for rid, label in found.items()
            if kinds is None or self._kinds[rid] in kinds
        ]

    def closest(self, text: str, kinds: tuple[str, ...] | None = None, n: int = 3) -> list[str]:
        """Display names of the records whose names are nearest to `text`: those it begins
        ('centre for', 'astr'), shortest first, then the fewest edits (a swap of two letters
        counts as one, so 'Nsi' finds 'Niš' first)."""
        from rapidfuzz import process
        from rapidfuzz.distance import DamerauLevenshtein

        key = fold(text)
        candidates = {
            k: ids for k, ids in self._keys.items()
            if kinds is None or any(self._kinds[i] in kinds for i in ids)
        }
        scored = process.extract(key, list(candidates), scorer=DamerauLevenshtein.normalized_similarity,
                                 score_cutoff=0.5, limit=n * 3)
        close = sorted((k for k in candidates if key and (k.startswith(key) or f" {key}" in k)),
                       key=lambda k: (not k.startswith(key), len(k), k))
        close += [k for k, _, _ in sorted(scored, key=lambda item: (-item[1], item[0]))]
        names: list[str] = []
        for k in close:
            for rid in candidates[k]:
                if (kinds is None or self._kinds[rid] in kinds) and self._names[rid] not in names:
                    names.append(self._names[rid])
        return names[:n]

    def partial(self, text: str, kinds: tuple[str, ...] | None = None, min_begun: int = 3) -> list[Match]:
        """Records one of whose names or aliases holds the words of `text` in a row, the last
        word perhaps only begun (when at least `min_begun` letters of it are given): 'Youth
        Integration', 'Criminal Police', 'Afghan', 'IRC Serb'. Of several, the one whose name
        begins with the words. Nothing for fewer than three letters."""
        words = fold(text).split()
        if len("".join(words)) < 3:
            return []
        begun = len(words[-1]) >= min_begun
        found: dict[str, str] = {}
        for key, ids in self._keys.items():
            if _holds(key.split(), words, begun):
                for rid, label in ids.items():  # names and aliases, not ids ('criminal-police-investigations')
                    if label != rid and (kinds is None or self._kinds[rid] in kinds):
                        found.setdefault(rid, label)
        matches = [Match(rid, self._kinds[rid], self._names[rid], label) for rid, label in sorted(found.items())]
        # of several, the one name that begins with the words is meant ('Bosnia')
        starting = [m for m in matches if _holds(fold(m.matched).split()[:len(words)], words, begun)]
        return starting if len(starting) == 1 else matches

    def keys(self) -> dict[str, dict[str, str]]:
        return self._keys


def _holds(name: list[str], words: list[str], begun: bool = True) -> bool:
    """True when `words` occur in `name` in a row (the last one may be the start of a word
    when `begun`)."""
    n = len(words)
    for i in range(len(name) - n + 1):
        last = name[i + n - 1]
        if name[i:i + n - 1] == words[:-1] and (last == words[-1] or (begun and last.startswith(words[-1]))):
            return True
    return False


# Who hears that a name was resolved from part of it: the CLI prints it as a note; a library
# caller may listen too. Nobody listens by default.
_on_resolution: ContextVar[Callable[[dict], None] | None] = ContextVar("on_resolution", default=None)


@contextlib.contextmanager
def on_resolution(callback: Callable[[dict], None]):
    """Call `callback({"text", "id", "kind", "name", "label"})` for every name resolved from
    part of it inside the block."""
    token = _on_resolution.set(callback)
    try:
        yield
    finally:
        _on_resolution.reset(token)


def note_resolution(text: str, match: Match) -> None:
    callback = _on_resolution.get()
    if callback is not None:
        callback({"text": text, "id": match.id, "kind": match.kind, "name": match.name, "label": match.matched})


def suggest(word: str, options, n: int = 3) -> str:
    """' (did you mean X, Y?)' for the options closest to `word`, or ''."""
    import difflib

    close = difflib.get_close_matches(str(word), [str(o) for o in options], n=n, cutoff=0.5)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def fold_table() -> dict:
    """The folding tables, for a script that folds names the same way (the HTML map's search)."""
    return {"cyrillic": _CYRILLIC, "special": _SPECIAL, "non_word": _NON_WORD.pattern}
