#!/usr/bin/env bash
# Installs the system packages the tests need, only when they are missing:
#   prometheus  - real Prometheus server for the integration tests (started on 127.0.0.1)
#   chromium    - headless browser for the debug-page test
#   kubectl     - used as a real client of the API (preinstalled on these machines)
#   etcd-server - etcd for ControlPlaneIT's real kube-apiserver (started inside the test's own
#                 network namespace; the apiserver binaries come from KUBEBUILDER_ASSETS)
#   util-linux, iproute2 - unshare and ip, to create and set up that network namespace
# Java 17 and Maven are part of the machine image.
set -euo pipefail
need=()
command -v prometheus >/dev/null 2>&1 || [ -x /usr/bin/prometheus ] || need+=(prometheus)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v kubectl >/dev/null 2>&1 || need+=(kubernetes-client)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v ip >/dev/null 2>&1 || [ -x /usr/sbin/ip ] || need+=(iproute2)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The Debian packages start a system Prometheus and etcd where systemd runs; our tests start their
# own (etcd in a private network namespace, so a system etcd on 2379 does not matter).
