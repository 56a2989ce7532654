#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Cross-checks `aisfc topo inspect --json` on every Topology Zoo file against an independent
parser written here with Python's standard library only (xml.etree, union-find, BFS).

usage: test_topologyzoo.py AISFC_CLI GRAPHML_DIR
"""
import collections
import glob
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET


def independent_counts(path):
    root = ET.parse(path).getroot()
    ns = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    graph = root.find(ns + "graph")
    nodes = [n.get("id") for n in graph.findall(ns + "node")]
    edges = [(e.get("source"), e.get("target")) for e in graph.findall(ns + "edge")]
    self_loops = sum(1 for a, b in edges if a == b)
    pairs = {frozenset((a, b)) for a, b in edges if a != b}
    adjacency = collections.defaultdict(set)
    for pair in pairs:
        a, b = tuple(pair)
        adjacency[a].add(b)
        adjacency[b].add(a)

    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        a, b = tuple(pair)
        parent[find(a)] = find(b)
    members = collections.defaultdict(list)
    for n in nodes:
        members[find(n)].append(n)
    # Largest component; on ties the one holding the earliest node in file order.
    largest = max(members.values(), key=lambda m: (len(m), -min(nodes.index(x) for x in m)))

    def eccentricity(start):
        seen = {start: 0}
        queue = collections.deque([start])
        while queue:
            at = queue.popleft()
            for nxt in adjacency[at]:
                if nxt not in seen:
                    seen[nxt] = seen[at] + 1
                    queue.append(nxt)
        return max(seen.values())

    return {
        "nodes": len(nodes),
        "links": len(pairs),
        "parallel_edges_merged": len(edges) - self_loops - len(pairs),
        "self_loops_dropped": self_loops,
        "components": len(members),
        "diameter_hops": max(eccentricity(n) for n in largest) if nodes else 0,
        "source_edges": len(edges),
    }


def main():
    cli, directory = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(directory, "*.graphml")))
    if len(files) != 276:
        print(f"expected 276 Topology Zoo files in {directory}, found {len(files)}")
        return 1
    failures = 0
    for path in files:
        expected = independent_counts(path)
        run = subprocess.run([cli, "topo", "inspect", path, "--json"], capture_output=True, text=True)
        if run.returncode != 0:
            print(f"FAIL {os.path.basename(path)}: exit {run.returncode}: {run.stderr.strip()}")
            failures += 1
            continue
        got = json.loads(run.stdout)
        diffs = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
        if diffs:
            print(f"FAIL {os.path.basename(path)}: (independent, aisfc) {diffs}")
            failures += 1
    print(f"{len(files) - failures}/{len(files)} Topology Zoo files match the independent parser")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
