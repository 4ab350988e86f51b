"""`ask` on the seed data: every question of the question table (tests/test_ask.py), in process
and as a cold CLI run.

    python bench/bench_ask.py [--runs 5 --cold-runs 15]

Targets: median under 20 ms per question in process (reading the question and running its
query), side by side with the queries it maps onto called directly; a cold CLI `ask` within
1.5x of `python -c "import networkx, yaml, click"` (the same baseline as bench_cli.py), for an
English and a Serbian question. Also printed: the share of the table's questions answered and
refused, by language.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import time

from stakeholder_graph import open_graph
from stakeholder_graph.graph.errors import CannotMap
from stakeholder_graph.queries.ask import _as_of as date_of
from stakeholder_graph.queries.ask import ask, decide, run
from stakeholder_graph.queries.parse import parse

from timing import BASELINE, CLI, ROOT, side_by_side

TODAY = "2026-11-28"


def question_table():
    spec = importlib.util.spec_from_file_location("question_table", ROOT / "tests" / "test_ask.py")
    module = importlib.util.module_from_spec(spec)
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    spec.loader.exec_module(module)
    return [q for q, *_ in module.ANSWERED], [q for q, _ in module.REFUSED], module.YEAR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="times each question is asked in process")
    parser.add_argument("--cold-runs", type=int, default=15)
    args = parser.parse_args()
    answered, refused, year = question_table()
    g = open_graph()
    as_of = {q: None if year.search(q) else TODAY for q in answered + refused}

    # the first question of each language builds the vocabulary (and, for Serbian, the case forms)
    for q in ("who handles child victims in Niš?", "ko pomaže deci u Nišu?"):
        start = time.perf_counter()
        ask(g, q, TODAY)
        print(f"first {'English' if q.startswith('who') else 'Serbian'} question in a process: "
              f"{(time.perf_counter() - start) * 1000:.0f} ms (builds the vocabulary once)")

    asked: dict[str, list[float]] = {"en": [], "sr": []}
    direct: dict[str, list[float]] = {"en": [], "sr": []}
    reading: list[float] = []
    shares: dict[str, list[int]] = {}
    for q in answered + refused:
        lang = parse(g, q).language
        counts = shares.setdefault(lang, [0, 0])
        try:
            result = ask(g, q, as_of[q])
            counts[0] += 1
        except CannotMap:
            counts[1] += 1
            result = None
        key = "en" if lang == "en" else "sr"
        for _ in range(args.runs):
            start = time.perf_counter()
            try:
                ask(g, q, as_of[q])
            except CannotMap:
                pass
            asked[key].append(time.perf_counter() - start)
            start = time.perf_counter()
            p = parse(g, q)
            try:
                decide(g, p)
            except CannotMap:
                pass
            reading.append(time.perf_counter() - start)
        if result is not None:  # the same query called directly: the baseline
            p = parse(g, q)
            intent, terms = decide(g, p)
            when = date_of(p, terms["year"], as_of[q])
            for _ in range(args.runs):
                start = time.perf_counter()
                run(g, intent, terms, when, 24, False)
                direct[key].append(time.perf_counter() - start)

    print(f"\nin process, {len(answered) + len(refused)} questions x {args.runs} runs (median ms):")
    for key, label in (("en", "English"), ("sr", "Serbian")):
        print(f"  ask, {label:8s} {statistics.median(asked[key]) * 1000:7.2f}   "
              f"the same queries called directly {statistics.median(direct[key]) * 1000:7.2f}")
    everything = asked["en"] + asked["sr"]
    median = statistics.median(everything) * 1000
    print(f"  ask, all      {median:7.2f}   (90th percentile {statistics.quantiles(everything, n=10)[-1] * 1000:.1f}, "
          f"max {max(everything) * 1000:.1f})")
    print(f"  reading a question (parse + decide) {statistics.median(reading) * 1000:.2f}")
    print(f"target median < 20 ms: {'met' if median < 20 else 'NOT met'}")

    print("\nquestions of the table, answered / refused, by language:")
    for lang, (yes, no) in sorted(shares.items()):
        total = yes + no
        print(f"  {lang:8s} {yes:4d} answered ({yes / total:.0%}), {no:3d} refused ({no / total:.0%})")

    medians = side_by_side({
        "baseline: import networkx, yaml, click": BASELINE,
        'ask "who handles child victims in Niš?"': CLI + ["ask", "who handles child victims in Niš?"],
        'ask "ко помаже деци у Нишу?"': CLI + ["ask", "ко помаже деци у Нишу?"],
        'ask "who handles child victims in Nsi?" (refused)': CLI + ["ask", "who handles child victims in Nsi?"],
    }, args.cold_runs, ok_codes=(0, 1))
    base = medians["baseline: import networkx, yaml, click"]
    print(f"\ncold start, median of {args.cold_runs} interleaved runs")
    for name, seconds in medians.items():
        print(f"  {name:60s} {seconds * 1000:7.0f} ms   {seconds / base:4.2f}x baseline")
    worst = max(v for k, v in medians.items() if not k.startswith("baseline")) / base
    print(f"target <= 1.50x: {'met' if worst <= 1.5 else 'NOT met'} (worst {worst:.2f}x)")


if __name__ == "__main__":
    main()
