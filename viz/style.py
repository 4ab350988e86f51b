"""How maps and diagrams look: colours, node shapes and edge styles, declared once as data.

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies) and its extension; every edge type of the schema has a style.
"""
from __future__ import annotations

from graph.schema import EDGE_TYPES, NODE_KINDS, VOCABULARIES

NONE_COLOR = "#9e9e9e"
PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
    "#7F3C8D", "#11A579", "#3969AC", "#F2B701", "#E73F74", "#80BA5A", "#E68310",
    "#008695", "#CF1C90", "#4B4B8F", "#A5AA99",
)
SECTOR_COLORS = {"government": "#0072B2", "ngo": "#E69F00", "international": "#009E73"}
KIND_COLORS = {
    "actor": "#0072B2", "service": "#E69F00", "project": "#CC79A7", "place": "#009E73",
    "population": "#56B4E9", "exploitation_form": "#D55E00", "indicator": "#7F3C8D",
    "assessment": "#F0E442", "publication": "#A5AA99", "source": NONE_COLOR,
}
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


def color_table(color_by: str, keys: list[str]) -> dict[str, str]:
    """Colour for each key (sector, kind or country id); '' (none) is grey."""
    if color_by == "sector":
        fixed = SECTOR_COLORS
    elif color_by == "kind":
        fixed = KIND_COLORS
    else:
        fixed = {}
    out: dict[str, str] = {}
    free = [c for c in PALETTE if c not in fixed.values()]
    i = 0
    for key in sorted(keys):
        if not key:
            out[key] = NONE_COLOR
        elif key in fixed:
            out[key] = fixed[key]
        else:
            out[key] = free[i % len(free)]
            i += 1
    return out


SECTORS = VOCABULARIES["sector"]
