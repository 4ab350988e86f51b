"""Read an HSDS 3.0 dataset (Open Referral) as records: the tabular form (a folder with
`datapackage.json` and CSV files) or the JSON form (organizations with their services nested,
as `export --to hsds` writes organizations.json and HSDS's API returns them).

    pairs = read_hsds_folder(Path("partner.hsds"), "partner.hsds", problems, limits)
    # [("source", [row]), ("actor", [rows]), ("service", [rows]), ...] as every reader returns

organization -> actor, service -> service (its organization is the provider), program ->
project (its organization leads it), service_area -> a place it covers. The dataset cites
itself: one source record for it (format hsds), which every record from it cites.

Our own export (exports.hsds) comes back as it was: its records carry their ids, fields and
a fingerprint in attributes of our taxonomies, and the companion file stakeholder-graph.json
adds the records and relations HSDS has no table for. A record whose fingerprint no longer
matches was edited in the dataset: it then cites the dataset only, with a warning.

A dataset of another origin gives what HSDS has: names, descriptions, eligibility, ages,
languages, hours, public channels (phones of a contact person or a location are not taken)
and service areas. Its records get ids of the dataset's own (`hsds-<dataset>.<name>`), so
they never merge into ours by a shared name. A service area becomes a place whose level is
"not stated", unless exactly one place in the data has its name (link_named_areas). A service
listed as not active is left out with a warning (our records say when a service ended, and
the dataset does not). What is not read (locations, addresses, contacts, other taxonomies'
attributes) is counted in a warning; nothing is dropped without one.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from stakeholder_graph.graph.errors import Origin, Problems
from stakeholder_graph.graph.names import fold
from stakeholder_graph.graph.schema import EDGE_ATTRS, FORMULA_STARTS, NODE_KINDS, NOT_STATED, RELATIONS_PLURAL
from stakeholder_graph.loaders.files import RawRow, read_csv
from stakeholder_graph.loaders.hsds_format import (
    COLUMNS,
    COMPANION,
    DATAPACKAGE,
    JSON_NESTED,
    KINDS,
    SCHEDULE_24_7,
    TABLES,
    fingerprint,
    hsds_uuid,
    table_fields,
)
from stakeholder_graph.loaders.limits import Limits
from stakeholder_graph.loaders.records import cell_value

# tables read into records, and those counted in a warning and left: no address, location or
# contact person enters the graph (a shelter's location is never public)
READ = ("organization", "service", "program", "attribute", "taxonomy_term", "taxonomy", "service_area", "phone",
        "schedule", "language", "metadata")
NOT_READ = ("location", "address", "contact", "service_at_location", "accessibility", "funding", "cost_option",
            "required_document", "organization_identifier", "meta_table_description")
GUARD = tuple("'" + start for start in FORMULA_STARTS)  # a cell an export guarded against spreadsheets


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


# --- the two forms as rows by table ------------------------------------------------------------


def read_hsds_folder(path: Path, shown: str, problems: Problems,
                     limits: Limits | None = None) -> list[tuple[str, list[RawRow]]]:
    """The records of a tabular HSDS dataset (and of its companion file, when there is one)."""
    where = Origin(f"{shown}/{DATAPACKAGE}")
    if not (path / DATAPACKAGE).is_file():
        problems.error(Origin(shown), f"an HSDS folder without {DATAPACKAGE}: it declares the dataset's tables")
        return []
    from stakeholder_graph.loaders.nodelink import read_json, read_node_link

    descriptor = read_json(path / DATAPACKAGE, str(where), problems, limits)
    if descriptor is None:
        return []
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str)
                                                  and isinstance(r.get("path"), str) for r in resources):
        problems.error(where, 'not a data package descriptor: "resources" must be a list of {"name", "path"}')
        return []
    tables: dict[str, list[RawRow]] = {}
    folder = path.resolve()
    for resource in resources:
        table, file = resource["name"], resource["path"]
        target = (path / file).resolve()
        if target.parent != folder:
            problems.error(where, f"resource {table!r}: its path {file!r} is not a file of this folder")
            continue
        if not target.is_file():
            if table in ("organization", "service"):
                problems.error(where, f"resource {table!r}: {file} is missing")
            elif table in READ:
                problems.warning(where, f"resource {table!r}: {file} is missing; read as empty")
            continue
        tables[table] = read_csv(target, f"{shown}/{file}", problems, limits)
        for row in tables[table]:
            row.values = {k: _unguarded(v) for k, v in row.values.items()}
        _unknown_columns(table, tables[table], f"{shown}/{file}", problems)
    companion = None
    if (path / COMPANION).is_file():
        companion = read_node_link(path / COMPANION, f"{shown}/{COMPANION}", problems, limits)
    elif any(str(t.values.get("code", "")).startswith("field:") for t in tables.get("taxonomy_term", [])):
        problems.warning(Origin(shown), f"{COMPANION} is missing: the places, populations, sources and relations a "
                         "stakeholder-graph export keeps there must come from another --data")
    return _records(tables, _dataset_source(path.name, descriptor), shown, companion, problems)


def _unknown_columns(table: str, rows: list[RawRow], shown: str, problems: Problems) -> None:
    if table not in TABLES:
        return
    known = {name for name, *_ in table_fields(table)}
    extra = sorted({column for row in rows for column in row.values} - known)
    if extra:
        problems.warning(Origin(shown, 1), f"columns not in HSDS 3.0's {table} table, not read: {', '.join(extra)}")


def read_hsds_json(data, shown: str, problems: Problems) -> list[tuple[str, list[RawRow]]]:
    """The records of HSDS's JSON form (already parsed), each nested object a row of its table."""
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        data = data["contents"]
    tables: dict[str, list[RawRow]] = {}
    for index, organization in enumerate(data if isinstance(data, list) else [data], 1):
        _flatten("organization", organization, Origin(shown, sheet=f"organizations #{index}"), None, tables, problems)
    return _records(tables, _dataset_source(Path(shown).name, {}), shown, None, problems)


