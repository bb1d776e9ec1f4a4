#!/usr/bin/env bash
# Idempotency benchmark: POST /api/v2/exports without and with an Idempotency-Key (a new key per request), in the same
# run under the same load (wrk -t2 -c16 -d15s, loopback), so their ratio is the cost of claiming the key and keeping
# the answer. Starts its own PostgreSQL and Redis and a Release Api (eng/bench-api.sh); removes everything afterwards.
source "$(dirname "$0")/bench-api.sh"

load="-t2 -c16 -d15s"
token=$(sign_in | jq -r .accessToken)
api_key=$(curl -sf -X POST "$api/api/v2/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["exports:write","connections:manage"]}' | jq -r .key)
connection_id=$(curl -sf -X POST "$api/api/v2/connections" -H "X-Api-Key: $api_key" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Jira","baseUrl":"https://bench.atlassian.net","deployment":"cloud","auth":{"type":"basic","email":"bench@bench.example","apiToken":"t"}}' \
  | jq -r .id)

cat >"$work/export.lua" <<LUA
wrk.method = "POST"
wrk.path = "/api/v2/exports"
wrk.body = '{"connectionId":"$connection_id","jql":"project = BENCH","format":"csv"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-Api-Key"] = "$api_key"
LUA
# Each wrk thread numbers its requests; the thread's number keeps keys apart across threads and runs.
cat >"$work/export-keyed.lua" <<LUA
dofile("$work/export.lua")
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
local sent = 0
function request()
  sent = sent + 1
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Idempotency-Key"] = run_id .. "-" .. thread_id .. "-" .. sent
  return wrk.format(nil, nil, headers, nil)
end
LUA

measure() { # $1: label, $2: script, $3: run id (keeps keys of separate runs apart)
  sed "1i run_id = \"$3\"" "$2" >"$work/run.lua"
  echo "$1 (wrk $load, loopback)"
  # shellcheck disable=SC2086
  wrk $load --latency -s "$work/run.lua" "$api" | tee "$work/$3.txt" | sed 's/^/  /'
  if grep -q "Non-2xx" "$work/$3.txt"; then echo "bench: some answers were not 2xx" >&2; exit 1; fi
}
rps() { awk '/Requests\/sec/ { print $2 }' "$work/$1.txt"; }

# Warm-up of both paths (JIT, pools), then the two alternate, so drift during the run falls on both alike.
# shellcheck disable=SC2086
wrk -t2 -c16 -d10s -s "$work/export.lua" "$api" >/dev/null
sed "1i run_id = \"warm\"" "$work/export-keyed.lua" >"$work/warm.lua" && wrk -t2 -c16 -d5s -s "$work/warm.lua" "$api" >/dev/null
measure "POST /api/v2/exports without Idempotency-Key" "$work/export.lua" plain1
measure "POST /api/v2/exports with a new Idempotency-Key each" "$work/export-keyed.lua" keyed1
measure "POST /api/v2/exports without Idempotency-Key, again" "$work/export.lua" plain2
measure "POST /api/v2/exports with a new Idempotency-Key each, again" "$work/export-keyed.lua" keyed2
kept=$(psql_owner "SELECT count(*) FROM idempotent_requests WHERE status_code = 202 AND key NOT LIKE 'warm-%'")

plain=$(echo "scale=1; ($(rps plain1) + $(rps plain2)) / 2" | bc)
keyed=$(echo "scale=1; ($(rps keyed1) + $(rps keyed2)) / 2" | bc)
echo
echo "  without the header: $(rps plain1) and $(rps plain2) requests/s (mean $plain)"
echo "  with a new key each: $(rps keyed1) and $(rps keyed2) requests/s (mean $keyed); $kept answers kept"
echo "  with / without: $(echo "scale=3; $keyed / $plain" | bc)"

echo
if bench_reference "$load"; then
  echo
  echo "  Api / reference: $(echo "scale=3; $plain / $ref_rps" | bc) without the header, $(echo "scale=3; $keyed / $ref_rps" | bc) with it"
fi
