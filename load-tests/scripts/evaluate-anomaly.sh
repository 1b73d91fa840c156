#!/usr/bin/env bash
# Anomaly-scorer evaluation from the repository root:
#   1. builds the adapter and load-test jars (offline if ~/.m2 is populated),
#   2. `meshcast anomaly --irregular=snap` (the real CLI, in-process) on every NAB file in
#      load-tests/data/nab, converted to NAB's format (score / 100); a file the CLI refuses is
#      listed and scored as "no detections" (all rows 0),
#   3. the false-alarm check on synthetic anomaly-free series and the scorer's cost and state,
#   4. if a NAB scorer is given: the three profiles (one global threshold each, as NAB) and the
#      false-positive rows and windows per file at the standard threshold.
#
# The NAB scorer (nab_score.py, a stdlib-only re-implementation of NAB's scorer) is NOT part of
# this repository (it carries no licence): pass its path as the first argument or in NAB_SCORER:
#   NAB_SCORER=/path/to/nab_score.py load-tests/scripts/evaluate-anomaly.sh
# Output: load-tests/target/anomaly-eval/{anomaly-results.md,nab/,nab-scores.txt,nab-per-file.txt}
set -euo pipefail
cd "$(dirname "$0")/../.."

scorer="${NAB_SCORER:-}"
if [[ $# -gt 0 && "$1" != --* ]]; then
  scorer="$1"
  shift
fi

if [[ "${SKIP_BUILD:-}" != 1 ]]; then
  mvn_opts=(-B -q -DskipTests)
  if [[ -d "${HOME}/.m2/repository/io/vertx" ]]; then
    mvn_opts+=(-o)
  fi
  echo "== building jars"
  mvn "${mvn_opts[@]}" -pl load-tests -am package
fi

out=load-tests/target/anomaly-eval
echo "== anomaly-eval (NAB run, false-alarm check, cost)"
java -Xmx1g -XX:ActiveProcessorCount=1 -jar load-tests/target/meshcast-load-tests.jar \
  anomaly-eval --data load-tests/data --out "$out" "$@"

if [[ -n "$scorer" ]]; then
  if [[ ! -f "$scorer" ]]; then
    echo "NAB scorer not found: $scorer" >&2
    exit 1
  fi
  echo "== NAB score ($scorer)"
  python3 "$scorer" "$out/nab" --simple --windows load-tests/data/nab/windows.json \
    --files load-tests/data/nab/windows.json | tee "$out/nab-scores.txt"
  echo "== per file at the standard threshold"
  python3 load-tests/scripts/nab_per_file.py "$scorer" "$out/nab" \
    load-tests/data/nab/windows.json | tee "$out/nab-per-file.txt"
else
  echo "== NAB scoring skipped: pass the path of nab_score.py as the first argument or in" \
    "NAB_SCORER to score $out/nab"
fi
