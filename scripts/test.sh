#!/usr/bin/env bash
# Runs every test: unit, integration (real Prometheus, real kubectl, headless Chromium) and the
# small smoke runs of the load-test harnesses. Installs missing system packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec mvn -B -ntp verify "$@"
