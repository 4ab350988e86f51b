"""FollowTheMoney entities as JSON lines: the actors, projects and the ties between them in the
data model of OCCRP's Aleph (https://followthemoney.tech), one entity a line,
{"id", "schema", "properties": {property: [values]}}.

    actor (sector government, or type foreign_government) -> PublicBody; other actors -> Organization
    project                                        -> Project
    leads, partner_in, funds (actor -> project)    -> ProjectParticipant, role lead, partner, funder
    member_of                                      -> Membership
    refers_to, partners_with, oversees, monitors,
    part_of, funds between actors                  -> UnknownLink, role: the relation's type

Every entity cites its sources as FtM does: sourceUrl, publisher and retrievedAt (a source's
`accessed` date; its publication `date` is not when anyone retrieved it, so it is not used).
Countries are ISO 3166-1 alpha-2 codes, from the country an actor's or project's places lie in.
Services, places, populations, forms of exploitation, indicators, assessments and publications
have no FtM entity of their own here and are left out, with every relation that touches them.

The JSON is written by hand from the FtM schemata: the followthemoney library is not imported
(it pins networkx below the versions this package may run on; the tests check the file with it).
Values are already in FtM's cleaned form (dates as written, YYYY[-MM[-DD]], lowercase country
codes, URLs with a scheme and a path, names with single spaces), so reading the file back through
the library changes nothing. Ids are stable: "sg-" and a record's id, or for a relation
"sg-" and the SHA-1 of its type, ends and key; the order is the snapshot's, so the same data
always gives the same bytes.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

from stakeholder_graph.exports.snapshot import Snapshot
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.schema import INFERENCE_RULES, cited_by
from stakeholder_graph.viz.text import json_inert

ID_PREFIX = "sg-"

# ISO 3166-1 alpha-2 codes, lowercase as FtM writes them, of the countries a place of level
# "country" may name: the Western Balkans and the countries bordering them. Kosovo has no ISO
# code; "xk" is the user-assigned code FtM (and the EU, and most registries) use for it.
COUNTRY_CODES = {
    "albania": "al",
    "bosnia and herzegovina": "ba",
    "kosovo": "xk",
    "montenegro": "me",
    "north macedonia": "mk",
    "serbia": "rs",
    "bulgaria": "bg",
    "croatia": "hr",
    "greece": "gr",
    "hungary": "hu",
    "romania": "ro",
}

# a project's participants, and the role each relation gives them
PARTICIPATION = {"leads": "lead", "partner_in": "partner", "funds": "funder"}
MEMBERSHIP = "member_of"
# actor -> actor relations FtM has no schema for: Ownership needs an asset, Directorship a
# director, Control a power to direct, none of which these state
LINKS = ("refers_to", "partners_with", "oversees", "monitors", "part_of", "funds")


def country_code(name: str) -> str | None:
    """The FtM country code of a country's name ("Serbia" -> "rs"), or None when the table
    does not know it."""
    return COUNTRY_CODES.get(name.strip().casefold())


def _countries(g: StakeholderGraph, places: Iterable[str]) -> list[str]:
    """The codes of the countries the places lie in (or are), each once, in the places' order.
    A place above any country (a region) or in a country the table lacks gives none."""
    codes = []
    for place in places:
        country = g.country_of(place)
        code = country_code(g.name(country)) if country else None
        if code and code not in codes:
            codes.append(code)
    return codes


def _url(text: str) -> str | None:
    """A source's URL as FtM cleans it (a lowercase http or https scheme, a host, a path of at
    least "/"), or None for text that is not such a URL."""
    try:
        parts = urlsplit(text.strip())
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in parts.netloc):
        return None
    return urlunsplit(parts._replace(scheme=scheme, path=parts.path.strip() or "/"))


def _email(text: str) -> str | None:
    """An email address with its domain in lowercase, as FtM keeps it; None if it has no @."""
    local, at, domain = text.strip().rpartition("@")
    return f"{local}@{domain.rstrip('.').lower()}" if at and local and "." in domain else None


def _phone(text: str) -> str | None:
    """A hotline in international form as FtM keeps it (E.164: + and digits, no separators),
    or None for a number written without its country code: which country code to add would be
    a guess, and FtM would drop or change it."""
    text = text.strip()
    digits = "".join(c for c in text if c.isdigit())
    if not text.startswith("+") or any(not (c.isdigit() or c in " -()/.") for c in text[1:]):
        return None
    return "+" + digits if 7 <= len(digits) <= 15 else None


class _Entity:
    """One FtM entity being built: properties whose values keep their first order, each once
    (FtM holds a property's values as a set, and drops empty ones)."""

    def __init__(self, entity_id: str, schema: str):
        self.id = entity_id
        self.schema = schema
        self.properties: dict[str, list[str]] = {}

    def add(self, prop: str, values) -> None:
        """Add one value or several; None and empty text are skipped."""
        if values is None or isinstance(values, str):
            values = [values]
        kept = self.properties.setdefault(prop, [])
        for value in values:
            if value is not None and str(value).strip() and str(value) not in kept:
                kept.append(str(value))
        if not kept:
            del self.properties[prop]

    def as_dict(self) -> dict:
        """{"id", "schema", "properties"} with the properties in alphabetical order."""
        return {"id": self.id, "schema": self.schema,
                "properties": {k: self.properties[k] for k in sorted(self.properties)}}


def _cite(entity: _Entity, attrs: dict, sources: dict[str, dict]) -> None:
    """sourceUrl, publisher and retrievedAt of every source the record or relation cites."""
    cited = [sources[i] for i in cited_by(attrs) if i in sources]
    entity.add("sourceUrl", [_url(s["url"]) for s in cited if s.get("url")])
    entity.add("publisher", [s.get("publisher") for s in cited])
    entity.add("retrievedAt", [s.get("accessed") for s in cited])


def _inferred(attrs: dict) -> str | None:
    """A sentence saying that a fact was inferred, not stated, and by which rule; or None."""
    if attrs.get("basis") != "inferred":
        return None
    rule_id = attrs.get("rule")
    said = f"Inferred, not stated by the sources (rule {rule_id})"
    rule = INFERENCE_RULES.get(rule_id or "")
    return f"{said}: {rule.text}" if rule else said


def _record_id(node_id: str) -> str:
    """The entity id of a record."""
    return ID_PREFIX + node_id


def _relation_id(edge_type: str, source: str, target: str, key) -> str:
    """The entity id of a relation, from what identifies it in the graph."""
    digest = hashlib.sha1("\x1f".join((edge_type, source, target, str(key))).encode("utf-8")).hexdigest()
    return ID_PREFIX + digest


def _name(text: str | None) -> str | None:
    """A name with its runs of spaces as one, as FtM keeps names."""
    return " ".join(text.split()) if text else None


def _names(entity: _Entity, attrs: dict) -> None:
    """name; the names in other languages and scripts and a short name as alias; the other
    names people use as weakAlias (they include generic words, "police", "the Centre", which
    FtM's weakAlias keeps out of name matching)."""
    entity.add("name", _name(attrs.get("name")))
    entity.add("alias", [_name(n) for n in [attrs.get("short_name"), *(attrs.get("names") or {}).values()]])
    entity.add("weakAlias", [_name(n) for n in attrs.get("aliases") or []])


def _notes(entity: _Entity, attrs: dict) -> None:
    """description; how the record was derived, its data-quality doubts and, for an inferred
    record, the rule, as notes."""
    entity.add("description", attrs.get("description"))
    entity.add("notes", [attrs.get("note"), *(f"Data quality: {d}" for d in attrs.get("data_quality") or []),
                         _inferred(attrs)])


def _actor_schema(attrs: dict) -> str:
    """PublicBody for a government body or a foreign government's department (its type says
    so even where its sector, seen from Serbia, is international); Organization otherwise."""
    public = attrs.get("sector") == "government" or attrs.get("type") == "foreign_government"
    return "PublicBody" if public else "Organization"


def _relation_schema(g: StakeholderGraph, source: str, target: str,
                     edge_type: str) -> tuple[str, tuple[str, str], str | None] | None:
    """(schema, its two end properties, role) of a relation's entity, or None when FtM gets
    none for it (a relation touching a record that is not exported)."""
    kinds = (g.kind(source), g.kind(target))
    if kinds == ("actor", "project") and edge_type in PARTICIPATION:
        return "ProjectParticipant", ("participant", "project"), PARTICIPATION[edge_type]
    if kinds == ("actor", "actor") and edge_type == MEMBERSHIP:
        return "Membership", ("member", "organization"), None
    if kinds == ("actor", "actor") and edge_type in LINKS:
        return "UnknownLink", ("subject", "object"), edge_type
    return None


def _actor(g: StakeholderGraph, node_id: str, attrs: dict, sources: dict[str, dict]) -> _Entity:
    """An actor as a PublicBody (a government body, a foreign government's department) or an
    Organization."""
    entity = _Entity(_record_id(node_id), _actor_schema(attrs))
    _names(entity, attrs)
    _notes(entity, attrs)
    entity.add("country", _countries(g, [v for v, _ in g.out_edges(node_id, "located_in")]))
    entity.add("sector", attrs.get("sector"))
    entity.add("classification", [attrs.get("type"), attrs.get("level")])
    entity.add("keywords", attrs.get("roles"))
    entity.add("incorporationDate", attrs.get("start"))
    entity.add("dissolutionDate", attrs.get("end"))
    channels = attrs.get("channels") or []
    for channel_type, prop, clean in (("website", "website", _url), ("email", "email", _email),
                                      ("hotline", "phone", _phone)):
        entity.add(prop, [clean(c["value"]) for c in channels if c.get("type") == channel_type])
    _cite(entity, attrs, sources)
    return entity


def _project(g: StakeholderGraph, node_id: str, attrs: dict, sources: dict[str, dict]) -> _Entity:
    """A project, with the countries of the places it covers."""
    entity = _Entity(_record_id(node_id), "Project")
    _names(entity, attrs)
    _notes(entity, attrs)
    entity.add("goal", attrs.get("objectives"))
    entity.add("startDate", attrs.get("start"))
    entity.add("endDate", attrs.get("end"))
    entity.add("country", _countries(g, [v for v, _ in g.out_edges(node_id, "covers")]))
    _cite(entity, attrs, sources)
    return entity


def _relation(g: StakeholderGraph, source: str, target: str, key, attrs: dict,
              sources: dict[str, dict]) -> _Entity | None:
    """A relation between two exported records as a ProjectParticipant, a Membership or an
    UnknownLink; None for one FtM gets no entity for (it touches a record left out)."""
    edge_type = attrs["type"]
    mapped = _relation_schema(g, source, target, edge_type)
    if mapped is None:
        return None
    schema, ends, role = mapped
    entity = _Entity(_relation_id(edge_type, source, target, key), schema)
    entity.add(ends[0], _record_id(source))
    entity.add(ends[1], _record_id(target))
    entity.add("role", [role, attrs.get("role")])
    entity.add("startDate", attrs.get("start"))
    entity.add("endDate", attrs.get("end"))
    entity.add("description", attrs.get("note"))
    populations = [g.name(p) for p in attrs.get("populations") or []]
    entity.add("summary", [f"For: {', '.join(populations)}" if populations else None, _inferred(attrs)])
    _cite(entity, attrs, sources)
    return entity


RECORD_WRITERS = {"actor": _actor, "project": _project}


def entities(snap: Snapshot) -> Iterator[dict]:
    """The snapshot as FtM entities: actors and projects in the snapshot's order, then the
    relations between them."""
    g = snap.graph
    sources = {s["id"]: s for s in snap.sources}
    for node_id, attrs in g.G.nodes(data=True):
        write = RECORD_WRITERS.get(attrs["kind"])
        if write is not None:
            yield write(g, node_id, attrs, sources).as_dict()
    for source, target, key, attrs in g.G.edges(keys=True, data=True):
        entity = _relation(g, source, target, key, attrs, sources)
        if entity is not None:
            yield entity.as_dict()


def schema_counts(snap: Snapshot) -> dict[str, int]:
    """How many entities of each FtM schema the export of `snap` holds, by schema name."""
    g = snap.graph
    counts = Counter(_actor_schema(a) if a["kind"] == "actor" else "Project"
                     for _, a in g.G.nodes(data=True) if a["kind"] in RECORD_WRITERS)
    counts.update(mapped[0] for u, v, a in g.G.edges(data=True)
                  if (mapped := _relation_schema(g, u, v, a["type"])) is not None)
    return dict(sorted(counts.items()))


def write_ftm(snap: Snapshot, out: BinaryIO) -> None:
    """One entity a line, UTF-8 JSON with no raw control character (viz.text.json_inert)."""
    for entity in entities(snap):
        out.write(json_inert(json.dumps(entity, ensure_ascii=False, separators=(",", ":"))).encode("utf-8") + b"\n")
