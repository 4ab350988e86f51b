"""Read an HSDS 3.0 dataset (Open Referral) as records: the tabular form (a folder with
`datapackage.json` and CSV files) or the JSON form (organizations with their services nested,
as `export --to hsds` writes organizations.json and HSDS's API returns them).

    tables = read_hsds_folder(Path("partner.hsds"), "partner.hsds", problems, limits)

organization -> actor, service -> service (its organization is the provider), program ->
project (its organization leads it), service_area -> a place it covers. The dataset cites
itself: one source record for it (format hsds), which every record from it cites. The
attributes of our own taxonomies (exports.hsds) come back as what they were: service types,
referral steps, populations served, exploitation forms, basis, and every other field; our
fields win over HSDS's own where both are given. A dataset of another origin gives what HSDS
has: names, descriptions, eligibility, ages, languages, public channels, areas. Its service
areas become places whose level is "not stated"; a service it lists as not active is left out
with a warning (our records say when a service ended, and the dataset does not); the
attributes of other taxonomies are counted in one warning. The companion file
stakeholder-graph.json, when present, adds the records and relations HSDS has no table for,
and the details (basis, rule, sources) of relations the tables hold.
"""
from __future__ import annotations

import json
import re
import unicodedata
import uuid
from pathlib import Path

from stakeholder_graph.graph.errors import Origin, Problems
from stakeholder_graph.graph.schema import (
    EDGE_ATTRS,
    NODE_KINDS,
    NOT_STATED,
    RELATIONS_PLURAL,
)
from stakeholder_graph.loaders.files import RawRow, read_csv, read_text
from stakeholder_graph.loaders.limits import Limits
from stakeholder_graph.loaders.records import cell_value

# The namespace of the UUIDs derived from our ids: fixed forever, or every id would change.
NAMESPACE = uuid.UUID("6f1c2a53-8f0e-5d3b-9c61-3e7a1b2d4c58")
DATAPACKAGE = "datapackage.json"
COMPANION = "stakeholder-graph.json"
KINDS = {"organization": "actor", "service": "service", "program": "project"}
SCHEDULE_24_7 = ("WEEKLY", "MO,TU,WE,TH,FR,SA,SU", "00:00:00", "23:59:59")


def hsds_uuid(*parts: str) -> str:
    """The UUID of one of our records or rows in HSDS ('service', 'centre-shelter'): the same
    parts always give the same UUID (uuid5), on every machine."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def is_hsds_folder(path: Path) -> bool:
    """A folder holding an HSDS data package: its datapackage.json declares organizations and
    services."""
    descriptor = path / DATAPACKAGE
    if not descriptor.is_file():
        return False
    try:
        names = {r.get("name") for r in json.loads(descriptor.read_text("utf-8")).get("resources", [])}
    except (OSError, ValueError, AttributeError, TypeError):
        return path.suffix.lower() == ".hsds"  # a broken descriptor is reported by the reader
    return {"organization", "service"} <= names


def is_hsds_json(data) -> bool:
    """HSDS's JSON form: a list of organizations, a page of them ({"contents": [...]}) or one,
    each with a name and no node-link "nodes"."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(isinstance(i, dict) and "name" in i and "nodes" not in i for i in items) and \
        any("services" in i or "organization_id" not in i for i in items)


def read_json_file(path: Path, shown: str, problems: Problems,
                   limits: Limits | None = None) -> list[tuple[str, list[RawRow]]]:
    """A .json data file: HSDS's JSON form, or a node-link export (`export --to json`)."""
    from stakeholder_graph.loaders.nodelink import node_link_tables, read_json

    data = read_json(path, shown, problems, limits)
    if data is None:
        return []
    if is_hsds_json(data):
        return read_hsds_json(data, shown, problems)
    return node_link_tables(data, shown, problems)


# --- reading the two forms into tables --------------------------------------------------------


