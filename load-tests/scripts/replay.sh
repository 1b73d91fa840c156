#!/usr/bin/env bash
# Closed-loop autoscaling replay on every trace: builds the load-test jar if needed, then runs
# `replay` per trace and writes JSON, PNGs and a Markdown table under load-tests/results/replay/.
#   load-tests/scripts/replay.sh                  # all traces, all four policies (~5 min)
#   REBUILD=1 load-tests/scripts/replay.sh        # force a rebuild first
#   SENSITIVITY=1 load-tests/scripts/replay.sh    # also the sensitivity runs (results/replay/sensitivity/, ~25 min)
#   SENSITIVITY=only load-tests/scripts/replay.sh # only those
#   FRONTIER=1 (or only) load-tests/scripts/replay.sh  # also (only) the cost/violation frontier
#                                                 # per trace (results/replay/frontier/, JSON + PNG)
#   POLICIES=reactive,meshcast-predictive load-tests/scripts/replay.sh  # a subset of the policies
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
  # held out: never used to choose a default (peak/mean ≈ 21, so mean ≈ 950 rps)
  [worldcup98]="$DATA/traces/worldcup98_per_min.csv --peak-rps 20000 --max-replicas 300"
)
ORDER=(nasa nab_elb nab_aapl nab_goog worldcup98)
POLICIES="${POLICIES:-reactive,meshcast-predictive,phpa,oracle}"
: > "$OUT/summary.md"
main_runs() {
  for name in "${ORDER[@]}"; do
    echo "== $name"
    # shellcheck disable=SC2086
    java -jar "$JAR" replay --trace ${TRACE[$name]} --json "$OUT/$name.json" --plot-dir "$OUT" \
      --markdown "$OUT/$name.md" --policies "$POLICIES"
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
      $P --policies meshcast-predictive --forecast-step 1m \
        --json "$S/${name}_predictive_step1m.json"
      $P --policies meshcast-predictive --meshcast-rate-window 30s \
        --json "$S/${name}_predictive_window30s.json"
      for u in 0.65 0.6; do
        $P --policies reactive --target-utilization "$u" --json "$S/${name}_reactive_target$u.json"
      done
      $P --policies reactive,meshcast-predictive --hpa-behavior defaults \
        --json "$S/${name}_behavior_defaults.json"
    } | grep -v '^trace\|^wrote'
  done
}
frontier_runs() {
  local F="$OUT/frontier" name
  mkdir -p "$F"
  for name in "${ORDER[@]}"; do
    echo "== $name (frontier)"
    # shellcheck disable=SC2086
    java -jar "$JAR" replay --trace ${TRACE[$name]} --frontier --threads "${THREADS:-2}" \
      --frontier-risks "${RISKS:-0.3,0.45,0.6,0.75}" --json "$F/$name.json" --plot-dir "$F" \
      | grep -v '^trace\|^wrote'
  done
}
case "${FRONTIER:-}" in
  only) frontier_runs; echo "results in $OUT"; exit 0 ;;
  1) FRONTIER_TOO=1 ;;
esac
case "${SENSITIVITY:-}" in
  "") main_runs ;;
  only) sensitivity_runs ;;
  *) main_runs; sensitivity_runs ;;
esac
if [[ -n "${FRONTIER_TOO:-}" ]]; then frontier_runs; fi
echo "results in $OUT"
