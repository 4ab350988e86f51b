"""The data model, declared once.

Every other module takes node kinds, edge types, fields and vocabularies from here;
nothing else spells a kind or relation as a loose string of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# --- controlled vocabularies -------------------------------------------------------------

SENSITIVITY = ("public", "partners", "internal")  # ordered: each level sees those before it

# How a fact is known: its sources say it (stated), or it follows from them by a declared rule
# (inferred; the fact names the rule, from INFERENCE_RULES below).
BASES = ("stated", "inferred")

# ISO 639-1 language codes (the 184 two-letter codes, as pycountry 26.2.16 lists them).
ISO_639_1 = (
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg",
    "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy",
    "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj",
    "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht",
    "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv",
    "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky",
    "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn",
    "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny",
    "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru",
    "rw", "sa", "sc", "sd", "se", "sg", "sh", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr",
    "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr",
    "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi",
    "yo", "za", "zh", "zu",
)

REFERRAL_STEPS = (  # ordered: the pathway a person goes through
    "first_contact",
    "identification",
    "assessment_and_plan",
    "emergency_assistance",
    "protection_and_support",
    "reintegration_or_return",
    "criminal_justice",  # runs alongside the others
)

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "sensitivity": SENSITIVITY,
    "referral_step": REFERRAL_STEPS,
    "sector": ("government", "ngo", "international"),
    "actor_type": (
        "ministry", "directorate", "institution", "police", "judiciary", "prosecution",
        "coordination_body", "office", "ombudsman", "social_work_centre", "local_network",
        "referral_mechanism", "ngo", "international_ngo", "international_organisation",
        "intergovernmental_body", "monitoring_body", "foreign_government",
    ),
    "level": ("local", "district", "national", "regional", "international"),
    "place_level": ("region", "country", "district", "municipality"),
    "role": (
        "identification", "referral", "victim_assistance", "investigation", "prosecution",
        "judicial_response", "social_protection", "legal_reform", "hotline",
        "policy_advocacy", "rehabilitation", "social_inclusion", "child_protection",
        "prevention", "capacity_building", "research", "coordination", "funding",
        "policy_guidance", "monitoring", "national_rapporteur", "technical_assistance",
        "legal_aid", "shelter",
    ),
    "service_type": (
        "hotline", "outreach", "identification", "screening", "risk_assessment",
        "referral", "case_management", "individual_planning", "shelter",
        "emergency_assistance", "urgent_intervention", "health_care",
        "psychosocial_support", "legal_aid", "court_support", "accompaniment",
        "information", "guardianship", "social_services", "economic_empowerment",
        "education", "reintegration", "voluntary_return", "drop_in_centre",
        "investigation", "prosecution", "awareness_raising", "training",
        "coordination", "monitoring",
    ),
    "indicator_kind": ("achieved", "target"),
    "publication_type": ("report", "brochure", "leaflet", "policy_document", "tool", "evaluation_report"),
    "basis": BASES,
    "unit_type": ("city", "municipality"),  # a local self-government unit of Serbia
    "gender": ("female", "male", "any"),
    "nationality": ("nationals", "foreign_nationals", "migrants_and_asylum_seekers", "any"),
    "channel_type": ("website", "hotline", "email"),
    "dataset_format": ("hsds",),
    "language": ISO_639_1,
}

# --- fields ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """A plain property of a record.

    type: text | list | date | number | value (text or number) | mapping | year | integer
          | boolean | channels (a list of {type, value}) | references (actor types or ids)
    vocab: name of a vocabulary in VOCABULARIES the value (or each list item) must belong to.
    """

    type: str = "text"
    vocab: str | None = None
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Link:
    """A property whose value names other records: the loader turns it into edges.

    direction "out": record -[edge]-> value; "in": value -[edge]-> record.
    Each value is an id, or a mapping {id: ..., plus edge attributes}.
    """

    edge: str
    direction: str = "out"
    many: bool = True
    help: str = ""


# the fields whose values are ids of the sources a record cites
CITING_FIELDS = ("sources", "names_sources")
# characters that reorder or break what a terminal shows ("Trojan Source" spoofing): bidi marks,
# embeddings, overrides and isolates, and the line and paragraph separators. Never in text
# (loaders.records); escaped on a terminal (viz.text). A regex character class body.
DISPLAY_CONTROLS = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
# OWASP's CSV injection rule: a cell starting with one of these is a formula to a spreadsheet;
# the CSV writers put a ' before it (viz.text.csv_cell), the HSDS reader takes it off again
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# fields whose items are record ids or other words (actor types): the ids are dropped for an audience
REFERENCE_FIELDS = ("referrals_from",)


def cited_by(attrs: dict) -> list[str]:
    """Every source id a record or relation cites, its names' sources included."""
    return [sid for key in CITING_FIELDS for sid in attrs.get(key) or []]


