#!/usr/bin/env bash
# Live data benchmark: the time from an issue's change in Jira to a browser watching its project hearing issueChanged.
# The simulator sends its signed webhook to the Api's intake, the Worker reads the issue back from Jira and stores it,
# and Realtime pushes the event; a SignalR client times 200 edits made ten a second (tests/JiraExport.Benchmarks, "live").
# Starts its own PostgreSQL, Redis and RabbitMQ, the simulator, and Release builds of the Api, Worker and Realtime;
# removes everything afterwards. Target (issue 16): p99 ≤ 1 s.
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib.sh
bash eng/bootstrap.sh
edits=${1:-200}

work=$(mktemp -d /tmp/jiraexport-bench-live.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port); redis_port=$(free_port); rabbit_port=$(free_port); rabbit_dist=$(free_port)
api_port=$(free_port); jira_port=$(free_port); realtime_port=$(free_port)
pg_password=bench-$RANDOM$RANDOM; rabbit_password=bench-$RANDOM$RANDOM; admin_key=bench-admin-key-$RANDOM$RANDOM$RANDOM
bash eng/servers/postgres.sh "$pg_port" "$work/postgres" "$pg_password" >"$work/postgres.log" 2>&1 & pids+=($!)
bash eng/servers/redis.sh "$redis_port" "$work/redis" >"$work/redis.log" 2>&1 & pids+=($!)
bash eng/servers/rabbitmq.sh "$rabbit_port" "$work/rabbitmq" "$rabbit_password" "$rabbit_dist" >"$work/rabbitmq.log" 2>&1 & pids+=($!)
dotnet build JiraExport.sln -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wait_port "$pg_port" PostgreSQL && wait_port "$redis_port" Redis && wait_port "$rabbit_port" RabbitMQ

owner="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb"
export ConnectionStrings__jiraexportdb="$owner"
app_db="Host=127.0.0.1;Port=$pg_port;Database=jiraexportdb;Username=jiraexport_app;Password=app-$pg_password"
export DataProtection__KeyRingCertificate=$(dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll new-key-ring-certificate)
env "ConnectionStrings__jiraexportdb-app=$app_db" dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll migrate >"$work/migrate.log" 2>&1

messaging="amqp://jiraexport:$rabbit_password@127.0.0.1:$rabbit_port/"
api="http://127.0.0.1:$api_port"; jira="http://127.0.0.1:$jira_port"; realtime="http://127.0.0.1:$realtime_port"
env JiraSimulator__IssueCount=400 ASPNETCORE_URLS="$jira" Logging__LogLevel__Default=Warning \
  dotnet tests/JiraExport.JiraSimulator/bin/Release/net10.0/JiraExport.JiraSimulator.dll >"$work/jira.log" 2>&1 & pids+=($!)
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__messaging="$messaging" Messaging__OutboxPollInterval=00:00:00.050 \
  ConnectionStrings__redis="127.0.0.1:$redis_port" Jira__AllowPrivateNetworks=true Logging__LogLevel__Default=Warning \
  dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll >"$work/worker.log" 2>&1 & pids+=($!)
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__redis="127.0.0.1:$redis_port" ConnectionStrings__messaging="$messaging" \
  Messaging__OutboxPollInterval=00:00:00.050 Admin__Key="$admin_key" ASPNETCORE_URLS="$api" Logging__LogLevel__Default=Warning \
  Jira__AllowPrivateNetworks=true dotnet JiraExport.Api/bin/Release/net10.0/JiraExport.Api.dll >"$work/api.log" 2>&1 & pids+=($!)
wait_port "$api_port" Api
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__redis="127.0.0.1:$redis_port" ConnectionStrings__messaging="$messaging" \
  Auth__MetadataAddress="$api/.well-known/openid-configuration" ASPNETCORE_URLS="$realtime" Logging__LogLevel__Default=Warning \
  dotnet JiraExport.Realtime/bin/Release/net10.0/JiraExport.Realtime.dll >"$work/realtime.log" 2>&1 & pids+=($!)
wait_port "$jira_port" "Jira simulator" && wait_port "$realtime_port" Realtime

tenant=$(curl -sf -X POST "$api/api/v1/tenants" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' -d '{"name":"Bench","slug":"bench-live"}')
key=$(jq -r .apiKey <<<"$tenant")
connection=$(curl -sf -X POST "$api/api/v1/connections" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Simulator\",\"baseUrl\":\"$jira\",\"deployment\":\"cloud\",\"auth\":{\"type\":\"basic\",\"email\":\"demo@example.com\",\"apiToken\":\"sim-api-token\"}}" | jq -r .id)
job=$(curl -sf -X POST "$api/api/v1/connections/$connection/sync" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d '{"mode":"full","projects":["GAMMA"]}' | jq -r .jobId)
for _ in $(seq 1 600); do
  status=$(curl -sf "$api/api/v1/sync-jobs/$job" -H "X-Api-Key: $key" | jq -r .status)
  case $status in succeeded) break;; failed) echo "the sync failed"; exit 1;; esac
  sleep 0.1
done
webhook=$(curl -sf -X PUT "$api/api/v1/connections/$connection/webhook" -H "X-Api-Key: $key")
curl -sf -X POST "$jira/_simulator/webhooks" -H 'Content-Type: application/json' \
  -d "$(jq -c '{url: .url, secret: .secret}' <<<"$webhook")" >/dev/null

echo
dotnet tests/JiraExport.Benchmarks/bin/Release/net10.0/JiraExport.Benchmarks.dll live "$realtime" "$jira" "$key" "$connection" GAMMA "$edits"
