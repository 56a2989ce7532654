#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""nsf-msi, nsf-msl and nsf-reconfigure: every mini-batch of every point arrives; latency grows with the mini-batch size and
so does throughput (the device's batch efficiency); the SFC costs a little more than the
baseline, never less; more split points cost more transfers; same seed, same bytes; a bad
option exits 2 naming it.

usage: test_nsf_examples.py EXAMPLES_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

EXAMPLES = sys.argv[1]
failures = []


def run(out, *args, bad=False):
    r = subprocess.run([os.path.join(EXAMPLES, "nsf-msi"), f"--outDir={out}", *args],
                       capture_output=True, text=True, timeout=600)
    if bad:
        return None, r
    if r.returncode != 0:
        failures.append(f"nsf-msi {args}: exit {r.returncode}: {r.stderr.strip()}")
        return None, r
    with open(os.path.join(out, "results.json"), "rb") as f:
        raw = f.read()
    return (json.loads(raw), raw), r


with tempfile.TemporaryDirectory() as tmp:
    args = ["--batchSizes=1,8,64", "--batches=4"]
    (a, r) = run(os.path.join(tmp, "a"), *args)
    (b, _) = run(os.path.join(tmp, "b"), *args)
    if a:
        res = a[0]
        for series in ("vs_batch_size", "vs_split_points"):
            for mode in ("sfc", "baseline"):
                for p in res[series][mode]:
                    if p["completed"] != p["batches"]:
                        failures.append(f"{series}/{mode}: {p['completed']} of {p['batches']}")
        for mode in ("sfc", "baseline"):
            lat = [p["mean_latency_ms"] for p in res["vs_batch_size"][mode]]
            thr = [p["throughput_samples_per_s"] for p in res["vs_batch_size"][mode]]
            if lat != sorted(lat) or thr != sorted(thr):
                failures.append(f"{mode}: latency {lat} or throughput {thr} not increasing")
            transfers = [p["mean_transfer_ms"] for p in res["vs_split_points"][mode]]
            if transfers != sorted(transfers):
                failures.append(f"{mode}: transfer {transfers} not increasing with split points")
        for s, base in zip(res["vs_batch_size"]["sfc"], res["vs_batch_size"]["baseline"]):
            if not base["mean_latency_ms"] <= s["mean_latency_ms"] < 1.2 * base["mean_latency_ms"]:
                failures.append(f"sfc {s['mean_latency_ms']} vs baseline {base['mean_latency_ms']}")
    if a and b and a[1] != b[1]:
        failures.append("same seed, different results.json")
    (_, bad) = run(os.path.join(tmp, "bad"), "--batchSizes=1,x", bad=True)
    if bad.returncode != 2 or "--batchSizes: 'x' is not a count" not in bad.stderr:
        failures.append(f"bad batch size: exit {bad.returncode}: {bad.stderr.strip()}")
    (_, bad) = run(os.path.join(tmp, "bad2"), "--cuts=conv1,fc9", "--batchSizes=1", bad=True)
    if bad.returncode != 2 or "/nsf/cuts" not in bad.stderr or "fc9" not in bad.stderr:
        failures.append(f"bad cut: exit {bad.returncode}: {bad.stderr.strip()}")

    # Split learning: every iteration completes; numeric training through the chain equals
    # unsplit training (the last number of the last line).
    msl = subprocess.run([os.path.join(EXAMPLES, "nsf-msl"), f"--outDir={os.path.join(tmp, 'msl')}",
                          "--numeric=1", "--verify=1", "--batchSizes=8,32", "--batches=4"],
                         capture_output=True, text=True, timeout=600)
    if msl.returncode != 0:
        failures.append(f"nsf-msl: exit {msl.returncode}: {msl.stderr.strip()}")
    else:
        last = float(msl.stdout.strip().splitlines()[-1].split()[-1])
        if not 0 <= last <= 1e-6:
            failures.append(f"nsf-msl: weight difference {last}")
        res = json.load(open(os.path.join(tmp, "msl", "results.json")))
        for mode in ("sfc", "baseline"):
            for p in res["iteration_time"][mode]:
                if p["completed"] != p["batches"] or len(p["losses"]) != p["batches"]:
                    failures.append(f"nsf-msl {mode}: {p}")
        for s, b in zip(res["iteration_time"]["sfc"], res["iteration_time"]["baseline"]):
            if not b["mean_iteration_ms"] <= s["mean_iteration_ms"]:
                failures.append(f"nsf-msl: sfc {s['mean_iteration_ms']} < baseline {b['mean_iteration_ms']}")

    # Reconfiguration: the controller moves the chain off the congested link; latency after the
    # switch-over is back at the uncongested level and no mini-batch is lost.
    rc = subprocess.run([os.path.join(EXAMPLES, "nsf-reconfigure"),
                         f"--outDir={os.path.join(tmp, 'reconf')}", "--duration=2.5"],
                        capture_output=True, text=True, timeout=600)
    if rc.returncode != 0:
        failures.append(f"nsf-reconfigure: exit {rc.returncode}: {rc.stderr.strip()}")
    else:
        res = json.load(open(os.path.join(tmp, "reconf", "results.json")))
        sw = res["switches"]
        if len(sw) != 1 or sw[0]["from"] != 0 or sw[0]["to"] != 1 or \
                abs(sw[0]["control_delay_s"] - 0.001) > 1e-9 or sw[0]["detected_s"] < 1.0:
            failures.append(f"nsf-reconfigure: switches {sw}")
        if res["lost"]["batches"] != 0 or not isinstance(res["lost"].get("packets"), int):
            failures.append(f"nsf-reconfigure: lost {res['lost']}")
        before, during, after = res["before_ms"], res["during_ms"], res["after_ms"]
        if not (abs(after - before) < 0.1 * before and during > before):
            failures.append(f"nsf-reconfigure: before {before} during {during} after {after}")

    # Each example draws its figures next to its results.
    for sub, pngs in (("a", ("latency-vs-batch-size.png", "latency-vs-split-points.png")),
                      ("msl", ("iteration-time.png",)), ("reconf", ("latency-timeline.png",))):
        for png in pngs:
            path = os.path.join(tmp, sub, png)
            if not os.path.exists(path) or open(path, "rb").read(8) != b"\x89PNG\r\n\x1a\n":
                failures.append(f"no PNG {sub}/{png}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("nsf-msi: ok")
