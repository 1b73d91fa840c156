#!/usr/bin/env python3
"""Per-file view of a NAB run at the standard profile's global threshold.

Usage: nab_per_file.py NAB_SCORE_PY RESULTS_DIR WINDOWS_JSON [THRESHOLD]

Imports the scorer given as NAB_SCORE_PY (nab_score.py, kept outside this repository) for its
file reading, probation and window rules; prints, for every file, the false-positive rows
(detections outside windows after probation) and, per window, whether and where it was first
detected (relative position in the window, 0 = left edge) and the highest score inside it.
Without THRESHOLD, the standard profile's optimal global threshold is used.
"""
import importlib.util
import json
import os
import sys


def main():
    spec = importlib.util.spec_from_file_location("nab_score", sys.argv[1])
    ns = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ns)
    res, windows = sys.argv[2], json.load(open(sys.argv[3]))
    keys = sorted(windows)
    if len(sys.argv) > 4:
        thr = float(sys.argv[4])
    else:
        paths = {k: os.path.join(res, k) for k in keys}
        thr = ns.score_detector(paths, windows, ["standard"])["standard"]["threshold"]
    print("threshold %.6f" % thr)
    total = 0
    for key in keys:
        ts, sc = ns.read_results(os.path.join(res, key))
        nprob, vals, wins = ns.sweep_file(ts, windows[key], key)
        s = sc[nprob:]
        fp = sum(1 for x, w in zip(s, wins) if w < 0 and x >= thr)
        total += fp
        info = []
        for wi in range(len(windows[key])):
            idx = [i for i, w in enumerate(wins) if w == wi]
            if not idx:
                info.append("in probation")
                continue
            hits = [i for i in idx if s[i] >= thr]
            best = max(s[i] for i in idx)
            info.append(("hit@%.2f" % ((hits[0] - idx[0]) / len(idx)) if hits else "MISSED")
                        + " (max %.3f)" % best)
        print("%-58s FP rows %3d | %s" % (key, fp, "; ".join(info) or "no windows"))
    print("total FP rows %d" % total)


if __name__ == "__main__":
    main()