def _flatten(table: str, item, origin: Origin, parent: tuple[str, str, str] | None, tables: dict,
             problems: Problems) -> None:
    """One JSON object as a row of `table` (values as text, as the CSV form has them), its
    nested objects as rows of theirs. `parent`: (its table, the key naming it, its id)."""
    if not isinstance(item, dict):
        problems.error(origin, f"expected a {table} object, got {type(item).__name__}")
        return
    row = {}
    for key, value in item.items():
        if key in JSON_NESTED:
            child, fk = JSON_NESTED[key]
            if not isinstance(value, list):
                problems.error(origin.at_column(key), f"{key}: expected a list of {child} objects")
                continue
            for index, sub in enumerate(value, 1):
                where = Origin(origin.file, sheet=f"{origin.sheet} {key} #{index}")
                _flatten(child, sub, where, (table, fk or f"{table}_id", str(item.get("id", ""))), tables, problems)
        elif key == "taxonomy_term" and isinstance(value, dict):
            term = {k: v for k, v in value.items() if k != "taxonomy_detail"}
            _flatten("taxonomy_term", term, Origin(origin.file, sheet=f"{origin.sheet} taxonomy_term"), None,
                     tables, problems)
        elif key in ("organization", "program", "location", "taxonomy_detail"):
            continue  # the same object again, inline (HSDS's API repeats them)
        elif isinstance(value, bool) or not isinstance(value, (str, int, float)):
            if value is not None:
                problems.warning(origin.at_column(key), f"{key}: not read (expected text or a number)")
        elif str(value).strip():
            row[key] = str(value).strip()
    if parent:
        parent_table, key, parent_id = parent
        if row.get(key, parent_id) != parent_id:
            problems.error(origin.at_column(key), f"{key} {row[key]} differs from the {parent_table} it is nested in "
                           f"({parent_id})")
            return
        row[key] = parent_id
        if table == "attribute":
            row.setdefault("link_entity", parent_table)
    tables.setdefault(table, []).append(RawRow(row, origin, {}, True))


def _dataset_source(name: str, descriptor: dict) -> dict:
    """The source record a dataset's records cite. A dataset's `created` is when it was
    written, not when its services were confirmed: it goes in the note, never in `date`."""
    title = descriptor.get("title") if isinstance(descriptor.get("title"), str) else None
    note = f"an HSDS 3.0 dataset read from {name}"
    created = descriptor.get("created")
    if isinstance(created, str) and re.match(r"^\d{4}-\d{2}-\d{2}", created):
        note += f", created {created[:10]} as it states"
    return {"id": f"hsds-{_slug(name) or 'dataset'}", "name": f"HSDS dataset {name}" + (f" ({title})" if title else ""),
            "format": "hsds", "note": note}


