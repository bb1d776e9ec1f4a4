# Helpers shared by eng/test.sh and the benchmarks (sourced, not run).

# A TCP port on loopback that nothing listens on now.
free_port() {
  local port
  while :; do
    # Below Linux's ephemeral range (32768 and up): an outgoing connection (a restore, a test's client) could take a
    # port from that range between this check and the server's bind, and the server would fail to start.
    port=$((20000 + RANDOM % 12768))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Waits up to a minute for something to listen on port $1 ($2 names it in the error).
wait_port() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "$2 did not open port $1" >&2
  return 1
}

# CPU time the hypervisor gave to other machines ("steal": the 8th number of /proc/stat's cpu line), in ticks so far.
# Benchmarks print it beside their figures: a run with high steal is slower for reasons outside the code.
steal_ticks() { awk '/^cpu / { print $9 }' /proc/stat; }

# The steal since tick count $1, over $2 seconds, as a share of all cores' time ("12%").
steal_share() {
  awk -v from="$1" -v to="$(steal_ticks)" -v s="$2" -v hz="$(getconf CLK_TCK)" -v cpus="$(nproc)" \
    'BEGIN { printf "%d%%", (s > 0) ? 100 * (to - from) / hz / s / cpus : 0 }'
}

# Where eng/bootstrap.sh installs the smtp4dev .NET tool, outside the repository so a clean clone stays clean.
SMTP4DEV_VERSION=3.15.0
smtp4dev_path() { echo "${JX_TOOLS_DIR:-$HOME/.local/share/jiraexport/tools}/smtp4dev-$SMTP4DEV_VERSION/smtp4dev"; }

# Every table of DATABASE's public schema with its row count and a digest of its rows (md5 of the sorted md5s of each
# row's text), tab-separated, sorted by table: what eng/backup.sh records and eng/restore-drill.sh compares.
table_digests() {
  local database=$1
  psql -X -q -At -v ON_ERROR_STOP=1 -d "$database" -c "SET row_security = off" -c "
    SELECT string_agg(format(
      'SELECT %L || chr(9) || count(*) || chr(9) || md5(coalesce(string_agg(h, '''' ORDER BY h), '''')) FROM (SELECT md5(t::text) AS h FROM %I t) r',
      tablename, tablename), ' UNION ALL ')
    FROM pg_tables WHERE schemaname = 'public'" | psql -X -q -At -v ON_ERROR_STOP=1 -d "$database" -c "SET row_security = off" -f - | sort
}
