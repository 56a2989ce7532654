#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`aisfc run` on a scenario with an "aisid" section (scenarios/aisid-chinanet.json, reduced):
the results of the issue's shape, equal to the aisid-chinanet example's with the same
parameters, and bad keys refused with exit 2 naming the JSON path.

usage: test_aisid_scenario.py AISFC_CLI EXAMPLES_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

CLI, EXAMPLES = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
failures = []

with open(os.path.join(HERE, "..", "scenarios", "aisid-chinanet.json")) as f:
    scenario = json.load(f)
scenario["aisid"]["concurrency"] = 40  # the full 500 takes half a minute

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "s.json")
    with open(path, "w") as f:
        json.dump(scenario, f)
    out = os.path.join(tmp, "run")
    r = subprocess.run([CLI, "run", path, "--out", out], capture_output=True, text=True,
                       timeout=600)
    if r.returncode != 0:
        failures.append(f"run: exit {r.returncode}: {r.stderr[-1500:]}")
    else:
        with open(os.path.join(out, "results.json")) as f:
            res = json.load(f)
        for mode in ("aisid", "dns"):
            m = res.get(mode, {})
            rt = m.get("response_time_ms", {})
            if not all(k in rt for k in ("mean", "p50", "p99", "breakdown")) \
                    or "link_utilisation_variance" not in m \
                    or "compute_utilisation_variance" not in m:
                failures.append(f"{mode}: missing fields in {sorted(m)}")
            elif m["requests"]["answered"] != 40:
                failures.append(f"{mode}: {m['requests']}")
        if "reduction_pct" not in res:
            failures.append("no reduction_pct")
        # The same experiment as the example with the same parameters.
        ex = os.path.join(tmp, "example")
        r = subprocess.run([os.path.join(EXAMPLES, "aisid-chinanet"), "--concurrency=40",
                            f"--outDir={ex}"], capture_output=True, text=True, timeout=600)
        with open(os.path.join(ex, "results.json")) as f:
            if json.load(f) != res:
                failures.append("scenario and example results differ")

    # A sweep over the number of ingress gateways, then its figure with CIs over replications.
    sweep = os.path.join(tmp, "sweep.json")
    with open(sweep, "w") as f:
        json.dump({"base": scenario, "grid": {"/aisid/concurrency": [30],
                                              "/aisid/ingressCount": [2, 10]},
                   "replications": 2}, f)
    sw = os.path.join(tmp, "sweep")
    r = subprocess.run([CLI, "sweep", sweep, "--out", sw, "--jobs", "2"], capture_output=True,
                       text=True, timeout=600)
    if r.returncode != 0 or "4 ok" not in r.stderr:
        failures.append(f"sweep: exit {r.returncode}: {r.stderr[-800:]}")
    png = os.path.join(tmp, "gateways.png")
    r = subprocess.run([CLI, "plot", sw, "--figure", "sweep", "--x", "/aisid/ingressCount", "--y",
                        "reduction_pct.response_time_mean", "--out", png], capture_output=True,
                       text=True)
    if r.returncode != 0 or not os.path.exists(png):
        failures.append(f"plot: exit {r.returncode}: {r.stderr[-800:]}")

    scenario["aisid"]["concurrenc"] = 3
    with open(path, "w") as f:
        json.dump(scenario, f)
    r = subprocess.run([CLI, "run", path, "--out", out], capture_output=True, text=True)
    if r.returncode != 2 or "/aisid/concurrenc" not in r.stderr:
        failures.append(f"bad key: exit {r.returncode}: {r.stderr!r}")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: aisid scenario")
sys.exit(1 if failures else 0)
