#!/usr/bin/env bash
# The restore drill: restores a backup made by eng/backup.sh into a fresh database, recomputes every table's row count
# and digest there, and compares them with the backup's manifest; the drill database is dropped afterwards. Prints one
# line per table and exits 1 when any table differs or is missing. Connects with the libpq variables (PGHOST, PGPORT,
# PGUSER, PGPASSWORD) as a role that may create databases and bypasses row-level security.
# Usage: PGHOST=… bash eng/restore-drill.sh BACKUP_DIR
set -euo pipefail
backup=${1:?usage: restore-drill.sh BACKUP_DIR}
drill="restore_drill_$(date +%s)_$$"
source "$(dirname "$0")/lib.sh"

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$drill\""
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$drill\"" >/dev/null 2>&1 || true' EXIT
started=$(date +%s.%N)
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$drill" "$backup/database.dump"
restored=$(date +%s.%N)

table_digests "$drill" > "$backup/restored.tsv"
failed=0
while IFS=$'\t' read -r table rows digest; do
  actual=$(awk -F'\t' -v t="$table" '$1 == t { print $2 "\t" $3 }' "$backup/restored.tsv")
  if [ "$actual" = "$rows"$'\t'"$digest" ]; then
    echo "ok       $table ($rows rows)"
  else
    echo "DIFFERS  $table: backup $rows rows $digest, restored ${actual:-nothing}"
    failed=1
  fi
done < "$backup/manifest.tsv"
echo "restore drill: $(wc -l < "$backup/manifest.tsv") tables, restored in $(awk -v a="$started" -v b="$restored" 'BEGIN { printf "%.1f", b - a }') s, $([ $failed = 0 ] && echo "every digest matches" || echo "DIGESTS DIFFER")"
exit $failed
