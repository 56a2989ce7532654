#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The flow examples run and deliver what they should (reproducibility of every example is
test_determinism.py's).

usage: test_examples.py EXAMPLES_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

EXAMPLES = sys.argv[1]
failures = []


def run(name, out, *args):
    r = subprocess.run([os.path.join(EXAMPLES, name), f"--outDir={out}", *args],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        failures.append(f"{name} {args}: exit {r.returncode}: {r.stderr.strip()}")
        return None
    with open(os.path.join(out, "results.json"), "rb") as f:
        return f.read()


with tempfile.TemporaryDirectory() as tmp:
    a = run("zoo-udp-flows", os.path.join(tmp, "a"), "--topology=zoo:Chinanet", "--flows=4",
            "--duration=0.5")
    if a is not None:
        for flow in json.loads(a)["flows"]:
            if flow["rx_packets"] != flow["tx_packets"]:
                failures.append(f"zoo-udp-flows: flow {flow['name']} lost packets on an idle network")
    t = run("fattree-tcp-bulk", os.path.join(tmp, "t"), "--k=4", "--maxBytes=100000", "--duration=0.5")
    if t is not None:
        flows = json.loads(t)["flows"]
        if len(flows) != 16 or any(f["rx_bytes"] < 100000 for f in flows):
            failures.append("fattree-tcp-bulk: expected 16 flows each delivering 100000 bytes")

    for routing in ("aisfc", "ns3-static"):
        out = os.path.join(tmp, "fs-" + routing)
        r = subprocess.run([os.path.join(EXAMPLES, "forwarding-scale"), "--topology=ring:12",
                            "--packets=300", f"--routing={routing}", f"--outDir={out}"],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            failures.append(f"forwarding-scale {routing}: exit {r.returncode}: {r.stderr.strip()}")
            continue
        res = json.load(open(os.path.join(out, "results.json")))
        if (res["hops"], res["packets_received"], res["packet_hops"]) != (6, 300, 300 * 6):
            failures.append(f"forwarding-scale {routing}: {res}")
    bad = subprocess.run([os.path.join(EXAMPLES, "forwarding-scale"), "--routing=ospf"],
                         capture_output=True, text=True)
    if bad.returncode != 2 or "--routing" not in bad.stderr:
        failures.append(f"forwarding-scale --routing=ospf: exit {bad.returncode}: {bad.stderr!r}")

# Packet-level validation of a placement slot: reproducible, lossless below capacity, and every
# burst of a window's volume delivered in full.
with tempfile.TemporaryDirectory() as tmp:
    reports = []
    for k in range(2):
        out = os.path.join(tmp, str(k))
        r = subprocess.run([os.path.join(EXAMPLES, "placement-validate"), "--policy=lag",
                            "--requests=8", f"--outDir={out}"], capture_output=True, text=True,
                           timeout=600)
        if r.returncode != 0:
            failures.append(f"placement-validate: exit {r.returncode}: {r.stderr.strip()}")
            break
        with open(os.path.join(out, "validation.json"), "rb") as f:
            reports.append(f.read())
    if len(reports) == 2:
        if reports[0] != reports[1]:
            failures.append("placement-validate: two runs gave different validation.json")
        requests = json.loads(reports[0])["requests"]
        if len(requests) != 8:
            failures.append(f"placement-validate: {len(requests)} requests reported, want 8")
        for q in requests:
            st, bu = q["steady"], q["burst"]
            if st["sent"] == 0 or st["received"] != st["sent"] or bu["received"] != bu["packets"]:
                failures.append(f"placement-validate: {q['request']} steady {st} burst {bu}")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: examples ({len(failures)} failures)")
sys.exit(1 if failures else 0)
