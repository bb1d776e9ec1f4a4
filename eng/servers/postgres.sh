#!/usr/bin/env bash
# Runs Debian's PostgreSQL in the foreground on 127.0.0.1:PORT with its data in DATA_DIR (created on first run).
# It streams its WAL to standbys (postgres-standby.sh); a standby that stays away may hold back at most 2 GB of it.
# Usage: postgres.sh PORT DATA_DIR SUPERUSER_PASSWORD
set -euo pipefail
port=$1 data=$2 password=$3
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# initdb and postgres refuse to run as root: drop to the postgres user without forking, so signals reach postgres.
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

mkdir -p "$data"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$data" && chmod 700 "$data"
if [ ! -f "$data/PG_VERSION" ]; then
  pwfile=$(mktemp)
  printf '%s\n' "$password" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  "${as_postgres[@]}" "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
fi

exec "${as_postgres[@]}" "$bin/postgres" -D "$data" -p "$port" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 \
  -c fsync=on -c logging_collector=off \
  -c wal_level=replica -c max_wal_senders=10 -c max_slot_wal_keep_size=2GB
