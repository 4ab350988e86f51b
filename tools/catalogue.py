"""The interface's message catalogue: extract, merge, script-convert, compile and check.

    python tools/catalogue.py all      # extract the messages, merge them into the catalogues,
                                       # write the Cyrillic catalogue, compile the .mo files
    python tools/catalogue.py check    # exit 1 when a catalogue is out of date (the tests run it)

Messages are marked in the code with _() and N_() (viz/i18n.py), and in the atlas's page
templates (web/templates/*.html) with _() too.
Babel extracts and compiles them; translations are written by hand in the Serbian Latin
catalogue (viz/locale/sr_Latn/LC_MESSAGES/stakeholder_graph.po). The Cyrillic catalogue is
that one letter for letter in Serbian Cyrillic (cyrtranslit), placeholders, option names,
URLs and abbreviations in capitals kept as they are; it is generated, never edited.
"""
from __future__ import annotations

import datetime
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "viz" / "locale"
DOMAIN = "stakeholder_graph"
POT = LOCALE / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None}
SKIP = ("tests", "bench", "tools", ".venv", "build", "dist")
LATIN, CYRILLIC = "sr_Latn", "sr_Cyrl"
# kept as written in Cyrillic text: {placeholders}, `commands`, --options, URLs, words in capitals (NGO, TIP, ASTRA)
KEEP = re.compile(r"(\{[^}]*\}|`[^`]*`|--[a-z-]+|https?://\S+|\b(?:TIP|GRETA|SOS|IRC|ASTRA|EU|IOM|OSCE|UNODC)\b|"
                  r"\b[a-z]+_[a-z_]+\b|24/7|\bUTC\b)")


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every marked message of the package's code."""
    catalog = Catalog(domain=DOMAIN, project="stakeholder-graph", charset="utf-8")

    def wanted(filename: str) -> bool:
        return not any(part in SKIP or part.startswith(".") for part in Path(filename).parts)

    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=[("**.py", "python"), ("web/templates/**.html", "jinja2")],
        options_map={"web/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                                              "lstrip_blocks": "true"}},
        keywords=KEYWORDS, callback=None,
        strip_comment_tags=True, directory_filter=lambda d: wanted(str(Path(d).relative_to(ROOT)) if Path(d) != ROOT else ""),
    ):
        if not wanted(filename):
            continue
        catalog.add(message, locations=[(filename, lineno)], context=context, auto_comments=comments)
    return catalog


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, domain=DOMAIN, charset="utf-8")
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _write(catalog: Catalog, path: Path) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, include_previous=False,
             no_location=True)
    return buffer.getvalue()


def merged(template: Catalog, locale: str) -> Catalog:
    """The Latin catalogue with the template's messages: translations kept, new ones empty,
    obsolete ones dropped."""
    catalog = _read(po_path(locale), locale)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.language_team = "Serbian (Latin script)"
    return catalog


def to_cyrillic(text: str) -> str:
    import cyrtranslit

    parts = KEEP.split(text)
    return "".join(p if KEEP.fullmatch(p) else cyrtranslit.to_cyrillic(p, "sr") for p in parts)


def cyrillic(latin: Catalog) -> Catalog:
    catalog = Catalog(locale="sr_Cyrl", domain=DOMAIN, charset="utf-8", project="stakeholder-graph")
    catalog.language_team = "Serbian (Cyrillic script), generated from the Latin catalogue"
    for message in latin:
        if not message.id:
            continue
        string = message.string
        if isinstance(string, (tuple, list)):
            string = tuple(to_cyrillic(s) for s in string)
        elif string:
            string = to_cyrillic(string)
        catalog.add(message.id, string, context=message.context)
    return catalog


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


FIXED_DATE = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # so a rerun changes nothing


def wanted_files() -> dict[Path, bytes]:
    """What every catalogue file should hold now."""
    template = extract()
    latin = merged(template, LATIN)
    cyr = cyrillic(latin)
    for catalog in (template, latin, cyr):
        catalog.creation_date = catalog.revision_date = FIXED_DATE
        catalog.fuzzy = False
        catalog.project, catalog.version = "stakeholder-graph", ""
        catalog.copyright_holder = "the stakeholder-graph authors"
        catalog.msgid_bugs_address = catalog.last_translator = ""
    out = {POT: _write(template, POT), po_path(LATIN): _write(latin, po_path(LATIN)),
           po_path(CYRILLIC): _write(cyr, po_path(CYRILLIC))}
    for locale, catalog in ((LATIN, latin), (CYRILLIC, cyr)):
        out[po_path(locale).with_suffix(".mo")] = compiled(catalog)
    return out


def untranslated() -> list[str]:
    latin = _read(po_path(LATIN), LATIN)
    return [m.id if isinstance(m.id, str) else m.id[0] for m in latin
            if m.id and not (all(m.string) if isinstance(m.string, (tuple, list)) else m.string)]


def _stable(data: bytes) -> bytes:
    """A .po file without the lines that change with the run or the Babel version."""
    return re.sub(rb'"(POT-Creation-Date|PO-Revision-Date|Generated-By): [^"]*\\n"\n', b"", data)


def _messages(data: bytes) -> dict:
    """The messages of a compiled catalogue (its header aside)."""
    import gettext

    catalog = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)
    catalog.pop("", None)
    return catalog


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "all"
    files = wanted_files()
    if command == "all":
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            same = path.exists() and (_messages(path.read_bytes()) == _messages(data) if path.suffix == ".mo"
                                      else _stable(path.read_bytes()) == _stable(data))
            if not same:
                path.write_bytes(data)
                print(f"wrote {path.relative_to(ROOT)}")
        missing = untranslated()
        if missing:
            print(f"{len(missing)} message(s) without a Serbian translation in {po_path(LATIN).relative_to(ROOT)}")
        return 0
    if command == "check":
        stale = [p for p, data in files.items() if p.suffix != ".mo" and
                 (not p.exists() or _stable(p.read_bytes()) != _stable(data))]
        stale += [p for p, data in files.items() if p.suffix == ".mo" and
                  (not p.exists() or _messages(p.read_bytes()) != _messages(data))]
        for p in stale:
            print(f"out of date: {p.relative_to(ROOT)} (run python tools/catalogue.py all)")
        missing = untranslated()
        for m in missing:
            print(f"not translated: {m!r}")
        return 1 if stale or missing else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
