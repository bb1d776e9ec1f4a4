#!/usr/bin/env bash
# Runs a hot standby of the PostgreSQL that postgres.sh runs on PRIMARY_PORT: streaming replication through a physical
# slot, in the foreground on 127.0.0.1:PORT with its data in DATA_DIR. The first run, or one whose copy can no longer
# stream (it belongs to another primary, or its slot is gone or lost its WAL), takes a base backup of the primary; later
# runs resume streaming where they stopped.
# Usage: postgres-standby.sh PORT DATA_DIR PRIMARY_PORT SUPERUSER_PASSWORD
set -euo pipefail
port=$1 data=$2 primary_port=$3 password=$4
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
slot=jiraexport_standby

as_postgres=()
if [ "$(id -u)" = 0 ]; then
  as_postgres=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

# The clients below read the password from the environment, never from their arguments.
export PGPASSWORD=$password
primary=(-h 127.0.0.1 -p "$primary_port" -U postgres)
on_primary() { "$bin/psql" "${primary[@]}" -d postgres -qAtc "$1"; }
for _ in $(seq 1 120); do
  "$bin/pg_isready" "${primary[@]}" -q && break
  sleep 0.5
done
"$bin/pg_isready" "${primary[@]}" -q || { echo "postgres-standby: the primary on port $primary_port does not answer" >&2; exit 1; }

if [ -f "$data/standby.signal" ]; then
  ours=$("$bin/pg_controldata" "$data" | sed -n 's/^Database system identifier: *//p')
  theirs=$(on_primary "SELECT system_identifier FROM pg_control_system()")
  slot_state=$(on_primary "SELECT wal_status FROM pg_replication_slots WHERE slot_name = '$slot'")
  if [ "$ours" != "$theirs" ] || [ -z "$slot_state" ] || [ "$slot_state" = lost ]; then
    echo "postgres-standby: the copy in $data cannot stream from this primary (slot: ${slot_state:-none}); taking a new base backup" >&2
    rm -rf "$data"
  fi
fi

if [ ! -f "$data/standby.signal" ]; then
  rm -rf "$data"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$data" && chown postgres:postgres "$data" && chmod 700 "$data"
  fi
  # The slot keeps the WAL this standby has not received (up to the primary's max_slot_wal_keep_size). One left by an
  # earlier copy is dropped first, its sender ended if it still runs.
  for _ in $(seq 1 20); do
    [ "$(on_primary "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot'")" = 0 ] && break
    on_primary "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = '$slot' AND active" >/dev/null
    on_primary "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null
    sleep 0.5
  done
  # -R writes primary_conninfo (with the password: the folder is the postgres user's alone) and standby.signal.
  "${as_postgres[@]}" "$bin/pg_basebackup" "${primary[@]}" -D "$data" -X stream -C -S "$slot" -R -c fast >/dev/null
fi
unset PGPASSWORD

# hot_standby_feedback: the primary's vacuum keeps the rows a long analytics query here still reads, rather than
# replay cancelling the query.
exec "${as_postgres[@]}" "$bin/postgres" -D "$data" -p "$port" \
  -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c max_connections=300 \
  -c hot_standby=on -c hot_standby_feedback=on -c logging_collector=off
