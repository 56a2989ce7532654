#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Determinism of every example, every scenario file and every long-running command: two runs
with the same seed write byte-identical outputs (every file but timing.json and figures), and
where the model draws random numbers another RngRun (or --seed) draws other samples.  Models
without random draws must give the same samples under any RngRun: a hidden random draw would
show up there.  An example or scenario missing from the tables fails the test, so each new one
has to say how it is checked.

usage: test_determinism.py AISFC_CLI EXAMPLES_DIR SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

CLI, EXAMPLES, SOURCE = sys.argv[1:4]
failures = []

# Files whose bytes legitimately vary between identical runs: wall times and rendered figures.
VARYING = ("timing.json",)
VARYING_SUFFIXES = (".png", ".html")


def outputs(out):
    """relative path -> bytes of every output file that must be reproducible."""
    files = {}
    for root, _, names in os.walk(out):
        for name in names:
            if name in VARYING or name.endswith(VARYING_SUFFIXES) or name.endswith(".tmp"):
                continue
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, out)] = f.read()
    return files


def run(label, argv, out):
    r = subprocess.run(argv, capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        failures.append(f"{label}: exit {r.returncode}: {r.stderr.strip()[-1500:]}")
        return None
    files = outputs(out)
    if not files:
        failures.append(f"{label}: wrote nothing into {out}")
        return None
    return files


def results(files, name="results.json"):
    return json.loads(files[name])


def without_run(files, name="results.json"):
    """The results with the echoed seed and run number removed: what the model computed."""
    doc = results(files, name)

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ("run", "seed")}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node
    return strip(doc)


def check(label, make_argv, other, sample, tmp):
    """make_argv(out, variant) -> argv; variant 0 twice (same seed), then `other`.  Every run
    writes to the same directory (moved aside after each run), so that paths in the outputs
    are the same too: the same command line must give the same bytes."""
    out = os.path.join(tmp, label, "out")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    runs = []
    for k, variant in enumerate((0, 0, other)):
        files = run(label, make_argv(out, variant), out)
        if files is None:
            return
        runs.append(files)
        os.rename(out, os.path.join(tmp, label, str(k)))
    a, b, c = runs
    if a.keys() != b.keys():
        failures.append(f"{label}: same seed, different files {sorted(a)} vs {sorted(b)}")
    for name in sorted(a.keys() & b.keys()):
        if a[name] != b[name]:
            failures.append(f"{label}: same seed, {name} differs")
    if sample is None:
        # No random draws in this model: another run number must not change anything computed.
        if without_run(a) != without_run(c):
            failures.append(f"{label}: has no random draws, yet run {other} changed its results")
    elif sample(a) == sample(c):
        failures.append(f"{label}: run {other} drew the same samples as run 1")


def example(name, *args, run_option="--RngRun", sample=None):
    def argv(out, variant):
        extra = [f"{run_option}={variant + 1}"] if run_option else []
        return [os.path.join(EXAMPLES, name), f"--outDir={out}", *args, *extra]
    return argv, sample


def flow_pairs(files):
    return [(f["src"], f["dst"]) for f in results(files)["flows"]]


def aisid_samples(files):
    res = results(files)
    return [res[m]["response_time_ms"] for m in ("aisid", "dns") if m in res]


# Every example: small arguments, and how its randomness shows.  Examples without a sample
# function draw no random numbers (their inputs fix everything).
EXAMPLE_CASES = {
    "zoo-udp-flows": example("zoo-udp-flows", "--topology=zoo:Chinanet", "--flows=4",
                             "--duration=0.5", sample=flow_pairs),
    "fattree-tcp-bulk": example("fattree-tcp-bulk", "--k=4", "--maxBytes=100000",
                                "--duration=0.5"),
    "forwarding-scale": example("forwarding-scale", "--topology=ring:12", "--packets=300"),
    "srv6-basic": example("srv6-basic", "--packets=50", "--tcpBytes=50000", "--duration=0.5"),
    "srv6-sfc": example("srv6-sfc", "--tcpBytes=100000", "--duration=1"),
    "srv6-policy-switch": example("srv6-policy-switch", "--duration=1", "--switchAt=0.5",
                                  "--tcpBytes=300000"),
    "pdp-external-memory": example("pdp-external-memory", "--duration=0.005"),
    "nsf-msi": example("nsf-msi", "--batchSizes=1,8", "--batches=2"),
    "nsf-msl": example("nsf-msl", "--batchSizes=8", "--batches=2"),
    "nsf-reconfigure": example("nsf-reconfigure", "--duration=2.5"),
    "placement-validate": example("placement-validate", "--policy=random", "--requests=6",
                                  run_option="--seed",
                                  sample=lambda f: without_run(f, "validation.json")),
    "aisid-chinanet": example("aisid-chinanet", "--concurrency=30", "--plot=false",
                              sample=aisid_samples),
}