def read_hsds_folder(path: Path, shown: str, problems: Problems,
                     limits: Limits | None = None) -> list[tuple[str, list[RawRow]]]:
    """The records of a tabular HSDS dataset (and of its companion file, when there is one)."""
    text = read_text(path / DATAPACKAGE, f"{shown}/{DATAPACKAGE}", problems, limits)
    if text is None:
        return []
    try:
        descriptor = json.loads(text)
        resources = {r["name"]: r["path"] for r in descriptor["resources"]}
    except (ValueError, KeyError, TypeError) as exc:
        problems.error(Origin(f"{shown}/{DATAPACKAGE}"), f"not a data package descriptor: {exc}")
        return []
    tables: dict[str, list[RawRow]] = {}
    for table, file in resources.items():
        if isinstance(file, str) and (path / file).is_file():
            tables[table] = read_csv(path / file, f"{shown}/{file}", problems, limits)
    companion = None
    if (path / COMPANION).is_file():
        from stakeholder_graph.loaders.nodelink import read_node_link

        companion = read_node_link(path / COMPANION, f"{shown}/{COMPANION}", problems, limits)
    return _records(tables, _dataset_source(path.name, descriptor), shown, companion, problems)


def read_hsds_json(data, shown: str, problems: Problems) -> list[tuple[str, list[RawRow]]]:
    """The records of HSDS's JSON form (already parsed), each nested object a row of its table."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    tables: dict[str, list[RawRow]] = {}
    for index, organization in enumerate(data if isinstance(data, list) else [data], 1):
        _flatten("organization", organization, Origin(shown, sheet=f"organizations #{index}"), None, tables)
    return _records(tables, _dataset_source(Path(shown).name, {}), shown, None, problems)


NESTED = {  # key in a JSON object -> (its table, the foreign key naming the parent)
    "phones": ("phone", None), "programs": ("program", "organization_id"), "services": ("service", None),
    "schedules": ("schedule", "service_id"), "service_areas": ("service_area", "service_id"),
    "languages": ("language", "service_id"), "attributes": ("attribute", "link_id"),
    "metadata": ("metadata", "resource_id"), "locations": ("location", "organization_id"),
    "contacts": ("contact", None), "funding": ("funding", None),
}


def _flatten(table: str, item, origin: Origin, parent: tuple[str, str] | None, tables: dict) -> None:
    """One JSON object as a row of `table` (values as text, as the CSV form has them), its
    nested objects as rows of theirs, each pointing at its parent."""
    if not isinstance(item, dict):
        tables.setdefault("_errors", []).append(RawRow({"message": f"expected an object in {table}"}, origin, {},
                                                       True))
        return
    row = {}
    for key, value in item.items():
        if key in NESTED and isinstance(value, list):
            child, fk = NESTED[key]
            for index, sub in enumerate(value, 1):
                where = Origin(origin.file, sheet=f"{origin.sheet} {key} #{index}")
                _flatten(child, sub, where, (fk or f"{table}_id", str(item.get("id", ""))), tables)
        elif key == "taxonomy_term" and isinstance(value, dict):
            _flatten("taxonomy_term", {k: v for k, v in value.items() if k != "taxonomy_detail"},
                     Origin(origin.file, sheet=f"{origin.sheet} taxonomy_term"), None, tables)
            if isinstance(value.get("taxonomy_detail"), dict):
                _flatten("taxonomy", value["taxonomy_detail"], origin, None, tables)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            row[key] = str(value).strip()
    if parent and parent[1]:
        row.setdefault(parent[0], parent[1])
        if table == "attribute":
            row.setdefault("link_entity", parent[0].removesuffix("_id"))
    tables.setdefault(table, []).append(RawRow(row, origin, {}, True))


def _dataset_source(name: str, descriptor: dict) -> dict:
    """The source record a dataset's records cite: its name, and its date where it states one."""
    title = descriptor.get("title") if isinstance(descriptor.get("title"), str) else None
    source = {"id": f"hsds-{_slug(name) or 'dataset'}", "name": f"HSDS dataset {name}" + (f" ({title})" if title else ""),
              "format": "hsds", "note": f"an HSDS 3.0 dataset read from {name}"}
    created = descriptor.get("created")
    if isinstance(created, str) and re.match(r"^\d{4}-\d{2}-\d{2}", created):
        source["date"] = created[:10]
    return source


# --- tables to records ----------------------------------------------------------------------


