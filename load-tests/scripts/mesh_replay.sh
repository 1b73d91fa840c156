#!/usr/bin/env bash
# Multi-service (mesh) replay on every trace: builds the load-test jar if needed, then runs
# `replay --mesh` per trace on the 7 days centred on the trace's busiest interval (the first day
# is the warm-up, not scored) and writes JSON, per-policy PNGs and a Markdown table under
# load-tests/results/replay/mesh/.
#   load-tests/scripts/mesh_replay.sh                 # all traces, all four mesh policies
#   PARALLEL=1 load-tests/scripts/mesh_replay.sh      # traces one at a time (default 2 at a time)
#   TRACES="nasa nab_elb" load-tests/scripts/mesh_replay.sh
#   REBUILD=1 load-tests/scripts/mesh_replay.sh       # force a rebuild first
#   EXTRA=1 load-tests/scripts/mesh_replay.sh         # also: reactive at HPA targets 0.6 and 0.5
#                                                     # (reactive-targets/) and the equal-start-up
#                                                     # diagnosis on NAB ELB (diagnosis/)
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=load-tests/target/meshcast-load-tests.jar
OUT=load-tests/results/replay/mesh
if [[ ! -f "$JAR" || -n "${REBUILD:-}" ]]; then
  mvn -B -q -ntp -o -pl load-tests -am package -DskipTests \
    || mvn -B -q -ntp -pl load-tests -am package -DskipTests
fi
mkdir -p "$OUT"
DATA=load-tests/data
# The same traces and entry peaks as scripts/replay.sh; every tier's maxReplicas is derived from
# the peak (1.5 x its peak demand at the HPA target).
declare -A TRACE=(
  [nasa]="$DATA/traces/nasa_http_jul1995_per_min.csv --peak-rps 8000"
  [nab_elb]="$DATA/nab/realAWSCloudwatch/elb_request_count_8c0756.csv --peak-rps 10000"
  [nab_aapl]="$DATA/nab/realTweets/Twitter_volume_AAPL.csv --peak-rps 60000"
  [nab_goog]="$DATA/nab/realTweets/Twitter_volume_GOOG.csv --peak-rps 20000"
  [worldcup98]="$DATA/traces/worldcup98_per_min.csv --peak-rps 20000"
)
WINDOW_DAYS=7
# --start (seconds) of the WINDOW_DAYS centred on the busiest interval, a multiple of the step.
window_start() {
  python3 - "$1" "$WINDOW_DAYS" <<'PY'
import csv, sys
from datetime import datetime
rows = list(csv.reader(open(sys.argv[1])))[1:]
parse = lambda s: datetime.fromisoformat(s.replace('T', ' ').replace('Z', ''))
t0, t1 = parse(rows[0][0]), parse(rows[1][0])
step = int((t1 - t0).total_seconds())
values = [float(r[1]) if r[1] not in ('', 'NaN') else 0.0 for r in rows]
peak = (parse(rows[max(range(len(values)), key=values.__getitem__)][0]) - t0).total_seconds()
span = (parse(rows[-1][0]) - t0).total_seconds() + step
window = int(sys.argv[2]) * 86400
start = max(0, min(peak - window / 2, span - window))
print(int(start // step * step), min(window, int(span)))
PY
}
run() {
  local name=$1 file start dur
  file=${TRACE[$name]%% *}
  read -r start dur < <(window_start "$file")
  # shellcheck disable=SC2086
  java -jar "$JAR" replay --mesh --trace ${TRACE[$name]} --start "${start}s" --duration "${dur}s" \
    --warmup 1d --threads 2 --json "$OUT/$name.json" --plot-dir "$OUT" --markdown "$OUT/$name.md" \
    > "$OUT/$name.log" 2>&1
  echo "== $name (start ${start}s, ${dur}s)"; cat "$OUT/$name.log"
  if [[ -n "${EXTRA:-}" ]]; then
    mkdir -p "$OUT/reactive-targets"
    for u in 0.6 0.5; do
      # shellcheck disable=SC2086
      java -jar "$JAR" replay --mesh --trace ${TRACE[$name]} --start "${start}s" \
        --duration "${dur}s" --warmup 1d --policies reactive --target-utilization "$u" \
        --no-plots --json "$OUT/reactive-targets/${name}_target$u.json" \
        > "$OUT/reactive-targets/${name}_target$u.log" 2>&1
    done
    if [[ $name == nab_elb ]]; then
      # shellcheck disable=SC2086
      java -jar "$JAR" replay --mesh --mesh-config "$OUT/diagnosis/equal-startup.yaml" \
        --trace ${TRACE[$name]} --start "${start}s" --duration "${dur}s" --warmup 1d \
        --threads 2 --policies reactive,meshcast-propagation --no-plots \
        --json "$OUT/diagnosis/nab_elb_equal_startup.json" \
        --markdown "$OUT/diagnosis/nab_elb_equal_startup.md" \
        > "$OUT/diagnosis/nab_elb_equal_startup.log" 2>&1
    fi
  fi
}
ORDER=(${TRACES:-nasa nab_elb nab_aapl nab_goog worldcup98})
PARALLEL=${PARALLEL:-2}
for name in "${ORDER[@]}"; do
  run "$name" &
  while (( $(jobs -rp | wc -l) >= PARALLEL )); do wait -n; done
done
wait
: > "$OUT/summary.md"
for name in "${ORDER[@]}"; do cat "$OUT/$name.md" >> "$OUT/summary.md"; done
echo "results in $OUT"
