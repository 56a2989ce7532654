#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Draw an aisfc figure from an example's results.json (matplotlib from Debian).

usage: aisfc-plot.py FIGURE RESULTS.json OUT.png
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


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in FIGURES:
        fail(f"usage: aisfc-plot.py FIGURE RESULTS.json OUT.png (figures: {', '.join(FIGURES)})")
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
