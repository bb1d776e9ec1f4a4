#!/usr/bin/env bash
# Sync benchmark, against the Jira simulator on loopback: a full sync of 10,000 issues with their complete changelogs
# (seconds, issues/s, peak Worker RSS), then an incremental sync after 200 issues changed in Jira.
# Starts its own PostgreSQL, Redis and RabbitMQ, the simulator, and Release builds of the Api and Worker; removes
# everything afterwards. Targets (issue 4): full ≤ 60 s and ≤ 500 MB, incremental ≤ 3 s.
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib.sh
bash eng/bootstrap.sh
issues=${1:-10000}
changed=${2:-200}

work=$(mktemp -d /tmp/jiraexport-bench-sync.XXXXXX)
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
dotnet build JiraExport.sln -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wait_port "$pg_port" PostgreSQL && wait_port "$redis_port" Redis && wait_port "$rabbit_port" RabbitMQ

owner="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb"
export ConnectionStrings__jiraexportdb="$owner"
app_db="Host=127.0.0.1;Port=$pg_port;Database=jiraexportdb;Username=jiraexport_app;Password=app-$pg_password"
# The migrations and every service read the key ring with this certificate (a deployment passes its own).
export DataProtection__KeyRingCertificate=$(dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll new-key-ring-certificate)
env "ConnectionStrings__jiraexportdb-app=$app_db" dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll migrate >"$work/migrate.log" 2>&1

env JiraSimulator__IssueCount="$issues" ASPNETCORE_URLS="http://127.0.0.1:$jira_port" Logging__LogLevel__Default=Warning \
  dotnet tests/JiraExport.JiraSimulator/bin/Release/net10.0/JiraExport.JiraSimulator.dll >"$work/jira.log" 2>&1 & pids+=($!)
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__messaging="amqp://jiraexport:$rabbit_password@127.0.0.1:$rabbit_port/" \
  ConnectionStrings__redis="127.0.0.1:$redis_port" Jira__AllowPrivateNetworks=true Logging__LogLevel__Default=Warning Logging__LogLevel__JiraExport.Worker.Sync=Information \
  dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll >"$work/worker.log" 2>&1 & pids+=($!)
worker_pid=$!
env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__redis="127.0.0.1:$redis_port" Admin__Key="$admin_key" \
  ASPNETCORE_URLS="http://127.0.0.1:$api_port" Logging__LogLevel__Default=Warning Jira__AllowPrivateNetworks=true \
  dotnet JiraExport.Api/bin/Release/net10.0/JiraExport.Api.dll >"$work/api.log" 2>&1 & pids+=($!)
wait_port "$jira_port" "Jira simulator" && wait_port "$api_port" Api
api="http://127.0.0.1:$api_port"; jira="http://127.0.0.1:$jira_port"

tenant=$(curl -sf -X POST "$api/api/v1/tenants" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' -d '{"name":"Bench","slug":"bench-sync"}')
key=$(jq -r .apiKey <<<"$tenant")
connection=$(curl -sf -X POST "$api/api/v1/connections" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Simulator\",\"baseUrl\":\"$jira\",\"deployment\":\"cloud\",\"auth\":{\"type\":\"basic\",\"email\":\"demo@example.com\",\"apiToken\":\"sim-api-token\"}}" | jq -r .id)

# Waits for the job, then prints its record; sampling nothing in between keeps the measurement to the Worker's own work.
run_sync() {
  local job
  job=$(curl -sf -X POST "$api/api/v1/connections/$connection/sync" -H "X-Api-Key: $key" -H 'Content-Type: application/json' -d "$1" | jq -r .jobId)
  for _ in $(seq 1 1200); do
    state=$(curl -sf "$api/api/v1/sync-jobs/$job" -H "X-Api-Key: $key")
    case $(jq -r .status <<<"$state") in succeeded|failed) echo "$state"; return;; esac
    sleep 0.1
  done
  echo "the sync did not finish in 2 minutes: $state" >&2; exit 1
}
precise() { python3 -c 'import sys,json,datetime as d; j=json.loads(sys.argv[1]); p=d.datetime.fromisoformat; print("%.2f" % (p(j[sys.argv[3]]) - p(j[sys.argv[2]])).total_seconds())' "$1" startedAt finishedAt; }

full=$(run_sync '{"mode":"full","projects":["ALPHA","BETA","GAMMA","DELTA"]}')
[ "$(jq -r .status <<<"$full")" = succeeded ] || { echo "full sync failed: $full"; tail -20 "$work/worker.log"; exit 1; }
full_s=$(precise "$full")
full_written=$(jq -r .issuesWritten <<<"$full")
peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$worker_pid/status")
histories=$(PGPASSWORD=$pg_password psql -h 127.0.0.1 -p "$pg_port" -U postgres -d jiraexportdb -Atc \
  "SELECT sum(jsonb_array_length(changelog)) || ' changelog entries, ' || (SELECT count(*) FROM jira_status_transitions) || ' status transitions, '
          || (SELECT count(*) FROM jira_comments) || ' comments, ' || (SELECT count(*) FROM jira_worklogs) || ' worklogs, '
          || (SELECT count(*) FROM jira_sprint_issues) || ' sprint memberships, ' || (SELECT count(*) FROM jira_issue_links) || ' links' FROM jira_issues")

curl -sf -X POST "$jira/_simulator/issues/touch" -H 'Content-Type: application/json' \
  -d "{\"jql\":\"project in (ALPHA, BETA, GAMMA, DELTA)\",\"count\":$changed}" >/dev/null
incremental=$(run_sync '{"mode":"incremental"}')
[ "$(jq -r .status <<<"$incremental")" = succeeded ] || { echo "incremental sync failed: $incremental"; exit 1; }
inc_s=$(precise "$incremental")

echo
echo "Full sync of $issues issues (Cloud, two-phase: walk of ids and 'updated', then bulk fetch and bulk changelog)"
echo "  $(jq -r '"\(.issuesSeen) seen, \(.issuesWritten) written, \(.pages) pages"' <<<"$full"); $histories"
echo "  ${full_s} s → $(echo "scale=0; $full_written / $full_s" | bc) issues/s; peak Worker RSS $((peak_kb / 1024)) MB (VmHWM)"
echo "Incremental sync after $changed issues changed in Jira"
echo "  $(jq -r '"\(.issuesSeen) seen, \(.issuesWritten) written, \(.pages) pages"' <<<"$incremental"); ${inc_s} s"
echo "Targets: full ≤ 60 s and ≤ 500 MB; incremental ≤ 3 s"
