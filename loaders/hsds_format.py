"""HSDS 3.0's tabular form as its own datapackage.json declares it, and the few names and rules
the reader (loaders.hsds) and the writer (exports.hsds) share: the files of a dataset folder,
the UUIDs derived from our ids, the schedule that means "24/7"."""
from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

# The namespace of the UUIDs derived from our ids: fixed forever, or every id would change.
NAMESPACE = uuid.UUID("6f1c2a53-8f0e-5d3b-9c61-3e7a1b2d4c58")
DATAPACKAGE = "datapackage.json"
JSON_FORM = "organizations.json"  # the JSON form: organizations with their services nested
COMPANION = "stakeholder-graph.json"  # what HSDS has no table for, as `export --to json` writes it
# a weekly schedule of every day from midnight to the last second: our available_24_7
SCHEDULE_24_7 = ("WEEKLY", "MO,TU,WE,TH,FR,SA,SU", "00:00:00", "23:59:59")
# the HSDS objects our records become
KINDS = {"organization": "actor", "service": "service", "program": "project"}
# our fields HSDS has a column for: field -> the column of an organization, service or program
COLUMNS = {"name": "name", "description": "description", "aliases": "alternate_name",
           "eligibility": "eligibility_description", "how_to_refer": "application_process",
           "min_age": "minimum_age", "max_age": "maximum_age", "verified": "assured_date"}


JSON_NESTED = {  # in the JSON form, a key of an object -> (the table of its items, the key naming the parent;
    # None: <parent table>_id)
    "phones": ("phone", None), "programs": ("program", "organization_id"), "services": ("service", "organization_id"),
    "schedules": ("schedule", "service_id"), "service_areas": ("service_area", "service_id"),
    "languages": ("language", None), "attributes": ("attribute", "link_id"),
    "metadata": ("metadata", "resource_id"), "locations": ("location", "organization_id"),
    "contacts": ("contact", None), "funding": ("funding", None), "cost_options": ("cost_option", "service_id"),
    "required_documents": ("required_document", "service_id"), "service_at_locations": ("service_at_location", None),
    "organization_identifiers": ("organization_identifier", "organization_id"), "addresses": ("address", None),
    "accessibility": ("accessibility", None),
}