class _Tables:
    """The rows of a dataset by table, with what the records need to look up."""

    def __init__(self, tables: dict[str, list[RawRow]]):
        self.tables = tables
        self.terms = {r.values.get("id"): r.values for r in tables.get("taxonomy_term", [])}
        self.attributes: dict[str, list[RawRow]] = {}
        self.origins: dict[tuple[str, str], Origin] = {}  # (link id, term code) -> the attribute row
        for row in tables.get("attribute", []):
            self.attributes.setdefault(row.values.get("link_id"), []).append(row)
        self.by_parent: dict[tuple[str, str, str], list[RawRow]] = {}
        for table in ("phone", "schedule", "service_area", "language"):
            for row in tables.get(table, []):
                for key in ("service_id", "organization_id"):
                    if row.values.get(key):
                        self.by_parent.setdefault((table, key, row.values[key]), []).append(row)

    def rows(self, table: str) -> list[RawRow]:
        return self.tables.get(table, [])

    def children(self, table: str, key: str, parent: str) -> list[RawRow]:
        return self.by_parent.get((table, key, parent), [])

    def ours(self, link_id: str) -> dict[str, list[tuple[str, str | None]]]:
        """{taxonomy prefix: [(code after it, value)]} of an object's attributes whose terms are
        of our taxonomies ('service_type:hotline', 'field:start', ...)."""
        found: dict[str, list[tuple[str, str | None]]] = {}
        for row in self.attributes.get(link_id, []):
            code = (self.terms.get(row.values.get("taxonomy_term_id")) or {}).get("code") or ""
            prefix, sep, rest = code.partition(":")
            if sep:
                found.setdefault(prefix, []).append((rest, row.values.get("value")))
                self.origins[link_id, code] = row.origin.at_column("value")
        return found


def _records(tables: dict[str, list[RawRow]], source: dict, shown: str, companion, problems: Problems):
    """The records of a dataset's tables: (kind, rows) as every reader returns them."""
    for row in tables.pop("_errors", []):
        problems.error(row.origin, row.values["message"])
    t = _Tables(tables)
    ids: dict[str, str] = {}  # HSDS id -> our record id
    # ids first: a service names its organization, a program its lead, by HSDS id
    for table, kind in KINDS.items():
        for row in t.rows(table):
            hsds_id = row.values.get("id")
            if not hsds_id:
                problems.error(row.origin, f"{table} has no id")
                continue
            if hsds_id in ids:
                problems.error(row.origin.at_column("id"), f"{table} id {hsds_id} is given twice")
                continue
            ours = dict(t.ours(hsds_id).get("field", []))
            ids[hsds_id] = ours.get("id") or _unique(_slug(row.values.get("name", "")) or kind, set(ids.values()))
    made: dict[str, tuple[str, dict, Origin]] = {}  # HSDS id -> (kind, values, origin)
    links: list[tuple[str, dict, str, str, str]] = []  # (kind, record values, link field, target, edge type)
    foreign_terms: dict[str, int] = {}
    for table, kind in KINDS.items():
        for row in t.rows(table):
            if ids.get(row.values.get("id")) is None or row.values["id"] in made:
                continue
            values = _record(table, kind, row, t, ids, source["id"], links, problems, foreign_terms)
            if values is not None:
                made[row.values["id"]] = (kind, values, row.origin)
    places: dict[str, tuple[dict, Origin]] = {}
    for row in t.rows("service_area"):
        service = made.get(row.values.get("service_id"))
        if service is not None and service[0] == "service":
            _area(row, t, service[1], source["id"], places, links)
    for taxonomy, count in sorted(foreign_terms.items()):
        problems.warning(Origin(shown), f"{count} attribute{'s' * (count > 1)} of the taxonomy {taxonomy!r} not "
                         "kept: stakeholder-graph has no field for them")
    relations = _attach_companion(companion, links)
    out: dict[str, list[RawRow]] = {"source": [RawRow(source, Origin(shown), {}, False)]}
    for kind, values, origin in made.values():
        where = values.pop("_where")
        out.setdefault(kind, []).append(RawRow(_cleaned(values), origin, where, False))
    out.setdefault("place", []).extend(RawRow(v, o, {}, False) for v, o in places.values())
    for kind, table in companion or ():
        if kind != RELATIONS_PLURAL:
            out.setdefault(kind, []).extend(_citing(row, source["id"]) if kind != "source" else row for row in table)
    if relations:
        out[RELATIONS_PLURAL] = [_citing(row, source["id"]) for row in relations]
    return [(kind, rows) for kind, rows in out.items() if rows]


