#!/usr/bin/env bash
# Runs the whole forecaster evaluation from the repository root:
#   1. builds the adapter and load-test jars (offline if ~/.m2 is populated),
#   2. rolling-origin backtest against naive / seasonal naive / tuned SES / tuned Holt-Winters /
#      PHPA's Holt-Winters (alpha=beta=gamma=0.9) on load-tests/data,
#   3. `meshcast anomaly` on the NAB files in load-tests/data/nab, converted to NAB's format,
#   4. the cost benchmark (update/refit throughput, heap per series),
#   5. if a NAB scorer is given, scores the anomaly output with all three profiles.
#
# The NAB scorer (nab_score.py, a stdlib-only re-implementation of NAB's scorer) is NOT part of
# this repository: pass its path as the first argument or in NAB_SCORER, e.g.
#   NAB_SCORER=/path/to/nab_score.py load-tests/scripts/evaluate-forecaster.sh
# Options after the scorer path are passed to `forecaster-eval` (e.g. --quick, --skip-cost).
# Output: load-tests/target/forecaster-eval/{forecaster-results.md,nab/,nab-scores.txt}
set -euo pipefail
cd "$(dirname "$0")/../.."

scorer="${NAB_SCORER:-}"
if [[ $# -gt 0 && "$1" != --* ]]; then
  scorer="$1"
  shift
fi

mvn_opts=(-B -q -DskipTests)
if [[ -d "${HOME}/.m2/repository/io/vertx" ]]; then
  mvn_opts+=(-o)
fi
echo "== building jars"
mvn "${mvn_opts[@]}" -pl load-tests -am package

out=load-tests/target/forecaster-eval
echo "== forecaster-eval (backtest, NAB anomaly run, cost)"
java -Xmx2g -jar load-tests/target/meshcast-load-tests.jar forecaster-eval \
  --data load-tests/data --out "$out" "$@"

if [[ -n "$scorer" ]]; then
  if [[ ! -f "$scorer" ]]; then
    echo "NAB scorer not found: $scorer" >&2
    exit 1
  fi
  if [[ -d "$out/nab" ]]; then
    echo "== NAB score ($scorer)"
    python3 "$scorer" "$out/nab" --simple --windows load-tests/data/nab/windows.json \
      --files load-tests/data/nab/windows.json | tee "$out/nab-scores.txt"
  fi
else
  echo "== NAB scoring skipped: pass the path of nab_score.py as the first argument or in" \
    "NAB_SCORER to score $out/nab"
fi
