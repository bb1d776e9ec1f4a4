#!/usr/bin/env bash
# Soak: the deployment's shape on loopback (the gateway in front of two Api and two Realtime instances, two Workers,
# PostgreSQL, Redis, RabbitMQ and the Jira simulator, Release builds) under steady traffic for MINUTES (default 10; 60
# for the hour), then each process's memory after the warm-up: flat, or the run fails (tests/JiraExport.Benchmarks,
# "soak"). Starts everything itself and removes it afterwards. Usage: eng/soak.sh [MINUTES]
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib.sh
bash eng/bootstrap.sh
minutes=${1:-10}

work=$(mktemp -d /tmp/jiraexport-soak.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  # A failed run says why: the last lines each process wrote.
  [ "$status" -ne 0 ] && for log in "$work"/*.log; do
    echo "== $log"; grep -m 4 -E "Unhandled|Exception:|crit:|fail:" "$log" || tail -n 8 "$log"
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port); redis_port=$(free_port); rabbit_port=$(free_port); rabbit_dist=$(free_port); jira_port=$(free_port)
gateway_port=$(free_port)
pg_password=soak-$RANDOM$RANDOM; rabbit_password=soak-$RANDOM$RANDOM; admin_key=soak-admin-key-$RANDOM$RANDOM$RANDOM
bash eng/servers/postgres.sh "$pg_port" "$work/postgres" "$pg_password" >"$work/postgres.log" 2>&1 & pids+=($!)
bash eng/servers/redis.sh "$redis_port" "$work/redis" >"$work/redis.log" 2>&1 & pids+=($!)
bash eng/servers/rabbitmq.sh "$rabbit_port" "$work/rabbitmq" "$rabbit_password" "$rabbit_dist" >"$work/rabbitmq.log" 2>&1 & pids+=($!)
dotnet build JiraExport.sln -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wait_port "$pg_port" PostgreSQL && wait_port "$redis_port" Redis && wait_port "$rabbit_port" RabbitMQ

export ConnectionStrings__jiraexportdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb"
# A name with a dash is no shell variable: handed to each process through env.
app_db="ConnectionStrings__jiraexportdb-app=Host=127.0.0.1;Port=$pg_port;Database=jiraexportdb;Username=jiraexport_app;Password=app-$pg_password"
export ConnectionStrings__redis="127.0.0.1:$redis_port"
export ConnectionStrings__messaging="amqp://jiraexport:$rabbit_password@127.0.0.1:$rabbit_port/"
export DataProtection__KeyRingCertificate=$(dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll new-key-ring-certificate)
export Logging__LogLevel__Default=Warning Jira__AllowPrivateNetworks=true
env "$app_db" dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll migrate >"$work/migrate.log" 2>&1

gateway="http://127.0.0.1:$gateway_port"; jira="http://127.0.0.1:$jira_port"
processes=()
# Runs a Release build in its own folder (where its appsettings.json is). Called in the background (&) only: the
# background job's shell becomes the service, so $! is its PID.
run() {
  local dll=$1; shift
  cd "$(dirname "$dll")" && exec env "$@" dotnet "$(basename "$dll")"
}
# Starts a service on a port of its own; its PID is sampled by name.
start() {
  local name=$1 dll=$2 port; shift 2
  port=$(free_port)
  run "$dll" "$app_db" ASPNETCORE_URLS="http://127.0.0.1:$port" Metrics__Port="$(free_port)" "$@" >"$work/$name.log" 2>&1 & pids+=($!)
  processes+=("$name=$!")
  eval "${name//-/_}_port=$port"
}
run tests/JiraExport.JiraSimulator/bin/Release/net10.0/JiraExport.JiraSimulator.dll JiraSimulator__IssueCount=400 ASPNETCORE_URLS="$jira" \
  >"$work/jira.log" 2>&1 & pids+=($!)
for i in 1 2; do
  start "worker-$i" JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll
  start "api-$i" JiraExport.Api/bin/Release/net10.0/JiraExport.Api.dll Admin__Key="$admin_key" \
    ASPNETCORE_FORWARDEDHEADERS_ENABLED=true ForwardedHeaders__KnownNetworks__0=127.0.0.1/32
done
wait_port "$api_1_port" api-1 && wait_port "$api_2_port" api-2
for i in 1 2; do
  start "realtime-$i" JiraExport.Realtime/bin/Release/net10.0/JiraExport.Realtime.dll \
    Auth__MetadataAddress="$gateway/.well-known/openid-configuration" Realtime__AllowedOrigins__0="$gateway"
done
run JiraExport.Gateway/bin/Release/net10.0/JiraExport.Gateway.dll ASPNETCORE_URLS="$gateway" \
  ReverseProxy__Clusters__api__Destinations__api-1__Address="http://127.0.0.1:$api_1_port" \
  ReverseProxy__Clusters__api__Destinations__api-2__Address="http://127.0.0.1:$api_2_port" \
  ReverseProxy__Clusters__realtime__Destinations__realtime-1__Address="http://127.0.0.1:$realtime_1_port" \
  ReverseProxy__Clusters__realtime__Destinations__realtime-2__Address="http://127.0.0.1:$realtime_2_port" \
  Metrics__Port="$(free_port)" >"$work/gateway.log" 2>&1 & pids+=($!)
processes+=("gateway=$!")
wait_port "$jira_port" "Jira simulator" && wait_port "$realtime_1_port" realtime-1 && wait_port "$realtime_2_port" realtime-2 \
  && wait_port "$gateway_port" gateway

tenant=$(curl -sS --fail-with-body -X POST "$gateway/api/v1/tenants" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' -d '{"name":"Soak","slug":"soak"}')
key=$(jq -r .apiKey <<<"$tenant")
connection=$(curl -sS --fail-with-body -X POST "$gateway/api/v1/connections" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Simulator\",\"baseUrl\":\"$jira\",\"deployment\":\"cloud\",\"auth\":{\"type\":\"basic\",\"email\":\"demo@example.com\",\"apiToken\":\"sim-api-token\"}}" | jq -r .id)
job=$(curl -sS --fail-with-body -X POST "$gateway/api/v1/connections/$connection/sync" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d '{"mode":"full","projects":["GAMMA"]}' | jq -r .jobId)
for _ in $(seq 1 600); do
  status=$(curl -sS --fail-with-body "$gateway/api/v1/sync-jobs/$job" -H "X-Api-Key: $key" | jq -r .status)
  case $status in succeeded) break;; failed) echo "the sync failed"; exit 1;; esac
  sleep 0.1
done

echo
dotnet tests/JiraExport.Benchmarks/bin/Release/net10.0/JiraExport.Benchmarks.dll soak "$gateway" "$key" "$connection" "$minutes" "${processes[@]}"
