"""How maps and diagrams look: colours, node shapes and edge styles, declared once as data.

Sector and kind colours are graph/style.py's, shared with the GEXF export, so a network
looks the same in Gephi, on the map and in the diagram; every edge type of the schema has a
style here.
"""
from __future__ import annotations

from graph.schema import EDGE_TYPES, NODE_KINDS, VOCABULARIES

from graph.style import DEFAULT_COLOUR, KIND_COLOURS, SECTOR_COLOURS

NONE_COLOR = "#c7c7c7"
# countries have no colour of their own elsewhere: Okabe-Ito and its extension
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#7F3C8D", "#11A579", "#3969AC", "#F2B701", "#E73F74", "#80BA5A", "#E68310",
    "#008695", "#CF1C90", "#4B4B8F", "#A5AA99",
)
STEP_COLOR = "#37474f"
GAP_COLOR = "#c62828"

# (vis-network shape, matplotlib marker); the shapes vis-network draws with a size and the
# label below, except publications and assessments (label inside)
KIND_SHAPES = {
    "actor": ("dot", "o"),
    "service": ("square", "s"),
    "project": ("star", "*"),
    "place": ("diamond", "D"),
    "population": ("triangle", "^"),
    "exploitation_form": ("triangleDown", "v"),
    "indicator": ("hexagon", "h"),
    "assessment": ("ellipse", "8"),
    "publication": ("box", "p"),
    "source": ("dot", "."),
}
assert set(KIND_SHAPES) == set(NODE_KINDS), "every node kind needs a shape"


def kind_label(kind: str) -> str:
    return kind.replace("_", " ")


# edge families: (colour, dash pattern in px or None, width, arrow)
_FAMILIES = {
    "provision": ("#8d6e63", None, 1.2, True),       # who offers what, to whom, where
    "hierarchy": ("#b0bec5", (2, 4), 1.0, True),      # part of, located in, member of
    "collaboration": ("#5e35b1", (8, 4), 1.6, True),  # projects, funding, partnerships
    "referral": ("#c62828", None, 2.6, True),         # the referral pathway
    "oversight": ("#00838f", (12, 3, 3, 3), 1.4, True),
    "evidence": ("#9e9d24", (1, 3), 1.0, True),       # figures, assessments, publications
    "risk": ("#ad1457", (4, 4), 1.0, True),
}
_FAMILY_OF = {
    "offers": "provision", "serves": "provision", "covers": "provision", "targets": "provision",
    "addresses": "provision",
    "part_of": "hierarchy", "located_in": "hierarchy", "member_of": "hierarchy",
    "leads": "collaboration", "partner_in": "collaboration", "funds": "collaboration",
    "partners_with": "collaboration",
    "refers_to": "referral",
    "monitors": "oversight", "oversees": "oversight",
    "reports": "evidence", "measures": "evidence", "produced": "evidence",
    "contributed_to": "evidence", "adopted": "evidence", "about": "evidence",
    "intended_for": "evidence", "assesses": "evidence", "assessed_by": "evidence",
    "vulnerable_to": "risk", "occurs_in": "risk",
}
UNDIRECTED = {"partners_with"}
# within a family, types differ by a darker or lighter shade and their own dash pattern
_VARIANT_DASHES = (None, (6, 3), (2, 2), (10, 2, 2, 2), (4, 6))


def edge_style(edge_type: str) -> dict:
    """{'color', 'dashes' (list of px or None), 'width', 'arrow'} for one relation type."""
    family = _FAMILY_OF.get(edge_type, "hierarchy")
    color, dashes, width, arrow = _FAMILIES[family]
    siblings = sorted(t for t, f in _FAMILY_OF.items() if f == family)
    variant = siblings.index(edge_type) if edge_type in siblings else 0
    if variant and dashes is None:
        dashes = _VARIANT_DASHES[variant % len(_VARIANT_DASHES)]
    elif variant:
        dashes = tuple(d + variant for d in dashes)
    return {
        "color": color,
        "dashes": list(dashes) if dashes else None,
        "width": width,
        "arrow": arrow and edge_type not in UNDIRECTED,
    }


assert set(_FAMILY_OF) == set(EDGE_TYPES), "every edge type needs a family"


def color_key(color_by: str, kind: str, sector: str, country: str) -> str:
    """What a node's colour stands for: with `sector`, an actor's sector and other records'
    kind (as in the GEXF export, graph/style.py); else its kind or its country ('' = none)."""
    if color_by == "sector":
        return sector if kind == "actor" and sector in SECTOR_COLOURS else kind
    return kind if color_by == "kind" else country


def color_of(color_by: str, key: str, countries: list[str]) -> str:
    if color_by == "country":
        return PALETTE[countries.index(key) % len(PALETTE)] if key in countries else NONE_COLOR
    return SECTOR_COLOURS.get(key) or KIND_COLOURS.get(key) or DEFAULT_COLOUR


def color_order(key: str) -> tuple:
    """Sectors first, then kinds in schema order, then anything else by name."""
    if key in SECTORS:
        return (0, SECTORS.index(key), key)
    if key in NODE_KINDS:
        return (1, list(NODE_KINDS).index(key), key)
    return (2, key == "", key)


SECTORS = VOCABULARIES["sector"]
