"""HSDS 3.0 (Open Referral's Human Services Data Specification): the directory part of the
graph as a service directory platform reads it.

    files, rows = hsds_files(snapshot(g, Filters(audience="public")))   # {name: bytes}, {table: n}

One folder holds both forms HSDS defines, and a companion file:
- the tabular form: one CSV file per HSDS table and `datapackage.json`, which declares the 21
  tables with the same fields, primary and foreign keys as HSDS 3.0's own descriptor;
- the JSON form, `organizations.json`: each organization with its services nested, as HSDS's
  API returns an organization;
- `stakeholder-graph.json`: what HSDS has no table for (places, populations, sources, projects
  without a lead, services no provider is recorded for, ...) and the relations it cannot hold
  (actor to actor, referrals, a second provider), in the node-link form `export --to json`
  writes. loaders.hsds reads the three back as records.

Mapping: actor -> organization, service -> service (under its first provider), project with a
lead -> program, coverage -> service_area, public contact channels -> website, email, phones.
Our service types, referral steps, populations, exploitation forms and basis are taxonomies
declared in the dataset, linked by `attribute` rows; every other field of ours travels as an
attribute of the "stakeholder-graph fields" taxonomy whose `value` holds it (a list or a
mapping as JSON), with a fingerprint of the record's fields (a reader tells an edited record by
it). Statuses: active -> active; unconfirmed and unknown -> active with an `alert` to verify
first and a metadata row saying what ours was (for unconfirmed, one more with the date a
source last stated it); ended and planned -> inactive. An inferred relation says so in the
service area's description or the attribute's value. Ids are UUIDs derived from ours (uuid5),
so the same record always gets the same UUID; a record imported from HSDS keeps its own
(`hsds_id`). No address is ever written: the data holds none, and a shelter's location is
never public.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

from stakeholder_graph.exports.snapshot import Snapshot
from stakeholder_graph.exports.tables import cell_text
from stakeholder_graph.graph.model import StakeholderGraph
from stakeholder_graph.graph.schema import NODE_KINDS, NOT_STATED, REFERRAL_STEPS, VOCABULARIES
from stakeholder_graph.loaders.hsds_format import (
    COLUMNS,
    COMPANION,
    DATAPACKAGE,
    ENUMS,
    JSON_FORM,
    JSON_NESTED,
    SCHEDULE_24_7,
    TABLES,
    UNIQUE,
    fingerprint,
    hsds_uuid,
    is_uuid,
    table_fields,
)
from stakeholder_graph.queries.matching import last_confirmed, status
from stakeholder_graph.viz.text import csv_cell, json_inert


def datapackage() -> dict:
    """The Tabular Data Package descriptor of the CSV form: HSDS 3.0's tables, fields, keys."""
    resources = []
    for table, (path, _, foreign) in TABLES.items():
        fields = []
        for name, kind, fmt, required in table_fields(table):
            field = {"name": name, "type": kind}
            if fmt:
                field["format"] = fmt
            constraints = {}
            if required:
                constraints["required"] = True
            if name == "id" or (table, name) in UNIQUE:
                constraints["unique"] = True
            if (table, name) in ENUMS:
                constraints["enum"] = ENUMS[table, name]
            if constraints:
                field["constraints"] = constraints
            fields.append(field)
        schema = {"fields": fields, "primaryKey": "id"}
        if foreign:
            schema["foreignKeys"] = [{"fields": f, "reference": {"resource": r, "fields": "id"}}
                                     for f, r in foreign.items()]
        resources.append({"name": table, "path": path, "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    return {
        "name": "stakeholder-graph-directory",
        "title": "stakeholder-graph: anti-trafficking services directory",
        "profile": "tabular-data-package",
        "version": "3.0.0",
        "description": "Organizations and the services they offer to victims of trafficking, in the tables of the "
                       "Human Services Data Specification 3.0 (Open Referral, https://openreferral.org/). Every "
                       "record cites its sources (attributes of the 'stakeholder-graph fields' taxonomy); "
                       f"{COMPANION} holds the places, populations, sources and relations HSDS has no table for.",
        "resources": resources,
    }


# --- our taxonomies ---------------------------------------------------------------------------

TAXONOMIES = {  # code prefix -> (name, description)
    "service_type": ("stakeholder-graph service types", "What a service does, in stakeholder-graph's vocabulary."),
    "referral_step": ("stakeholder-graph referral steps",
                      "The step of the referral pathway, from first contact to reintegration, a service belongs to."),
    "population": ("stakeholder-graph populations",
                   "The groups of people a service is for, as its sources name them (attribute link_type 'serves')."),
    "exploitation_form": ("stakeholder-graph exploitation forms",
                          "The forms of trafficking exploitation a service deals with (link_type 'addresses')."),
    "basis": ("stakeholder-graph basis",
              "How a record is known: stated by its sources, or inferred by a declared rule (the value names it)."),
    "field": ("stakeholder-graph fields",
              "A field of a stakeholder-graph record HSDS has no field for; the attribute's value holds it: text "
              "as it is, a list or a mapping as JSON."),
}
BASIS_TEXT = {
    "stated": "The record's sources state it.",
    "inferred": "It follows from its sources by the declared inference rule the attribute's value names.",
}
# our fields with an HSDS home of their own (the rest travel as 'field' attributes)
NATIVE = {
    "actor": {"name", "description", "hsds_id"},
    "service": {"name", "description", "eligibility", "min_age", "max_age", "how_to_refer", "verified",
                "types", "referral_step", "hsds_id"},
    "project": {"name", "description", "hsds_id"},
}


def inferred(attrs: dict) -> str | None:
    """What an HSDS reader sees of a relation no source states: the rule it follows from."""
    if attrs.get("basis") != "inferred":
        return None
    return f"inferred, not stated by a source: stakeholder-graph's rule {attrs.get('rule')!r}"


def attribute_value(value) -> str:
    """A field's value as an attribute's `value`: text as it is, a list or mapping as JSON (a
    list item may hold '; ', and a CSV reader trims cells), true/false and numbers as text."""
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _term_rows(snap: Snapshot) -> tuple[list[dict], list[dict], dict[str, str]]:
    """taxonomy rows, taxonomy_term rows and {code: term id} of every term the dataset uses."""
    taxonomies = [{"id": hsds_uuid("taxonomy", code), "name": name, "description": text}
                  for code, (name, text) in TAXONOMIES.items()]
    terms: list[dict] = []

    def add(taxonomy: str, value: str, name: str, description: str, parent: str | None = None) -> None:
        terms.append({"id": hsds_uuid("term", taxonomy, value), "code": f"{taxonomy}:{value}", "name": name,
                      "description": description, "parent_id": parent and hsds_uuid("term", taxonomy, parent),
                      "taxonomy": TAXONOMIES[taxonomy][0], "taxonomy_id": hsds_uuid("taxonomy", taxonomy)})

    for value in VOCABULARIES["service_type"]:
        add("service_type", value, value.replace("_", " "), f"A service of the type '{value}'.")
    for step, value in enumerate(REFERRAL_STEPS, 1):
        add("referral_step", value, value.replace("_", " "),
            f"Step {step} of {len(REFERRAL_STEPS)} of the referral pathway: {value.replace('_', ' ')}.")
    G = snap.graph.G
    for kind in ("population", "exploitation_form"):
        for n, a in G.nodes(data=True):
            if a["kind"] == kind:
                parents = [v for _, v, e in G.out_edges(n, data=True) if e["type"] == "part_of" and v in G]
                add(kind, n, a["name"], a.get("description") or NOT_STATED, parents[0] if parents else None)
    for value, text in BASIS_TEXT.items():
        add("basis", value, value, text)
    fields = {}
    for kind in NATIVE:
        fields.update(NODE_KINDS[kind].all_fields)
    add("field", "id", "stakeholder-graph id", "The record's id in stakeholder-graph.")
    add("field", "fingerprint", "stakeholder-graph fingerprint",
        "A digest of the record's fields as exported: a reader tells from it whether the record was edited since.")
    for name, spec in sorted(fields.items()):
        if name not in ("name", "description", "hsds_id", "basis", "rule", "types", "referral_step"):
            add("field", name, name.replace("_", " "), spec.help or f"The record's {name.replace('_', ' ')}.")
    terms = [{k: v for k, v in t.items() if v is not None} for t in terms]
    return taxonomies, terms, {t["code"]: t["id"] for t in terms}


# --- records to rows ------------------------------------------------------------------------


class _Builder:
    """Collects the rows of every table for one snapshot."""

    def __init__(self, snap: Snapshot, as_of: dt.date):
        self.snap, self.G, self.as_of = snap, snap.graph.G, as_of
        self.rows: dict[str, list[dict]] = {t: [] for t in TABLES}
        self.taxonomies, self.terms, self.term_ids = _term_rows(snap)
        self.rows["taxonomy"], self.rows["taxonomy_term"] = self.taxonomies, self.terms
        # statuses and last-confirmed dates read the sources' dates: the snapshot keeps its
        # sources beside the graph, so they are put back for those questions
        cited = snap.graph.G.copy()
        cited.add_nodes_from((s["id"], s) for s in snap.sources)
        self.cited = StakeholderGraph(cited)
        self.ids: dict[str, str] = {}  # our id -> HSDS id, for every record that became an HSDS object
        self.used: set[str] = set()  # the UUIDs given so far
        self.carried: set[tuple] = set()  # (u, v, key) of the relations HSDS holds as they are

    def uuid_of(self, n: str) -> str:
        """The record's UUID: the one an HSDS dataset gave it when that is a UUID no other
        record has here, else the one derived from our id."""
        a = self.G.nodes[n]
        kept = a.get("hsds_id")
        uid = kept.lower() if is_uuid(kept) and kept.lower() not in self.used else hsds_uuid(a["kind"], n)
        self.used.add(uid)
        return uid

    def edges(self, n: str, etype: str, direction: str = "out") -> list[tuple[str, str, str, dict]]:
        """(u, v, key, attrs) of `n`'s relations of one type, in the snapshot's order."""
        found = self.G.out_edges(n, keys=True, data=True) if direction == "out" else \
            self.G.in_edges(n, keys=True, data=True)
        return [(u, v, k, a) for u, v, k, a in found if a["type"] == etype]

    def plain(self, record: str, edge: tuple) -> bool:
        """Is this relation exactly what a link in `record` gives without details: the
        record's sources, sensitivity and basis? Then HSDS holds it whole; otherwise the
        companion file keeps its details too."""
        r = self.G.nodes[record]
        a = edge[3]
        extra = set(a) - {"type", "sources", "sensitivity", "basis", "rule"}
        basis = (r.get("basis", "stated"), r.get("rule")) if r.get("basis") == "inferred" else ("stated", None)
        return (not extra and a.get("sources") == r.get("sources") and a.get("sensitivity") == r.get("sensitivity")
                and (a.get("basis", "stated"), a.get("rule")) == basis)

    def carry(self, record: str, edge: tuple) -> None:
        if self.plain(record, edge):
            self.carried.add(edge[:3])

    def attribute(self, link_id: str, entity: str, code: str, value=None, link_type: str | None = None) -> None:
        """An attribute row: `link_id` (a row of the table `entity`) has the term `code`."""
        row = {"id": hsds_uuid("attribute", link_id, code, "" if value is None else str(value)),
               "link_id": link_id, "taxonomy_term_id": self.term_ids[code],
               "link_type": link_type or code.partition(":")[0], "link_entity": entity}
        if value is not None:
            row["value"] = value
        self.rows["attribute"].append(row)

    def fields_as_attributes(self, n: str, link_id: str, entity: str) -> None:
        """Our id, basis and every field HSDS has no place for, as attributes."""
        a = self.G.nodes[n]
        self.attribute(link_id, entity, "field:id", n, "field")
        basis = a.get("basis", "stated")
        self.attribute(link_id, entity, f"basis:{basis}", a.get("rule"), "basis")
        for name in sorted(a):
            if name in ("kind", "basis", "rule") or name in NATIVE[a["kind"]]:
                continue
            self.attribute(link_id, entity, f"field:{name}", attribute_value(a[name]), "field")
        self.attribute(link_id, entity, "field:fingerprint", fingerprint(a), "field")

    def channels(self, n: str, link: dict, owner_key: str) -> None:
        """A record's public contact channels: the first website and email in its own fields,
        every hotline as a phone."""
        for channel in self.G.nodes[n].get("channels") or []:
            if channel["type"] == "website" and "website" in link:
                continue
            if channel["type"] == "website":
                link["website"] = channel["value"]
            elif channel["type"] == "email" and "email" not in link:
                link["email"] = channel["value"]
            elif channel["type"] == "hotline":
                self.rows["phone"].append({"id": hsds_uuid("phone", n, channel["value"]), owner_key: link["id"],
                                           "number": channel["value"], "description": "hotline"})

    def organization(self, n: str) -> None:
        a = self.G.nodes[n]
        oid = self.ids[n]
        row = {"id": oid, "name": a["name"], "description": a.get("description") or NOT_STATED}
        if a.get("aliases"):
            row["alternate_name"] = cell_text(a["aliases"])
        parents = [e for e in self.edges(n, "part_of") if self.G.nodes[e[1]]["kind"] == "actor" and e[1] in self.ids]
        if parents:
            row["parent_organization_id"] = self.ids[parents[0][1]]
            self.carry(n, parents[0])
        self.rows["organization"].append(row)
        self.channels(n, row, "organization_id")
        self.fields_as_attributes(n, oid, "organization")

    def program(self, n: str, lead: tuple) -> None:
        a = self.G.nodes[n]
        pid = self.ids[n]
        self.rows["program"].append({"id": pid, "organization_id": self.ids[lead[0]], "name": a["name"],
                                     "description": a.get("description") or NOT_STATED})
        self.carry(n, lead)
        self.fields_as_attributes(n, pid, "program")

    def service(self, n: str, provider: tuple) -> None:
        a = self.G.nodes[n]
        sid = self.ids[n]
        ours = status(self.cited, n, self.as_of)
        row = {"id": sid, "organization_id": self.ids[provider[0]], "name": a["name"],
               "status": "inactive" if ours in ("ended", "planned") else "active"}
        self.carry(n, provider)
        projects = [e for e in self.edges(n, "part_of") if e[1] in self.ids]
        if projects:
            row["program_id"] = self.ids[projects[0][1]]
            self.carry(n, projects[0])
        for ours_name, theirs in COLUMNS.items():
            if ours_name != "name" and a.get(ours_name) is not None:
                row[theirs] = a[ours_name] if ours_name != "aliases" else cell_text(a["aliases"])
        self.channels(n, row, "service_id")
        if "website" in row:  # a service's web page is its `url`
            row["url"] = row.pop("website")
        self.rows["service"].append(row)
        confirmed = last_confirmed(self.cited, n)
        self._status_metadata(n, sid, ours, row["status"], confirmed)
        if ours in ("unconfirmed", "unknown"):  # HSDS's `status` cannot say it: its `alert` does
            since = f"since {confirmed['text']}" if confirmed else "(no source gives a date)"
            row["alert"] = f"Not confirmed by a source {since}: call to verify before referring anyone."
        for code in a.get("types") or []:
            self.attribute(sid, "service", f"service_type:{code}")
        if a.get("referral_step"):
            self.attribute(sid, "service", f"referral_step:{a['referral_step']}")
        for link, kind in (("serves", "population"), ("addresses", "exploitation_form")):
            for edge in self.edges(n, link):
                if self.G.nodes[edge[1]]["kind"] == kind:
                    self.attribute(sid, "service", f"{kind}:{edge[1]}", inferred(edge[3]), link)
                    self.carry(n, edge)
        for language in a.get("languages") or []:
            self.rows["language"].append({"id": hsds_uuid("language", n, language), "service_id": sid,
                                          "code": language})
        if a.get("available_24_7"):
            self.rows["schedule"].append({
                "id": hsds_uuid("schedule", n, "24/7"), "service_id": sid,
                **dict(zip(("freq", "byday", "opens_at", "closes_at"), SCHEDULE_24_7)),
                "description": "Available 24 hours a day, 7 days a week, as its sources state."})
        if a.get("hours"):
            self.rows["schedule"].append({"id": hsds_uuid("schedule", n, "hours"), "service_id": sid,
                                          "description": a["hours"]})
        for edge in self.edges(n, "covers"):
            place = edge[1]
            area = hsds_uuid("service_area", n, place)
            self.rows["service_area"].append({"id": area, "service_id": sid, "name": self.G.nodes[place]["name"],
                                              "description": inferred(edge[3])})
            self.attribute(area, "service_area", "field:id", place, "field")
            self.carry(n, edge)
        self.fields_as_attributes(n, sid, "service")

    def _status_metadata(self, n: str, sid: str, ours: str, theirs: str, confirmed: dict | None) -> None:
        """How our status became HSDS's, dated the day it was worked out; for an unconfirmed
        service, also the date a source last stated it."""
        self.rows["metadata"].append({
            "id": hsds_uuid("metadata", n, "status"), "resource_id": sid, "resource_type": "service",
            "last_action_date": self.as_of.isoformat(), "last_action_type": "status mapped",
            "field_name": "status", "previous_value": ours, "replacement_value": theirs,
            "updated_by": "stakeholder-graph"})
        if ours == "unconfirmed" and confirmed:
            source = self.cited.G.nodes[confirmed["source"]]
            self.rows["metadata"].append({
                "id": hsds_uuid("metadata", n, "last confirmed"), "resource_id": sid, "resource_type": "service",
                "last_action_date": confirmed["date"], "last_action_type": "last confirmed by a source",
                "field_name": "status", "previous_value": "unconfirmed", "replacement_value": theirs,
                "updated_by": source.get("publisher") or confirmed["source"]})


def _originals(snap: Snapshot) -> Snapshot:
    """`snap` citing the sources its facts come from rather than the datasets that brought
    them: an imported dataset's own source record (one with a `format`) is dropped from a
    citation that names any other source; of a citation naming datasets only, the first (the
    one the fact came from) stays; a dataset nothing cites then leaves the sources. So an HSDS
    export read back and exported again is the same dataset. (A record edited in a dataset
    cites that dataset only: loaders.hsds.)"""
    transit = {s["id"] for s in snap.sources if s.get("format")}
    if not transit:
        return snap
    G = snap.graph.G.copy()
    cited: set[str] = set()
    for attrs in [a for _, a in G.nodes(data=True)] + [a for *_, a in G.edges(data=True)]:
        for key in ("sources", "names_sources"):
            if attrs.get(key) and set(attrs[key]) - transit:
                attrs[key] = [s for s in attrs[key] if s not in transit]
            elif attrs.get(key):  # datasets only: the first brought it, the later ones passed it on
                attrs[key] = attrs[key][:1]
            cited.update(attrs.get(key) or ())
    sources = [s for s in snap.sources if s["id"] not in transit or s["id"] in cited]
    return Snapshot(StakeholderGraph(G), sources, snap.audience, snap.filters)


def _build(snap: Snapshot, as_of: dt.date) -> _Builder:
    b = _Builder(_originals(snap), as_of)
    G = b.G
    kinds = {k: [n for n, a in G.nodes(data=True) if a["kind"] == k] for k in ("actor", "project", "service")}
    for n in kinds["actor"]:
        b.ids[n] = b.uuid_of(n)
    # HSDS 3.0's descriptor makes program.organization_id unique: one program per organization,
    # the first project its first lead leads; the others travel in the companion file only
    leads, led = {}, set()
    for n in kinds["project"]:
        first = b.edges(n, "leads", "in")[:1]
        if first and first[0][0] not in led:
            leads[n] = first[0]
            led.add(first[0][0])
            b.ids[n] = b.uuid_of(n)
    providers = {n: b.edges(n, "offers", "in") for n in kinds["service"]}
    for n in kinds["service"]:
        if providers[n]:
            b.ids[n] = b.uuid_of(n)
    for n in kinds["actor"]:
        b.organization(n)
    for n, lead in leads.items():
        b.program(n, lead)
    for n in kinds["service"]:
        if providers[n]:
            b.service(n, providers[n][0])
    return b


def _companion(b: _Builder) -> dict:
    """The node-link data of what the HSDS tables do not hold whole: every other record, the
    sources, and every relation but those the tables carry with no details of their own."""
    from stakeholder_graph.exports.nodelink import node_link

    data = node_link(b.snap)
    data["graph"]["about"] = (f"The part of a stakeholder-graph HSDS export that HSDS has no table for; {JSON_FORM} "
                              "and the CSV files hold the organizations, programs and services.")
    data["nodes"] = [item for item in data["nodes"] if item["id"] not in b.ids]
    data["edges"] = [item for item in data["edges"] if (item["source"], item["target"], item["key"]) not in b.carried]
    return data


# --- the JSON form --------------------------------------------------------------------------

JSON_KEYS = {  # what the JSON form nests in each object (loaders.hsds_format.JSON_NESTED: their tables and keys)
    "organization": ("phones", "programs", "attributes", "services"),
    "program": ("attributes",),
    "service": ("phones", "schedules", "service_areas", "languages", "attributes", "metadata"),
    "service_area": ("attributes",),
}


def _children(table: str) -> list[tuple[str, str, str]]:
    """(key in a `table` object, the child table, the child's key naming the parent)."""
    return [(key, JSON_NESTED[key][0], JSON_NESTED[key][1] or f"{table}_id") for key in JSON_KEYS[table]]


def _json_form(b: _Builder) -> list[dict]:
    """Each organization with its phones, programs, attributes and services nested, each
    attribute with its taxonomy term inline (the term names its taxonomy; the taxonomies
    themselves are in taxonomies.csv)."""
    children: dict[tuple[str, str], list[dict]] = {}
    for _, child, key in {c for table in JSON_KEYS for c in _children(table)}:
        for row in b.rows[child]:
            if row.get(key):
                children.setdefault((child, row[key]), []).append(row)
    terms = {t["id"]: t for t in b.terms}

    def nest(table: str, row: dict) -> dict:
        out = {k: v for k, v in row.items() if v is not None}
        if table == "attribute":
            out["taxonomy_term"] = terms[row["taxonomy_term_id"]]
        for key, child, _ in _children(table) if table in JSON_KEYS else ():
            rows = children.get((child, row["id"]), [])
            if child == "attribute":
                rows = [r for r in rows if r["link_entity"] == table]
            if rows:
                out[key] = [nest(child, r) for r in rows]
        return out

    return [nest("organization", row) for row in b.rows["organization"]]


# --- files ----------------------------------------------------------------------------------


def _csv(table: str, rows: list[dict], raw: bool) -> bytes:
    """One table, every column HSDS declares; text a spreadsheet would run as a formula gets a
    leading ' (viz.text.csv_cell, as `export --to csv` writes cells) unless `raw`."""
    names = [f[0] for f in table_fields(table)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else csv_cell(row[c], str(row[c]), raw) for c in names])
    return buffer.getvalue().encode("utf-8")