def _citing(row: RawRow, source_id: str) -> RawRow:
    """A row of the companion file citing the dataset too (every record from it does)."""
    cited = row.values.get("sources")
    if isinstance(cited, list) and source_id not in cited:
        row.values["sources"] = [*cited, source_id]
    return row


def _cleaned(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in (None, [], "")}


def _record(table, kind, row, t: _Tables, ids, source_id, links, problems, foreign_terms) -> dict | None:
    """One organization, service or program as the values of our record."""
    v = row.values
    hsds_id = v["id"]
    attrs = t.ours(hsds_id)
    fields = dict(attrs.get("field", []))
    spec = NODE_KINDS[kind].all_fields
    values: dict = {"id": ids[hsds_id]}
    where: dict = {}  # field -> the cell it came from
    if not fields:  # not one of ours: say what the HSDS-only data cannot give
        for code_row in t.attributes.get(hsds_id, []):
            term = t.terms.get(code_row.values.get("taxonomy_term_id")) or {}
            taxonomy = term.get("taxonomy") or term.get("taxonomy_id") or "unnamed"
            foreign_terms[taxonomy] = foreign_terms.get(taxonomy, 0) + 1
        if kind == "service" and v.get("status", "active") != "active":
            problems.warning(row.origin, f"service {v.get('name', hsds_id)!r} left out: its status is "
                             f"{v['status']!r}, and the dataset does not say since when")
            return None
    if hsds_uuid(kind, ids[hsds_id]) != hsds_id:
        values["hsds_id"] = hsds_id
    for ours, theirs in (("name", "name"), ("description", "description"), ("aliases", "alternate_name"),
                         ("eligibility", "eligibility_description"), ("how_to_refer", "application_process"),
                         ("min_age", "minimum_age"), ("max_age", "maximum_age"), ("verified", "assured_date")):
        if ours in spec and v.get(theirs) and not (ours == "description" and v[theirs] == NOT_STATED):
            where[ours] = row.origin.at_column(theirs)
            values[ours] = _typed(v[theirs], spec[ours], where[ours], problems)
    for name, text in fields.items():
        if name != "id" and text is not None:
            where[name] = t.origins[hsds_id, f"field:{name}"]
            values[name] = _typed(text, spec[name], where[name], problems) if name in spec else text
    for basis, rule in attrs.get("basis", [])[:1]:
        values["basis"] = basis
        if rule:
            values["rule"] = rule
    if kind == "service":
        values["types"] = [code for code, _ in attrs.get("service_type", [])]
        for code, _ in attrs.get("referral_step", [])[:1]:
            values["referral_step"] = code
        for code, _ in attrs.get("population", []):
            links.append((kind, values, "serves", code, "serves"))
        for code, _ in attrs.get("exploitation_form", []):
            links.append((kind, values, "forms", code, "addresses"))
        _service_natives(v, t, values, fields)
    if "channels" not in fields:
        values["channels"] = _channels(v, t, table)
    owner = v.get("organization_id")
    if kind in ("service", "project") and owner:
        if owner in ids:
            field, etype = ("provider", "offers") if kind == "service" else ("lead", "leads")
            links.append((kind, values, field, ids[owner], etype))
        else:
            problems.error(row.origin.at_column("organization_id"), f"no organization with id {owner} in the dataset")
    if kind == "service" and v.get("program_id") in ids:
        links.append((kind, values, "project", ids[v["program_id"]], "part_of"))
    if kind == "actor" and v.get("parent_organization_id") in ids:
        links.append((kind, values, "part_of", ids[v["parent_organization_id"]], "part_of"))
    cited = values.get("sources") or []
    values["sources"] = cited if source_id in cited else [*cited, source_id]
    values["_where"] = where
    return values


