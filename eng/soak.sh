#!/usr/bin/env bash
# Soak: the deployment's shape on loopback (the gateway in front of two Api and two Realtime instances, two Workers,
# PostgreSQL, Redis, RabbitMQ and the Jira simulator, Release builds) under steady traffic for MINUTES (default 10; 60
# for the hour), then each process's memory after the warm-up: flat, or the run fails (tests/JiraExport.Benchmarks,
# "soak"). Starts everything itself and removes it afterwards. Usage: eng/soak.sh [MINUTES]
minutes=${1:-10}
# The warm-up sends four times the steady traffic, over one API key's limit of requests a minute.
api_settings=(Throttling__PerPrincipalPerMinute=1000000)
source "$(dirname "$0")/loopback-deployment.sh"

tenant=$(curl -sS --fail-with-body -X POST "$gateway/api/v1/tenants" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' -d '{"name":"Soak","slug":"soak"}')
key=$(jq -r .apiKey <<<"$tenant")
# The default plan's daily exports would run out within the hour (an export every 3 s): the soak is of steady work.
curl -sS --fail-with-body -X PUT "$gateway/api/v1/tenants/$(jq -r .id <<<"$tenant")/plan" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' \
  -d '{"name":"soak","maxConnections":10,"maxExportsPerDay":1000000,"maxStoredMegabytes":2048,"maxApiRequestsPerMinute":1000000}' >/dev/null
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
