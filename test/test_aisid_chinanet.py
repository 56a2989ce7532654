#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""aisid-chinanet at reduced size: both modes present with their metrics, every request
answered (sent = answered + failed, failed 0 at low load), AISID's mean response time below
DNS's, the same RngRun gives byte-identical results.json, another RngRun other samples, a
small sweep has one entry per level, and a bad option exits non-zero naming it.

usage: test_aisid_chinanet.py EXAMPLES_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

EXAMPLES = sys.argv[1]
BINARY = os.path.join(EXAMPLES, "aisid-chinanet")
SMALL = ["--concurrency=60"]
failures = []


def run(out, *args):
    r = subprocess.run([BINARY, f"--outDir={out}", *args],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        failures.append(f"aisid-chinanet {args}: exit {r.returncode}: {r.stderr.strip()}")
        return None, None
    with open(os.path.join(out, "results.json"), "rb") as f:
        raw = f.read()
    return json.loads(raw), raw


def check_mode(res, mode):
    m = res.get(mode)
    if m is None:
        failures.append(f"results.json has no {mode!r}")
        return
    req = m["requests"]
    if req["sent"] != 60 or req["sent"] != req["answered"] + req["failed"]:
        failures.append(f"{mode}: counts do not balance: {req}")
    if req["failed"] != 0:
        failures.append(f"{mode}: {req['failed']} failed at low load: {req}")
    rt = m["response_time_ms"]
    for k in ("mean", "p50", "p95", "p99"):
        if not rt[k] > 0:
            failures.append(f"{mode}: response_time_ms.{k} = {rt[k]}")
    parts = rt["breakdown"]
    if set(parts) != {"steering", "transfer", "queueing", "compute", "return"}:
        failures.append(f"{mode}: breakdown keys {sorted(parts)}")
    elif abs(sum(parts.values()) - rt["mean"]) > 1e-6 * rt["mean"] + 1e-6:
        failures.append(f"{mode}: breakdown sums to {sum(parts.values())}, mean {rt['mean']}")
    for k in ("link_utilisation_variance", "compute_utilisation_variance"):
        if not (isinstance(m.get(k), float) and m[k] >= 0):
            failures.append(f"{mode}: {k} = {m.get(k)}")
    if len(m["link_utilisation"]["per_link"]) != 66:
        failures.append(f"{mode}: {len(m['link_utilisation']['per_link'])} links, not 66")


with tempfile.TemporaryDirectory() as tmp:
    a, raw_a = run(os.path.join(tmp, "a"), *SMALL)
    _, raw_b = run(os.path.join(tmp, "b"), *SMALL)
    c, raw_c = run(os.path.join(tmp, "c"), *SMALL, "--RngRun=2")
    if a:
        for mode in ("aisid", "dns"):
            check_mode(a, mode)
        if "reduction_pct" not in a:
            failures.append("results.json has no reduction_pct")
        if not a["aisid"]["response_time_ms"]["mean"] < a["dns"]["response_time_ms"]["mean"]:
            failures.append("AISID mean response time not below DNS's: "
                            f"{a['aisid']['response_time_ms']['mean']} vs "
                            f"{a['dns']['response_time_ms']['mean']}")
    if raw_a and raw_b and raw_a != raw_b:
        failures.append("same RngRun, different results.json")
    if a and c and a["aisid"]["response_time_ms"] == c["aisid"]["response_time_ms"]:
        failures.append("--RngRun=2 gave the same AISID samples")

    s, _ = run(os.path.join(tmp, "s"), "--concurrency=20", "--sweep=10,20", "--plot=false")
    if s:
        levels = [e["concurrency"] for e in s.get("sweep", [])]
        if levels != [10, 20]:
            failures.append(f"sweep levels {levels}")
        elif s["aisid"] != s["sweep"][1]["aisid"]:
            failures.append("top-level results are not the --concurrency level of the sweep")

    for bad, name in (("--concurrency=0", "--concurrency"), ("--mode=carrier-pigeon", "--mode"),
                      ("--linkRate=fast", "--linkRate"), ("--sweep=10,x", "--sweep"),
                      ("--egress=Atlantis", "--egress")):
        r = subprocess.run([BINARY, f"--outDir={os.path.join(tmp, 'bad')}", bad],
                           capture_output=True, text=True, timeout=120)
        if r.returncode == 0 or name not in r.stderr:
            failures.append(f"{bad}: exit {r.returncode}, stderr {r.stderr.strip()!r}")

for f in failures:
    print("FAIL:", f)
sys.exit(1 if failures else 0)