# --- rows to records ----------------------------------------------------------------------------


class _Tables:
    """The rows of a dataset by table, with what the records need to look up."""

    def __init__(self, tables: dict[str, list[RawRow]], problems: Problems):
        self.tables = tables
        self.terms: dict[str, dict] = {}
        for row in tables.get("taxonomy_term", []):
            tid, code = row.values.get("id"), row.values.get("code")
            known = self.terms.get(tid)
            if known is not None and known.get("code") != code:
                problems.error(row.origin.at_column("code"), f"taxonomy term {tid} is given two codes: "
                               f"{known.get('code')!r} and {code!r}")
            self.terms.setdefault(tid, row.values)
        self.attributes: dict[str, list[RawRow]] = {}
        for row in tables.get("attribute", []):
            self.attributes.setdefault(row.values.get("link_id"), []).append(row)
        self.children: dict[tuple[str, str, str], list[RawRow]] = {}
        for table in ("phone", "schedule", "language"):
            for row in tables.get(table, []):
                for key in ("service_id", "organization_id"):
                    if row.values.get(key):
                        self.children.setdefault((table, key, row.values[key]), []).append(row)

    def rows(self, table: str) -> list[RawRow]:
        return self.tables.get(table, [])

    def of(self, table: str, key: str, parent: str) -> list[RawRow]:
        return self.children.get((table, key, parent), [])

    def ours(self, link_id: str) -> dict[str, list[tuple[str, str | None, Origin]]]:
        """{taxonomy prefix: [(the code after it, the attribute's value, where it is)]} of an
        object's attributes whose terms are of our taxonomies ('service_type:hotline',
        'field:start', ...)."""
        found: dict[str, list[tuple[str, str | None, Origin]]] = {}
        for row in self.attributes.get(link_id, []):
            term = self.terms.get(row.values.get("taxonomy_term_id")) or {}
            if _ours(term):
                prefix, _, rest = term["code"].partition(":")
                found.setdefault(prefix, []).append((rest, row.values.get("value"), row.origin.at_column("value")))
        return found

    def foreign(self, link_id: str) -> list[str]:
        """The taxonomies of an object's attributes that are not ours."""
        names = []
        for row in self.attributes.get(link_id, []):
            term = self.terms.get(row.values.get("taxonomy_term_id")) or {}
            if not _ours(term):
                names.append(term.get("taxonomy") or term.get("taxonomy_id") or "unnamed")
        return names


def _ours(term: dict) -> bool:
    """A term of one of our taxonomies: a code 'prefix:value', a taxonomy named 'stakeholder-graph ...'
    (or none named, as in the JSON form of our export's attributes)."""
    return ":" in (term.get("code") or "") and (term.get("taxonomy") or "stakeholder-graph").startswith(
        "stakeholder-graph")


class _Reading:
    """What the records of one dataset are made of as they are read."""

    def __init__(self, tables: dict[str, list[RawRow]], source: dict, problems: Problems):
        self.t = _Tables(tables, problems)
        self.source, self.problems = source, problems
        self.ids: dict[str, str] = {}  # HSDS id -> our record id
        self.made: dict[str, tuple[str, dict, Origin, dict]] = {}  # HSDS id -> (kind, values, origin, where)
        self.links: list[tuple[str, dict, str, str, str]] = []  # (kind, values, link field, target, edge type)
        self.places: dict[str, tuple[dict, Origin]] = {}
        self.dropped: dict[str, int] = {}  # what was not read -> how many
        self.taken: set[str] = set()  # the record ids given so far

    def count(self, what: str, n: int = 1) -> None:
        """Note that `n` of `what` were not read (one warning says them all)."""
        self.dropped[what] = self.dropped.get(what, 0) + n


