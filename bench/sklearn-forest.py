#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""scikit-learn's RandomForestClassifier on the CSV files bench-forest trains on, with the same
hyper-parameters, so both forests are timed and scored on the same data in one run.

Prints one JSON object: fit_seconds (RandomForestClassifier.fit wall time, best of --repeat),
macro_f1, weighted_f1, micro_f1 on the test file, mean_nodes, mean_depth, sklearn_version.
Exits 3 with "skipped: ..." on stderr when scikit-learn cannot be imported (Debian:
python3-sklearn; run with /usr/bin/python3).

usage: sklearn-forest.py --train=FILE --test=FILE [--trees=100] [--max-depth=0]
       [--min-samples-split=2] [--min-samples-leaf=1] [--max-leaf-nodes=0] [--max-features=sqrt]
       [--bootstrap=1] [--class-weight=none] [--seed=1] [--n-jobs=1] [--repeat=1]
CSV: no header, numeric features, integer label in the last column.
"""
import argparse
import json
import sys
import time

try:
    import numpy as np
    import sklearn
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.metrics import f1_score
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"skipped: scikit-learn is not available to {sys.executable} ({e})", file=sys.stderr)
    sys.exit(3)


def max_features(text):
    if text in ("all", "none"):
        return None
    if text in ("sqrt", "log2"):
        return text
    if "." in text:
        return float(text)
    return int(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train", required=True)
    p.add_argument("--test", required=True)
    p.add_argument("--trees", type=int, default=100)
    p.add_argument("--max-depth", type=int, default=0)
    p.add_argument("--min-samples-split", type=int, default=2)
    p.add_argument("--min-samples-leaf", type=int, default=1)
    p.add_argument("--max-leaf-nodes", type=int, default=0)
    p.add_argument("--max-features", default="sqrt")
    p.add_argument("--bootstrap", type=int, default=1)
    p.add_argument("--class-weight", default="none")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--n-jobs", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args()

    train = np.loadtxt(a.train, delimiter=",", ndmin=2)
    test = np.loadtxt(a.test, delimiter=",", ndmin=2)
    x, y = train[:, :-1], train[:, -1].astype(int)
    xt, yt = test[:, :-1], test[:, -1].astype(int)

    best = None
    clf = None
    for _ in range(max(1, a.repeat)):
        clf = RandomForestClassifier(
            n_estimators=a.trees,
            criterion="gini",
            max_depth=a.max_depth or None,
            min_samples_split=a.min_samples_split,
            min_samples_leaf=a.min_samples_leaf,
            max_leaf_nodes=a.max_leaf_nodes or None,
            max_features=max_features(a.max_features),
            bootstrap=bool(a.bootstrap),
            class_weight=None if a.class_weight == "none" else a.class_weight,
            random_state=a.seed,
            n_jobs=a.n_jobs,
        )
        start = time.perf_counter()
        clf.fit(x, y)
        seconds = time.perf_counter() - start
        best = seconds if best is None else min(best, seconds)
    pred = clf.predict(xt)
    labels = sorted(set(yt) | set(pred))
    print(json.dumps({
        "fit_seconds": best,
        "macro_f1": f1_score(yt, pred, average="macro", labels=labels, zero_division=0),
        "weighted_f1": f1_score(yt, pred, average="weighted", labels=labels, zero_division=0),
        "micro_f1": f1_score(yt, pred, average="micro", labels=labels, zero_division=0),
        "mean_nodes": float(np.mean([t.tree_.node_count for t in clf.estimators_])),
        "mean_depth": float(np.mean([t.tree_.max_depth for t in clf.estimators_])),
        "sklearn_version": sklearn.__version__,
        "n_jobs": a.n_jobs,
    }))


if __name__ == "__main__":
    main()
