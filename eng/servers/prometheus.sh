#!/usr/bin/env bash
# Runs Debian's prometheus in the foreground on 127.0.0.1:PORT with CONFIG (written by the AppHost: a job per service
# and deploy/prometheus/alerts.yml), keeping two days of samples in DATA_DIR. Usage: prometheus.sh PORT DATA_DIR CONFIG
set -euo pipefail
port=$1 data=$2 config=$3
mkdir -p "$data"
exec prometheus --config.file="$config" --storage.tsdb.path="$data" --storage.tsdb.retention.time=2d \
  --web.listen-address="127.0.0.1:$port" 2>&1  # it logs to stderr, but only errors should look like errors
