#!/usr/bin/env python3
"""Markdown tables of the replay's default point and frontier (load-tests/results/replay)."""
import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else "load-tests/results/replay"
NAMES = [("nasa", "NASA-HTTP Jul 1995 (1 min), dev"), ("nab_elb", "NAB ELB 8c0756 (5 min), dev"),
         ("nab_aapl", "NAB Twitter AAPL (5 min)"), ("nab_goog", "NAB Twitter GOOG (5 min)"),
         ("worldcup98", "World Cup 98 (1 min), held out")]

print("| trace | reactive SLO-violation min | reactive replica-h | meshcast SLO-violation min |"
      " meshcast replica-h | violation min vs reactive | replica-h vs reactive | model served (not fallback) |"
      " target (≤ 0.5 at ≤ 1.05) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
for key, label in NAMES:
    p = os.path.join(OUT, key + ".json")
    if not os.path.exists(p):
        continue
    rows = {r["policy"]: r for r in json.load(open(p))}
    r, m = rows["reactive"], rows["meshcast-predictive"]
    v, h = m["slo_violation_minutes_vs_reactive"], m["replica_hours_vs_reactive"]
    met = "met" if v is not None and v <= 0.5 and h <= 1.05 else "**missed**"
    print(f"| {label} | {r['slo_violation_minutes']} | {r['replica_hours']:.0f} |"
          f" {m['slo_violation_minutes']} | {m['replica_hours']:.0f} | {v:.3f} | {h:.3f} |"
          f" {100 * m['forecast_served_share']:.0f} % | {met} |")
print()
print("| trace | risk | replica-h | SLO-violation min | reactive at equal replica-h (interpolated)"
      " | meshcast / reactive at equal cost | plot |")
print("|---|---:|---:|---:|---:|---:|---|")
for key, label in NAMES:
    p = os.path.join(OUT, "frontier", key + ".json")
    if not os.path.exists(p):
        continue
    f = json.load(open(p))
    plot = f"[frontier](results/replay/frontier/{f.get('plot', '')})"
    for i, m in enumerate(f["meshcast"]):
        at = m["reactive_violation_minutes_at_equal_cost"]
        ratio = m["violation_minutes_vs_reactive_at_equal_cost"]
        print(f"| {label if i == 0 else ''} | {m['risk']} | {m['replica_hours']:.0f} |"
              f" {m['slo_violation_minutes']} | {'–' if at is None else f'{at:.0f}'} |"
              f" {'– (outside the reactive sweep)' if ratio is None else f'{ratio:.3f}'} |"
              f" {plot if i == 0 else ''} |")
