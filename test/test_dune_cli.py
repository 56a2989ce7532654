#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`aisfc dune run`: results.json of the shape the issue fixes, same seed same bytes, a run killed
mid-way leaves no partial output and running it again gives the uninterrupted bytes, and bad
input refused with exit 2 naming it.

usage: test_dune_cli.py AISFC_CLI
"""
import json
import os
import subprocess
import sys
import signal
import tempfile

from stop_midway import own_cpu_of_run, stop_after_cpu

CLI = sys.argv[1]
failures = []


def run(*args):
    return subprocess.run([CLI, "dune", *args], capture_output=True, text=True, timeout=600)


def expect(name, result, code, *fragments):
    text = result.stdout + result.stderr
    missing = [f for f in fragments if f not in text]
    if result.returncode != code or missing:
        failures.append(f"{name}: exit {result.returncode} (want {code}); missing {missing} in "
                        f"{text[-1500:]!r}")


with tempfile.TemporaryDirectory() as tmp:
    outs = []
    for k in range(2):
        out = os.path.join(tmp, f"run{k}")
        r = run("run", "--classes", "6", "--flows-per-class", "60", "--out", out)
        expect("run", r, 0, "dune", "mousika", "jewel", "results in")
        outs.append(out)
    with open(os.path.join(outs[0], "results.json"), "rb") as f:
        first = f.read()
    with open(os.path.join(outs[1], "results.json"), "rb") as f:
        second = f.read()
    res = json.loads(first)
    systems = res["systems"]
    if set(systems) != {"no_inference", "mousika", "jewel", "dune"}:
        failures.append(f"systems: {sorted(systems)}")
    for name in ("mousika", "jewel", "dune"):
        for key in ("macro_f1", "weighted_f1", "micro_f1"):
            v = systems[name].get(key)
            if not isinstance(v, float) or not 0 <= v <= 1:
                failures.append(f"{name}.{key} = {v!r}")
        if not systems[name]["resources"]:
            failures.append(f"{name}: no resources")
    if len(res["data"]["class_names"]) != 6:
        failures.append(f"classes: {res['data']['class_names']}")
    # Same seed, same results, byte for byte (wall-clock figures are in timing.json).
    if first != second:
        failures.append("two runs with the same seed differ")
    for name in ("no_inference", "mousika", "jewel", "dune"):
        latency = systems[name].get("total_latency_ns")
        if not isinstance(latency, float) or latency < 852:
            failures.append(f"{name}: total latency {latency!r}")
    if not systems["dune"]["total_latency_ns"] < 2000:
        failures.append(f"dune over 3 switches: {systems['dune']['total_latency_ns']} ns")
    with open(os.path.join(outs[0], "timing.json")) as f:
        timing = json.load(f)
    if timing["replay"]["dune"]["packets_per_wall_second"] <= 0:
        failures.append(f"timing: {timing}")

    # Killed mid-way (SIGKILL, SIGTERM, SIGINT once it has used half the CPU time of a whole
    # run, which a loaded machine does not shift as it does wall time): no results.json at all,
    # never a partial one; the same command again writes the uninterrupted bytes.
    args = [CLI, "dune", "run", "--classes", "6", "--flows-per-class", "60"]
    _, used = own_cpu_of_run(args + ["--out", os.path.join(tmp, "timed")])
    half = used / 2
    for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
        out = os.path.join(tmp, f"stopped-{sig.name}")
        code = stop_after_cpu(args + ["--out", out], half, sig)
        left = sorted(os.listdir(out)) if os.path.isdir(out) else []
        if code == 0 or "results.json" in left:
            failures.append(f"{sig.name} after {half:.2f} s of CPU: not interrupted (exit "
                            f"{code}, {left}); the test needs a slower run")
        r = run("run", "--classes", "6", "--flows-per-class", "60", "--out", out)
        expect(f"rerun after {sig.name}", r, 0, "results in")
        with open(os.path.join(out, "results.json"), "rb") as f:
            if f.read() != first:
                failures.append(f"{sig.name} then rerun: results.json differs from an "
                                "uninterrupted run")

    expect("bad data", run("run", "--data", "traffic.txt", "--out", tmp), 2, "--data",
           "traffic.txt")
    expect("pcap without labels", run("run", "--data", "x.pcap", "--out", tmp), 2, "--labels")
    expect("bad speedup", run("run", "--speedup", "-2", "--out", tmp), 2, "--speedup", "'-2'")
    fast = os.path.join(tmp, "fast")
    expect("fixed rate", run("run", "--classes", "4", "--flows-per-class", "30",
                             "--packet-rate", "100000", "--out", fast), 0, "results in")
    expect("bad switches", run("run", "--switches", "none", "--out", tmp), 2, "--switches")
    bad = os.path.join(tmp, "bad.json")
    with open(bad, "w") as f:
        f.write('{"modelDepth": "deep"}')
    expect("bad config", run("run", "--config", bad, "--out", tmp), 2, "bad.json", "modelDepth")
    csv = os.path.join(tmp, "flows.csv")
    with open(csv, "w") as f:
        f.write("a,b,Label\n1,2,x\n")
    expect("csv without a label column", run("run", "--data", csv, "--label", "Class", "--out",
                                             tmp), 2, "flows.csv", "Class")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: dune command line")
sys.exit(1 if failures else 0)
