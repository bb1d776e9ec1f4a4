#!/usr/bin/env bash
# Backs up one JiraExport database: a custom-format pg_dump (compressed, restorable table by table) and a manifest of
# every table's row count and digest (md5 over its rows' md5s, in order), which eng/restore-drill.sh checks a restore
# against. Connects with the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) as a role that bypasses
# row-level security (the database's owner when it is a superuser, or a role with BYPASSRLS): the tables FORCE it, and
# a dump must hold every tenant. For a database past a few GB, or a point in time, use a base backup with WAL archiving
# (pg_basebackup; see the README); this is the whole-database logical copy.
# Usage: PGHOST=… PGDATABASE=… bash eng/backup.sh OUT_DIR
set -euo pipefail
out=${1:?usage: backup.sh OUT_DIR}
mkdir -p "$out"
: "${PGDATABASE:?set PGDATABASE (and PGHOST, PGPORT, PGUSER, PGPASSWORD)}"

pg_dump --format=custom --no-owner --no-privileges --file="$out/database.dump" "$PGDATABASE"
source "$(dirname "$0")/lib.sh"
table_digests "$PGDATABASE" > "$out/manifest.tsv"
echo "backup: $(wc -l < "$out/manifest.tsv") tables, $(du -h "$out/database.dump" | cut -f1) in $out"
