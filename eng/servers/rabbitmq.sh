#!/usr/bin/env bash
# Runs Debian's RabbitMQ in the foreground on 127.0.0.1:PORT with its data in DATA_DIR.
# The node name follows from DATA_DIR, so a restart finds its durable queues again and two data folders never clash.
# Usage: rabbitmq.sh PORT DATA_DIR PASSWORD DIST_PORT
set -euo pipefail
port=$1 data=$2 password=$3 dist_port=$4
mkdir -p "$data/mnesia" "$data/log"
[ -f "$data/enabled_plugins" ] || echo '[].' > "$data/enabled_plugins"

export RABBITMQ_NODENAME="jx-$(printf '%s' "$data" | md5sum | cut -c1-10)@localhost"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$port
export RABBITMQ_DIST_PORT=$dist_port
export RABBITMQ_MNESIA_BASE=$data/mnesia
export RABBITMQ_LOG_BASE=$data/log
export RABBITMQ_LOGS=-
export RABBITMQ_FEATURE_FLAGS_FILE=$data/feature_flags
export RABBITMQ_ENABLED_PLUGINS_FILE=$data/enabled_plugins
# Only read when the node's database is created, i.e. on the first start.
export RABBITMQ_DEFAULT_USER=jiraexport
export RABBITMQ_DEFAULT_PASS=$password
echo "$RABBITMQ_NODENAME" > "$data/nodename"

if [ "$(id -u)" = 0 ]; then
  chown -R rabbitmq:rabbitmq "$data"
  # Debian's wrapper would `su` and drop this environment; setpriv keeps it and does not fork.
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups env HOME=/var/lib/rabbitmq /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec /usr/lib/rabbitmq/bin/rabbitmq-server
