#!/usr/bin/env bash
# Export benchmark against the Jira simulator on loopback. Starts its own PostgreSQL, Redis and RabbitMQ, the simulator
# with N issues (default 50,000), and Release builds of the Api and Worker; syncs every issue into the store; then runs
# the sections named on the command line (default: all). Each measured export gets a fresh Worker, so its peak RSS
# (VmHWM) is the export's own, not the sync's. Removes everything afterwards.
#
#   eng/bench-exports.sh [issues] [section...]     sections: issue-lists, detail-pdf, scheduled-pack
#   (the 1,000-issue detail PDF is project GAMMA of the default 5,000-issue seed: eng/bench-exports.sh 5000 detail-pdf;
#   bulk ZIPs are measured by eng/bench-bulk.sh; the scheduled stakeholder pack is eng/bench-exports.sh 5000 scheduled-pack)
#
# Targets (issue 5): a 1,000-issue issue-detail PDF ≤ 15 s; 50,000-row CSV and XLSX ≤ 5 s each (request → succeeded) on a 2-core machine, memory flat in the
# row count (compare the 10,000-row figures). Issue 17: a scheduled 50-page stakeholder PDF from trigger to mail ≤ 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
source eng/lib.sh
bash eng/bootstrap.sh
issues=${1:-50000}
shift || true
sections=("$@")
[ ${#sections[@]} -gt 0 ] || sections=(issue-lists)

work=$(mktemp -d /tmp/jiraexport-bench-exports.XXXXXX)
chmod 755 "$work"
pids=()
worker_pid=
cleanup() {
  [ -n "$worker_pid" ] && kill "$worker_pid" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- The stack: servers, simulator, Api, migrations -----------------------------------------------------------------
start_stack() {
  pg_port=$(free_port); redis_port=$(free_port); rabbit_port=$(free_port); rabbit_dist=$(free_port)
  api_port=$(free_port); jira_port=$(free_port); smtp_port=$(free_port); smtp_http_port=$(free_port)
  pg_password=bench-$RANDOM$RANDOM; rabbit_password=bench-$RANDOM$RANDOM; admin_key=bench-admin-key-$RANDOM$RANDOM$RANDOM
  bash eng/servers/postgres.sh "$pg_port" "$work/postgres" "$pg_password" >"$work/postgres.log" 2>&1 & pids+=($!)
  bash eng/servers/redis.sh "$redis_port" "$work/redis" >"$work/redis.log" 2>&1 & pids+=($!)
  bash eng/servers/rabbitmq.sh "$rabbit_port" "$work/rabbitmq" "$rabbit_password" "$rabbit_dist" >"$work/rabbitmq.log" 2>&1 & pids+=($!)
  bash eng/servers/smtp4dev.sh "$smtp_port" "$smtp_http_port" >"$work/smtp4dev.log" 2>&1 & pids+=($!)
  # The build lock keeps builds of parallel checkouts on this machine from running at once.
  flock /tmp/jx-build.lock dotnet build JiraExport.sln -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
  wait_port "$pg_port" PostgreSQL && wait_port "$redis_port" Redis && wait_port "$rabbit_port" RabbitMQ && wait_port "$smtp_http_port" smtp4dev

  export ConnectionStrings__jiraexportdb="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb"
  app_db="Host=127.0.0.1;Port=$pg_port;Database=jiraexportdb;Username=jiraexport_app;Password=app-$pg_password"
  # The migrations and every service read the key ring with this certificate (a deployment passes its own).
  export DataProtection__KeyRingCertificate=$(dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll new-key-ring-certificate)
  env "ConnectionStrings__jiraexportdb-app=$app_db" dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll migrate >"$work/migrate.log" 2>&1

  env JiraSimulator__IssueCount="$issues" ASPNETCORE_URLS="http://127.0.0.1:$jira_port" Logging__LogLevel__Default=Warning \
    dotnet tests/JiraExport.JiraSimulator/bin/Release/net10.0/JiraExport.JiraSimulator.dll >"$work/jira.log" 2>&1 & pids+=($!)
  start_worker
  env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__redis="127.0.0.1:$redis_port" Admin__Key="$admin_key" \
    ASPNETCORE_URLS="http://127.0.0.1:$api_port" Logging__LogLevel__Default=Warning Jira__AllowPrivateNetworks=true \
    dotnet JiraExport.Api/bin/Release/net10.0/JiraExport.Api.dll >"$work/api.log" 2>&1 & pids+=($!)
  wait_port "$jira_port" "Jira simulator" && wait_port "$api_port" Api
  api="http://127.0.0.1:$api_port"; jira="http://127.0.0.1:$jira_port"

  tenant=$(curl -sf -X POST "$api/api/v1/tenants" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' -d '{"name":"Bench","slug":"bench-exports"}')
  tenant_id=$(jq -r .id <<<"$tenant"); key=$(jq -r .apiKey <<<"$tenant")
  curl -sf -X PUT "$api/api/v1/tenants/$tenant_id/plan" -H "X-Admin-Key: $admin_key" -H 'Content-Type: application/json' \
    -d '{"name":"bench","maxConnections":10,"maxExportsPerDay":10000,"maxStoredMegabytes":100000,"maxApiRequestsPerMinute":100000}' >/dev/null
  connection=$(curl -sf -X POST "$api/api/v1/connections" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Simulator\",\"baseUrl\":\"$jira\",\"deployment\":\"cloud\",\"auth\":{\"type\":\"basic\",\"email\":\"demo@example.com\",\"apiToken\":\"sim-api-token\"}}" | jq -r .id)
}

# A Worker of its own for each measurement (on a port of its own), so VmHWM is what that work took.
start_worker() {
  [ -n "$worker_pid" ] && { kill "$worker_pid"; wait "$worker_pid" 2>/dev/null || true; }
  local port; port=$(free_port)
  env "ConnectionStrings__jiraexportdb-app=$app_db" ConnectionStrings__messaging="amqp://jiraexport:$rabbit_password@127.0.0.1:$rabbit_port/" \
    ConnectionStrings__redis="127.0.0.1:$redis_port" ConnectionStrings__mail="smtp://127.0.0.1:$smtp_port" ReportSchedules__SchedulerInterval=00:00:01 \
    ASPNETCORE_URLS="http://127.0.0.1:$port" Jira__AllowPrivateNetworks=true Logging__LogLevel__Default=Warning Logging__LogLevel__JiraExport.Worker.Exports=Information \
    Logging__LogLevel__JiraExport.Worker.Exports.Reports=Information Logging__LogLevel__JiraExport.Worker.Exports.Pdf=Debug \
    dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll >>"$work/worker.log" 2>&1 &
  worker_pid=$!
  wait_port "$port" Worker
}

# --- Sync every issue into the store ---------------------------------------------------------------------------------
sync_store() {
  local job state
  job=$(curl -sf -X POST "$api/api/v1/connections/$connection/sync" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
    -d '{"mode":"full","projects":["ALPHA","BETA","GAMMA","DELTA"]}' | jq -r .jobId)
  for _ in $(seq 1 6000); do
    state=$(curl -sf "$api/api/v1/sync-jobs/$job" -H "X-Api-Key: $key")
    case $(jq -r .status <<<"$state") in
      succeeded) echo "Synced $(jq -r .issuesWritten <<<"$state") issues into the store"; return;;
      failed) echo "the sync failed: $state" >&2; exit 1;;
    esac
    sleep 0.1
  done
  echo "the sync did not finish in 10 minutes: $state" >&2; exit 1
}

# --- Measuring one export ---------------------------------------------------------------------------------------------
# run_export BODY → prints the finished export's record. Polls twice a second: the figure is the server's own createdAt →
# completedAt, so polling faster adds no precision, only load (each poll is a request to the Api on the same 2 cores).
run_export() {
  local id state
  id=$(curl -sf -X POST "$api/api/v1/exports" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
    -d "$(jq -c --arg c "$connection" '. + {connectionId: $c}' <<<"$1")" | jq -r .id)
  for _ in $(seq 1 600); do
    state=$(curl -sf "$api/api/v1/exports/$id" -H "X-Api-Key: $key")
    case $(jq -r .status <<<"$state") in succeeded|failed) echo "$state"; return;; esac
    sleep 0.5
  done
  echo "the export did not finish in 5 minutes: $state" >&2; exit 1
}

# measure_export LABEL BODY [RUNS]: a fresh Worker, one small warm-up export of the same format and template, then the
# measured one RUNS times (default 1) on that Worker. The first run pays for the JIT's tier-up of every method the export
# uses, on the cores Chromium needs; later runs show a Worker that has been up a while. Peak RSS is the Worker's over all
# runs. Also prints the CPU time the hypervisor took from this machine during the run (steal): figures taken while it is
# high are slower for reasons outside the code.
measure_export() {
  local label=$1 body=$2 runs=${3:-1} warm result seconds peak_kb steal_before run
  start_worker
  warm=$(run_export "$(jq -c '.jql = "key = DELTA-1"' <<<"$body")")
  [ "$(jq -r .status <<<"$warm")" = succeeded ] || { echo "warm-up failed: $warm"; tail -20 "$work/worker.log"; exit 1; }
  for run in $(seq 1 "$runs"); do
    steal_before=$(steal_ticks)
    result=$(run_export "$body")
    [ "$(jq -r .status <<<"$result")" = succeeded ] || { echo "$label failed: $result"; tail -20 "$work/worker.log"; exit 1; }
    seconds=$(python3 -c 'import sys,json,datetime as d; j=json.loads(sys.argv[1]); p=d.datetime.fromisoformat; print("%.2f" % (p(j["completedAt"]) - p(j["createdAt"])).total_seconds())' "$result")
    peak_kb=$(awk '/VmHWM/ { print $2 }' "/proc/$worker_pid/status")
    [ "$runs" -gt 1 ] && label_run="$label, run $run" || label_run=$label
    printf '  %-40s %7s rows  %6s s  %8.1f MB file  peak Worker RSS %4d MB  steal %s\n' \
      "$label_run" "$(jq -r .issueCount <<<"$result")" "$seconds" "$(jq -r '.sizeBytes / 1048576' <<<"$result")" "$((peak_kb / 1024))" \
      "$(steal_share "$steal_before" "$seconds")"
  done
}

# --- Sections ---------------------------------------------------------------------------------------------------------
# CSV and XLSX issue lists from the store: 10,000 rows (project GAMMA) and all rows, to show memory flat in the row count.
section_issue_lists() {
  echo "Issue lists from the synced store (request → succeeded; each on a fresh Worker after a warm-up export)"
  local all='project in (ALPHA, BETA, GAMMA, DELTA) ORDER BY key ASC' gamma='project = GAMMA ORDER BY key ASC'
  measure_export "CSV, project GAMMA" "{\"jql\":\"$gamma\",\"format\":\"csv\"}"
  measure_export "CSV, all projects" "{\"jql\":\"$all\",\"format\":\"csv\"}"
  measure_export "XLSX, project GAMMA" "{\"jql\":\"$gamma\",\"format\":\"xlsx\"}"
  measure_export "XLSX, all projects" "{\"jql\":\"$all\",\"format\":\"xlsx\"}"
  measure_export "XLSX, all projects, 12 fields" "{\"jql\":\"$all\",\"format\":\"xlsx\",\"fields\":[\"key\",\"summary\",\"status\",\"statusCategory\",\"issuetype\",\"priority\",\"assignee\",\"reporter\",\"created\",\"updated\",\"labels\",\"Story Points\"]}"
  echo "Targets: ≤ 5 s for each 50,000-row file; peak RSS flat in the row count"
}

# The built-in issue-detail template over one project's issues from the store: description, custom fields, comments,
# work log, status history and changes per issue, a table of contents and bookmarks.
section_detail_pdf() {
  echo "issue-detail PDF from the synced store (request → succeeded, finished and bookmarked; fresh Worker after a warm-up)"
  measure_export "issue-detail PDF, project GAMMA" '{"jql":"project = GAMMA ORDER BY key ASC","format":"pdf","template":"issue-detail","options":{"toc":true}}' 3
  local id
  id=$(curl -sf "$api/api/v1/exports?limit=1" -H "X-Api-Key: $key" | jq -r '.items[0].id')
  curl -sf "$api/api/v1/exports/$id/file" -H "X-Api-Key: $key" -o "$work/detail.pdf"
  echo "  pages: $(pdfinfo "$work/detail.pdf" | awk '/^Pages:/ { print $2 }')"
  # The Worker's own account of where the time went.
  grep -oE '(read [0-9]+ ms, template [0-9]+ ms, PDF [0-9]+ ms|Chromium printed .*)' "$work/worker.log" | tail -2 | sed 's/^/  /'
  echo "Target: ≤ 15 s for 1,000 issues"
}

# A scheduled stakeholder pack (flow figures, forecast, insights, three SVG charts, the sprints, then the issue table)
# over project GAMMA (1,000 issues of the 5,000-issue seed: about 50 pages), attached to a mail: from the trigger (POST …/run) to the mail in smtp4dev, as the client
# sees it; and the server's run record (created → delivered). The reference, in the same run: the warm Chromium of
# ../shared/bench/pdf-reference printing a table of as many rows (the floor under any HTML → PDF of that size).
section_scheduled_pack() {
  echo "Scheduled stakeholder pack, trigger → mail with the PDF attached (fresh Worker after a warm-up run)"
  local jql='project = GAMMA ORDER BY key ASC' recipient schedule run started mail_ms
  start_worker
  schedule=$(curl -sf -X POST "$api/api/v1/report-schedules" -H "X-Api-Key: $key" -H 'Content-Type: application/json' \
    -d "{\"name\":\"Bench pack\",\"connectionId\":\"$connection\",\"template\":\"stakeholder-pack\",\"jql\":\"$jql\",\"cron\":\"0 8 * * MON\",\"recipients\":[\"pack@bench.example\"],\"attachFile\":true}" | jq -r .id)
  for attempt in warm-up 1 2 3; do
    recipient_count=$(curl -sf "http://127.0.0.1:$smtp_http_port/api/messages?searchTerms=pack@bench.example&pageSize=500" | jq '.results | length')
    started=$(date +%s%3N)
    run=$(curl -sf -X POST "$api/api/v1/report-schedules/$schedule/run" -H "X-Api-Key: $key" | jq -r .id)
    for _ in $(seq 1 1200); do
      [ "$(curl -sf "http://127.0.0.1:$smtp_http_port/api/messages?searchTerms=pack@bench.example&pageSize=500" | jq '.results | length')" -gt "$recipient_count" ] && break
      sleep 0.05
    done
    mail_ms=$(( $(date +%s%3N) - started ))
    state=$(curl -sf "$api/api/v1/report-schedules/$schedule/runs" -H "X-Api-Key: $key" | jq -c ".[] | select(.id == \"$run\")")
    [ "$attempt" = warm-up ] && continue
    export_id=$(jq -r .exportId <<<"$state")
    curl -sf "$api/api/v1/exports/$export_id/file" -H "X-Api-Key: $key" -o "$work/pack.pdf"
    printf '  run %s: trigger → mail %5.2f s  (run %s, %s issues, %s pages, %.1f MB; server created → delivered %s s)\n' "$attempt" \
      "$(echo "scale=2; $mail_ms / 1000" | bc)" "$(jq -r .status <<<"$state")" \
      "$(curl -sf "$api/api/v1/exports/$export_id" -H "X-Api-Key: $key" | jq -r .issueCount)" "$(pdfinfo "$work/pack.pdf" | awk '/^Pages:/ { print $2 }')" \
      "$(echo "scale=1; $(stat -c %s "$work/pack.pdf") / 1048576" | bc)" \
      "$(python3 -c 'import sys,json,datetime as d; j=json.loads(sys.argv[1]); p=d.datetime.fromisoformat; print("%.2f" % (p(j["completedAt"]) - p(j["createdAt"])).total_seconds())' "$state")"
  done
  grep -oE 'read [0-9]+ ms, template [0-9]+ ms, PDF [0-9]+ ms' "$work/worker.log" | tail -1 | sed 's/^/  the Worker, last run: /'
  local rows reference=${JX_BENCH_PDF_REFERENCE:-../shared/bench/pdf-reference}
  rows=$(curl -sf "$api/api/v1/exports/$export_id" -H "X-Api-Key: $key" | jq -r .issueCount)
  if [ -d "$reference" ]; then
    cp -r "$reference" "$work/pdf-reference"
    (cd "$work/pdf-reference" && CHROMIUM_PATH=$(command -v chromium-headless-shell || command -v chromium) dotnet run -c Release -- "$rows" 2>/dev/null) | sed 's/^/  /'
  else
    echo "  (no reference at $reference: set JX_BENCH_PDF_REFERENCE to print the Chromium floor)"
  fi
  echo "Target: ≤ 10 s from trigger to mail for a 50-page pack"
}

start_stack
sync_store
echo
for section in "${sections[@]}"; do
  case $section in
    issue-lists) section_issue_lists;;
    detail-pdf) section_detail_pdf;;
    scheduled-pack) section_scheduled_pack;;
    *) echo "unknown section '$section' (known: issue-lists, detail-pdf, scheduled-pack)" >&2; exit 2;;
  esac
  echo
done
