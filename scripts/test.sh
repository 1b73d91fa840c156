#!/usr/bin/env bash
# Runs every test: unit, integration (real Prometheus, real kubectl, headless Chromium) and the
# small smoke runs of the load-test harnesses. Installs missing system packages first.
#
# One failing test must not hide the others: failed tests are recorded instead of stopping the
# build (maven.test.failure.ignore, for surefire and failsafe alike), so adapter's integration
# tests and the load-tests module still run after an adapter unit test fails, and -fae keeps other
# modules building after a compile error. At the end every failed test is listed and the exit
# status is non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh || exit $?
# Reports of an earlier run (e.g. of a since-renamed test) must not be counted.
rm -rf ./*/target/surefire-reports ./*/target/failsafe-reports
mvn -B -ntp -fae -Dmaven.test.failure.ignore=true verify "$@"
build=$?
failed=$(grep -h -E '<<< (FAILURE|ERROR)!' \
  ./*/target/surefire-reports/*.txt ./*/target/failsafe-reports/*.txt 2>/dev/null |
  grep -E '^[A-Za-z0-9_.$]+\.[A-Za-z0-9_$]+(\(|\[| --)' | sed 's/ -- Time elapsed.*<<< / /' |
  sort -u)
echo
if [ -n "$failed" ]; then
  echo "test.sh: FAILED TESTS (details in */target/{surefire,failsafe}-reports):"
  echo "$failed" | sed 's/^/  /'
fi
if [ "$build" -ne 0 ]; then
  echo "test.sh: maven exited with $build (a build error or a module that did not run: see above)"
fi
if [ -n "$failed" ] || [ "$build" -ne 0 ]; then
  exit 1
fi
echo "test.sh: every test passed"
