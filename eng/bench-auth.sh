#!/usr/bin/env bash
# Identity benchmark: sign-ins per second (bound by password hashing), the cost of validating one access token,
# and the latency of an authenticated GET under 200 concurrent connections (wrk, loopback only, 20 s).
# Starts its own PostgreSQL and Redis on loopback and a Release build of the Api; removes everything afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib.sh
bash eng/bootstrap.sh
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d /tmp/jiraexport-bench-auth.XXXXXX)
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
# The plan's request quota (1,200 a minute by default) would answer most of the load with 429: lift it, so the
# figures measure authenticated requests that succeed.
curl -sf -X PUT "$api/api/v1/tenants/$tenant_id/plan" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' \
  -d '{"name":"bench","maxConnections":10,"maxExportsPerDay":500,"maxStoredMegabytes":2048,"maxApiRequestsPerMinute":10000000}' >/dev/null
sign_in() {
  curl -sf -X POST "$api/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@bench.example\",\"password\":\"$password\"}"
}
export -f sign_in; export api password
for _ in 1 2 3 4 5; do sign_in >/dev/null; done   # warm-up

logins=200
started=$(date +%s.%N)
seq "$logins" | xargs -P 4 -I{} bash -c 'sign_in >/dev/null'
elapsed=$(echo "$(date +%s.%N) - $started" | bc)

echo
echo "Sign-in (POST /api/v1/auth/token): $logins sign-ins, 4 at a time, in ${elapsed}s → $(echo "scale=1; $logins / $elapsed" | bc) sign-ins/s"
echo "  Password hashing: ASP.NET Core Identity v3 — PBKDF2-HMAC-SHA512, 100,000 iterations, 128-bit salt, 256-bit key;"
echo "  each sign-in also writes a session, a refresh token and a security event, and signs an ES256 access token."
echo

dotnet run -c Release --no-build --project tests/JiraExport.Benchmarks -- jwt 20000
echo

token=$(sign_in | jq -r .accessToken)
echo "Authenticated GET /api/v1/exports under 200 connections (wrk -t2 -c200 -d20s, loopback)"
wrk -t2 -c200 -d20s --latency -H "Authorization: Bearer $token" "$api/api/v1/exports" | tee "$work/wrk.txt" | sed 's/^/  /'
p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")
echo
echo "  p99 latency: $p99${non2xx:+  (non-2xx responses: $non2xx)}"

# The same load on the reference endpoint (../shared/bench/api-reference: one indexed row, Npgsql, no auth, no EF), in
# this run and on this PostgreSQL, so the figures above can be read as a ratio that survives a noisy machine.
reference_source=${JX_BENCH_REFERENCE:-../shared/bench/api-reference}
if [ -d "$reference_source" ]; then
  cp -r "$reference_source" "$work/api-reference"
  dotnet build -c Release -nologo -v quiet "$work/api-reference" >/dev/null
  reference_port=$(free_port)
  ConnectionStrings__db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb" \
    dotnet "$work/api-reference/bin/Release/net10.0/api-reference.dll" --urls "http://127.0.0.1:$reference_port" >"$work/reference.log" 2>&1 & pids+=($!)
  wait_port "$reference_port" "the reference endpoint"
  curl -sf "http://127.0.0.1:$reference_port/exports/1" >/dev/null
  echo
  echo "Reference GET /exports/1 under 200 connections (same wrk)"
  wrk -t2 -c200 -d20s --latency "http://127.0.0.1:$reference_port/exports/1" | tee "$work/wrk-reference.txt" | sed 's/^/  /'
  ref_rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk-reference.txt")
  api_rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
  ref_p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk-reference.txt")
  echo
  echo "  Api / reference: $(echo "scale=3; $api_rps / $ref_rps" | bc) of the reference's requests/s; p99 $p99 against $ref_p99"
else
  # The reference program is the team's, kept beside the repository (not in it); without it only absolute figures print.
  echo
  echo "  (no reference endpoint at $reference_source: set JX_BENCH_REFERENCE to print the ratio)"
fi