COMMON_FIELDS: dict[str, Field] = {
    "name": Field("text", required=True, help="display name"),
    "names": Field("mapping", help="the name in other scripts/languages, e.g. sr-Cyrl: Ниш"),
    "aliases": Field("list", help="other names and abbreviations people use"),
    "description": Field("text"),
    "sources": Field("list", help="ids of source records citing this record (required but for sources)"),
    "names_sources": Field("list", help="ids of the sources that give its names in other languages and scripts"),
    "sensitivity": Field("text", vocab="sensitivity", help="public (default), partners, internal"),
    "data_quality": Field("list", help="notes on doubtful figures or statements, shown by `show`"),
    "note": Field("text", help="how the record was derived from its sources"),
    "basis": Field("text", vocab="basis", help="stated (default: the sources say it) or inferred (by `rule`)"),
    "rule": Field("text", help="the id of the inference rule an inferred record follows from"),
    "locator": Field("text", help="where in the source: a section, page or heading"),
}

# Fields of free prose, where a line break and a tab are part of the text (a YAML block, a
# spreadsheet cell with line breaks). Every other text value (names, ids, vocabulary values,
# URLs, list items but notes) is one line. No text value holds any other control character.
PROSE_FIELDS = frozenset({
    "description", "note", "data_quality", "eligibility", "hours", "how_to_refer",
    "confidentiality", "statement", "risk_factors", "trafficking_role", "objectives",
})

# What a coordinator needs to know about a service, each optional and shown as "not stated"
# when absent; filled only where a cited source says it.
CHANNELS = Field(
    "channels", help="public contact channels a cited source publishes: {type: website|hotline|email, value}; "
    "never a shelter's address or a person's number",
)
COORDINATOR_FIELDS: dict[str, Field] = {
    "min_age": Field("integer", help="youngest age accepted, as the source states it"),
    "max_age": Field("integer", help="oldest age accepted, as the source states it"),
    "genders": Field("list", vocab="gender", help="female, male or any"),
    "nationality": Field("list", vocab="nationality", help="nationals, foreign_nationals, migrants_and_asylum_seekers or any"),
    "languages": Field("list", vocab="language", help="ISO 639-1 codes of the languages the service works in"),
    "available_24_7": Field("boolean", help="true when the source says it is available day and night"),
    "hours": Field("text", help="opening hours as the source states them"),
    "referrals_from": Field("references", help="actor types or actor ids it accepts referrals from"),
    "how_to_refer": Field("text", help="the referral procedure as the source states it"),
    "channels": CHANNELS,
    "confidentiality": Field("text", help="what the source says about confidentiality"),
    "verified": Field("date", help="when a maintainer last checked the record against its sources"),
}


# the UUID a record has in an HSDS dataset it was imported from (loaders.hsds); an HSDS export keeps it
HSDS_ID = Field("text", help="its id (a UUID) in the HSDS dataset it was imported from; an HSDS export keeps it")


@dataclass(frozen=True)
class NodeKind:
    name: str
    plural: str  # file names start with this: actors.yaml, actors-albania.csv
    help: str
    fields: dict[str, Field] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)

    @property
    def all_fields(self) -> dict[str, Field]:
        return {**COMMON_FIELDS, **self.fields}


