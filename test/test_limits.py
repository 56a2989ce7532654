#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""The input limits of doc/aisfc.rst ("Input limits"): a hostile input beyond each bound stops
the command with exit 2 and a message naming the file and the bound, quickly and in bounded
memory; an entity bomb in GraphML is not expanded.

usage: test_limits.py AISFC_CLI
"""
import os
import struct
import subprocess
import sys
import tempfile
import time

CLI = sys.argv[1]
failures = []
MAX_SECONDS = 60         # far above the real figures (well under a second, more under ASan)
MAX_RSS_MIB = 3 * 1024   # a refusal must not first load what it refuses


def refused(label, args, *fragments, code=2):
    """Run the CLI; check exit code, message fragments, wall time and the child's peak RSS."""
    start = time.monotonic()
    with tempfile.TemporaryFile("w+") as log:
        p = subprocess.Popen([CLI, *args], stdout=log, stderr=subprocess.STDOUT, text=True)
        deadline = start + MAX_SECONDS * 5
        while True:  # wait4 gives this child's own peak RSS
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                p.kill()
                os.wait4(p.pid, 0)
                failures.append(f"{label}: still running after {MAX_SECONDS * 5} s (a hang)")
                return
            time.sleep(0.01)
        returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        out, err = log.read(), ""
    seconds = time.monotonic() - start
    rss_mib = usage.ru_maxrss / 1024
    text = out + err
    missing = [f for f in fragments if f not in text]
    if returncode != code or missing:
        failures.append(f"{label}: exit {returncode} (want {code}); missing {missing} in "
                        f"{text[-600:]!r}")
    if seconds > MAX_SECONDS:
        failures.append(f"{label}: took {seconds:.1f} s")
    if rss_mib > MAX_RSS_MIB:
        failures.append(f"{label}: peak memory {rss_mib:.0f} MiB")


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "out")

    # JSON nesting: a million '[' would overflow the stack in any recursive walk.
    deep = write(os.path.join(tmp, "deep.json"), "[" * 1000000 + "]" * 1000000)
    refused("deep scenario", ["run", deep, "--out", out], deep + ":1:101",
            "nested deeper than 100 levels")
    deep_obj = write(os.path.join(tmp, "deep-topology.json"),
                     '{"name": "x", "nodes": ' + '{"a": ' * 200 + "1" + "}" * 200 + "}")
    refused("deep topology", ["topo", "inspect", deep_obj], deep_obj, "nested deeper than 100")
    deep_sweep = write(os.path.join(tmp, "deep-sweep.json"), '{"base": ' + "[" * 5000 + "]" * 5000 + "}")
    refused("deep sweep", ["sweep", deep_sweep, "--out", out], deep_sweep, "nested deeper")
    # Nesting inside strings is text, not depth.
    brackets = write(os.path.join(tmp, "brackets.json"),
                     '{"name": "' + "[" * 500 + '", "nodes": [], "links": []}')
    p = subprocess.run([CLI, "topo", "inspect", brackets], capture_output=True, text=True)
    if "nested deeper" in p.stderr:
        failures.append(f"brackets in a string counted as nesting: {p.stderr!r}")

    # File size: a sparse 65 MiB file is refused before it is read.
    big = os.path.join(tmp, "big.json")
    with open(big, "wb") as f:
        f.truncate(65 * 1024 * 1024)
    refused("big scenario", ["run", big, "--out", out], big, "more than the limit of 67108864")
    big_csv = os.path.join(tmp, "big.csv")
    with open(big_csv, "wb") as f:
        f.truncate(5 * 1024 * 1024 * 1024)
    refused("big csv", ["dune", "run", "--data", big_csv, "--out", out], big_csv,
            "more than the limit of 4294967296")

    # Node count: 100 001 GraphML nodes (a 2 MiB file) are refused, not built.
    graphml = os.path.join(tmp, "many.graphml")
    with open(graphml, "w") as f:
        f.write('<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                '<graph edgedefault="undirected">')
        f.write("".join(f'<node id="n{k}"/>' for k in range(100001)))
        f.write("</graph></graphml>")
    refused("many nodes", ["topo", "inspect", graphml], "more than 100000 nodes")
    refused("big generator", ["topo", "inspect", "fattree:k=1000"], "k", "64")
    refused("long ring", ["topo", "inspect", "ring:1000000"], "n", "100000")

    # Entity expansion: pugixml reads no DTD, so the bomb stays a short string.
    bomb = os.path.join(tmp, "bomb.graphml")
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{k} "{("&lol" + str(k - 1) + ";") * 10}">' for k in range(1, 10))
    write(bomb, f'<?xml version="1.0"?><!DOCTYPE graphml [{entities}]>'
          '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
          '<key id="d0" for="node" attr.name="label" attr.type="string"/>'
          '<graph edgedefault="undirected">'
          '<node id="a"><data key="d0">&lol9;</data></node><node id="b"/>'
          '<edge source="a" target="b"/></graph></graphml>')
    refused("entity bomb", ["topo", "inspect", bomb], "2", code=0)

    # Segment lists: 65 segments in a policy, one over the bound.
    segs = ", ".join(f'"s{k}"' for k in range(65))
    sids = ", ".join(f'{{"name": "s{k}", "node": "server{k % 16}", "behavior": "End"}}'
                     for k in range(65))
    long_policy = write(os.path.join(tmp, "segments.json"), f'''{{
      "name": "segments", "topology": "fattree:k=4", "duration": "0.1s", "traffic": [],
      "srv6": {{"sids": [{sids}],
               "policies": [{{"name": "p", "headend": "edge0", "steer": {{"dst": "server15"}},
                             "segment_lists": [{{"segments": [{segs}]}}]}}]}}}}''')
    refused("long segment list", ["run", long_policy, "--out", out], long_policy, "64")

    # pcap: a record header claiming 4 GiB of captured bytes.
    pcap = os.path.join(tmp, "huge-record.pcap")
    with open(pcap, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        f.write(struct.pack("<IIII", 0, 0, 0xFFFFFFF0, 0xFFFFFFF0))
        f.write(b"\0" * 64)
    labels = write(os.path.join(tmp, "labels.csv"), "Flow ID,Label\n10.0.0.1-10.0.0.2-1-2-6,a\n")
    refused("huge pcap record", ["dune", "run", "--data", pcap, "--labels", labels, "--out", out],
            pcap, "262144")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: input limits ({len(failures)} failures)")
sys.exit(1 if failures else 0)
