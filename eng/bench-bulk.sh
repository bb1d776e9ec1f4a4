#!/usr/bin/env bash
# Bulk export benchmark, against the Jira simulator on loopback: N single-issue PDFs (default 200) as one bulk ZIP.
# Prints documents/s from the request to the package being ready, the total seconds, and the Worker's peak RSS (its own
# process; Chromium's are listed beside it). Starts its own PostgreSQL, Redis and RabbitMQ on free ports, the simulator,
# and Release builds of the Api and Worker; removes everything afterwards. Target (issue 5): ≥ 8 documents/s.
# Extra Worker settings pass through the environment, e.g. Chromium__PagePoolSize=3 Messaging__ExportPrefetch=6 eng/bench-bulk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib.sh
bash eng/bootstrap.sh
documents=${1:-200}

work=$(mktemp -d /tmp/jiraexport-bench-bulk.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port); redis_port=$(free_port); rabbit_port=$(free_port); rabbit_dist=$(free_port)
api_port=$(free_port); jira_port=$(free_port)
pg_password=bench-$RANDOM$RANDOM; rabbit_password=bench-$RANDOM$RANDOM; admin_key=bench-admin-key-$RANDOM$RANDOM$RANDOM
bash eng/servers/postgres.sh "$pg_port" "$work/postgres" "$pg_password" >"$work/postgres.log" 2>&1 & pids+=($!)
bash eng/servers/redis.sh "$redis_port" "$work/redis" >"$work/redis.log" 2>&1 & pids+=($!)
bash eng/servers/rabbitmq.sh "$rabbit_port" "$work/rabbitmq" "$rabbit_password" "$rabbit_dist" >"$work/rabbitmq.log" 2>&1 & pids+=($!)
for project in JiraExport.Worker JiraExport.Api tests/JiraExport.JiraSimulator; do
  flock /tmp/jx-build.lock dotnet build "$project" -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
done
wait_port "$pg_port" PostgreSQL && wait_port "$redis_port" Redis && wait_port "$rabbit_port" RabbitMQ

owner="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb"
export ConnectionStrings__jiraexportdb="$owner"
app_db="Host=127.0.0.1;Port=$pg_port;Database=jiraexportdb;Username=jiraexport_app;Password=app-$pg_password"
# The migrations and every service read the key ring with this certificate (a deployment passes its own).
export DataProtection__KeyRingCertificate=$(dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll new-key-ring-certificate)
env "ConnectionStrings__jiraexportdb-app=$app_db" dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll migrate >"$work/migrate.log" 2>&1

env ASPNETCORE_URLS="http://127.0.0.1:$jira_port" Logging__LogLevel__Default=Warning \
  dotnet tests/JiraExport.JiraSimulator/bin/Release/net10.0/JiraExport.JiraSimulator.dll >"$work/jira.log" 2>&1 & pids+=($!)
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__messaging="amqp://jiraexport:$rabbit_password@127.0.0.1:$rabbit_port/" \
  ConnectionStrings__redis="127.0.0.1:$redis_port" Jira__AllowPrivateNetworks=true Logging__LogLevel__Default=Warning Logging__LogLevel__JiraExport.Worker.Exports.Bulk=Information \
  dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll >"$work/worker.log" 2>&1 & pids+=($!)
worker_pid=$!
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__redis="127.0.0.1:$redis_port" Admin__Key="$admin_key" \
  ASPNETCORE_URLS="http://127.0.0.1:$api_port" Logging__LogLevel__Default=Warning Jira__AllowPrivateNetworks=true \
  dotnet JiraExport.Api/bin/Release/net10.0/JiraExport.Api.dll >"$work/api.log" 2>&1 & pids+=($!)
wait_port "$jira_port" "Jira simulator" && wait_port "$api_port" Api
api="http://127.0.0.1:$api_port"; jira="http://127.0.0.1:$jira_port"

tenant=$(curl -sf -X POST "$api/api/v1/tenants" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' -d '{"name":"Bench","slug":"bench-bulk"}')
key=$(jq -r .apiKey <<<"$tenant")
connection=$(curl -sf -X POST "$api/api/v1/connections" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Simulator\",\"baseUrl\":\"$jira\",\"deployment\":\"cloud\",\"auth\":{\"type\":\"basic\",\"email\":\"demo@example.com\",\"apiToken\":\"sim-api-token\"}}" | jq -r .id)

# Polls the export until it ends, then prints its record. Twice a second: the figure is the server's own createdAt →
# completedAt, so faster polling adds no precision, only load on the same 2 cores.
wait_export() {
  for _ in $(seq 1 1200); do
    state=$(curl -sf "$api/api/v1/exports/$1" -H "X-Api-Key: $key")
    case $(jq -r .status <<<"$state") in succeeded|failed|cancelled) echo "$state"; return;; esac
    sleep 0.5
  done
  echo "export $1 did not finish in 10 minutes: $state" >&2; exit 1
}
precise() { python3 -c 'import sys,json,datetime as d; j=json.loads(sys.argv[1]); p=d.datetime.fromisoformat; print("%.2f" % (p(j["completedAt"]) - p(j["createdAt"])).total_seconds())' "$1"; }

# Warm-up: one single export launches Chromium, so the bulk measures steady work, not a browser start.
warm=$(curl -sf -X POST "$api/api/v1/exports" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d "{\"connectionId\":\"$connection\",\"jql\":\"key = BETA-1\",\"format\":\"pdf\"}" | jq -r .id)
wait_export "$warm" >/dev/null

keys=$(seq 1 "$documents" | sed 's/^/ALPHA-/' | paste -sd, -)
bulk=$(curl -sf -X POST "$api/api/v1/exports/bulk" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d "{\"connectionId\":\"$connection\",\"splitBy\":\"issue\",\"jql\":\"key in ($keys) ORDER BY key ASC\",\"format\":\"pdf\",\"package\":\"zip\"}" | jq -r .id)
steal_before=$(steal_ticks)
result=$(wait_export "$bulk")
[ "$(jq -r .status <<<"$result")" = succeeded ] || { echo "the bulk export did not succeed: $result"; tail -30 "$work/worker.log"; exit 1; }
seconds=$(precise "$result")
peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$worker_pid/status")
chromium_kb=$(ps -o rss= --ppid "$worker_pid" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }')
curl -sf "$api/api/v1/exports/$bulk/file" -H "X-Api-Key: $key" -o "$work/bulk.zip"
entries=$(python3 -c 'import sys,zipfile; print(len([n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.endswith(".pdf")]))' "$work/bulk.zip")

echo
echo "Bulk export: $documents single-issue PDFs as one ZIP ($entries PDFs in it, $(( $(stat -c %s "$work/bulk.zip") / 1024 )) KB)"
# The rate counts the parts that succeeded (the bulk summary), not the documents asked for: failed parts made nothing.
succeeded=$(jq -r .bulk.succeeded <<<"$result")
[ "$succeeded" = "$documents" ] || echo "only $succeeded of $documents parts succeeded"
echo "  ${seconds} s from request to package → $(echo "scale=1; $succeeded / $seconds" | bc) documents/s, $succeeded succeeded (steal $(steal_share "$steal_before" "$seconds"))"
echo "  peak Worker RSS $((peak_kb / 1024)) MB (VmHWM; Chromium's processes now $((chromium_kb / 1024)) MB beside it)"
echo "Target: ≥ 8 documents/s"