NODE_KINDS: dict[str, NodeKind] = {
    k.name: k
    for k in (
        NodeKind(
            "actor", "actors",
            "a government body, NGO, international organisation, coordination or monitoring body",
            fields={
                "sector": Field("text", vocab="sector", help="absent when the sources do not say"),
                "type": Field("text", vocab="actor_type"),
                "level": Field("text", vocab="level"),
                "roles": Field("list", vocab="role"),
                "start": Field("date", help="founded"),
                "end": Field("date", help="dissolved"),
                "channels": CHANNELS,
                "hsds_id": HSDS_ID,
            },
            links={
                "located_in": Link("located_in", help="place ids: where it is based"),
                "part_of": Link("part_of", help="parent organisation ids"),
                "member_of": Link("member_of", help="ids of bodies it belongs to"),
            },
        ),
        NodeKind(
            "service", "services",
            "one thing an actor offers, to whom, where",
            fields={
                "types": Field("list", vocab="service_type", help="absent when the source does not say"),
                "referral_step": Field("text", vocab="referral_step"),
                "eligibility": Field("text", help="who exactly may use it, as the source says"),
                "start": Field("date"),
                "end": Field("date"),
                **COORDINATOR_FIELDS,
                "hsds_id": HSDS_ID,
            },
            links={
                "provider": Link("offers", "in", help="actor ids offering it"),
                "serves": Link("serves", help="population ids"),
                "covers": Link("covers", help="place ids"),
                "forms": Link("addresses", help="exploitation form ids"),
                "project": Link("part_of", help="project ids it was delivered through"),
            },
        ),
        NodeKind(
            "project", "projects",
            "a funded project",
            fields={
                "short_name": Field("text"),
                "start": Field("date"),
                "end": Field("date"),
                "duration": Field("text", help="as the source states it"),
                "objectives": Field("list"),
                "hsds_id": HSDS_ID,
            },
            links={
                "lead": Link("leads", "in", help="actor ids leading it"),
                "partners": Link("partner_in", "in", help="actor ids (mapping form may give role)"),
                "funders": Link("funds", "in", help="actor ids funding it"),
                "places": Link("covers", help="place ids"),
                "targets": Link("targets", help="population ids"),
                "forms": Link("addresses", help="exploitation form ids"),
            },
        ),
        NodeKind(
            "place", "places",
            "a region, country, district or municipality",
            fields={
                "level": Field("text", vocab="place_level", required=True),
                "unit_type": Field("text", vocab="unit_type", help="city or municipality (Serbia's local self-government units)"),
                "lat": Field("number"),
                "lon": Field("number"),
                "capital": Field("boolean", help="true for the seat of its country's government, as its sources state"),
                "population_size": Field("text", help="as the source states it"),
                "eu_status": Field("text"),
                "trafficking_role": Field("text", help="source / transit / destination, as stated"),
            },
            links={"parent": Link("part_of", many=False, help="the place it belongs to")},
        ),
        NodeKind(
            "population", "populations",
            "a group of people served or targeted",
            fields={
                "risk_factors": Field("text"),
                "min_age": Field("integer", help="youngest age in the group, where a source defines it"),
                "max_age": Field("integer", help="oldest age in the group (17: under 18), where a source defines it"),
                "genders": Field("list", vocab="gender", help="female or male, where the group is one gender"),
            },
            links={
                "parent": Link("part_of", many=False, help="the broader population"),
                "includes": Link("includes", help="the groups its name joins (women and girls: women, girls)"),
                "vulnerable_to": Link("vulnerable_to", help="exploitation form ids"),
            },
        ),
        NodeKind(
            "exploitation_form", "exploitation_forms",
            "a form of trafficking exploitation",
            links={"occurs_in": Link("occurs_in", help="place ids where the source says it occurs")},
        ),
        NodeKind(
            "indicator", "indicators",
            "a figure a project reports: achieved or target",
            fields={
                "value": Field("value", required=True, help="exactly as stated: 168, 8/5"),
                "unit": Field("text"),
                "type": Field("text", vocab="indicator_kind", required=True, help="achieved or target"),
                "statement": Field("text", help="the source's own words"),
                "group": Field("text", help="the heading the figure appears under"),
                "period": Field("text"),
            },
            links={
                "project": Link("reports", "in", help="project ids reporting it"),
                "population": Link("measures", help="population ids it counts"),
                "part_of": Link("part_of", help="the larger figure it breaks down"),
            },
        ),
        NodeKind(
            "assessment", "assessments",
            "a judgement about a subject by an assessor: a TIP tier, a finding",
            fields={
                "instrument": Field("text", required=True),
                "year": Field("year"),
                "value": Field("value", required=True),
            },
            links={
                "subject": Link("assesses", help="place or actor ids assessed"),
                "assessor": Link("assessed_by", help="actor ids who made it"),
            },
        ),
        NodeKind(
            "publication", "publications",
            "a report, brochure or policy document",
            fields={
                "type": Field("text", vocab="publication_type"),
                "date": Field("date"),
            },
            links={
                "project": Link("produced", "in", help="project ids that produced it"),
                "publisher": Link("produced", "in", help="actor ids that published it"),
                "contributors": Link("contributed_to", "in", help="actor or project ids"),
                "adopted_by": Link("adopted", "in", help="actor ids that adopted it"),
                "about": Link("about", help="place or actor ids it is about"),
                "audience": Link("intended_for", help="population ids it is written for"),
            },
        ),
        NodeKind(
            "source", "sources",
            "where a fact comes from",
            fields={
                "publisher": Field("text"),
                "url": Field("text"),
                "date": Field("date", help="published or last updated, as the source states it"),
                "not_before": Field("date", help="a lower bound its text fixes when it states no date"),
                "accessed": Field("date", help="when a page was read (only when known)"),
                "format": Field("text", vocab="dataset_format",
                                help="for a dataset an importer read (hsds): the records it gave cite it"),
            },
        ),
    )
}