def is_hsds_folder(path: Path) -> bool:
    """A folder holding an HSDS data package (its datapackage.json declares organizations and
    services), or any folder named *.hsds (whose missing descriptor is then reported)."""
    if path.suffix.lower() == ".hsds":
        return True
    try:
        resources = json.loads((path / DATAPACKAGE).read_text("utf-8")).get("resources")
        return {"organization", "service"} <= {r.get("name") for r in resources if isinstance(r, dict)}
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def hsds_uuid(*parts: str) -> str:
    """The UUID of one of our records or rows in HSDS ('service', 'centre-shelter'): the same
    parts always give the same UUID (uuid5), on every machine."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def is_uuid(text) -> bool:
    try:
        return isinstance(text, str) and str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


def fingerprint(fields: dict) -> str:
    """A short digest of a record's fields (sources included, bookkeeping not): an export
    writes it, and a reader tells from it whether the record was edited since."""
    kept = {k: v for k, v in fields.items() if k not in ("id", "kind", "origin", "hsds_id")}
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


# HSDS 3.0's tables as its datapackage.json declares them: file, fields, foreign keys. A field
# is a string unless `:type` (number, date, datetime, time) or `:format` (uuid, email, uri)
# says otherwise; `!` marks a required one. Every table's primary key is `id`.
TABLES: dict[str, tuple[str, str, dict[str, str]]] = {
    "organization": ("organizations.csv", "id:uuid! name! alternate_name description! email:email website:uri "
                     "tax_status tax_id year_incorporated:number legal_status logo uri:uri "
                     "parent_organization_id:uuid", {}),
    "program": ("programs.csv", "id:uuid! organization_id:uuid! name! alternate_name description!",
                {"organization_id": "organization"}),
    "service": ("services.csv", "id:uuid! organization_id:uuid! program_id:uuid name! alternate_name description "
                "url:uri email:email status! interpretation_services application_process fees_description "
                "wait_time fees accreditations eligibility_description minimum_age:number maximum_age:number "
                "assured_date:date assurer_email:email licenses alert last_modified:datetime",
                {"organization_id": "organization", "program_id": "program"}),
    "attribute": ("attributes.csv", "id:uuid! link_id:uuid! taxonomy_term_id:uuid! link_type link_entity! value",
                  {"taxonomy_term_id": "taxonomy_term"}),
    "service_at_location": ("service_at_location.csv", "id:uuid! service_id:uuid! location_id:uuid! description",
                            {"service_id": "service", "location_id": "location"}),
    "location": ("locations.csv", "id:uuid! location_type! url:uri organization_id:uuid name alternate_name "
                 "description transportation latitude:number longitude:number external_identifier "
                 "external_identifier_type", {"organization_id": "organization"}),
    "phone": ("phones.csv", "id:uuid! location_id:uuid service_id:uuid organization_id:uuid contact_id:uuid "
              "service_at_location_id:uuid number! extension:number type description",
              {"contact_id": "contact", "location_id": "location", "organization_id": "organization",
               "service_id": "service", "service_at_location_id": "service_at_location"}),
    "contact": ("contacts.csv", "id:uuid! organization_id:uuid service_id:uuid service_at_location_id:uuid "
                "location_id:uuid name title department email:email",
                {"location_id": "location", "organization_id": "organization", "service_id": "service",
                 "service_at_location_id": "service_at_location"}),
    "address": ("addresses.csv", "id:uuid! location_id:uuid attention address_1! address_2 city! region "
                "state_province! postal_code! country! address_type!", {"location_id": "location"}),
    "schedule": ("schedules.csv", "id:uuid! service_id:uuid location_id:uuid service_at_location_id:uuid "
                 "valid_from:date valid_to:date dtstart:date timezone:number until:date count:number wkst freq "
                 "interval:number byday byweekno bymonthday byyearday description opens_at:time closes_at:time "
                 "schedule_link:uri attending_type notes",
                 {"location_id": "location", "service_id": "service", "service_at_location_id": "service_at_location"}),
    "funding": ("funding.csv", "id:uuid! organization_id:uuid service_id:uuid source",
                {"organization_id": "organization", "service_id": "service"}),
    "service_area": ("service_areas.csv", "id:uuid! service_id:uuid name description extent extent_type uri",
                     {"service_id": "service"}),
    "required_document": ("required_documents.csv", "id:uuid! service_id:uuid document uri:uri",
                          {"service_id": "service"}),
    "language": ("languages.csv", "id:uuid! service_id:uuid location_id:uuid phone_id:uuid name code note",
                 {"location_id": "location", "phone_id": "phone", "service_id": "service"}),
    "accessibility": ("accessibility.csv", "id:uuid! location_id:uuid description details url:uri",
                      {"location_id": "location"}),
    "taxonomy_term": ("taxonomy_terms.csv", "id:uuid! code name! description! parent_id:uuid taxonomy language "
                      "taxonomy_id:uuid term_uri:uri", {"taxonomy_id": "taxonomy"}),
    "metadata": ("metadata.csv", "id:uuid! resource_id:uuid! resource_type! last_action_date:date! "
                 "last_action_type! field_name! previous_value! replacement_value! updated_by!", {}),
    "meta_table_description": ("meta_table_descriptions.csv", "id:uuid! name language character_set", {}),
    "cost_option": ("cost_options.csv", "id:uuid! service_id:uuid! valid_from:date valid_to:date option currency "
                    "amount:number amount_description", {"service_id": "service"}),
    "organization_identifier": ("organization_identifiers.csv", "id:uuid! organization_id:uuid! identifier_scheme "
                                "identifier_type! identifier!", {"organization_id": "organization"}),
    "taxonomy": ("taxonomies.csv", "id:uuid! name! description! uri:uri version", {}),
}
ENUMS = {
    ("service", "status"): ["active", "inactive", "defunct", "temporarily closed"],
    ("location", "location_type"): ["physical", "postal", "virtual"],
    ("address", "address_type"): ["physical", "postal", "virtual"],
    ("schedule", "wkst"): ["MO", "TU", "WE", "TH", "FR", "SA", "SU"],
    ("schedule", "freq"): ["WEEKLY", "MONTHLY"],
}
UNIQUE = {("program", "organization_id"), ("taxonomy_term", "code")}  # besides every id
FIELD_TYPES = ("number", "date", "datetime", "time")


def table_fields(table: str) -> list[tuple[str, str, str | None, bool]]:
    """(name, type, format, required) of each field of an HSDS table, in its order."""
    out = []
    for spec in TABLES[table][1].split():
        required = spec.endswith("!")
        name, _, tag = spec.rstrip("!").partition(":")
        kind = tag if tag in FIELD_TYPES else "string"
        out.append((name, kind, tag if tag and tag not in FIELD_TYPES else None, required))
    return out
