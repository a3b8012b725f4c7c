#!/usr/bin/env bash
# CI: a Prometheus and a Pushgateway on loopback for the live-metrics tests.
#
# Installs Debian's prometheus and prometheus-pushgateway if missing, and starts (without
# systemd, which CI does not run) a Prometheus on 127.0.0.1:9090 that scrapes
# 127.0.0.1:9464 every second (job "footprint") and a Pushgateway on 127.0.0.1:9091; then
# waits until both answer. Idempotent: a server already answering is left as it is.
# Prints the variables the tests read; `source` it or export them yourself:
#   FOOTPRINT_TEST_PROMETHEUS_URL=http://127.0.0.1:9090
#   FOOTPRINT_TEST_PUSHGATEWAY_URL=http://127.0.0.1:9091
set -euo pipefail

need=()
command -v curl >/dev/null 2>&1 || need+=(curl)   # the readiness checks below
command -v prometheus >/dev/null 2>&1 || need+=(prometheus)
command -v prometheus-pushgateway >/dev/null 2>&1 || need+=(prometheus-pushgateway)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The packages' postinst scripts try systemd; without it they only warn.
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

state="${FOOTPRINT_PROMETHEUS_DIR:-/tmp/footprint-prometheus}"
mkdir -p "$state/data"

answers() { curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; }

if ! answers http://127.0.0.1:9090/-/ready; then
  cat >"$state/prometheus.yml" <<'YAML'
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: footprint
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['127.0.0.1:9464']
  - job_name: pushgateway
    honor_labels: true
    scrape_interval: 1s
    scrape_timeout: 1s
    static_configs:
      - targets: ['127.0.0.1:9091']
YAML
  nohup prometheus --config.file="$state/prometheus.yml" --storage.tsdb.path="$state/data" \
    --web.listen-address=127.0.0.1:9090 >"$state/prometheus.log" 2>&1 &
  echo $! >"$state/prometheus.pid"
fi

if ! answers http://127.0.0.1:9091/-/ready; then
  nohup prometheus-pushgateway --web.listen-address=127.0.0.1:9091 >"$state/pushgateway.log" 2>&1 &
  echo $! >"$state/pushgateway.pid"
fi

for url in http://127.0.0.1:9090/-/ready http://127.0.0.1:9091/-/ready; do
  for _ in $(seq 1 60); do
    answers "$url" && break
    sleep 0.5
  done
  if ! answers "$url"; then
    echo "$url did not answer within 30 s; logs in $state:" >&2
    tail -n 20 "$state"/*.log >&2 || true
    exit 1
  fi
done
echo "Prometheus at http://127.0.0.1:9090, Pushgateway at http://127.0.0.1:9091 (logs in $state)"
export FOOTPRINT_TEST_PROMETHEUS_URL=http://127.0.0.1:9090
export FOOTPRINT_TEST_PUSHGATEWAY_URL=http://127.0.0.1:9091
