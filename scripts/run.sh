#!/usr/bin/env bash
# Builds meshcast (once) and runs the adapter. With no arguments it serves the embedded demo mesh
# (no cluster, no Prometheus needed) on https://127.0.0.1:6443; any arguments are passed to
# `meshcast serve`, e.g. scripts/run.sh --config my-config.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
jar=adapter/target/meshcast.jar
if [ ! -f "$jar" ] || [ -n "$(find adapter/src forecaster/src pom.xml adapter/pom.xml forecaster/pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -ntp -q -DskipTests -pl adapter -am package
fi
if [ $# -eq 0 ]; then
  set -- --demo --insecure-authn
fi
exec java -jar "$jar" serve "$@"
