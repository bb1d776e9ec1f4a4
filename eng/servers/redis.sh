#!/usr/bin/env bash
# Runs Debian's redis-server in the foreground on 127.0.0.1:PORT. Redis holds caches and the SignalR
# backplane only, so nothing is persisted. Usage: redis.sh PORT DATA_DIR
set -euo pipefail
port=$1 data=$2
mkdir -p "$data"
exec redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$data" --protected-mode yes
