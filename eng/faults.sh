#!/usr/bin/env bash
# Faults: kill -9 of each process and each server in turn during a 1,000-document bulk export (a PDF per issue, as one
# ZIP), on the deployment's shape on loopback (eng/loopback-deployment.sh). The next victim is killed whenever the
# export has gone 8 % of its parts further; each is started again two seconds after its kill with the same command, as
# its supervisor (Kubernetes, systemd) would, so a victim may still be down when the next is killed. Then the export
# must have succeeded with every document exactly once: 1,000 parts that succeeded, 1,000 documents in the ZIP under
# 1,000 names, and 1,000 part rows in the database. Loopback only; about 5 minutes. Usage: eng/faults.sh [DOCUMENTS]
documents=${1:-1000}
# The simulator's ALPHA project holds 2,000 of every 5,000 issues: 2,500 give it 1,000.
JIRA_ISSUES=$((documents * 5 / 2))
source "$(dirname "$0")/loopback-deployment.sh"

# kill -9 NAME with every process under it (as a container's kill takes its whole cgroup: RabbitMQ's node runs under
# its start script, PostgreSQL's backends under the postmaster), and start it again two seconds later as it was; again
# whenever it exits before it listens (a start can fail while a server it needs is away), as a supervisor would.
kill_and_restart() {
  local name=$1 victims pid
  victims="$(descendants "$(cat "$work/$name.pid")") $(cat "$work/$name.pid")"
  # shellcheck disable=SC2086
  kill -9 $victims 2>/dev/null || true
  for pid in $victims; do while alive "$pid"; do sleep 0.1; done; done
  for _ in $(seq 1 120); do
    sleep 2
    alive "$(cat "$work/$name.pid")" || launch "$name"
    (exec 3<>"/dev/tcp/127.0.0.1/${port_of[$name]}") 2>/dev/null && return 0
  done
  echo "$name did not come back" >&2
  return 1
}

api() { curl -sS --fail-with-body --max-time 10 "$@" -H "X-Api-Key: $key" -H 'Content-Type: application/json'; }
tenant=$(curl -sS --fail-with-body -X POST "$gateway/api/v1/tenants" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' -d '{"name":"Faults","slug":"faults"}')
key=$(jq -r .apiKey <<<"$tenant")
curl -sS --fail-with-body -X PUT "$gateway/api/v1/tenants/$(jq -r .id <<<"$tenant")/plan" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' \
  -d '{"name":"faults","maxConnections":10,"maxExportsPerDay":1000000,"maxStoredMegabytes":20480,"maxApiRequestsPerMinute":1000000}' >/dev/null
connection=$(api -X POST "$gateway/api/v1/connections" \
  -d "{\"name\":\"Simulator\",\"baseUrl\":\"$jira\",\"deployment\":\"cloud\",\"auth\":{\"type\":\"basic\",\"email\":\"demo@example.com\",\"apiToken\":\"sim-api-token\"}}" | jq -r .id)
job=$(api -X POST "$gateway/api/v1/connections/$connection/sync" -d '{"mode":"full","projects":["ALPHA"]}' | jq -r .jobId)
# Every wait below ends by this time: a stalled export fails the run instead of holding it.
deadline=$(( $(date +%s) + 1200 ))
in_time() { [ "$(date +%s)" -lt "$deadline" ] || { echo "$1 (the run's 20 minutes are over)" >&2; exit 1; }; }
until [ "$(api "$gateway/api/v1/sync-jobs/$job" | jq -r .status)" = succeeded ]; do in_time "the sync did not succeed"; sleep 0.5; done

export_id=$(api -X POST "$gateway/api/v1/exports/bulk" \
  -d '{"connectionId":"'"$connection"'","splitBy":"issue","jql":"project = ALPHA ORDER BY key","format":"pdf","package":"zip"}' | jq -r .id)
started=$(date +%s)
# The export's state through the gateway; empty while the gateway or an Api instance is down.
state() { api "$gateway/api/v1/exports/$export_id" 2>/dev/null || true; }
progress() { local now; now=$(jq -r '.progress // 0' <<<"$(state)" 2>/dev/null || true); echo "${now:-0}"; }
echo "Bulk export $export_id: $documents documents, one PDF per issue of ALPHA"

# The shell would report each killed process it started; the table below says what was killed.
disown -a
restarts=()
victims=(worker-1 api-1 realtime-1 gateway postgres worker-2 api-2 realtime-2 rabbitmq redis)
for i in "${!victims[@]}"; do
  step=$(( (i + 1) * 8 ))
  until now=$(progress); [ "$now" -ge "$step" ]; do in_time "the export stalled at $now %"; sleep 0.5; done
  printf '  %4ss  %3s%%  kill -9 %s\n' "$(( $(date +%s) - started ))" "$now" "${victims[$i]}"
  kill_and_restart "${victims[$i]}" & restarts+=($!)
done

while :; do
  status=$(jq -r '.status // empty' <<<"$(state)" 2>/dev/null || true)
  case $status in succeeded|failed|cancelled) break;; esac
  in_time "the export did not finish"; sleep 0.5
done
# Every victim is back (a restart that failed fails the run).
for restart in "${restarts[@]}"; do wait "$restart"; done
final=$(state)
echo "  $(( $(date +%s) - started ))s  the export is ${status:-unknown}: $(jq -c .bulk <<<"$final")"

curl -sS --fail-with-body -o "$work/export.zip" "$gateway/api/v1/exports/$export_id/file" -H "X-Api-Key: $key"
names=$(unzip -Z1 "$work/export.zip" | grep -v '^manifest.json$')
in_zip=$(grep -c . <<<"$names" || true); distinct=$(sort -u <<<"$names" | grep -c . || true)
rows=$(PGPASSWORD=$pg_password psql -X -At -h 127.0.0.1 -p "$pg_port" -U postgres -d jiraexportdb \
  -c "SELECT count(*) FROM exports WHERE parent_export_id = '$export_id'")
succeeded=$(jq -r '.bulk.succeeded // 0' <<<"$final")
echo
echo "Parts that succeeded: $succeeded; documents in the ZIP: $in_zip under $distinct names; part rows: $rows"
echo "Target: $documents of each, the export succeeded"
[ "$status" = succeeded ] && [ "$succeeded" = "$documents" ] && [ "$in_zip" = "$documents" ] && [ "$distinct" = "$documents" ] && [ "$rows" = "$documents" ]
