#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The SRv6 examples: a TCP transfer through the proxied chain delivers every byte; tshark
reads the right Segments Left on every link of srv6-basic's path; srv6-basic's two modes carry
the same packets; a policy switch loses nothing and uses both paths.

usage: test_srv6_examples.py EXAMPLES_DIR
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
    return json.load(open(os.path.join(out, "results.json")))


def tshark(pcap, fields, display_filter):
    cmd = ["tshark", "-r", pcap, "--disable-protocol", "tapa", "-Y", display_filter,
           "-T", "fields", "-E", "separator=;"]
    for f in fields:
        cmd += ["-e", f]
    r = subprocess.run(cmd, capture_output=True, text=True)
    return [line.split(";") for line in r.stdout.splitlines() if line]


with tempfile.TemporaryDirectory() as tmp:
    # The chain: every byte through End.AS, End.AD, End.AM and an SR-aware End.
    res = run("srv6-sfc", os.path.join(tmp, "sfc"), "--tcpBytes=300000", "--duration=2")
    if res:
        tcp = res["flows"][0]
        if tcp["app_rx_bytes"] != 300000:
            failures.append(f"srv6-sfc: {tcp['app_rx_bytes']} of 300000 bytes delivered")
        for sid in res["srv6"]["sids"]:
            if sid["packets"] == 0 or sid["packets"] != sid["forwarded"] or sid["dropped"]:
                failures.append(f"srv6-sfc: SID {sid['name']} counters {sid}")
            if "proxy" in sid and sid["proxy"]["to_function"] != sid["proxy"]["from_function"]:
                failures.append(f"srv6-sfc: proxy {sid['name']} {sid['proxy']}")
        for fn in res["srv6"]["functions"]:
            if fn["received"] != fn["returned"] or fn["received"] == 0:
                failures.append(f"srv6-sfc: function {fn}")

    # Plain IPv6 and SRv6 carry the same packets; the pcaps show the SRH hop by hop.
    outs = {}
    for mode in ("srv6", "ipv6"):
        outs[mode] = run("srv6-basic", os.path.join(tmp, mode), f"--mode={mode}",
                         "--packets=50", "--tcpBytes=50000", "--duration=0.5", "--pcap=1")
    if outs["srv6"] and outs["ipv6"]:
        for a, b in zip(outs["srv6"]["flows"], outs["ipv6"]["flows"]):
            if (a["tx_packets"], a["rx_packets"], a["app_rx_bytes"]) != \
                    (b["tx_packets"], b["rx_packets"], b["app_rx_bytes"]):
                failures.append(f"srv6-basic: modes differ for {a['name']}: {a} / {b}")
        sids = outs["srv6"]["srv6"]["sids"]
        pcaps = os.path.join(tmp, "srv6", "pcap")
        seen = {}
        for name in sorted(os.listdir(pcaps)):
            for dst, sl in tshark(os.path.join(pcaps, name),
                                  ["ipv6.dst", "ipv6.routing.segleft"],
                                  "udp && ipv6.routing.type == 4"):
                seen.setdefault(dst.split(",")[0], set()).add(int(sl))
        # Toward the k-th segment (k = 0 first) the SRH says Segments Left = len - 1 - k.
        # A SID at the headend itself is processed there, before any link.
        headend = outs["srv6"]["srv6"]["policies"][0]["headend"]
        for k, sid in enumerate(sids[:-1]):
            want = None if sid["node"] == headend else {len(sids) - 1 - k}
            if seen.get(sid["sid"]) != want:
                failures.append(f"srv6-basic: toward {sid['name']} {sid['sid']} tshark saw SL "
                                f"{seen.get(sid['sid'])}, expected {want}")
        frags = tshark(os.path.join(pcaps, sorted(os.listdir(pcaps))[1]), ["frame.number"],
                       "ipv6.fragment")
        if frags:
            failures.append("srv6-basic: fragmented packets on the wire")

    res = run("srv6-policy-switch", os.path.join(tmp, "sw"), "--duration=1", "--switchAt=0.5",
              "--tcpBytes=3000000")
    if res:
        for f in res["flows"]:
            if f["dropped_packets"] or f["rx_packets"] != f["tx_packets"]:
                failures.append(f"srv6-policy-switch: {f['name']} lost packets: {f}")
        versions = res["srv6"]["policies"][0]["versions"]
        if len(versions) != 2 or any(v["segment_lists"][0]["packets"] == 0 for v in versions):
            failures.append(f"srv6-policy-switch: expected traffic on both paths: {versions}")

for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
