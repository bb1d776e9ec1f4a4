#!/usr/bin/env bash
# Flow-metric benchmark: every flow metric (GET /api/v1/analytics/flow/{metric}) over one connection holding 100,000
# issues and 1,000,000 status transitions, written by a generator straight into the store (the simulator's HTTP would
# take an hour), through a Release Api with an access token. Prints each metric's median and slowest of 5 answers, and,
# as the same-run reference, the least PostgreSQL can do with those rows: one grouped pass over every transition; then
# each flow chart as SVG, and the 10,000-trial forecast (over HTTP, and the simulation alone beside System.Random).
# Target (issue 17): every metric query ≤ 1 s on these 2 cores. Starts its own servers (eng/bench-api.sh) and a Jira
# simulator for the connection; removes everything afterwards.
source "$(dirname "$0")/bench-api.sh"
issues=${1:-100000}

jira_port=$(free_port)
env ASPNETCORE_URLS="http://127.0.0.1:$jira_port" Logging__LogLevel__Default=Warning JiraSimulator__IssueCount=10 \
  dotnet tests/JiraExport.JiraSimulator/bin/Release/net10.0/JiraExport.JiraSimulator.dll >"$work/jira.log" 2>&1 & pids+=($!)
wait_port "$jira_port" "Jira simulator"
token=$(sign_in | jq -r .accessToken)
connection=$(curl -sf -X POST "$api/api/v1/connections" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"name\":\"Bench\",\"baseUrl\":\"http://127.0.0.1:$jira_port\",\"deployment\":\"cloud\",\"auth\":{\"type\":\"basic\",\"email\":\"demo@example.com\",\"apiToken\":\"sim-api-token\"}}" | jq -r .id)

echo "Generating $issues issues with 10 status transitions each..."
started=$(date +%s)
# Foreign keys are not checked while loading (the generator writes consistent rows): a million deferred checks take minutes.
psql_owner "
SET session_replication_role = replica;
INSERT INTO jira_statuses (tenant_id, connection_id, status_id, name, category, synced_at)
VALUES ('$tenant_id', '$connection', '10000', 'To Do', 'new', now()), ('$tenant_id', '$connection', '3', 'In Progress', 'indeterminate', now()),
       ('$tenant_id', '$connection', '10001', 'In Review', 'indeterminate', now()), ('$tenant_id', '$connection', '10002', 'Done', 'done', now());
-- Three workflows of 10 moves each: a review loop ending Done, reopened twice ending Done, and in review now.
CREATE TEMP TABLE paths AS
SELECT p AS path, s AS step, w.seq[p][s] AS from_id, w.seq[p][s + 1] AS to_id
FROM (SELECT ARRAY[
        ['10000', '3', '10001', '3', '10001', '10002', '3', '10001', '10002', '3', '10002'],
        ['10000', '3', '10001', '10002', '10000', '3', '10001', '10002', '10000', '3', '10002'],
        ['10000', '3', '10000', '3', '10001', '3', '10001', '3', '10000', '3', '10001']] AS seq) w,
     generate_series(1, 3) p, generate_series(1, 10) s;
INSERT INTO jira_issues (tenant_id, connection_id, issue_id, key, project_key, summary, issue_type, status_id, status_name,
    status_category, created, updated, fields, changelog, sync_revision, synced_at)
SELECT '$tenant_id', '$connection', i, 'BENCH' || (i % 4) || '-' || i, 'BENCH' || (i % 4), 'Generated issue ' || i,
       (ARRAY['Story', 'Bug', 'Task'])[1 + i % 3], last.to_id,
       CASE last.to_id WHEN '10000' THEN 'To Do' WHEN '3' THEN 'In Progress' WHEN '10001' THEN 'In Review' ELSE 'Done' END,
       CASE last.to_id WHEN '10000' THEN 'new' WHEN '10002' THEN 'done' ELSE 'indeterminate' END,
       now() - (11 + i % 700) * interval '1 day' - (i % 24) * interval '1 hour', now(), '{}'::jsonb, '[]'::jsonb, 1, now()
FROM generate_series(1, $issues) i JOIN paths last ON last.path = 1 + i % 3 AND last.step = 10;
INSERT INTO jira_status_transitions (tenant_id, connection_id, issue_id, history_id, at, from_status_id, from_status, to_status_id, to_status)
SELECT '$tenant_id', '$connection', i.issue_id, (i.issue_id * 100 + p.step)::text,
       i.created + p.step * interval '1 day' + ((i.issue_id * p.step) % 20) * interval '1 hour', p.from_id, p.from_id, p.to_id, p.to_id
