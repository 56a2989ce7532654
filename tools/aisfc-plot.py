#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Draw an aisfc figure from an example's results.json (matplotlib from Debian).

usage: aisfc-plot.py FIGURE RESULTS.json OUT.png
       aisfc-plot.py sweep RESULTS.db OUT.png --x POINTER --y METRIC [--group POINTER]
figures: nsf-msi-batch, nsf-msi-splits, nsf-msl, nsf-reconfigure,
         srem-fig5, srem-fig6a, srem-fig6b, srem-fig6c (results.json of `aisfc placement paper`),
         dune-f1, dune-latency (results.json of `aisfc dune run`),
         scenario-flows (a scenario's results.json), pdp-placements (pdp-external-memory),
         aisid-latency, aisid-variance (aisid-chinanet --sweep)
exit 2 on bad input (unknown figure, unreadable results), naming it
"""
import json
import sys

FIGURES = ("nsf-msi-batch", "nsf-msi-splits", "nsf-msl", "nsf-reconfigure",
           "srem-fig5", "srem-fig6a", "srem-fig6b", "srem-fig6c", "dune-f1", "dune-latency",
           "scenario-flows", "pdp-placements", "aisid-latency", "aisid-variance")


def fail(message):
    print(f"aisfc-plot: {message}", file=sys.stderr)
    sys.exit(2)


def series(ax, points, x, y, label):
    ax.plot([p[x] for p in points], [p[y] for p in points], marker="o", label=label)


# Two-sided 95% Student t quantiles for 1..30 degrees of freedom (1.96 beyond).
T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179,
       2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
       2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def flatten(value, prefix=""):
    """Scalar leaves of a results.json by dotted path; lists of named objects by name."""
    out = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}{k}."))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            key = v["name"] if isinstance(v, dict) and isinstance(v.get("name"), str) else str(i)
            out.update(flatten(v, f"{prefix}{key}."))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out[prefix[:-1]] = float(value)
    return out


def natural(value):
    """Order numbers, and strings with a number and a unit ("20Mbps" before "160Mbps")."""
    if isinstance(value, (int, float)):
        return (0, float(value), "")
    import re
    m = re.match(r"\s*([0-9.]+)\s*([a-zA-Z]*)", str(value))
    if m:
        scale = {"k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "m": 1e-3, "u": 1e-6,
                 "n": 1e-9}.get(m.group(2)[:1], 1.0)
        return (0, float(m.group(1)) * scale, str(value))
    return (1, 0.0, str(value))


def mean_ci(values):
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return mean, 0.0
    var = sum((v - mean) ** 2 for v in values) / (n - 1)
    t = T95[n - 2] if n - 1 <= len(T95) else 1.96
    return mean, t * (var / n) ** 0.5


def sweep_figure(db, out, args):
    """A metric against a swept parameter: mean and 95% CI over the replications."""
    import sqlite3
    opts = {}
    while args:
        if len(args) < 2 or args[0] not in ("--x", "--y", "--group"):
            fail(f"sweep figure: expected --x POINTER --y METRIC [--group POINTER], got {args}")
        opts[args[0]] = args[1]
        args = args[2:]
    if "--x" not in opts or "--y" not in opts:
        fail("sweep figure: --x POINTER and --y METRIC are required")
    try:
        rows = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
            "SELECT params, metrics FROM runs WHERE status = 'ok'").fetchall()
    except sqlite3.Error as e:
        fail(f"{db}: {e}")
    if not rows:
        fail(f"{db}: no finished run")
    series = {}
    known = set()
    for params, metrics in rows:
        p = json.loads(params)
        m = flatten(json.loads(metrics))
        known.update(m)
        if opts["--x"] not in p:
            fail(f"{db}: --x: '{opts['--x']}' is not a swept parameter (swept: {', '.join(sorted(p))})")
        if opts["--y"] not in m:
            continue
        group = str(p.get(opts.get("--group"), "")) if "--group" in opts else ""
        series.setdefault(group, {}).setdefault(json.dumps(p[opts["--x"]]), []).append(m[opts["--y"]])
    if not series:
        tokens = [t for t in opts["--y"].split(".") if t]
        scored = sorted((-sum(t in k for t in tokens), k) for k in known)
        close = [k for score, k in scored if score < 0][:8]
        fail(f"{db}: --y: no run has metric '{opts['--y']}'" +
             (f" (did you mean {', '.join(close)}?)" if close else ""))
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    for group, points in sorted(series.items()):
        xs = sorted(points, key=lambda k: natural(json.loads(k)))
        stats = [mean_ci(points[x]) for x in xs]
        labels = [str(json.loads(x)) for x in xs]
        ax.errorbar(labels, [m for m, _ in stats], yerr=[c for _, c in stats], marker="o",
                    capsize=4, label=f"{opts.get('--group')} = {group}" if group else opts["--y"])
    ax.set_xlabel(opts["--x"])
    ax.set_ylabel(opts["--y"])
    ax.set_title("mean and 95% confidence interval over replications")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "sweep":
        sweep_figure(sys.argv[2], sys.argv[3], sys.argv[4:])
        return
    if len(sys.argv) != 4 or sys.argv[1] not in FIGURES:
        fail(f"usage: aisfc-plot.py FIGURE RESULTS.json OUT.png (figures: {', '.join(FIGURES)}), "
             "or aisfc-plot.py sweep RESULTS.db OUT.png --x POINTER --y METRIC [--group POINTER]")
    figure, path, out = sys.argv[1:]
    try:
        with open(path) as f:
            res = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{path}: {e}")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    try:
        if figure == "nsf-msi-batch":
            for mode in ("sfc", "baseline"):
                series(ax, res["vs_batch_size"][mode], "batch_size", "mean_latency_ms", mode)
            ax.set_xscale("log", base=2)
            ax.set_xlabel("mini-batch size")
            ax.set_ylabel("latency per mini-batch (ms)")
            ax.set_title(f"MSI latency, {res['model']} on {res['device']}")
        elif figure == "nsf-msi-splits":
            for mode in ("sfc", "baseline"):
                series(ax, res["vs_split_points"][mode], "split_points", "mean_latency_ms", mode)
            ax.set_xlabel("split points")
            ax.set_ylabel("latency per mini-batch (ms)")
            ax.set_title(f"MSI latency against split points, {res['model']}")
        elif figure == "nsf-msl":
            for mode in ("sfc", "baseline"):
                series(ax, res["iteration_time"][mode], "batch_size", "mean_iteration_ms", mode)
            ax.set_xscale("log", base=2)
            ax.set_xlabel("mini-batch size")
            ax.set_ylabel("training iteration (ms)")
            ax.set_title(f"MSL iteration time, {res['model']} on {res['device']}")
        elif figure == "aisid-latency":
            sweep = res["sweep"]
            x = [e["concurrency"] for e in sweep]
            for mode in ("aisid", "dns"):
                ax.plot(x, [e[mode]["response_time_ms"]["mean"] for e in sweep], marker="o",
                        label=f"{mode.upper()} mean")
                ax.plot(x, [e[mode]["response_time_ms"]["p99"] for e in sweep], ls="--",
                        label=f"{mode.upper()} p99")
            ax.set_xlabel("concurrent requests")
            ax.set_ylabel("response time (ms)")
            ax.set_title("AISID against DNS scheduling on Chinanet")
        elif figure == "aisid-variance":
            sweep = res["sweep"]
            x = [e["concurrency"] for e in sweep]
            right = ax.twinx()
            for k, mode in enumerate(("aisid", "dns")):
                ax.plot(x, [e[mode]["link_utilisation_variance"] for e in sweep], marker="o",
                        color=f"C{k}", label=f"{mode.upper()} links")
                right.plot(x, [e[mode]["compute_utilisation_variance"] for e in sweep],
                           marker="s", ls="--", color=f"C{k}", label=f"{mode.upper()} compute")
            ax.set_xlabel("concurrent requests")
            ax.set_ylabel("link utilisation variance")
            right.set_ylabel("compute utilisation variance")
            right.legend(loc="upper right")
            ax.set_title("Load balance: utilisation variance")
        elif figure == "scenario-flows":
            flows = res["flows"]
            names = [f["name"] for f in flows]
            ax.bar(names, [f["throughput_bps"] / 1e6 for f in flows], label="throughput")
            ax.set_ylabel("throughput (Mbit/s)")
            right = ax.twinx()
            right.plot(names, [f["delay_p99_s"] * 1e3 for f in flows], "o", color="C1",
                       label="p99 one-way delay")
            right.set_ylabel("p99 one-way delay (ms)")
            right.legend(loc="upper right")
            ax.set_title(f"Flows of {res.get('scenario', 'the scenario')}")
        elif figure == "pdp-placements":
            p = res["placements"]
            ax.bar([x["placement"] for x in p], [x["mean_latency_us"] for x in p],
                   label=f"{res['function']} function")
            ax.set_ylabel("mean one-way latency (us)")
            ax.set_title("Where the function's table lives")
        elif figure == "dune-f1":
            systems = [n for n in ("mousika", "jewel", "dune") if n in res["systems"]]
            width = 0.25
            for k, metric in enumerate(("macro_f1", "weighted_f1", "micro_f1")):
                ax.bar([i + (k - 1) * width for i in range(len(systems))],
                       [res["systems"][n][metric] for n in systems], width,
                       label=metric.replace("_", " "))
            ax.set_xticks(range(len(systems)))
            ax.set_xticklabels(systems)
            ax.set_ylim(0, 1)
            ax.set_ylabel("F1 (flow level, DUNE's weights)")
            ax.set_title(f"In-network classification, {len(res['data']['class_names'])} classes")
        elif figure == "dune-latency":
            systems = [n for n in ("no_inference", "mousika", "jewel", "dune")
                       if res["systems"][n].get("total_latency_ns") is not None]
            ax.bar(systems, [res["systems"][n]["total_latency_ns"] for n in systems],
                   label="mean over the test packets")
            ax.set_ylabel("latency through the switches (ns)")
            ax.set_title(f"Latency over {res['config']['switches']} switches")
        elif figure == "srem-fig5":
            for mode, rewards in res["fig5"].items():
                ax.plot(range(1, len(rewards) + 1), rewards, label=f"{mode} filters")
            ax.set_xlabel("episode")
            ax.set_ylabel("reward per episode (moving average)")
            ax.set_title(f"SR-EM training reward, {res['train']} training instances")
        elif figure in ("srem-fig6a", "srem-fig6b"):
            key = "acceptance_ratio" if figure == "srem-fig6a" else "total_cost"
            for name, r in res["fig6"].items():
                ax.plot([f"{s['start'] / 3600:.0f}:00" for s in r["slots"]],
                        [s[key] for s in r["slots"]], marker="o", label=name)
            ax.set_xlabel("slot start (time of day)")
            ax.set_ylabel("acceptance ratio" if key == "acceptance_ratio" else "total cost per slot")
            ax.set_title(f"{'Acceptance' if key == 'acceptance_ratio' else 'Cost'} on "
                         f"{res['test']} test instances")
        elif figure == "srem-fig6c":
            slots = res["fig6"]["srem"]["slots"]
            labels = [f"{s['start'] / 3600:.0f}:00" for s in slots]
            bottom = [0.0] * len(slots)
            for kind in ("server", "local", "external"):
                share = [s["usage"][kind] for s in slots]
                ax.bar(labels, share, bottom=bottom, label=kind)
                bottom = [b + v for b, v in zip(bottom, share)]
            ax.set_xlabel("slot start (time of day)")
            ax.set_ylabel("share of instances")
            ax.set_title("SR-EM: instances on servers, local and external memory")
        else:
            t = res["timeline"]
            ax.plot([p["sent_s"] for p in t], [p["latency_ms"] for p in t], marker=".", ls="-")
            ax.axvline(res["congest_at_s"], color="red", ls="--", label="congestion")
            for s in res["switches"]:
                ax.axvline(s["applied_s"], color="green", ls="--", label="switch-over")
            ax.set_yscale("log")
            ax.set_xlabel("time (s)")
            ax.set_ylabel("latency per mini-batch (ms)")
            ax.set_title("Chain reconfiguration around congestion")
    except (KeyError, TypeError) as e:
        fail(f"{path}: not the results of {figure} (missing {e})")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)


if __name__ == "__main__":
    main()
