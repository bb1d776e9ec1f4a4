# Sourced by the Api benchmarks (bench-auth.sh, bench-idempotency.sh): starts PostgreSQL and Redis on loopback, a Release
# build of the Api on a migrated database, and a signed-up tenant whose plan no benchmark load reaches; removes it all
# on exit. Leaves: $api, $admin_key, $tenant_id, $password, $work, $pg_port, $pg_password, psql_owner, sign_in,
# bench_reference (the same wrk load on ../shared/bench/api-reference, for a ratio).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source eng/lib.sh
bash eng/bootstrap.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d /tmp/jiraexport-bench-api.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port); redis_port=$(free_port); api_port=$(free_port)
pg_password=bench-$RANDOM$RANDOM; admin_key=bench-admin-key-$RANDOM$RANDOM$RANDOM
bash eng/servers/postgres.sh "$pg_port" "$work/postgres" "$pg_password" >"$work/postgres.log" 2>&1 & pids+=($!)
bash eng/servers/redis.sh "$redis_port" "$work/redis" >"$work/redis.log" 2>&1 & pids+=($!)
dotnet build JiraExport.sln -c Release -nologo -v quiet >/dev/null
wait_port "$pg_port" PostgreSQL && wait_port "$redis_port" Redis

owner="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb"
export ConnectionStrings__jiraexportdb="$owner"
# Bash cannot export a name with a hyphen; env passes it.
app_db="Host=127.0.0.1;Port=$pg_port;Database=jiraexportdb;Username=jiraexport_app;Password=app-$pg_password"
# The migrations and every service read the key ring with this certificate (a deployment passes its own).
export DataProtection__KeyRingCertificate=$(dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll new-key-ring-certificate)
env "ConnectionStrings__jiraexportdb-app=$app_db" dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll migrate >"$work/migrate.log" 2>&1

# The limits are raised so every request passes through the rate limiter (counted in Redis) without being refused:
# the figures are the limiter's cost, not its refusals.
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__redis="127.0.0.1:$redis_port" Admin__Key="$admin_key" \
  Throttling__AnonymousPerAddressPerMinute=10000000 Throttling__PerPrincipalPerMinute=10000000 \
  ASPNETCORE_URLS="http://127.0.0.1:$api_port" Logging__LogLevel__Default=Warning \
  dotnet JiraExport.Api/bin/Release/net10.0/JiraExport.Api.dll >"$work/api.log" 2>&1 & pids+=($!)
wait_port "$api_port" Api
api="http://127.0.0.1:$api_port"

password="correct horse battery staple"
tenant_id=$(curl -sf -X POST "$api/api/v1/signup" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' \
  -d "{\"tenantName\":\"Bench\",\"slug\":\"bench\",\"email\":\"bench@bench.example\",\"password\":\"$password\"}" | jq -r .tenantId)
# Sign-in needs a verified email; the benchmark has no mail server, so it confirms the owner's email as the database owner.
psql_owner() { PGPASSWORD=$pg_password "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d jiraexportdb -qAt -c "$1"; }
psql_owner "UPDATE users SET email_confirmed = true WHERE email = 'bench@bench.example'" >/dev/null
# The plan's quotas (1,200 requests a minute, 100 exports a day by default) would answer most of the load with 429: lift
# them, so the figures measure requests that succeed.
curl -sf -X PUT "$api/api/v1/tenants/$tenant_id/plan" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' \
  -d '{"name":"bench","maxConnections":10,"maxExportsPerDay":10000000,"maxStoredMegabytes":2048,"maxApiRequestsPerMinute":10000000}' >/dev/null
sign_in() {
  curl -sf -X POST "$api/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@bench.example\",\"password\":\"$password\"}"
}
export -f sign_in; export api password

# The same wrk load ($1: its options) on the reference endpoint (../shared/bench/api-reference: one indexed row, Npgsql,
# no auth, no EF), in this run and on this PostgreSQL, so the Api's figures read as a ratio that survives a noisy machine.
# Sets $ref_rps; fails without the reference program.
bench_reference() {
  local source=${JX_BENCH_REFERENCE:-../shared/bench/api-reference}
  if [ ! -d "$source" ]; then
    # The reference program is the team's, kept beside the repository (not in it); without it only absolute figures print.
    echo "  (no reference endpoint at $source: set JX_BENCH_REFERENCE to print the ratio)"
    return 1
  fi
  cp -r "$source" "$work/api-reference"
  dotnet build -c Release -nologo -v quiet "$work/api-reference" >/dev/null
  local port; port=$(free_port)
  ConnectionStrings__db="$owner" dotnet "$work/api-reference/bin/Release/net10.0/api-reference.dll" --urls "http://127.0.0.1:$port" \
    >"$work/reference.log" 2>&1 & pids+=($!)
  wait_port "$port" "the reference endpoint"
  curl -sf "http://127.0.0.1:$port/exports/1" >/dev/null
  echo "Reference GET /exports/1 (wrk $1, loopback)"
  # shellcheck disable=SC2086
  wrk $1 --latency "http://127.0.0.1:$port/exports/1" | tee "$work/wrk-reference.txt" | sed 's/^/  /'
  ref_rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk-reference.txt")
}