FROM jira_issues i JOIN paths p ON p.path = 1 + i.issue_id % 3 WHERE i.connection_id = '$connection'
ORDER BY i.issue_id, p.step;  -- a sync writes an issue's transitions together
ANALYZE jira_issues; ANALYZE jira_status_transitions;" >/dev/null
echo "  $(psql_owner "SELECT count(*) FROM jira_issues WHERE connection_id = '$connection'") issues," \
  "$(psql_owner "SELECT count(*) FROM jira_status_transitions WHERE connection_id = '$connection'") transitions in $(( $(date +%s) - started )) s"
echo

steal_from=$(steal_ticks); bench_started=$(date +%s)
from=$(date -u -d '-364 days' +%F)
echo "Each metric over one connection, the last 365 days (5 answers each; seconds, end to end over HTTP)"
for metric in cycle-time lead-time throughput wip age; do
  curl -sf "$api/api/v1/analytics/flow/$metric?connectionId=$connection&from=$from" -H "Authorization: Bearer $token" >/dev/null  # warm-up
  times=()
  for _ in 1 2 3 4 5; do
    times+=("$(curl -sf -o "$work/$metric.json" -w '%{time_total}' "$api/api/v1/analytics/flow/$metric?connectionId=$connection&from=$from" -H "Authorization: Bearer $token")")
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  printf '  %-11s median %s s, slowest %s s  (count %s)\n' "$metric" "$(sed -n 3p <<<"$sorted")" "$(tail -n 1 <<<"$sorted")" "$(jq .count "$work/$metric.json")"
done
items=$(curl -sf -o /dev/null -w '%{time_total}' "$api/api/v1/analytics/flow/cycle-time/items?connectionId=$connection&from=$from&limit=200" -H "Authorization: Bearer $token")
echo "  cycle-time drill-down, first 200 issues with their transitions: $items s"
for chart in cycle-time-scatter throughput-run cumulative-flow aging-wip; do
  times=()
  for _ in 1 2 3; do
    times+=("$(curl -sf -o "$work/$chart.svg" -w '%{time_total}' "$api/api/v1/analytics/charts/$chart/svg?connectionId=$connection&from=$from" -H "Authorization: Bearer $token")")
  done
  printf '  chart %-19s as SVG: median %s s  (%s KB)\n' "$chart" "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" "$(( $(stat -c %s "$work/$chart.svg") / 1024 ))"
done

# The reference: one grouped pass over the connection's transitions (min and max per issue), in this run, on this PostgreSQL.
reference=()
for _ in 1 2 3 4 5; do
  reference+=("$(psql_owner "EXPLAIN (ANALYZE, TIMING OFF) SELECT issue_id, min(at), max(at) FROM jira_status_transitions WHERE connection_id = '$connection' GROUP BY issue_id" \
    | awk '/Execution Time/ { printf "%.3f", $3 / 1000 }')")
done
ref=$(printf '%s\n' "${reference[@]}" | sort -n | sed -n 3p)
echo
echo "Reference: PostgreSQL's grouped pass over every transition (median of 5): $ref s"
cycle=$(curl -sf -o /dev/null -w '%{time_total}' "$api/api/v1/analytics/flow/cycle-time?connectionId=$connection&from=$from" -H "Authorization: Bearer $token")
echo "  cycle time, once more: $cycle s = $(echo "scale=2; $cycle / $ref" | bc) × the reference"
echo "  steal during the measurements: $(steal_share "$steal_from" $(( $(date +%s) - bench_started )))"

echo
times=()
for _ in 1 2 3 4 5; do
  times+=("$(curl -sf -o "$work/forecast.json" -w '%{time_total}' "$api/api/v1/analytics/forecast/when?connectionId=$connection&items=500" -H "Authorization: Bearer $token")")
done
echo "GET /api/v1/analytics/forecast/when?items=500 (reads 90 days of throughput, then 10,000 trials): median $(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p) s" \
  "(P50 $(jq .days.p50 "$work/forecast.json") days, seed $(jq .seed "$work/forecast.json"))"
dotnet tests/JiraExport.Benchmarks/bin/Release/net10.0/JiraExport.Benchmarks.dll forecast 500