def scenario(name, overrides, sample=None):
    """`aisfc run` of scenarios/NAME.json with overrides (to keep it small) and "run" set."""
    with open(os.path.join(SOURCE, "scenarios", name + ".json")) as f:
        doc = json.load(f)

    def merge(base, extra):
        for k, v in extra.items():
            if isinstance(v, dict) and isinstance(base.get(k), dict):
                merge(base[k], v)
            else:
                base[k] = v

    merge(doc, overrides)

    def argv(out, variant):
        path = out + ".json"
        with open(path, "w") as f:
            json.dump({**doc, "run": variant + 1}, f)
        return [CLI, "run", path, "--out", out]
    return argv, sample


SCENARIO_CASES = {
    "demo": scenario("demo", {}),
    "pdp-migration": scenario("pdp-migration", {}),
    "aisid-chinanet": scenario("aisid-chinanet", {"aisid": {"concurrency": 30}},
                               sample=aisid_samples),
    "nsf-msi": scenario("nsf-msi", {}),
    "dune-synthetic": scenario("dune-synthetic", {"dune": {"classes": 4, "flows_per_class": 30}},
                               sample=lambda f: results(f)["systems"]),
    "placement-srem": scenario("placement-srem", {"placement": {"episodes": 20, "train": 4,
                                                                "test": 2, "ilp_problems": 0}},
                               sample=lambda f: results(f)["fig6"]),
}


def cli(*args, seed_option="--seed", sample=None):
    def argv(out, variant):
        return [CLI, *args, seed_option, str(variant + 1), "--out", out]
    return argv, sample


def dune_samples(files):
    return results(files)["systems"]


def placement_data(files):
    return sorted(files.items())


# Long-running commands with their own seed option.
COMMAND_CASES = {
    "dune-run": cli("dune", "run", "--classes", "4", "--flows-per-class", "30",
                    sample=dune_samples),
    "placement-generate": cli("placement", "generate", "--train", "4", "--test", "2",
                              sample=placement_data),
}

with tempfile.TemporaryDirectory() as tmp:
    built = sorted(os.listdir(EXAMPLES))
    for name in built:
        if name not in EXAMPLE_CASES:
            failures.append(f"example {name} is not covered by test_determinism.py")
    shipped = sorted(n[:-5] for n in os.listdir(os.path.join(SOURCE, "scenarios"))
                     if n.endswith(".json"))
    for name in shipped:
        if name not in SCENARIO_CASES:
            failures.append(f"scenario {name}.json is not covered by test_determinism.py")
    for name, (argv, sample) in EXAMPLE_CASES.items():
        if name in built:
            check(name, argv, 1, sample, tmp)
    for name, (argv, sample) in SCENARIO_CASES.items():
        check("scenario-" + name, argv, 1, sample, tmp)
    for name, (argv, sample) in COMMAND_CASES.items():
        check(name, argv, 1, sample, tmp)

    # Training and evaluation on one generated data set: same seed, same model and results.
    data = os.path.join(tmp, "data")
    subprocess.run([CLI, "placement", "generate", "--seed", "3", "--train", "4", "--test", "2",
                    "--out", data], capture_output=True, check=True)
    check("placement-train",
          lambda out, v: [CLI, "placement", "train", "--policy", "srem", "--data", data,
                          "--episodes", "30", "--seed", str(v + 1), "--out", out],
          1, lambda f: f["model.bin"], tmp)
    check("placement-eval",
          lambda out, v: [CLI, "placement", "eval", "--policy", "random", "--data", data,
                          "--seed", str(v + 1), "--out", out],
          1, lambda f: results(f)["overall"], tmp)

for f in failures:
    print("FAIL", f)
print(f"{'FAILED' if failures else 'passed'}: determinism ({len(failures)} failures)")
sys.exit(1 if failures else 0)
