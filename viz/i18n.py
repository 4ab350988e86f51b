"""The interface in English and Serbian (Latin and Cyrillic script): one message catalogue.

Strings are marked with `_()` (or `N_()` where they are only listed) and looked up in gettext
catalogues, `viz/locale/<sr_Latn|sr_Cyrl>/LC_MESSAGES/stakeholder_graph.po`, compiled to `.mo`.
Babel extracts and compiles them (`python tools/catalogue.py`); at run time the standard
library's gettext reads the `.mo` files, so answering needs no extra package. The language is
a context variable: `with use_language("sr-Cyrl"):` around rendering, so a web request or a
command sets it once and every renderer below follows.

Record names stay as the data gives them; `shown_name` adds the Serbian name where the data
has one (places and groups of people are shown in the answer's language alone).
"""
from __future__ import annotations

import contextlib
import gettext
from contextvars import ContextVar
from functools import lru_cache
from importlib import resources

from stakeholder_graph.graph.errors import QueryError
from stakeholder_graph.graph.names import to_latin

LANGUAGES = ("en", "sr-Latn", "sr-Cyrl")
DOMAIN = "stakeholder_graph"
_LOCALE_DIRS = {"sr-Latn": "sr_Latn", "sr-Cyrl": "sr_Cyrl"}
_ALIASES = {"en": "en", "english": "en", "sr": "sr-Latn", "sr-latn": "sr-Latn", "sr_latn": "sr-Latn",
            "sr-cyrl": "sr-Cyrl", "sr_cyrl": "sr-Cyrl", "latin": "sr-Latn", "cyrillic": "sr-Cyrl"}
_language: ContextVar[str] = ContextVar("stakeholder_graph_language", default="en")


def normal_language(lang: str) -> str:
    """'en', 'sr-Latn' or 'sr-Cyrl' for a language tag in any common spelling, or QueryError."""
    found = _ALIASES.get(str(lang).strip().lower())
    if found is None:
        raise QueryError(f"unknown language {lang!r}; use one of {', '.join(LANGUAGES)}")
    return found


def language() -> str:
    """The language answers are rendered in now."""
    return _language.get()


@contextlib.contextmanager
def use_language(lang: str | None):
    """Render in `lang` inside the block (None keeps the current language)."""
    token = _language.set(normal_language(lang)) if lang else None
    try:
        yield
    finally:
        if token is not None:
            _language.reset(token)


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of a language (English is the source text itself)."""
    folder = _LOCALE_DIRS.get(lang)
    if folder is None:
        return gettext.NullTranslations()
    path = resources.files("stakeholder_graph.viz").joinpath("locale", folder, "LC_MESSAGES", f"{DOMAIN}.mo")
    with path.open("rb") as fp:
        return gettext.GNUTranslations(fp)


def _(message: str) -> str:
    """`message` in the current language (itself where the catalogue has no translation)."""
    return translations(language()).gettext(message)


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is listed, not yet shown."""
    return message


def shown_name(view: dict | None, kind: str | None = None) -> str:
    """A record's name as an answer shows it: places and groups of people in the answer's
    language where the data has their name in it; other records by their name, with the
    Serbian name added in a Serbian answer ('Centre for ... (Centar za ...)')."""
    if not view:
        return ""
    name = view.get("name", "")
    lang = language()
    names = view.get("names") or {}
    if lang == "en" or not names:
        return name
    other = "sr-Latn" if lang == "sr-Cyrl" else "sr-Cyrl"
    serbian = names.get(lang) or names.get(other)
    if kind == "place":  # a Serbian place's own name is Latin; others come from the Cyrillic
        if lang == "sr-Cyrl":
            return names.get("sr-Cyrl") or name
        return names.get("sr-Latn") or (to_latin(names["sr-Cyrl"]) if names.get("sr-Cyrl") else name)
    if kind in ("population", "form"):
        return names.get(lang) or serbian or name
    return f"{name} ({serbian})" if serbian and serbian != name else name


__all__ = ["LANGUAGES", "N_", "_", "language", "normal_language", "shown_name",
           "translations", "use_language"]
