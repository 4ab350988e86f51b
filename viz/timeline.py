"""The map's timeline as data: what each drawn record, relation and pathway step is on any day.

The statuses come from queries.timeline, which asks the rules of `--as-of`
(queries.matching.status) on every day a status can change, so the slider and the CLI never
disagree. They travel compactly: one sorted list of the days on which anything changes, and
for each record (in the order of the view's nodes) and each relation (in the order of its
edges) a short code, empty without dates, else its status before the first change followed
by (index of a day, new status) pairs, the codes joined by commas (trailing empty ones left
out):

    "days": ["2012-07-02", "2018-02-01", "2020-08-01"],
    "nodes": ",p0u,,p1a2e"

reads: the first record has no dates; the second is planned, then unconfirmed from days[0]
on; the fourth planned, active from days[1], ended from days[2]. Pathway steps are keyed by
their header's id ("step:identification": "g0o"). The page finds a day's status with one
binary search in `days`.
"""
from __future__ import annotations

import datetime as dt

from stakeholder_graph.queries.selection import Selection
from stakeholder_graph.queries.timeline import Runs, as_day, dated_changes, gap_changes, record_changes, today
from stakeholder_graph.viz.i18n import N_, _

CODES = {"active": "a", "unconfirmed": "u", "unknown": "k", "planned": "p", "ended": "e",
         "gap": "g", "provided": "o"}
WORDS = {"active": N_("active"), "unconfirmed": N_("unconfirmed"), "unknown": N_("unknown"),
         "planned": N_("planned"), "ended": N_("ended")}
DIMMED = ("planned", "ended")  # drawn faded, as the map has always drawn ended services


def encode(changes: Runs, index: dict[dt.date, int]) -> str:
    """'p1a2e': the first status, then each change as (index of its day, status)."""
    return CODES[changes[0][1]] + "".join(f"{index[day]}{CODES[state]}" for day, state in changes[1:])


def timeline_view(sel: Selection, node_ids: list[str], edge_dates: list[tuple | None], as_of=None) -> dict:
    """The `timeline` entry of a view whose nodes begin with `node_ids` (pathway step headers
    follow them) and whose edges have, in order, `edge_dates`: each relation's own (start,
    end), or None."""
    g = sel.visible
    cache: dict = {}
    nodes = [record_changes(g, n, cache=cache) if n in g.G else None for n in node_ids]
    edges = [dated_changes(*pair) if pair else None for pair in edge_dates]
    steps = {f"step:{s['step']}": gap_changes(g, s.get("services", [])) for s in sel.steps or []}
    every = [c for c in (*nodes, *edges, *steps.values()) if c]
    days = sorted({day for changes in every for day, _state in changes[1:]})
    index = {day: i for i, day in enumerate(days)}
    as_of = as_day(as_of)
    end = max(today(), as_of)
    starts = [d for d in days if d <= end] + [as_of]
    return {
        "start": dt.date(min(starts).year, 1, 1).isoformat(),  # from the year of the earliest change
        "end": end.isoformat(),
        "as_of": as_of.isoformat(),
        "days": [d.isoformat() for d in days],
        "nodes": ",".join(encode(c, index) if c else "" for c in nodes).rstrip(","),  # no trailing empties
        "edges": ",".join(encode(c, index) if c else "" for c in edges).rstrip(","),
        "steps": {s: encode(c, index) for s, c in steps.items()},
        "codes": {code: state for state, code in CODES.items()},
        "words": {CODES[state]: _(word) for state, word in WORDS.items()},
        "status_label": _("status"),  # the details panel's field (viz.view.FIELD_WORDS)
        "dimmed": [CODES[state] for state in DIMMED],
        "available": [CODES[state] for state in ("active", "unconfirmed", "unknown")],
    }


def codes_of(view: dict, group: str) -> dict[str, str]:
    """{id: code} of a view's timed nodes, edges or steps, as the page reads them."""
    t = view["timeline"]
    if group == "steps":
        return dict(t["steps"])
    items = view["nodes"] if group == "nodes" else view["edges"]
    return {item["id"]: code for item, code in zip(items, t[group].split(",")) if code}


def status_in(view: dict, group: str, item: str, day) -> str | None:
    """What the page computes: the status of a node, edge or step ("nodes", "edges", "steps")
    on `day` from the embedded codes (None for an item without dates), decoded as map.js
    decodes them."""
    import bisect
    import re

    t = view["timeline"]
    code = codes_of(view, group).get(item)
    if code is None:
        return None
    day = as_day(day).isoformat()
    at = bisect.bisect_right(t["days"], day)
    state = code[0]
    for index, new in re.findall(r"(\d+)([a-z])", code[1:]):
        if int(index) < at:
            state = new
    return t["codes"][state]
