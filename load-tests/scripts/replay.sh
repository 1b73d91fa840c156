#!/usr/bin/env bash
# Closed-loop autoscaling replay on every trace: builds the load-test jar if needed, then runs
# `replay` per trace and writes JSON + PNGs under load-tests/results/replay/.
#   load-tests/scripts/replay.sh            # all traces
#   REBUILD=1 load-tests/scripts/replay.sh  # force a rebuild first
set -euo pipefail
cd "$(dirname "$0")/../.."
JAR=load-tests/target/meshcast-load-tests.jar
OUT=load-tests/results/replay
if [[ ! -f "$JAR" || -n "${REBUILD:-}" ]]; then
  mvn -B -q -ntp -o -pl load-tests -am package -DskipTests || mvn -B -q -ntp -pl load-tests -am package -DskipTests
fi
mkdir -p "$OUT"
DATA=load-tests/data
# Peaks are chosen so the trace's MEAN needs ~10-15 pods of 100 rps (mean ≈ 900-1000 rps; AAPL,
# whose single burst is 160x its mean, ≈ 380 rps); maxReplicas covers each trace's peak.
run() {
  local name=$1 trace=$2; shift 2
  echo "== $name"
  java -jar "$JAR" replay --trace "$trace" --json "$OUT/$name.json" --plot-dir "$OUT" "$@"
}
run nasa       "$DATA/traces/nasa_http_jul1995_per_min.csv"                 --peak-rps 8000  --max-replicas 200
run nab_elb    "$DATA/nab/realAWSCloudwatch/elb_request_count_8c0756.csv"   --peak-rps 10000 --max-replicas 200
run nab_aapl   "$DATA/nab/realTweets/Twitter_volume_AAPL.csv"               --peak-rps 60000 --max-replicas 1000
run nab_goog   "$DATA/nab/realTweets/Twitter_volume_GOOG.csv"               --peak-rps 20000 --max-replicas 300
echo "results in $OUT"
