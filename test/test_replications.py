#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Experiments beside network scenarios ("dune", "placement", "aisid" sections) run through
`aisfc run` and sweeps alike; a sweep's replications give the paper figures' means and 95%
confidence intervals, and the numbers behind each figure (OUT.csv) equal the mean and Student-t
interval computed here from the store's rows.  Bad experiment sections exit 2 naming the place.

usage: test_replications.py AISFC_CLI
"""
import csv
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
failures = []
# Two-sided 95% Student t quantiles for 1..4 degrees of freedom.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776}

DUNE = {"name": "dune-small", "seed": 7, "run": 1,
        "dune": {"classes": 4, "flows_per_class": 30, "switches": 2}}


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=900)


def expect(name, result, code, *fragments):
    text = result.stdout + result.stderr
    missing = [f for f in fragments if f not in text]
    if result.returncode != code or missing:
        failures.append(f"{name}: exit {result.returncode} (want {code}); missing {missing} in "
                        f"{text[-1500:]!r}")


def write(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f)
    return path


with tempfile.TemporaryDirectory() as tmp:
    # One run of each new kind through `aisfc run`: its own results and summary.
    scenario = write(os.path.join(tmp, "dune.json"), DUNE)
    r = run("run", scenario, "--out", os.path.join(tmp, "one"))
    expect("dune scenario", r, 0, "mousika", "jewel", "dune", "results in")
    placement = write(os.path.join(tmp, "placement.json"),
                      {"name": "p", "seed": 2, "placement": {"episodes": 8, "train": 3, "test": 2,
                                                             "ilp_problems": 0}})
    r = run("run", placement, "--out", os.path.join(tmp, "placement"))
    expect("placement scenario", r, 0, "srem", "lag", "acceptance")
    if r.returncode == 0:
        with open(os.path.join(tmp, "placement", "results.json")) as f:
            res = json.load(f)
        if set(res["fig6"]) != {"random", "lag", "ddqn-cm", "srem"} or len(res["fig5"]) != 4:
            failures.append(f"placement scenario results: {sorted(res)}")

    # Three replications, two at a time: different samples, one row each.
    sweep = write(os.path.join(tmp, "sweep.json"),
                  {"file": "dune.json", "replications": 3, "timeout": "600s"})
    store = os.path.join(tmp, "sweep")
    expect("sweep", run("sweep", sweep, "--out", store, "--jobs", "2"), 0, "3 ok")
    db = sqlite3.connect(os.path.join(store, "results.db"))
    rows = [json.loads(m) for (m,) in db.execute(
        "SELECT metrics FROM runs WHERE status = 'ok' ORDER BY replication")]
    if len(rows) != 3:
        failures.append(f"sweep: {len(rows)} ok rows, want 3")
    f1 = [r["systems"]["dune"]["macro_f1"] for r in rows]
    if len(set(f1)) < 2:
        failures.append(f"replications drew the same samples: DUNE macro F1 {f1}")

    # The figure from the store: its CSV holds the mean and the Student-t 95% CI of each bar.
    png = os.path.join(tmp, "f1.png")
    expect("plot dune-f1", run("plot", store, "--figure", "dune-f1", "--out", png), 0,
           "figure in")
    if not os.path.exists(png) or os.path.getsize(png) < 1000:
        failures.append("plot dune-f1: no PNG")
    plotted = {}
    if os.path.exists(png[:-4] + ".csv"):
        with open(png[:-4] + ".csv") as f:
            plotted = {(row["series"], row["x"]): row for row in csv.DictReader(f)}
    for system in ("mousika", "jewel", "dune"):
        values = [r["systems"][system]["macro_f1"] for r in rows]
        mean = statistics.mean(values)
        ci = T95[len(values) - 1] * statistics.stdev(values) / len(values) ** 0.5
        row = plotted.get(("macro f1", system))
        if not row or abs(float(row["mean"]) - mean) > 1e-12 or \
                abs(float(row["ci95"]) - ci) > 1e-9 or row["n"] != "3":
            failures.append(f"dune-f1 {system}: plotted {row}, want mean {mean}, ci {ci}, n 3")
    expect("plot dune-latency", run("plot", store, "--figure", "dune-latency", "--out",
                                    os.path.join(tmp, "lat.png")), 0, "figure in")
    # A figure of another experiment: exit 2 naming what is missing.
    expect("plot srem-fig5 of dune runs", run("plot", store, "--figure", "srem-fig5", "--out",
                                              os.path.join(tmp, "x.png")), 2, "fig5")

    # A store of several parameter points: a paper figure says to use the sweep figure.
    grid = write(os.path.join(tmp, "grid.json"),
                 {"file": "dune.json", "grid": {"/dune/switches": [1, 2]},
                  "replications": 1})
    grid_store = os.path.join(tmp, "grid")
    expect("grid sweep", run("sweep", grid, "--out", grid_store, "--jobs", "2"), 0, "2 ok")
    expect("paper figure of a grid", run("plot", grid_store, "--figure", "dune-f1", "--out",
                                         os.path.join(tmp, "g.png")), 2,
           "2 parameter points", "--figure sweep")
    expect("sweep figure of a grid", run("plot", grid_store, "--figure", "sweep", "--x",
                                         "/dune/switches", "--y",
                                         "systems.dune.total_latency_ns", "--out",
                                         os.path.join(tmp, "g.png")), 0, "figure in")

    # MSI latency against batch size (the NSF paper's figure) from the sweep in sweeps/: the
    # summary names the chain's batches, the figure holds one series per mode and batch size.
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    expect("nsf scenario", run("run", os.path.join(source, "scenarios", "nsf-msi.json"),
                               "--out", os.path.join(tmp, "nsf")), 0,
           "nsf inference (sfc, batch size 8): 4/4 batches, mean latency")
    msi = os.path.join(tmp, "msi")
    expect("msi sweep", run("sweep", os.path.join(source, "sweeps", "nsf-msi-batch.json"),
                            "--out", msi, "--jobs", "2"), 0, "16 ok")
    png = os.path.join(tmp, "msi.png")
    expect("msi figure", run("plot", msi, "--figure", "sweep", "--x", "/nsf/batch_size", "--y",
                             "nsf.mean_latency_s", "--group", "/nsf/mode", "--out", png), 0,
           "figure in")
    with open(png[:-4] + ".csv") as f:
        drawn = list(csv.DictReader(f))
    if sorted((r["series"], r["x"], r["n"]) for r in drawn) != sorted(
            (f"/nsf/mode = {m}", str(b), "2") for m in ("sfc", "baseline")
            for b in (1, 4, 16, 64)):
        failures.append(f"msi figure: drew {[(r['series'], r['x'], r['n']) for r in drawn]}")

    # Bad experiment sections: exit 2, naming the file and the JSON path.
    def bad(name, doc, *fragments):
        path = write(os.path.join(tmp, name + ".json"), doc)
        expect(name, run("run", path, "--out", os.path.join(tmp, "bad")), 2, name + ".json",
               *fragments)

    bad("dune-classes", {"dune": {"classes": 1}}, "/dune/classes")
    bad("dune-unknown", {"dune": {"flowsPerClass": 4}}, "flowsPerClass")
    bad("dune-seed", {"dune": {"config": {"seed": 3}}}, "/dune/config/seed", "\"run\"")
    bad("dune-fraction", {"dune": {"test_fraction": 1.5}}, "/dune/test_fraction")
    bad("placement-generator", {"placement": {"generator": {"preset": "best"}}},
        "/placement/generator", "best")
    bad("two-kinds", {"dune": {}, "placement": {}}, "one experiment per scenario")
    # A sweep checks every run before it starts one.
    base = write(os.path.join(tmp, "base.json"), DUNE)
    bad_sweep = write(os.path.join(tmp, "bad-sweep.json"),
                      {"file": "base.json", "grid": {"/dune/classes": [4, 100]}})
    expect("sweep of a bad value", run("sweep", bad_sweep, "--out", os.path.join(tmp, "bs")), 2,
           "bad-sweep.json", "/dune/classes")
    if os.path.exists(os.path.join(tmp, "bs", "results.db")):
        with sqlite3.connect(os.path.join(tmp, "bs", "results.db")) as c:
            if c.execute("SELECT COUNT(*) FROM runs").fetchone()[0]:
                failures.append("sweep of a bad value ran some runs")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: experiments run, replicate and plot alike")
sys.exit(1 if failures else 0)