def _json(data) -> bytes:
    return (json_inert(json.dumps(data, ensure_ascii=False, indent=1)) + "\n").encode("utf-8")


def hsds_files(snap: Snapshot, as_of: dt.date | None = None, raw: bool = False) -> tuple[dict[str, bytes], dict[str, int]]:
    """The HSDS dataset of `snap` as ({file name: bytes}, {table: rows}): datapackage.json,
    one CSV per table, organizations.json (the JSON form) and the companion
    stakeholder-graph.json. `as_of` (default today) is the day statuses are worked out for;
    CSV cells are guarded against spreadsheets unless `raw`."""
    b = _build(snap, as_of or dt.date.today())
    files = {DATAPACKAGE: _json(datapackage())}
    for table, (path, _, _) in TABLES.items():
        files[path] = _csv(table, b.rows[table], raw)
    # one organization per line: json's C encoder (indenting falls back to the Python one, and
    # each attribute carries its term inline), and two exports still diff organization by organization
    organizations = [json_inert(json.dumps(o, ensure_ascii=False)) for o in _json_form(b)]
    files[JSON_FORM] = ("[\n" + ",\n".join(organizations) + "\n]\n").encode("utf-8")
    files[COMPANION] = _json(_companion(b))
    return files, {table: len(rows) for table, rows in b.rows.items()}


HSDS_FILES = (DATAPACKAGE, JSON_FORM, COMPANION, *(path for path, _, _ in TABLES.values()))