def _service_natives(v: dict, t: _Tables, values: dict, fields: dict) -> None:
    """Languages and schedules (24/7, opening hours) of a service from HSDS's own tables,
    unless our fields give them."""
    if "languages" not in fields:
        values["languages"] = [r.values["code"].lower() for r in t.children("language", "service_id", v["id"])
                               if r.values.get("code")]
    schedules = [tuple(s.values.get(k) for k in ("freq", "byday", "opens_at", "closes_at", "description"))
                 for s in t.children("schedule", "service_id", v["id"])]
    if "available_24_7" not in fields and any(s[:4] == SCHEDULE_24_7 for s in schedules):
        values["available_24_7"] = True
    if "hours" not in fields:
        values["hours"] = "\n".join(s[4] for s in schedules if s[4] and s[:4] != SCHEDULE_24_7)


def _channels(v: dict, t: _Tables, table: str) -> list[dict]:
    """The public channels an HSDS object gives: website (url), email, phone numbers."""
    channels = [{"type": "website", "value": v[key]} for key in ("website", "url") if v.get(key)]
    if v.get("email"):
        channels.append({"type": "email", "value": v["email"]})
    for phone in t.children("phone", f"{table}_id", v["id"]):
        if phone.values.get("number"):
            channels.append({"type": "hotline", "value": phone.values["number"]})
    return channels


def _area(row: RawRow, t: _Tables, service: dict, source_id: str, places: dict, links: list) -> None:
    """A service area: the place our field names, or a place of the dataset's own whose level
    is not stated."""
    v = row.values
    place = dict(t.ours(v.get("id", "")).get("field", [])).get("id")
    if place is None:
        name = v.get("name") or v.get("description")
        if not name:
            return
        place = f"hsds-area-{_slug(name) or 'unnamed'}"
        places.setdefault(place, ({"id": place, "name": name, "level": NOT_STATED, "sources": [source_id]},
                                  row.origin))
    links.append(("service", service, "covers", place, "covers"))


def _attach_companion(companion, links: list) -> list[RawRow]:
    """Put each link in its record's link field, with the details the companion file gives
    that relation (its basis, rule, sources); the companion's other relations as they are."""
    details: dict[tuple, dict] = {}
    relations: list[RawRow] = []
    for kind, table in companion or ():
        if kind == RELATIONS_PLURAL:
            relations = table
            for row in table:
                details.setdefault((row.values.get("type"), row.values.get("from"), row.values.get("to")), row.values)
    used: set[tuple] = set()
    for kind, values, field, target, etype in links:
        out = NODE_KINDS[kind].links[field].direction == "out"
        key = (etype, values["id"], target) if out else (etype, target, values["id"])
        item: str | dict = target
        if key in details and key not in used:
            used.add(key)
            item = {"id": target, **{k: val for k, val in details[key].items() if k in EDGE_ATTRS}}
        values.setdefault(field, []).append(item)
    return [r for r in relations if (r.values.get("type"), r.values.get("from"), r.values.get("to")) not in used]


# --- small helpers --------------------------------------------------------------------------


def _typed(text: str, spec, origin: Origin, problems: Problems):
    """A cell's text as the value its field holds: a list or mapping written as JSON (as the
    export writes them) or as a CSV cell; a number HSDS writes as 12.0 is 12."""
    if spec.type == "integer" and re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    try:
        if spec.type in ("list", "mapping", "channels", "references") and text.startswith(("[", "{")):
            value = json.loads(text)
            if not isinstance(value, (list, dict)):
                raise ValueError(f"expected a JSON list or object, got {text!r}")
            return value
        return cell_value(text, spec)
    except ValueError as exc:
        problems.error(origin, str(exc))
        return None


def _slug(name: str) -> str:
    """An id from a name: ASCII letters and digits joined by '-' ('Centar za socijalni rad Niš'
    -> 'centar-za-socijalni-rad-nis')."""
    ascii_name = unicodedata.normalize("NFKD", name.replace("đ", "dj").replace("Đ", "Dj"))
    ascii_name = ascii_name.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:60].strip("-")


def _unique(base: str, taken: set[str]) -> str:
    rid, n = base, 2
    while rid in taken:
        rid, n = f"{base}-{n}", n + 1
    return rid


