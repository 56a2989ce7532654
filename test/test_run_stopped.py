#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`aisfc run` stopped mid-simulation (SIGKILL, SIGTERM, SIGINT) leaves no results.json, never a
partial one, and the same command again writes exactly the bytes of an uninterrupted run.

usage: test_run_stopped.py AISFC_CLI SOURCE_DIR
"""
import os
import signal
import subprocess
import sys
import tempfile

from stop_midway import own_cpu_of_run, stop_after_cpu

CLI, SOURCE = sys.argv[1:3]
failures = []


def read(path):
    with open(path, "rb") as f:
        return f.read()


with tempfile.TemporaryDirectory() as tmp:
    for name in ("demo", "pdp-migration"):
        argv = [CLI, "run", os.path.join(SOURCE, "scenarios", name + ".json"), "--out"]
        straight = os.path.join(tmp, name)
        code, used = own_cpu_of_run(argv + [straight])
        if code != 0:
            failures.append(f"{name}: the uninterrupted run exited {code}")
            continue
        for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT):
            out = os.path.join(tmp, f"{name}-{sig.name}")
            code = stop_after_cpu(argv + [out], used / 2, sig)
            left = sorted(os.listdir(out)) if os.path.isdir(out) else []
            if code == 0 or "results.json" in left:
                failures.append(f"{name}: {sig.name} after {used / 2:.2f} s of CPU did not stop "
                                f"it (exit {code}, {left}); the test needs a longer run")
            r = subprocess.run(argv + [out], capture_output=True, text=True, timeout=600)
            if r.returncode != 0:
                failures.append(f"{name}: rerun after {sig.name} exited {r.returncode}: "
                                f"{r.stderr[-800:]}")
                continue
            for f in ("results.json", "config.resolved.json", "flows.csv"):
                if read(os.path.join(straight, f)) != read(os.path.join(out, f)):
                    failures.append(f"{name}: {f} after {sig.name} and a rerun differs from an "
                                    "uninterrupted run")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: aisfc run stopped and run again")
sys.exit(1 if failures else 0)
