"""Load speed of the 300,000-row YAML dataset (issue 15): the cold validated load and the warm
cached one.

    python bench/bench_load.py [--actors 20000 --services 60000 --places 300 --runs 3] [--before main]

Writes the generated dataset (bench/generate.py: 80,309 records and 220,305 relation rows,
38 MB of YAML) to a temporary folder, then times, each in a fresh process, runs interleaved,
medians of --runs (wall seconds, and the process's CPU seconds, steadier on a shared machine):

- cold: `loaders.load([folder])`, validated, nothing cached;
- the same load with the fast YAML reader turned off, every file read by the full
  line-recording loader as before it (the same-run baseline of the parse);
- `yaml.load(CSafeLoader)` of the same files: what PyYAML's C loader alone costs, no lines
  kept (the garbage collector paused, as the load pauses it);
- with --before REV: the cold load of the code at that git revision (`git archive`), the
  before of a before-and-after;
- warm: `load([folder], cached=True)` and `.graph()`, as the CLI loads, in a fresh process
  after one run filled the cache (a cache folder of the benchmark's own).

Targets (issue 15): warm, load and graph, under 10 s; cold at least 2x faster than before
(31.7 s when the issue was written; here the ratio to --before, else to the full loader).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import ENV, ROOT, compile_package

WARM_TARGET = 10.0  # seconds
COLD_FACTOR = 2.0  # times faster than before
ISSUE_COLD = 31.7  # seconds, the cold load when the issue was written


def child(mode: str, folder: str) -> None:
    """One measurement in this process; prints {"wall", "cpu"} (and the graph's for warm) as JSON."""
    start, cpu = time.perf_counter(), time.process_time()
    if mode == "yaml":
        import gc

        import yaml

        gc.disable()  # as loaders.load pauses it: else the collector's rescans are most of the time
        for path in sorted(Path(folder).glob("*.yaml")):
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        print(json.dumps({"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu}))
        return
    from stakeholder_graph.loaders import load

    if mode == "full":
        from stakeholder_graph.loaders import files

        files.fast_records = lambda text: None  # every file to the full loader
    start, cpu = time.perf_counter(), time.process_time()  # the import is not the load's
    dataset = load([folder], cached=mode == "warm")
    result = {"wall": time.perf_counter() - start, "cpu": time.process_time() - cpu,
              "records": len(dataset.nodes), "relations": len(dataset.edges), "errors": len(dataset.problems.errors)}
    if mode == "warm":
        start, cpu = time.perf_counter(), time.process_time()
        dataset.graph()
        result.update(graph_wall=time.perf_counter() - start, graph_cpu=time.process_time() - cpu)
    print(json.dumps(result))


def measure(mode: str, folder: Path, env: dict) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(folder)], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def before_tree(revision: str, into: Path) -> Path:
    """The package at a git revision, unpacked where PYTHONPATH finds it as stakeholder_graph."""
    package = into / "stakeholder_graph"
    package.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(package)], input=archive, check=True)
    return into


def median(samples: list[dict], key: str) -> float:
    return statistics.median(s[key] for s in samples)


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # generate.add_size_options's three options, written out: importing generate loads the package,
    # and the --child processes must start cold
    parser.add_argument("--actors", type=int, default=20000)
    parser.add_argument("--services", type=int, default=60000)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", metavar="REV", help="also time the cold load of this git revision (e.g. main)")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child)

    from generate import generate_records, write_yaml

    compile_package()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        folder = tmp / "yaml"
        nodes, edges = generate_records(args.actors, args.services, args.places)
        write_yaml(folder, nodes, edges)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"dataset: {len(nodes):,} records + {len(edges):,} relation rows, {size:.1f} MB of YAML; "
              f"median of {args.runs} runs, each in a fresh process")
        env = {**ENV, "XDG_CACHE_HOME": str(tmp / "cache")}
        envs = {"cold": env, "full": env, "yaml": env}
        if args.before:
            old = before_tree(args.before, tmp / "before")
            envs["before"] = {**env, "PYTHONPATH": str(old)}
        samples: dict[str, list[dict]] = {name: [] for name in envs}
        for _ in range(args.runs):  # interleaved: machine noise hits all alike
            for name, name_env in envs.items():
                samples[name].append(measure("cold" if name == "before" else name, folder, name_env))
        first = samples["cold"][0]
        assert first["errors"] == 0, first
        measure("warm", folder, env)  # fills the cache
        warm = [measure("warm", folder, env) for _ in range(args.runs)]

    labels = {
        "cold": "cold load, validated (this code)",
        "full": "  the same, full line-recording loader",
        "yaml": "  yaml.load(CSafeLoader) alone, no lines",
        "before": f"cold load at {args.before}",
    }
    print(f"\n{'':42} {'wall s':>8} {'cpu s':>8}")
    for name in envs:
        print(f"{labels[name]:42} {median(samples[name], 'wall'):8.2f} {median(samples[name], 'cpu'):8.2f}")
    warm_wall = statistics.median(w["wall"] + w["graph_wall"] for w in warm)
    warm_cpu = statistics.median(w["cpu"] + w["graph_cpu"] for w in warm)
    print(f"{'warm: load(cached=True)':42} {median(warm, 'wall'):8.2f} {median(warm, 'cpu'):8.2f}")
    print(f"{'  and .graph()':42} {median(warm, 'graph_wall'):8.2f} {median(warm, 'graph_cpu'):8.2f}")
    print(f"{'  together':42} {warm_wall:8.2f} {warm_cpu:8.2f}")

    cold = median(samples["cold"], "wall")
    base_name = "before" if args.before else "full"
    base = median(samples[base_name], "wall")
    ratio = base / cold
    cpu_ratio = median(samples[base_name], "cpu") / median(samples["cold"], "cpu")
    print(f"\ntarget warm (load and graph) under {WARM_TARGET:g} s: {warm_wall:.2f} s, {verdict(warm_wall < WARM_TARGET)}")
    print(f"target cold at least {COLD_FACTOR:g}x faster than {labels[base_name].strip()}: "
          f"{base:.2f} s -> {cold:.2f} s = {ratio:.2f}x (cpu {cpu_ratio:.2f}x), {verdict(ratio >= COLD_FACTOR)}")
    print(f"  (the issue's {ISSUE_COLD} s / 2 = {ISSUE_COLD / 2:.2f} s; here {cold:.2f} s)")


if __name__ == "__main__":
    main()
