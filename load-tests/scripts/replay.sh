#!/usr/bin/env bash
# Closed-loop autoscaling replay on every trace: builds the load-test jar if needed, then runs
# `replay` per trace and writes JSON, PNGs and a Markdown table under load-tests/results/replay/.
#   load-tests/scripts/replay.sh                  # all traces, all four policies (~5 min)
#   REBUILD=1 load-tests/scripts/replay.sh        # force a rebuild first
#   SENSITIVITY=1 load-tests/scripts/replay.sh    # also the sensitivity runs (results/replay/sensitivity/, ~25 min)
#   SENSITIVITY=only load-tests/scripts/replay.sh # only those
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=load-tests/target/meshcast-load-tests.jar
OUT=load-tests/results/replay
if [[ ! -f "$JAR" || -n "${REBUILD:-}" ]]; then
  mvn -B -q -ntp -o -pl load-tests -am package -DskipTests \
    || mvn -B -q -ntp -pl load-tests -am package -DskipTests
fi
mkdir -p "$OUT"
DATA=load-tests/data
# Peaks are chosen so the trace's MEAN needs ~10-15 pods of 100 rps (mean ≈ 900-1000 rps; AAPL,
# whose single burst is 160x its mean, ≈ 380 rps); maxReplicas covers each trace's peak.
declare -A TRACE=(
  [nasa]="$DATA/traces/nasa_http_jul1995_per_min.csv --peak-rps 8000 --max-replicas 200"
  [nab_elb]="$DATA/nab/realAWSCloudwatch/elb_request_count_8c0756.csv --peak-rps 10000 --max-replicas 200"
  [nab_aapl]="$DATA/nab/realTweets/Twitter_volume_AAPL.csv --peak-rps 60000 --max-replicas 1000"
  [nab_goog]="$DATA/nab/realTweets/Twitter_volume_GOOG.csv --peak-rps 20000 --max-replicas 300"
)
ORDER=(nasa nab_elb nab_aapl nab_goog)
: > "$OUT/summary.md"
main_runs() {
  for name in "${ORDER[@]}"; do
    echo "== $name"
    # shellcheck disable=SC2086
    java -jar "$JAR" replay --trace ${TRACE[$name]} --json "$OUT/$name.json" --plot-dir "$OUT" \
      --markdown "$OUT/$name.md"
    cat "$OUT/$name.md" >> "$OUT/summary.md"
  done
}
sensitivity_runs() {
  local S="$OUT/sensitivity" name
  mkdir -p "$S"
  for name in "${ORDER[@]}"; do
    echo "== $name (sensitivity)"
    # shellcheck disable=SC2086
    {
      local P="java -jar $JAR replay --trace ${TRACE[$name]} --no-plots"
      $P --policies meshcast-predictive --lead 5m --json "$S/${name}_predictive_lead5m.json"
      $P --policies meshcast-predictive --forecast-horizon 30 \
        --json "$S/${name}_predictive_horizon30.json"
      for q in 0.7 0.8; do
        $P --policies meshcast-predictive --forecast-quantile "$q" \
          --json "$S/${name}_predictive_q$q.json"
      done
      for u in 0.65 0.6; do
        $P --policies reactive --target-utilization "$u" --json "$S/${name}_reactive_target$u.json"
      done
      $P --policies reactive,meshcast-predictive --hpa-behavior defaults \
        --json "$S/${name}_behavior_defaults.json"
    } | grep -v '^trace\|^wrote'
  done
}
case "${SENSITIVITY:-}" in
  "") main_runs ;;
  only) sensitivity_runs ;;
  *) main_runs; sensitivity_runs ;;
esac
echo "results in $OUT"
