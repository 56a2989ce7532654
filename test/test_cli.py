#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The command line's contract: exit 0 on success, 2 on bad input with a message naming the
place (file, line, JSON path), never a crash.

usage: test_cli.py AISFC_CLI
"""
import json
import os
import subprocess
import sys
import tempfile

CLI = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
ZOO = os.path.join(HERE, "..", "..", "shared", "topologyzoo", "graphml")
failures = []


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=600)


def expect(name, result, code, *fragments, stream="stderr"):
    text = getattr(result, stream)
    missing = [f for f in fragments if f not in text]
    if result.returncode != code or missing:
        failures.append(f"{name}: exit {result.returncode} (want {code}); missing {missing} in {text!r}")


with tempfile.TemporaryDirectory() as tmp:
    # Topology inspection: published counts, JSON and text.
    for spec, nodes, links in [(os.path.join(ZOO, "Chinanet.graphml"), 42, 66),
                               ("fattree:srem", 22, 28), ("fattree:k=4", 36, 48)]:
        r = run("topo", "inspect", spec, "--json")
        expect(f"inspect {spec}", r, 0, stream="stdout")
        if r.returncode == 0:
            d = json.loads(r.stdout)
            if (d["nodes"], d["links"]) != (nodes, links):
                failures.append(f"inspect {spec}: {d['nodes']} nodes, {d['links']} links")
    expect("inspect text", run("topo", "inspect", "line:5"), 0, "diameter_hops:", "4", stream="stdout")
    expect("generators", run("topo", "generators"), 0, "fattree:", "line:", "ring:", stream="stdout")

    # Bad topology input: missing file, truncated and invalid GraphML, unknown generator.
    expect("missing file", run("topo", "inspect", "/no/such/Net.graphml"), 2,
           "/no/such/Net.graphml: no such file")
    chinanet = open(os.path.join(ZOO, "Chinanet.graphml"), encoding="utf-8").read()
    truncated = os.path.join(tmp, "Truncated.graphml")
    with open(truncated, "w", encoding="utf-8") as f:
        f.write(chinanet[: len(chinanet) // 2])
    expect("truncated GraphML", run("topo", "inspect", truncated), 2, truncated + ":", "malformed XML")
    invalid = os.path.join(tmp, "Invalid.graphml")
    with open(invalid, "w", encoding="utf-8") as f:
        f.write(chinanet.replace('target="16"', 'target="no-such-node"', 1))
    expect("invalid GraphML", run("topo", "inspect", invalid), 2, invalid + ":", "is not a node id")
    with open(os.path.join(tmp, "Binary.graphml"), "wb") as f:
        f.write(bytes(range(256)) * 4)
    expect("binary GraphML", run("topo", "inspect", os.path.join(tmp, "Binary.graphml")), 2, "Binary.graphml:")
    expect("unknown generator", run("topo", "inspect", "hypercube:4"), 2,
           "hypercube:4: unknown topology generator 'hypercube'")
    expect("bad generator value", run("topo", "inspect", "fattree:k=5"), 2, "fattree:k=5", "even")
    expect("unknown option", run("topo", "inspect", "line:3", "--jsn"), 2, "--jsn: unknown option")
    expect("unknown command", run("fly"), 2, "fly: unknown command")

    # Scenarios: bad JSON, unknown key, unknown node; then a good run writes its files.
    def scenario(name, text):
        path = os.path.join(tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    good = {"name": "cli", "duration": "0.2s", "topology": "line:3",
            "traffic": [{"type": "udp-cbr", "src": "n0", "dst": "n2", "rate": "1Mbps", "stop": "0.1s"}]}
    out = os.path.join(tmp, "out")
    expect("syntax error", run("run", scenario("syntax.json", '{\n  "name": "x",\n  "duration": ,\n}'), "--out", out),
           2, "syntax.json:3:", "invalid JSON")
    bad_key = dict(good, durration="1s")
    expect("unknown key", run("run", scenario("key.json", json.dumps(bad_key)), "--out", out), 2,
           "key.json: /durration: unknown key")
    bad_node = json.loads(json.dumps(good))
    bad_node["traffic"][0]["dst"] = "n9"
    expect("unknown node", run("run", scenario("node.json", json.dumps(bad_node)), "--out", out), 2,
           "node.json: /traffic/0/dst: no node named 'n9'")
    expect("missing --out", run("run", scenario("good.json", json.dumps(good))), 2, "--out DIR")
    if os.path.exists(out):
        failures.append("a rejected scenario created its output directory")
    r = run("run", scenario("good.json", json.dumps(good)), "--out", out)
    expect("good run", r, 0, "results in", stream="stdout")
    for name in ("config.resolved.json", "results.json", "flows.csv"):
        if not os.path.exists(os.path.join(out, name)):
            failures.append(f"good run wrote no {name}")

# AISID codec: the paper's example both ways; every bad field named, exit 2.
PAPER = ["--prefix", "2001:db8:abcd:12::/64", "--object", "1", "--function", "2", "--method", "1",
         "--performance", "5000"]
expect("aisid encode", run("aisid", "encode", *PAPER), 0, "2001:db8:abcd:12:1:2:1:1388\n",
       stream="stdout")
r = run("aisid", "decode", "2001:db8:abcd:12:1:2:1:1388")
expect("aisid decode", r, 0, stream="stdout")
if r.returncode == 0 and json.loads(r.stdout) != {"prefix": "2001:db8:abcd:12::/64", "object": 1,
                                                  "function": 2, "method": 1, "performance": 5000}:
    failures.append(f"aisid decode: {r.stdout!r}")
expect("aisid 8-bit layout", run("aisid", "encode", *PAPER[:-1], "255", "--layout", "8,8,40,8"),
       0, "2001:db8:abcd:12:102::1ff\n", stream="stdout")
for i, field in ((3, "--object"), (5, "--function"), (7, "--method"), (9, "--performance")):
    bad = list(PAPER)
    bad[i] = "65536"
    expect(f"aisid {field} too big", run("aisid", "encode", *bad), 2,
           f"{field}: 65536 does not fit in 16 bits")
    bad[i] = "-1"
    expect(f"aisid {field} not a number", run("aisid", "encode", *bad), 2,
           f"{field}: '-1' is not a whole number")
    missing = PAPER[:i - 1] + PAPER[i + 1:]
    expect(f"aisid {field} missing", run("aisid", "encode", *missing), 2, f"{field}: missing")
for prefix, message in [("2001:db8:abcd:12::1", "bits set beyond the 64-bit prefix"),
                        ("2001:db8::/48", "an AISID prefix is a /64"),
                        ("2001:db8:::/64", "is not an IPv6 address")]:
    bad = list(PAPER)
    bad[1] = prefix
    expect(f"aisid prefix {prefix}", run("aisid", "encode", *bad), 2, f"--prefix: ", message)
expect("aisid decode bad", run("aisid", "decode", "2001:db8:zz::1"), 2,
       "ADDR: '2001:db8:zz::1' is not an IPv6 address")
expect("aisid bad layout", run("aisid", "decode", "::1", "--layout", "16,16,16,15"), 2,
       "--layout: the four field widths must sum to 64 bits, got 63")
expect("aisid no subcommand", run("aisid"), 2, "aisid: expected")
expect("aisid unknown option", run("aisid", "encode", "--colour", "red"), 2,
       "--colour: unknown option")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: command-line contract ({len(failures)} failures)")
sys.exit(1 if failures else 0)