# A required field a dataset in another standard has no value for (an HSDS service area has no
# place level) holds this, shown as such and never guessed; only records from such a dataset
# (citing only sources with a `format`) may hold it, and only in these fields.
NOT_STATED = "not stated"
NOT_STATED_ALLOWED = frozenset({("place", "level")})
NOT_STATED_FIELDS = frozenset(name for _, name in NOT_STATED_ALLOWED)

# A source record cites itself implicitly; every other record must cite one.
SELF_CITING_KINDS = frozenset({"source"})

# --- edges -------------------------------------------------------------------------------

EDGE_ATTRS: dict[str, Field] = {
    "sources": Field("list", help="defaults to the sources of the record that states the link"),
    "sensitivity": Field("text", vocab="sensitivity"),
    "basis": Field("text", vocab="basis", help="stated or inferred; defaults to the record's"),
    "rule": Field("text", help="the id of the inference rule an inferred link follows from"),
    "locator": Field("text", help="where in the source: a section, page or heading"),
    "start": Field("date"),
    "end": Field("date"),
    "populations": Field("list", help="population ids a referral applies to"),
    "role": Field("text"),
    "note": Field("text"),
}


@dataclass(frozen=True)
class EdgeType:
    name: str
    endpoints: tuple[tuple[frozenset[str], frozenset[str]], ...]
    help: str

    def allows(self, source_kind: str, target_kind: str) -> bool:
        return any(source_kind in s and target_kind in t for s, t in self.endpoints)

    def describe_endpoints(self) -> str:
        return "; ".join(
            f"{'|'.join(sorted(s))} -> {'|'.join(sorted(t))}" for s, t in self.endpoints
        )


def _edge(name: str, *pairs: tuple[str, str], help: str) -> EdgeType:
    return EdgeType(
        name,
        tuple((frozenset(s.split("|")), frozenset(t.split("|"))) for s, t in pairs),
        help,
    )


