"""Audience filtering in the graph model: what is above the audience leaves no trace."""
from __future__ import annotations

from helpers import graph_of, write_files


def test_for_audience_drops_records_edges_and_their_ids(tmp_path):
    data = write_files(tmp_path, {
        "sources.yaml": """\
- {id: public-src, name: Public page, url: "https://example.org"}
- {id: secret-src, name: Internal case notes, sensitivity: internal}
""",
        "populations.yaml": """\
- {id: victims, name: victims, sources: [public-src]}
- {id: secret-group, name: Secret group, parent: victims, sensitivity: partners, sources: [public-src]}
""",
        "actors.yaml": """\
- {id: ngo, name: NGO, sector: ngo, sources: [public-src, secret-src]}
- {id: shelter-operator, name: Shelter operator, sector: ngo, sensitivity: internal, sources: [secret-src]}
- {id: partner-ngo, name: Partner NGO, sector: ngo, sensitivity: partners, sources: [public-src]}
""",
        "relations.yaml": """\
- {type: refers_to, from: ngo, to: shelter-operator, sources: [public-src]}
- {type: partners_with, from: ngo, to: partner-ngo, sources: [public-src], sensitivity: partners}
""",
    })
    g = graph_of(data)
    public = g.for_audience("public")
    assert set(public.G) == {"public-src", "ngo", "victims"}
    assert public.node("ngo")["sources"] == ["public-src"]
    assert public.G.number_of_edges() == 0
    partners = g.for_audience("partners")
    assert "secret-group" in partners.G and "shelter-operator" not in partners.G
    assert sorted(a["type"] for _, _, a in partners.G.edges(data=True)) == ["part_of", "partners_with"]
    everything = g.for_audience("internal")
    assert everything.G.number_of_nodes() == g.G.number_of_nodes()
    assert everything.node("ngo")["sources"] == ["public-src", "secret-src"]
    assert g.node("ngo")["sources"] == ["public-src", "secret-src"]  # the original is untouched
