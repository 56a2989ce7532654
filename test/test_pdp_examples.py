#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""pdp-external-memory: local memory is faster than external memory, and the difference is what
the RDMA model predicts (the lookups' own latency; 2 accesses x TEA's ~1.9 us round trip in
packet mode, 2 x the configured round trip in analytic mode); nothing is lost below capacity;
the oversized local table is refused with its shortfall; same seed, same bytes.

usage: test_pdp_examples.py EXAMPLES_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

EXAMPLES = sys.argv[1]
failures = []


def run(out, *args):
    r = subprocess.run([os.path.join(EXAMPLES, "pdp-external-memory"), f"--outDir={out}", *args],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        failures.append(f"pdp-external-memory {args}: exit {r.returncode}: {r.stderr.strip()}")
        return None
    with open(os.path.join(out, "results.json"), "rb") as f:
        raw = f.read()
    return json.loads(raw), raw


def check(label, res, rtt_low, rtt_high):
    p = {x["placement"]: x for x in res["placements"]}
    if set(p) != {"local", "external", "server"}:
        failures.append(f"{label}: placements {sorted(p)}")
        return
    for name, x in p.items():
        for key in ("mean_latency_us", "p99_latency_us", "throughput_gbps"):
            if not isinstance(x.get(key), (int, float)):
                failures.append(f"{label}: {name} has no number {key}")
                return
        if x["rx_packets"] != x["tx_packets"]:
            failures.append(f"{label}: {name} lost packets: {x['rx_packets']}/{x['tx_packets']}")
        # 5 Gbit/s of 1000-byte payloads is 5.24 Gbit/s of IPv6 packets.
        if abs(x["throughput_gbps"] - 5.24) > 0.05:
            failures.append(f"{label}: {name} throughput {x['throughput_gbps']}")
    if not p["local"]["mean_latency_us"] < p["external"]["mean_latency_us"]:
        failures.append(f"{label}: local {p['local']} not faster than external {p['external']}")
    rdma = res["rdma"]
    diff = rdma["external_minus_local_us"]
    if abs(diff - rdma["lookup_latency_mean_us"]) > 0.01 * rdma["lookup_latency_mean_us"]:
        failures.append(f"{label}: external - local = {diff} us, RDMA lookups {rdma}")
    if rdma["remote_reads"] != 2 * rdma["lookups"]:  # load-balancer: 2 accesses per lookup
        failures.append(f"{label}: reads {rdma['remote_reads']} for {rdma['lookups']} lookups")
    rtt = rdma["lookup_latency_mean_us"] / 2
    if not rtt_low <= rtt <= rtt_high:
        failures.append(f"{label}: RDMA round trip {rtt} us outside [{rtt_low}, {rtt_high}]")
    refused = res["refused"]
    if len(refused) != 1 or "needs 1173 TCAM blocks, 288 free of 288" not in refused[0]["reason"] \
            or refused[0]["request"] != "deploy acl to local@s1":
        failures.append(f"{label}: refused {refused}")


with tempfile.TemporaryDirectory() as tmp:
    a = run(os.path.join(tmp, "a"), "--duration=0.005")
    b = run(os.path.join(tmp, "b"), "--duration=0.005")
    if a:
        check("packets", a[0], 1.8, 2.2)  # TEA's range
    if a and b and a[1] != b[1]:
        failures.append("same seed, different results.json")
    an = run(os.path.join(tmp, "analytic"), "--duration=0.005", "--mode=analytic")
    if an:
        check("analytic", an[0], 1.999, 2.001)  # AnalyticRoundTrip's 2 us
    bad = subprocess.run([os.path.join(EXAMPLES, "pdp-external-memory"),
                          f"--outDir={os.path.join(tmp, 'bad')}", "--mode=dram"],
                         capture_output=True, text=True, timeout=60)
    if bad.returncode != 2 or "--mode: expected packets or analytic, got 'dram'" not in bad.stderr:
        failures.append(f"bad mode: exit {bad.returncode}: {bad.stderr.strip()}")
    for arg, message in [("--function=firewall", "--function: 'firewall' has a ternary table"),
                         ("--function=dpi", "--function: unknown function type 'dpi'"),
                         ("--rate=fast", "--rate: 'fast' is not a data rate")]:
        bad = subprocess.run([os.path.join(EXAMPLES, "pdp-external-memory"),
                              f"--outDir={os.path.join(tmp, 'bad')}", arg],
                             capture_output=True, text=True, timeout=60)
        if bad.returncode != 2 or message not in bad.stderr:
            failures.append(f"{arg}: exit {bad.returncode}: {bad.stderr.strip()}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("pdp-external-memory: ok")
