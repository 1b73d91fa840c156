#!/usr/bin/env bash
# Serving benchmark of the metrics API (issue 7, "Serving benchmark"): the adapter's HTTPS
# request path (ApiServer + in-memory provider + auth filter) against a bare Vert.x HTTPS
# endpoint that returns, for every request path, the adapter's own answer bytes for it (captured
# once at start), measured in the same run, at 1k, 10k and 100k series; max throughput on the
# whole mix and on each request kind alone (pods lists, objects, externals; --no-per-kind skips).
#
#   load-tests/scripts/serving-bench.sh                           # the benchmark (~30 min)
#   load-tests/scripts/serving-bench.sh --soak --duration 30m     # soak: heap/RSS every 30 s
#   load-tests/scripts/serving-bench.sh --series 10000 --rounds 1 # any serving-bench option
#
# Builds the load-tests jar when it is missing or older than the sources. Results (Markdown,
# CSV, SVG) go to load-tests/target/serving-bench/ unless --out is given. Everything binds
# 127.0.0.1; every phase is bounded in time and request count. Max throughput uses
# /usr/bin/wrk when installed (Debian package wrk), else the Java closed-loop client.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar="$root/load-tests/target/meshcast-load-tests.jar"
stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root/adapter/pom.xml" "$root/load-tests/pom.xml" \
      "$root/adapter/src/main" "$root/forecaster/src/main" "$root/load-tests/src/main" \
      -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}
if stale; then
  echo "serving-bench: building $jar" >&2
  (cd "$root" && { mvn -B -q -o -pl load-tests -am package -DskipTests \
      || mvn -B -q -pl load-tests -am package -DskipTests; })
fi
cd "$root"
exec java -jar "$jar" serving-bench "$@"
