#!/usr/bin/env bash
# Runs a hot standby of the PostgreSQL that postgres.sh runs on PRIMARY_PORT: streaming replication through a physical
# slot, in the foreground on 127.0.0.1:PORT with its data in DATA_DIR. The first run (or one whose copy belongs to
# another primary) takes a base backup of the primary; later runs resume streaming where they stopped.
# Usage: postgres-standby.sh PORT DATA_DIR PRIMARY_PORT SUPERUSER_PASSWORD
set -euo pipefail
port=$1 data=$2 primary_port=$3 password=$4
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
slot=jiraexport_standby

as_postgres=()
if [ "$(id -u)" = 0 ]; then
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

export PGPASSWORD=$password
primary=(-h 127.0.0.1 -p "$primary_port" -U postgres)
for _ in $(seq 1 120); do
  "$bin/pg_isready" "${primary[@]}" -q && break
  sleep 0.5
done
"$bin/pg_isready" "${primary[@]}" -q || { echo "postgres-standby: the primary on port $primary_port does not answer" >&2; exit 1; }

# A copy of another primary (its data folder was recreated) cannot stream from this one: start over.
if [ -f "$data/standby.signal" ]; then
  ours=$("$bin/pg_controldata" "$data" | sed -n 's/^Database system identifier: *//p')
  theirs=$(psql "${primary[@]}" -d postgres -Atc "SELECT system_identifier FROM pg_control_system()")
  [ "$ours" = "$theirs" ] || rm -rf "$data"
fi

if [ ! -f "$data/standby.signal" ]; then
  rm -rf "$data"
  mkdir -p "$data"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$data" && chmod 700 "$data"
  # The slot keeps the WAL this standby has not received (up to the primary's max_slot_wal_keep_size); a slot left by
  # an earlier copy is dropped first.
  psql "${primary[@]}" -d postgres -qAtc \
    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null
  # -R writes primary_conninfo (with the password: the folder is the postgres user's alone) and standby.signal.
  "${as_postgres[@]}" env PGPASSWORD="$password" "$bin/pg_basebackup" "${primary[@]}" -D "$data" \
    -X stream -C -S "$slot" -R -c fast >/dev/null
fi

# hot_standby_feedback: the primary's vacuum keeps the rows a long analytics query here still reads, rather than
# replay cancelling the query.
exec "${as_postgres[@]}" "$bin/postgres" -D "$data" -p "$port" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 \
  -c hot_standby=on -c hot_standby_feedback=on -c logging_collector=off
