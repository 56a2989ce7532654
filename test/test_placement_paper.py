#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`aisfc placement paper` stopped mid-way (SIGKILL during a training, SIGTERM and SIGINT during
another) and run again: it picks up from its checkpoints and writes exactly the figures' data of
an uninterrupted run.

usage: test_placement_paper.py AISFC_CLI
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

CLI = sys.argv[1]
ARGS = ["--episodes", "40", "--train", "6", "--test", "2", "--ilp-problems", "1",
        "--ilp-requests", "3", "--seed", "3"]
OUTPUTS = ("results.json", "fig5.csv", "fig6.csv")
failures = []


def paper(out):
    return [CLI, "placement", "paper", *ARGS, "--out", out]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def stop_when(out, marker, sig):
    """Start the command, send sig once its log shows marker; \return exit code and log."""
    os.makedirs(out, exist_ok=True)
    log_path = out + ".log"
    with open(log_path, "wb") as log:
        p = subprocess.Popen(paper(out), stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.time() + 600
        while marker not in read(log_path).decode(errors="replace") and p.poll() is None \
                and time.time() < deadline:
            time.sleep(0.01)
        p.send_signal(sig)
        p.wait(timeout=600)
    if p.returncode == 0 or os.path.exists(os.path.join(out, "results.json")):
        failures.append(f"{signal.Signals(sig).name} at '{marker}': the run was not interrupted "
                        f"(exit {p.returncode}); the test needs a slower run")
    return p.returncode, read(log_path).decode(errors="replace")


with tempfile.TemporaryDirectory() as tmp:
    straight = os.path.join(tmp, "straight")
    r = subprocess.run(paper(straight), capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        failures.append(f"uninterrupted run: exit {r.returncode}: {r.stderr[-1500:]}")

    # Each case: where the run is stopped, by which signals in turn, then the rerun completes.
    # Each case: where the run is stopped (a line of its log), by which signal, then the rerun.
    cases = [("killed", [("train srem (static)", signal.SIGKILL),
                         ("train ddqn-cm", signal.SIGKILL)]),
             ("terminated", [("train srem (dynamic)", signal.SIGTERM)]),
             ("interrupted", [("eval lag", signal.SIGINT)])]
    for name, stops in cases:
        out = os.path.join(tmp, name)
        for marker, sig in stops:
            code, err = stop_when(out, marker, sig)
            if sig != signal.SIGKILL and (code != 130 or "the same command continues" not in err):
                failures.append(f"{name}: {signal.Signals(sig).name} gave exit {code}, want 130 "
                                f"and a word on resuming: {err[-800:]!r}")
        r = subprocess.run(paper(out), capture_output=True, text=True, timeout=900)
        if r.returncode != 0:
            failures.append(f"{name}: the rerun exited {r.returncode}: {r.stderr[-1500:]}")
            continue
        # Finished trainings are not redone: the rerun starts where the stopped run left off.
        if name == "terminated" and "train srem (static): 40/40 episodes, 0.00/s, resumed from a checkpoint" \
                not in r.stderr:
            failures.append(f"{name}: the rerun trained srem (static) again: {r.stderr[-1500:]}")
        for f in OUTPUTS:
            if read(os.path.join(straight, f)) != read(os.path.join(out, f)):
                failures.append(f"{name} then rerun: {f} differs from an uninterrupted run")
        leftovers = [os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs if ".tmp." in f]
        if leftovers and sig != signal.SIGKILL:
            failures.append(f"{name}: temporary files left behind: {leftovers}")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: placement paper stopped and resumed")
sys.exit(1 if failures else 0)