def _records(tables: dict[str, list[RawRow]], source: dict, shown: str, companion, problems: Problems):
    """The records of a dataset's tables: (kind, rows) as every reader returns them."""
    r = _Reading(tables, source, problems)
    for table in NOT_READ:
        if tables.get(table):
            r.count(f"{table} rows", len(tables[table]))
    _assign_ids(r)
    for table, kind in KINDS.items():
        for row in r.t.rows(table):
            if row.values.get("id") in r.ids and row.values["id"] not in r.made:
                _record(r, table, kind, row)
    for row in r.t.rows("service_area"):
        _area(r, row)
    for row in r.t.rows("phone") + r.t.rows("schedule") + r.t.rows("language"):
        parent = row.values.get("service_id") or row.values.get("organization_id")
        if parent and parent not in r.ids:
            problems.warning(row.origin, f"names a service or organization ({parent}) the dataset does not have: "
                             "not read")
    if r.dropped:
        problems.warning(Origin(shown), "not read: " + ", ".join(f"{what}: {n}" for what, n in sorted(r.dropped.items()))
                         + " (stakeholder-graph keeps no address, location or contact person, and no field for "
                         "other taxonomies)")
    relations = _attach_companion(companion, r.links)
    out: dict[str, list[RawRow]] = {"source": [RawRow(source, Origin(shown), {}, False)]}
    for kind, values, origin, where in r.made.values():
        out.setdefault(kind, []).append(RawRow(_cleaned(values), origin, where, False))
    out.setdefault("place", []).extend(RawRow(v, o, {}, False) for v, o in r.places.values())
    for kind, table in companion or ():
        if kind != RELATIONS_PLURAL:
            out.setdefault(kind, []).extend(_citing(row, source["id"]) if kind != "source" else row for row in table)
    if relations:
        out[RELATIONS_PLURAL] = [_citing(row, source["id"]) for row in relations]
    return [(kind, rows) for kind, rows in out.items() if rows]


def _assign_ids(r: _Reading) -> None:
    """Our id for every organization, service and program: the one our export wrote, else one
    of the dataset's own from the name (never one of another layer's by a shared name)."""
    prefix = r.source["id"]
    for table in KINDS:
        for row in r.t.rows(table):
            hsds_id = row.values.get("id")
            if not hsds_id:
                r.problems.error(row.origin, f"{table} has no id")
            elif hsds_id in r.ids:
                r.problems.error(row.origin.at_column("id"), f"{table} id {hsds_id} is given twice")
            else:
                ours = {code: value for code, value, _ in r.t.ours(hsds_id).get("field", [])}
                name = _slug(row.values.get("name", "")) or table
                r.ids[hsds_id] = ours.get("id") or _unique(f"{prefix}.{name}", r.taken)
                r.taken.add(r.ids[hsds_id])


def _record(r: _Reading, table: str, kind: str, row: RawRow) -> None:
    """One organization, service or program as the values of our record."""
    v = row.values
    hsds_id = v["id"]
    attrs = r.t.ours(hsds_id)
    fields = {code: (value, where) for code, value, where in attrs.get("field", [])}
    spec = NODE_KINDS[kind].all_fields
    values: dict = {"id": r.ids[hsds_id]}
    where: dict = {}  # field -> the cell it came from, for the problems found later
    for taxonomy in r.t.foreign(hsds_id):
        r.count(f"attributes of the taxonomy {taxonomy!r}")
    status = v.get("status", "active")
    if kind == "service" and status != "active" and (not fields or status != "inactive"):
        r.problems.warning(row.origin.at_column("status"), f"service {v.get('name', hsds_id)!r} left out: the dataset "
                           f"says {status!r} but not since when (a record of ours says it with an end date)")
        return
    if hsds_uuid(kind, r.ids[hsds_id]) != hsds_id:  # not the UUID our export derives: the dataset's own
        values["hsds_id"] = hsds_id
    for ours, theirs in COLUMNS.items():
        if ours in spec and v.get(theirs) and not (ours == "description" and v[theirs] == NOT_STATED):
            where[ours] = row.origin.at_column(theirs)
            values[ours] = _typed(v[theirs], spec[ours], where[ours], r.problems)
    for name, (text, origin) in fields.items():
        if name not in ("id", "fingerprint") and text is not None:
            where[name] = origin
            values[name] = _typed(text, spec[name], origin, r.problems) if name in spec else text
    for basis, rule, _ in attrs.get("basis", [])[:1]:
        values["basis"] = basis
        if rule:
            values["rule"] = rule
    if kind == "service":
        values["types"] = [code for code, *_ in attrs.get("service_type", [])]
        for code, *_ in attrs.get("referral_step", [])[:1]:
            values["referral_step"] = code
        r.links += [(kind, values, "serves", code, "serves") for code, *_ in attrs.get("population", [])]
        r.links += [(kind, values, "forms", code, "addresses") for code, *_ in attrs.get("exploitation_form", [])]
        _service_natives(r, v, values, fields)
    if "channels" not in fields:
        values["channels"] = _channels(r, v, table)
    _owner_links(r, kind, values, v, row.origin)
    cited = values.get("sources") or []
    if "fingerprint" in fields and fingerprint(_cleaned(values)) != fields["fingerprint"][0]:
        r.problems.warning(row.origin, f"{kind} {values['id']}: edited in the dataset since stakeholder-graph exported "
                           f"it, so it now cites the dataset {r.source['id']} only")
        cited = []
    values["sources"] = cited if r.source["id"] in cited else [*cited, r.source["id"]]
    r.made[hsds_id] = (kind, values, row.origin, where)