EDGE_TYPES: dict[str, EdgeType] = {
    e.name: e
    for e in (
        _edge("offers", ("actor", "service"), help="an actor provides a service"),
        _edge("serves", ("service", "population"), help="a service is for a population"),
        _edge("covers", ("service|project", "place"), help="a service or project works in a place"),
        _edge(
            "part_of",
            ("place", "place"), ("actor", "actor"), ("population", "population"),
            ("service", "project"), ("indicator", "indicator"),
            help="hierarchy: place in place, unit in organisation, sub-group, service in project",
        ),
        _edge("located_in", ("actor", "place"), help="where an actor is based"),
        _edge("leads", ("actor", "project"), help="lead organisation of a project"),
        _edge("partner_in", ("actor", "project"), help="partner organisation of a project"),
        _edge("funds", ("actor", "project|actor|service"), help="provides money"),
        _edge("member_of", ("actor", "actor"), help="membership of a body or network"),
        _edge("partners_with", ("actor", "actor"), help="works together (no direction implied)"),
        _edge("monitors", ("actor", "place|actor"), help="monitors compliance or performance"),
        _edge("oversees", ("actor", "actor|service"), help="supervises or is responsible for"),
        _edge(
            "refers_to", ("actor|service", "actor|service"),
            help="refers people on; `populations` says for whom",
        ),
        _edge("targets", ("project", "population"), help="a project's target group"),
        _edge(
            "includes", ("population", "population"),
            help="a group named as several together: a service for it names each of them",
        ),
        _edge(
            "addresses", ("service|project", "exploitation_form"),
            help="the forms of exploitation a service or project deals with",
        ),
        _edge("reports", ("project", "indicator"), help="a project reports a figure"),
        _edge("measures", ("indicator", "population"), help="the population a figure counts"),
        _edge("produced", ("project|actor", "publication"), help="authored or published"),
        _edge(
            "contributed_to", ("actor|project", "publication"),
            help="helped develop a document",
        ),
        _edge("adopted", ("actor", "publication"), help="officially adopted a document"),
        _edge("about", ("publication", "place|actor|project"), help="a publication's subject"),
        _edge("intended_for", ("publication", "population"), help="a publication's readers"),
        _edge("assesses", ("assessment", "place|actor"), help="the subject of an assessment"),
        _edge("assessed_by", ("assessment", "actor"), help="who made an assessment"),
        _edge(
            "vulnerable_to", ("population", "exploitation_form"),
            help="a population the source names as particularly at risk of a form",
        ),
        _edge("occurs_in", ("exploitation_form", "place"), help="a form the source says occurs there"),
    )
}

