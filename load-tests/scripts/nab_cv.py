#!/usr/bin/env python3
"""Leave-one-category-out cross-validation of the anomaly scorer's tuning on the NAB files.

Usage: nab_cv.py NAB_SCORE_PY GRID_DIR WINDOWS_JSON

GRID_DIR holds one NAB "simple" results directory per grid setting (GRID_DIR/<setting>/<category>/
<file>.csv), each written by the product's own scorer (`anomaly-eval --nab-only` with the
setting in the system property meshcast.anomaly.tuning; evaluate-anomaly.sh --cv does this).
Setting directories are taken in sorted order; ties go to the first (name the default "0-...").

For each profile and each of the categories (the first path component of the file keys): the
setting with the best NAB score on the OTHER categories (one global threshold over them, as NAB)
is chosen and its outputs for the held-out category are kept. The held-out outputs of all folds
are pooled and scored with one global threshold per profile: the cross-validated score. The
in-sample score of every setting is printed too. Imports NAB_SCORE_PY (nab_score.py, kept outside
this repository) for its scoring rules.
"""
import importlib.util
import json
import os
import sys

PROFILES = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"]


def main():
    spec = importlib.util.spec_from_file_location("nab_score", sys.argv[1])
    ns = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ns)
    grid_dir, windows = sys.argv[2], json.load(open(sys.argv[3]))
    settings = sorted(d for d in os.listdir(grid_dir)
                      if os.path.isdir(os.path.join(grid_dir, d)))
    if not settings:
        sys.exit("no grid settings under %s" % grid_dir)
    keys = sorted(windows)
    for s in settings:
        missing = [k for k in keys if not os.path.isfile(os.path.join(grid_dir, s, k))]
        if missing:
            sys.exit("setting %s lacks %d file(s), e.g. %s" % (s, len(missing), missing[0]))
    categories = sorted({k.split("/")[0] for k in keys})

    def paths(setting, subset):
        return {k: os.path.join(grid_dir, setting, k) for k in subset}

    print("in-sample (all %d files), per setting:" % len(keys))
    for s in settings:
        r = ns.score_detector(paths(s, keys), windows, PROFILES)
        print("  %-40s %s | FP rows %d, windows missed %d" % (
            s, " / ".join("%.1f" % r[p]["score"] for p in PROFILES),
            r["standard"]["fp"], r["standard"]["windows_missed"]))

    # train scores: per held-out category, per setting, per profile
    train = {}
    for c in categories:
        rest = [k for k in keys if not k.startswith(c + "/")]
        for s in settings:
            r = ns.score_detector(paths(s, rest), windows, PROFILES)
            train[c, s] = {p: r[p]["score"] for p in PROFILES}
    cv = {}
    print("cross-validation: setting chosen per held-out category (standard / low FP / low FN)")
    chosen = {p: {} for p in PROFILES}
    for c in categories:
        picks = []
        for p in PROFILES:
            best = max(settings, key=lambda s: (train[c, s][p], -settings.index(s)))
            chosen[p][c] = best
            picks.append(best)
        print("  %-24s %s" % (c, " / ".join(picks)))
    for p in PROFILES:
        pooled = {}
        for k in keys:
            pooled[k] = os.path.join(grid_dir, chosen[p][k.split("/")[0]], k)
        r = ns.score_detector(pooled, windows, [p])[p]
        cv[p] = r
    print("cross-validated (pooled held-out outputs, one global threshold per profile): "
          + " / ".join("%.1f" % cv[p]["score"] for p in PROFILES)
          + " | standard: FP rows %d, windows missed %d" % (
              cv["standard"]["fp"], cv["standard"]["windows_missed"]))


if __name__ == "__main__":
    main()
