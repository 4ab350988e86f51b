"""How every picture of the graph looks: colours, node shapes and edge styles, declared once.

Actors are coloured by sector and other records by kind, the same in the GEXF export (which
reads these colours), on the HTML map and in the diagram, so a network looks the same in Gephi
and on a slide. Every node kind has a shape and every edge type of the schema a style.
"""
from __future__ import annotations

from stakeholder_graph.graph.schema import EDGE_TYPES, NODE_KINDS, VOCABULARIES

SECTORS = VOCABULARIES["sector"]
SECTOR_COLOURS = {
    "government": "#1f77b4",
    "ngo": "#2ca02c",
    "international": "#9467bd",
}
KIND_COLOURS = {
    "actor": "#7f7f7f",  # an actor without a sector
    "service": "#ff7f0e",
    "project": "#d62728",
    "place": "#8c564b",
    "population": "#e377c2",
    "exploitation_form": "#bcbd22",
    "indicator": "#17becf",
    "assessment": "#aec7e8",
    "publication": "#c49c94",
    "source": "#c7c7c7",
}
DEFAULT_COLOUR = "#7f7f7f"
assert set(KIND_COLOURS) == set(NODE_KINDS), "every node kind needs a colour"
assert set(SECTOR_COLOURS) == set(SECTORS), "every sector needs a colour"


def node_colour(attrs: dict) -> str:
    """'#rrggbb' for a node's attributes: actors by sector, other records by kind."""
    if attrs.get("kind") == "actor" and attrs.get("sector") in SECTOR_COLOURS:
        return SECTOR_COLOURS[attrs["sector"]]
    return KIND_COLOURS.get(attrs.get("kind"), DEFAULT_COLOUR)


def rgb(colour: str) -> tuple[int, int, int]:
    """'#1f77b4' -> (31, 119, 180)."""
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


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
    """'exploitation_form' -> 'exploitation form'."""
    return kind.replace("_", " ")


# edge families: (colour, width, arrow). Every relation of a family is drawn alike and the
# legend lists families, so a picture has at most six line colours plus the dotted "inferred"
# (seven line styles): hues far apart (after Okabe-Ito), never shades of one colour. The dash
# stays for the basis (solid stated, dotted inferred), so it never depends on the relation.
FAMILIES = {
    "provision": ("#a6761d", 1.3, True),       # who offers what, to whom, where
    "structure": ("#8fa3ad", 1.0, True),       # part of, located in, member of
    "collaboration": ("#7b3294", 1.6, True),   # projects, funding, partnerships
    "referral": ("#d7301f", 2.6, True),        # the referral pathway
    "oversight": ("#0072b2", 1.4, True),
    "evidence": ("#1b9e77", 1.0, True),        # figures, assessments, publications, risks
}
FAMILY_OF = {
    "offers": "provision", "serves": "provision", "covers": "provision", "targets": "provision",
    "addresses": "provision",
    "part_of": "structure", "located_in": "structure", "member_of": "structure", "includes": "structure",
    "leads": "collaboration", "partner_in": "collaboration", "funds": "collaboration",
    "partners_with": "collaboration",
    "refers_to": "referral",
    "monitors": "oversight", "oversees": "oversight",
    "reports": "evidence", "measures": "evidence", "produced": "evidence",
    "contributed_to": "evidence", "adopted": "evidence", "about": "evidence",
    "intended_for": "evidence", "assesses": "evidence", "assessed_by": "evidence",
    "vulnerable_to": "evidence", "occurs_in": "evidence",
}
UNDIRECTED = {"partners_with"}
# the basis of a relation, drawn as the line's dash pattern (px; None is solid)
BASIS_DASHES = {"stated": None, "inferred": [2, 4]}
BASIS_LABELS = {"stated": "solid: stated by a source", "inferred": "dotted: inferred by a rule"}


def family_of(edge_type: str) -> str:
    """The family a relation type is drawn and listed in ('offers' -> 'provision')."""
    return FAMILY_OF.get(edge_type, "structure")


def edge_style(edge_type: str) -> dict:
    """{'color', 'width', 'arrow', 'family'} for one relation type: its family's colour and
    width; the arrow unless the relation has no direction."""
    family = family_of(edge_type)
    color, width, arrow = FAMILIES[family]
    return {"color": color, "width": width, "arrow": arrow and edge_type not in UNDIRECTED, "family": family}


def basis_dashes(basis: str | None) -> list[int] | None:
    """The dash pattern of a relation of this basis (None: a solid line)."""
    return BASIS_DASHES.get(basis or "stated")


assert set(FAMILY_OF) == set(EDGE_TYPES), "every edge type needs a family"


def color_key(color_by: str, kind: str, sector: str, country: str) -> str:
    """What a node's colour stands for: with `sector`, an actor's sector and other records'
    kind (as in the GEXF export); else its kind or its country ('' = none)."""
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



RING_GAP = (0.035, 0.25)  # a national body's second ring: this far outside the node (inches, or radii if more)


def ring_radius(r: float) -> float:
    """The radius of a national body's second ring around a node of radius `r` (inches), on a
    diagram and a slide alike."""
    return r + max(RING_GAP[0], RING_GAP[1] * r)