def _owner_links(r: _Reading, kind: str, values: dict, v: dict, origin: Origin) -> None:
    """The provider of a service, the lead of a program, the parent of an organization, the
    program of a service: each the id of an HSDS object the dataset must have."""
    for key, field, etype in (("organization_id", "provider" if kind == "service" else "lead",
                               "offers" if kind == "service" else "leads"),
                              ("program_id", "project", "part_of"), ("parent_organization_id", "part_of", "part_of")):
        target = v.get(key)
        if not target or (key == "organization_id" and kind == "actor") or \
                (key == "program_id" and kind != "service") or (key == "parent_organization_id" and kind != "actor"):
            continue
        if target in r.ids:
            r.links.append((kind, values, field, r.ids[target], etype))
        else:
            r.problems.error(origin.at_column(key), f"{key}: the dataset has no object with id {target}")


def _service_natives(r: _Reading, v: dict, values: dict, fields: dict) -> None:
    """Languages and schedules (24/7, opening hours) of a service from HSDS's own tables,
    unless our fields give them."""
    if "languages" not in fields:
        values["languages"] = []
        for language in r.t.of("language", "service_id", v["id"]):
            if language.values.get("code"):
                values["languages"].append(language.values["code"].lower())
            else:
                r.problems.warning(language.origin, f"language {language.values.get('name', '')!r} not read: it has "
                                   "no ISO 639-1 code")
    schedules = [s.values for s in r.t.of("schedule", "service_id", v["id"])]
    shape = lambda s: tuple(s.get(k) for k in ("freq", "byday", "opens_at", "closes_at"))  # noqa: E731
    if "available_24_7" not in fields and any(shape(s) == SCHEDULE_24_7 for s in schedules):
        values["available_24_7"] = True
    if "hours" not in fields:
        hours = []
        for s in schedules:
            if shape(s) == SCHEDULE_24_7:
                continue
            times = " ".join(p for p in (s.get("byday"), "-".join(t for t in (s.get("opens_at"), s.get("closes_at"))
                                                                   if t)) if p)
            hours.append(s.get("description") or times)
        values["hours"] = "\n".join(h for h in hours if h)


def _channels(r: _Reading, v: dict, table: str) -> list[dict]:
    """The public channels an HSDS object gives: its website (url) and email, and the phones
    of the organization or service itself. A contact person's phone or a location's is not
    public: not taken, and said so."""
    channels = [{"type": "website", "value": v[key]} for key in ("website", "url") if v.get(key)]
    if v.get("email"):
        channels.append({"type": "email", "value": v["email"]})
    for phone in r.t.of("phone", f"{table}_id", v["id"]):
        private = [k for k in ("contact_id", "location_id", "service_at_location_id") if phone.values.get(k)]
        if private:
            r.count("phones of a contact person or location")
        elif phone.values.get("number"):
            channels.append({"type": "hotline", "value": phone.values["number"]})
    return channels


