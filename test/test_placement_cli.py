#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""`aisfc placement`: data sets, training that resumes after SIGKILL and SIGINT with exactly the
output of an uninterrupted run, evaluation results, and bad input (exit 2, naming it).

usage: test_placement_cli.py AISFC_CLI
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

CLI = sys.argv[1]
failures = []


def run(*args):
    return subprocess.run([CLI, "placement", *args], capture_output=True, text=True, timeout=600)


def expect(name, result, code, *fragments):
    text = result.stdout + result.stderr
    missing = [f for f in fragments if f not in text]
    if result.returncode != code or missing:
        failures.append(f"{name}: exit {result.returncode} (want {code}); missing {missing} in "
                        f"{text[-2000:]!r}")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def interrupted(data, out, sig):
    """Start a training, send sig once its first checkpoint exists, then resume it."""
    args = [CLI, "placement", "train", "--policy", "srem", "--data", data, "--episodes", "400",
            "--checkpoint-every", "20", "--seed", "4", "--out", out]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    # The trainer writes checkpoint.bin, then model.bin and rewards.csv: wait for the last.
    while not os.path.exists(os.path.join(out, "rewards.csv")) and time.time() < deadline:
        time.sleep(0.02)
    p.send_signal(sig)
    p.communicate(timeout=120)
    episodes = read(os.path.join(out, "rewards.csv")).count(b"\n") - 1
    if p.returncode == 0 or episodes >= 400:
        failures.append(f"{sig}: the run was not interrupted (exit {p.returncode}, {episodes} "
                        "episodes); the test needs a slower training")
    if sig == signal.SIGINT and p.returncode != 130:
        failures.append(f"SIGINT: exit {p.returncode}, want 130 after a checkpoint")
    r = subprocess.run(args + ["--resume"], capture_output=True, text=True, timeout=600)
    expect(f"resume after {sig}", r, 0, "model in")
    return episodes


with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data")
    expect("generate", run("generate", "--seed", "2", "--train", "10", "--test", "3", "--out", data),
           0, "10 training and 3 test problems")
    with open(os.path.join(data, "test.jsonl")) as f:
        if len(f.read().splitlines()) != 3:
            failures.append("generate: test.jsonl does not hold 3 problems")

    straight = os.path.join(tmp, "straight")
    expect("train", run("train", "--policy", "srem", "--data", data, "--episodes", "400",
                        "--checkpoint-every", "20", "--seed", "4", "--out", straight), 0, "model in")
    for sig in (signal.SIGKILL, signal.SIGINT):
        out = os.path.join(tmp, f"killed-{int(sig)}")
        done = interrupted(data, out, sig)
        for f in ("rewards.csv", "model.bin"):
            if read(os.path.join(straight, f)) != read(os.path.join(out, f)):
                failures.append(f"{sig} after {done} episodes then --resume: {f} differs from an "
                                "uninterrupted run")

    res = os.path.join(tmp, "eval")
    expect("eval srem", run("eval", "--policy", "srem", "--model", straight, "--data", data,
                            "--out", res), 0, "srem on 3 problems: acceptance")
    with open(os.path.join(res, "results.json")) as f:
        r = json.load(f)
    keys = {"acceptance_ratio", "total_cost", "it_cost", "bandwidth_cost", "reconfiguration_cost",
            "usage"}
    if not keys <= set(r["overall"]) or len(r["slots"]) != 6 or not keys <= set(r["slots"][0]):
        failures.append(f"eval: results.json lacks fields: {sorted(r['overall'])}")
    if set(r["overall"]["usage"]) != {"server", "local", "external"}:
        failures.append(f"eval: usage {r['overall']['usage']}")

    names = [line.split("\t")[0] for line in run("policies").stdout.splitlines()]
    if names != ["ddqn-cm", "ilp", "lag", "random", "srem"]:
        failures.append(f"policies: {names}")

    # Bad input: exit 2, naming it.
    expect("unknown policy", run("eval", "--policy", "best", "--data", data, "--out", res), 2,
           "unknown policy 'best'")
    expect("untrainable", run("train", "--policy", "lag", "--data", data, "--out", res), 2,
           "'lag' is not trainable")
    expect("bad count", run("generate", "--train", "many", "--out", res), 2, "--train",
           "'many'")
    expect("bad filter", run("train", "--policy", "srem", "--filters", "most", "--data", data,
                             "--out", res), 2, "/filters", "'most'")
    expect("no data set", run("eval", "--policy", "lag", "--data", tmp, "--out", res), 2,
           "generator.json")
    expect("other options on resume", run("train", "--policy", "srem", "--data", data,
                                           "--episodes", "401", "--seed", "4", "--out", straight,
                                           "--resume"), 2, "same options")
    expect("model of the other policy", run("eval", "--policy", "ddqn-cm", "--model", straight,
                                            "--data", data, "--out", res), 2, "'srem' model")

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: placement command line")
sys.exit(1 if failures else 0)
