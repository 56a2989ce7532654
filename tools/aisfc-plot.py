#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Draw an aisfc figure from an example's results.json, or from the replications in a sweep's
results.db (mean and 95% confidence interval), with matplotlib from Debian.

usage: aisfc-plot.py FIGURE RESULTS.json|RESULTS.db OUT.png
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


def finished_runs(db):
    """(params, metrics) JSON texts of a sweep store's finished runs, in run-id order."""
    import sqlite3
    try:
        rows = sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
            "SELECT params, metrics FROM runs WHERE status = 'ok' ORDER BY id").fetchall()
    except sqlite3.Error as e:
        fail(f"{db}: {e}")
    if not rows:
        fail(f"{db}: no finished run")
    return rows


def sweep_figure(db, out, args):
    """A metric against a swept parameter: mean and 95% CI over the replications."""
    opts = {}
    while args:
        if len(args) < 2 or args[0] not in ("--x", "--y", "--group"):
            fail(f"sweep figure: expected --x POINTER --y METRIC [--group POINTER], got {args}")
        opts[args[0]] = args[1]
        args = args[2:]
    if "--x" not in opts or "--y" not in opts:
        fail("sweep figure: --x POINTER and --y METRIC are required")
    rows = finished_runs(db)
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
        name = f"{opts.get('--group')} = {group}" if group else opts["--y"]
        ax.errorbar(labels, [m for m, _ in stats], yerr=[c for _, c in stats], marker="o",
                    capsize=4, label=name)
        PLOTTED.extend((name, label, m, c, len(points[x]))
                       for label, x, (m, c) in zip(labels, xs, stats))
    ax.set_xlabel(opts["--x"])
    ax.set_ylabel(opts["--y"])
    ax.set_title("mean and 95% confidence interval over replications")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    write_plotted(out)


def load_replications(path):
    """The results to draw: a results.json, or every finished run of a sweep's results.db (the
    replications of one parameter point)."""
    if not path.endswith(".db"):
        try:
            with open(path) as f:
                return [json.load(f)]
        except (OSError, ValueError) as e:
            fail(f"{path}: {e}")
    rows = finished_runs(path)
    points = sorted({p for p, _ in rows})
    if len(points) > 1:
        fail(f"{path}: runs of {len(points)} parameter points ({', '.join(points[:4])}"
             f"{', ...' if len(points) > 4 else ''}); a paper figure draws the replications of "
             "one point: use --figure sweep --x POINTER --y METRIC")
    return [json.loads(m) for _, m in rows]


# The numbers behind the figure: (series, x, mean, ci95, n), written as OUT.csv beside OUT.png.
PLOTTED = []


def stat(results, get, series=None, x=None):
    """Mean and 95% CI half-width of get(result) over the replications that have it; recorded
    in PLOTTED under (series, x) when series is given."""
    values = []
    for r in results:
        try:
            v = get(r)
        except (KeyError, IndexError, TypeError, StopIteration):
            continue
        if v is not None:
            values.append(float(v))
    if not values:
        raise KeyError("no replication has this value")
    mean, ci = mean_ci(values)
    if series is not None:
        PLOTTED.append((series, x, mean, ci, len(values)))
    return mean, ci


def pick(items, key, value):
    return next(e for e in items if e[key] == value)


def line(ax, xs, results, get, label, **style):
    """Mean and CI of get(result, x) at each x: error bars when there are replications."""
    stats = [stat(results, lambda r, x=x: get(r, x), label, x) for x in xs]
    ys = [m for m, _ in stats]
    if len(results) > 1:
        ax.errorbar(xs, ys, yerr=[c for _, c in stats], capsize=3, label=label,
                    **{"marker": "o", **style})
    else:
        ax.plot(xs, ys, label=label, **{"marker": "o", **style})


def bars(ax, xs, results, get, label, offset=0.0, width=0.8, **style):
    stats = [stat(results, lambda r, x=x: get(r, x), label, x) for x in xs]
    ax.bar([k + offset for k in range(len(xs))], [m for m, _ in stats], width,
           yerr=[c for _, c in stats] if len(results) > 1 else None, capsize=3, label=label,
           **style)
    ax.set_xticks(range(len(xs)))
    ax.set_xticklabels(xs)