def _area(r: _Reading, row: RawRow) -> None:
    """A service area: the place our field names, or a place of the dataset's own whose level
    is not stated (link_named_areas may find it is one of the data's places)."""
    v = row.values
    made = r.made.get(v.get("service_id"))
    if v.get("service_id") in r.ids and made is None:
        return  # a service left out (and said so)
    if made is None or made[0] != "service":
        r.problems.warning(row.origin, f"service area of a service the dataset does not have ({v.get('service_id')}): "
                           "not read")
        return
    place = {code: value for code, value, _ in r.t.ours(v.get("id", "")).get("field", [])}.get("id")
    if place is None:
        name = v.get("name") or v.get("description")
        if not name:
            r.problems.warning(row.origin, "service area without a name: not read")
            return
        place = f"{r.source['id']}.area-{_slug(name) or 'unnamed'}"
        while place in r.places and r.places[place][0]["name"] != name:
            place += "-"  # another name with the same letters: a place of its own
        r.places.setdefault(place, ({"id": place, "name": name, "level": NOT_STATED, "sources": [r.source["id"]]},
                                    row.origin))
    r.links.append(("service", made[1], "covers", place, "covers"))


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


def link_named_areas(nodes: dict, edges: list) -> None:
    """A service area an HSDS dataset names but does not identify (a place of level "not
    stated") is the place of that name when exactly one place in all the data has it (its
    name, an alias or a name in another script): the relations move to that place, noted, and
    the stand-in place goes. Otherwise it stays, and a question naming it is refused as
    ambiguous rather than answered for the wrong town."""
    stand_ins = {i: n for i, n in nodes.items() if n.kind == "place" and n.fields.get("level") == NOT_STATED}
    if not stand_ins:
        return
    named: dict[str, set[str]] = {}
    for i, n in nodes.items():
        if n.kind == "place" and i not in stand_ins:
            names = [n.fields.get("name"), *(n.fields.get("aliases") or []), *(n.fields.get("names") or {}).values()]
            for name in names:
                if isinstance(name, str):
                    named.setdefault(fold(name), set()).add(i)
    moved = {}
    for i, n in stand_ins.items():
        found = named.get(fold(n.fields.get("name", "")), set())
        if len(found) == 1:
            moved[i] = next(iter(found))
    for edge in edges:
        if edge.target in moved:
            edge.attrs["note"] = f"the dataset names the area {nodes[edge.target].fields['name']!r}; the place of " \
                                 "that name"
            edge.target = moved[edge.target]
    for i in moved:
        del nodes[i]


# --- small helpers ------------------------------------------------------------------------------


def _citing(row: RawRow, source_id: str) -> RawRow:
    """A row of the companion file citing the dataset too (every record from it does)."""
    cited = row.values.get("sources")
    if isinstance(cited, list) and source_id not in cited:
        row.values["sources"] = [*cited, source_id]
    return row


def _cleaned(values: dict) -> dict:
    return {k: v for k, v in values.items() if v not in (None, [], "")}


def _unguarded(text: str) -> str:
    """A cell as the data has it: without the ' an export puts before text a spreadsheet would
    run as a formula."""
    return text[1:] if text.startswith(GUARD) else text


def _typed(text: str, spec, origin: Origin, problems: Problems):
    """A cell's text as the value its field holds: a list or mapping written as JSON (as the
    export writes them) or as a CSV cell; a number HSDS writes as 12.0 is 12."""
    if spec.type == "integer" and re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    try:
        if spec.type in ("list", "mapping", "channels", "references") and text.startswith(("[", "{")):
            value = json.loads(text)
            expected = dict if spec.type == "mapping" else list
            if not isinstance(value, expected):
                raise ValueError(f"expected a JSON {'object' if expected is dict else 'list'}, got {text[:60]!r}")
            return value
        return cell_value(text, spec)
    except RecursionError:
        problems.error(origin, "malformed JSON: nested too deeply")
    except ValueError as exc:
        problems.error(origin, str(exc))
    return None


def _slug(name: str) -> str:
    """An id from a name, in any script: 'Centar za socijalni rad Niš' and 'Центар за социјални
    рад Ниш' -> 'centar-za-socijalni-rad-nis'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:60].strip("-")


def _unique(base: str, taken: set[str]) -> str:
    rid, n = base, 2
    while rid in taken:
        rid, n = f"{base}-{n}", n + 1
    return rid
