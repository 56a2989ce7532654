#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Draw an aisfc figure from an example's results.json (matplotlib from Debian).

usage: aisfc-plot.py FIGURE RESULTS.json OUT.png
figures: nsf-msi-batch, nsf-msi-splits, nsf-msl, nsf-reconfigure
exit 2 on bad input (unknown figure, unreadable results), naming it
"""
import json
import sys

FIGURES = ("nsf-msi-batch", "nsf-msi-splits", "nsf-msl", "nsf-reconfigure")


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