def draw(figure, results, ax):
    """One figure; each value is the mean over the replications (with a 95% CI when several)."""
    res = results[0]
    if figure in ("nsf-msi-batch", "nsf-msi-splits", "nsf-msl"):
        # The sfc and baseline series of one table of the NSF examples' results.
        table, x_key, y_key = {"nsf-msi-batch": ("vs_batch_size", "batch_size", "mean_latency_ms"),
                               "nsf-msi-splits": ("vs_split_points", "split_points",
                                                  "mean_latency_ms"),
                               "nsf-msl": ("iteration_time", "batch_size",
                                           "mean_iteration_ms")}[figure]
        for mode in ("sfc", "baseline"):
            xs = [p[x_key] for p in res[table][mode]]
            line(ax, xs, results, lambda r, x, m=mode: pick(r[table][m], x_key, x)[y_key], mode)
        if x_key == "batch_size":
            ax.set_xscale("log", base=2)
            ax.set_xlabel("mini-batch size")
        else:
            ax.set_xlabel("split points")
        ax.set_ylabel("training iteration (ms)" if figure == "nsf-msl"
                      else "latency per mini-batch (ms)")
        ax.set_title({"nsf-msi-batch": f"MSI latency, {res['model']} on {res['device']}",
                      "nsf-msi-splits": f"MSI latency against split points, {res['model']}",
                      "nsf-msl": f"MSL iteration time, {res['model']} on {res['device']}"}[figure])
    elif figure == "aisid-latency":
        xs = [e["concurrency"] for e in res["sweep"]]
        for mode in ("aisid", "dns"):
            line(ax, xs, results, lambda r, x, m=mode:
                 pick(r["sweep"], "concurrency", x)[m]["response_time_ms"]["mean"],
                 f"{mode.upper()} mean")
            line(ax, xs, results, lambda r, x, m=mode:
                 pick(r["sweep"], "concurrency", x)[m]["response_time_ms"]["p99"],
                 f"{mode.upper()} p99", ls="--", marker="")
        ax.set_xlabel("concurrent requests")
        ax.set_ylabel("response time (ms)")
        ax.set_title("AISID against DNS scheduling on Chinanet")
    elif figure == "aisid-variance":
        xs = [e["concurrency"] for e in res["sweep"]]
        right = ax.twinx()
        for k, mode in enumerate(("aisid", "dns")):
            line(ax, xs, results, lambda r, x, m=mode:
                 pick(r["sweep"], "concurrency", x)[m]["link_utilisation_variance"],
                 f"{mode.upper()} links", color=f"C{k}")
            line(right, xs, results, lambda r, x, m=mode:
                 pick(r["sweep"], "concurrency", x)[m]["compute_utilisation_variance"],
                 f"{mode.upper()} compute", marker="s", ls="--", color=f"C{k}")
        ax.set_xlabel("concurrent requests")
        ax.set_ylabel("link utilisation variance")
        right.set_ylabel("compute utilisation variance")
        right.legend(loc="upper right")
        ax.set_title("Load balance: utilisation variance")
    elif figure == "scenario-flows":
        names = [f["name"] for f in res["flows"]]
        bars(ax, names, results, lambda r, x: pick(r["flows"], "name", x)["throughput_bps"] / 1e6,
             "throughput")
        ax.set_ylabel("throughput (Mbit/s)")
        right = ax.twinx()
        line(right, list(range(len(names))), results,
             lambda r, k: pick(r["flows"], "name", names[k])["delay_p99_s"] * 1e3,
             "p99 one-way delay", ls="", color="C1")
        right.set_ylabel("p99 one-way delay (ms)")
        right.legend(loc="upper right")
        ax.set_title(f"Flows of {res.get('scenario', 'the scenario')}")
    elif figure == "pdp-placements":
        xs = [x["placement"] for x in res["placements"]]
        bars(ax, xs, results, lambda r, x: pick(r["placements"], "placement", x)["mean_latency_us"],
             f"{res['function']} function")
        ax.set_ylabel("mean one-way latency (us)")
        ax.set_title("Where the function's table lives")
    elif figure == "dune-f1":
        systems = [n for n in ("mousika", "jewel", "dune") if n in res["systems"]]
        for k, metric in enumerate(("macro_f1", "weighted_f1", "micro_f1")):
            bars(ax, systems, results, lambda r, x, m=metric: r["systems"][x][m],
                 metric.replace("_", " "), offset=(k - 1) * 0.25, width=0.25)
        ax.set_ylim(0, 1)
        ax.set_ylabel("F1 (flow level, DUNE's weights)")
        ax.set_title(f"In-network classification, {len(res['data']['class_names'])} classes")
    elif figure == "dune-latency":
        systems = [n for n in ("no_inference", "mousika", "jewel", "dune")
                   if res["systems"][n].get("total_latency_ns") is not None]
        bars(ax, systems, results, lambda r, x: r["systems"][x]["total_latency_ns"],
             "mean over the test packets")
        ax.set_ylabel("latency through the switches (ns)")
        ax.set_title(f"Latency over {res['config']['switches']} switches")
    elif figure == "srem-fig5":
        for mode in res["fig5"]:
            xs = list(range(1, len(res["fig5"][mode]) + 1))
            stats = [stat(results, lambda r, e=e, m=mode: r["fig5"][m][e - 1], f"{mode} filters", e)
                     for e in xs]
            mean = [m for m, _ in stats]
            ax.plot(xs, mean, label=f"{mode} filters")
            if len(results) > 1:
                ax.fill_between(xs, [m - c for m, c in stats], [m + c for m, c in stats],
                                alpha=0.2)
        ax.set_xlabel("episode")
        ax.set_ylabel("reward per episode (moving average)")
        ax.set_title(f"SR-EM training reward, {res['train']} training instances")
    elif figure in ("srem-fig6a", "srem-fig6b"):
        key = "acceptance_ratio" if figure == "srem-fig6a" else "total_cost"
        for name, r0 in res["fig6"].items():
            slots = [s["slot"] for s in r0["slots"]]
            line(ax, slots, results, lambda r, x, n=name: pick(r["fig6"][n]["slots"], "slot", x)[key],
                 name)
            ax.set_xticks(slots)
            ax.set_xticklabels([f"{s['start'] / 3600:.0f}:00" for s in r0["slots"]])
        ax.set_xlabel("slot start (time of day)")
        ax.set_ylabel("acceptance ratio" if key == "acceptance_ratio" else "total cost per slot")
        ax.set_title(f"{'Acceptance' if key == 'acceptance_ratio' else 'Cost'} on "
                     f"{res['test']} test instances")
    elif figure == "srem-fig6c":
        slots = res["fig6"]["srem"]["slots"]
        labels = [f"{s['start'] / 3600:.0f}:00" for s in slots]
        bottom = [0.0] * len(slots)
        for kind in ("server", "local", "external"):
            stats = [stat(results, lambda r, k=k, u=kind: r["fig6"]["srem"]["slots"][k]["usage"][u],
                          kind, labels[k]) for k in range(len(slots))]
            share = [m for m, _ in stats]
            ax.bar(labels, share, bottom=bottom, label=kind,
                   yerr=[c for _, c in stats] if len(results) > 1 else None, capsize=3)
            bottom = [b + v for b, v in zip(bottom, share)]
        ax.set_xlabel("slot start (time of day)")
        ax.set_ylabel("share of instances")
        ax.set_title("SR-EM: instances on servers, local and external memory")
    else:  # nsf-reconfigure: one run's timeline (a timeline has no mean)
        t = res["timeline"]
        ax.plot([p["sent_s"] for p in t], [p["latency_ms"] for p in t], marker=".", ls="-")
        ax.axvline(res["congest_at_s"], color="red", ls="--", label="congestion")
        for s in res["switches"]:
            ax.axvline(s["applied_s"], color="green", ls="--", label="switch-over")
        ax.set_yscale("log")
        ax.set_xlabel("time (s)")
        ax.set_ylabel("latency per mini-batch (ms)")
        ax.set_title("Chain reconfiguration around congestion")


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "sweep":
        sweep_figure(sys.argv[2], sys.argv[3], sys.argv[4:])
        return
    if len(sys.argv) != 4 or sys.argv[1] not in FIGURES:
        fail(f"usage: aisfc-plot.py FIGURE RESULTS.json|RESULTS.db OUT.png (figures: "
             f"{', '.join(FIGURES)}), or aisfc-plot.py sweep RESULTS.db OUT.png --x POINTER "
             "--y METRIC [--group POINTER]")
    figure, path, out = sys.argv[1:]
    results = load_replications(path)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    try:
        draw(figure, results, ax)
    except (KeyError, TypeError, StopIteration) as e:
        fail(f"{path}: not the results of {figure} (missing {e})")
    if len(results) > 1:
        ax.set_title(f"{ax.get_title()}\nmean and 95% CI over {len(results)} runs",
                     fontsize="medium")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    write_plotted(out)


def write_plotted(png):
    """OUT.csv: every plotted mean with its 95% CI and the replications behind it."""
    if not PLOTTED:
        return
    import csv
    path = (png[:-4] if png.endswith(".png") else png) + ".csv"
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["series", "x", "mean", "ci95", "n"])
        for series, x, mean, ci, n in PLOTTED:
            w.writerow([series, x, repr(mean), repr(ci), n])
    import os
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