# --- inference rules ----------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How an inferred fact follows from what sources say: one sentence, and the sources the
    rule itself rests on (ids of source records; validation checks they are in the data)."""

    id: str
    text: str
    sources: tuple[str, ...]


INFERENCE_RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "first-contact-bodies",
            "Police, Centres for Social Work, NGOs and the trafficking hotline are where presumed "
            "victims are first met, on the referral pathway assembled from the Centre's functions "
            "(no official numbered version of the pathway was found).",
            ("centre-about", "centre-activities", "astra-services-for-victims"),
        ),
        Rule(
            "first-contact-refers-to-centre",
            "A body where presumed victims are first met refers them to the Centre for Protection "
            "of Victims of Trafficking, the body that identifies victims.",
            ("centre-about", "centre-activities"),
        ),
        Rule(
            "coordination-body-participants",
            "The programme overview says coordination among the key actors it lists takes place "
            "through the National Anti-Trafficking Coordination Body, which brings together "
            "government institutions, NGOs and international partners; the Serbian institutions, "
            "NGOs and international organisations it lists are taken to take part in it (it names "
            "no member).",
            ("irc-serbia-country-program",),
        ),
        Rule(
            "lead-of-listed-project",
            "A project listed under \"Projects Implemented\" on IRC Serbia's programme page is "
            "taken to be led by IRC Serbia where the text does not name its lead.",
            ("irc-serbia-country-program",),
        ),
        Rule(
            "project-service-covers-project-places",
            "A service delivered through a project is taken to cover the places the project names "
            "as its geographic focus, where the source gives no place for the service itself.",
            ("irc-serbia-country-program",),
        ),
        Rule(
            "national-hotline",
            "ASTRA's SOS hotline, the trafficking-specific hotline its page describes, takes calls "
            "from the whole of Serbia (the page names no area).",
            ("astra-types-of-support",),
        ),
        Rule(
            "urgent-reception-is-the-shelter",
            "The Urgent Reception Centre the 2019 TIP report names is taken to be the Centre's "
            "shelter for urgent accommodation, licensed in 2018 for female victims over 16 and "
            "opened in February 2019 (names and dates agree; no source says they are one).",
            ("tip-2019-serbia", "dnevnik-first-shelter-2018", "centre-history"),
        ),
        Rule(
            "partner-delivers-own-service",
            "Where a project was to provide a kind of service (a target of the project) and a "
            "partner's own public page says the partner provides that kind of service, the partner "
            "is taken to deliver it for the project in its country (the programme overview names "
            "the partners by country only and never says who delivered what).",
            ("irc-serbia-country-program",),
        ),
    )
}

# In CSV cells and workbook cells a list's items are separated by this (or one per line).
LIST_SEPARATOR = ";"

# Free-standing edges (relations.yaml / relations.csv) use these columns besides EDGE_ATTRS.
RELATION_FIELDS = ("type", "from", "to")
RELATIONS_PLURAL = "relations"

# Hierarchies walked by the queries: (node kind, edge type), child -[edge]-> parent.
HIERARCHY_EDGE = "part_of"


def allowed(vocab: str) -> tuple[str, ...]:
    return VOCABULARIES[vocab]


def sensitivity_rank(level: str) -> int:
    return SENSITIVITY.index(level)


def check_audience(audience: str) -> str:
    """`audience` if it is a sensitivity level, else QueryError naming the levels."""
    if audience not in SENSITIVITY:
        from stakeholder_graph.graph.errors import QueryError

        raise QueryError(f"unknown audience {audience!r}; one of {', '.join(SENSITIVITY)}")
    return audience


def visible_to(sensitivity: str, audience: str) -> bool:
    """True when a record at `sensitivity` may be shown to `audience`."""
    return sensitivity_rank(sensitivity) <= sensitivity_rank(audience)


def kind_for_plural(stem: str) -> str | None:
    """Map a data file's stem (actors, actors-albania, relations) to a kind name."""
    plurals = {k.plural: k.name for k in NODE_KINDS.values()}
    plurals[RELATIONS_PLURAL] = RELATIONS_PLURAL
    for plural, kind in sorted(plurals.items(), key=lambda p: -len(p[0])):
        if stem == plural or stem.startswith(plural + "-") or stem.startswith(plural + "."):
            return kind
    return None


def plural(kind: str) -> str:
    """The name of a kind's files and sheets: actor -> actors; "relations" stays itself."""
    return NODE_KINDS[kind].plural if kind in NODE_KINDS else kind


FILE_STEMS = tuple(plural(k) for k in [*NODE_KINDS, RELATIONS_PLURAL])


# fields an importer sets (loaders.hsds), never a person: not in the partners' templates
IMPORTER_FIELDS = frozenset({"hsds_id", "format"})


def columns(kind: str, links: bool = True, imported: bool = True) -> list[str]:
    """The columns of a kind's table (CSV template, workbook sheet, export), in the order
    people fill them in: id, name, the kind's own fields, its links (ids of other records),
    then the fields every record has. `kind` may also be "relations". Without `imported`,
    not the fields only an importer sets (the partners' templates)."""
    if kind == RELATIONS_PLURAL:
        return [*RELATION_FIELDS, *EDGE_ATTRS]
    spec = NODE_KINDS[kind]
    common = [f for f in COMMON_FIELDS if f != "name" and not (f == "sources" and kind in SELF_CITING_KINDS)]
    own = [f for f in spec.fields if imported or f not in IMPORTER_FIELDS]
    return ["id", "name", *own, *(spec.links if links else ()), *common]
