#!/usr/bin/env bash
# Jira webhook intake benchmark: signed deliveries to POST /api/v1/webhooks/jira/{id}, each verified (HMAC over the raw
# body), stored and given its work item in one committed transaction before it is answered (wrk -t2 -c32 -d15s, loopback:
# 32 connections already keep both cores busy; more only queue, which adds latency and no deliveries).
# Every request is a different delivery, signed ahead of the run (wrk's Lua has no HMAC). Prints deliveries stored per
# second, latency, and the reference endpoint's figures from the same run. Target: >= 2,000 deliveries/s, p99 <= 50 ms.
# Starts its own PostgreSQL and Redis and a Release Api (eng/bench-api.sh); removes everything afterwards.
source "$(dirname "$0")/bench-api.sh"

load="-t2 -c32 -d15s"
deliveries=${JX_BENCH_DELIVERIES:-60000}
token=$(sign_in | jq -r .accessToken)
api_key=$(curl -sf -X POST "$api/api/v2/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["connections:manage","webhooks:manage"]}' | jq -r .key)
connection_id=$(curl -sf -X POST "$api/api/v2/connections" -H "X-Api-Key: $api_key" -H 'Content-Type: application/json' \
  -d '{"name":"Bench Jira","baseUrl":"https://bench.atlassian.net","deployment":"cloud","auth":{"type":"basic","email":"bench@bench.example","apiToken":"t"}}' \
  | jq -r .id)
secret=$(curl -sf -X PUT "$api/api/v2/connections/$connection_id/webhook" -H "X-Api-Key: $api_key" | jq -r .secret)

# One Lua table of {body, signature} per delivery, split between the two wrk threads: a jira:issue_updated of about 700 bytes.
python3 - "$secret" "$deliveries" "$work/deliveries.lua" <<'PY'
import hashlib, hmac, json, sys, time
secret, count, path = sys.argv[1].encode(), int(sys.argv[2]), sys.argv[3]
now = int(time.time() * 1000)
with open(path, "w") as out:
    out.write("deliveries = {\n")
    for i in range(count):
        body = json.dumps({
            "timestamp": now + i, "webhookEvent": "jira:issue_updated", "issue_event_type_name": "issue_generic",
            "user": {"accountId": "5c5f880629be9642ba529340", "displayName": "Bench User", "active": True},
            "issue": {"id": str(100000 + i), "key": f"BENCH-{i}", "self": f"https://bench.atlassian.net/rest/api/2/issue/{100000 + i}",
                      "fields": {"summary": f"Benchmark issue {i}", "updated": "2026-12-06T06:00:00.000+0000",
                                 "status": {"id": "10001", "name": "Done", "statusCategory": {"key": "done"}}}},
            "changelog": {"id": str(500000 + i), "items": [{"field": "status", "fieldtype": "jira", "fieldId": "status",
                          "from": "3", "fromString": "In Progress", "to": "10001", "toString": "Done"}]},
        }, separators=(",", ":"))
        signature = "sha256=" + hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
        out.write("{%s,%s},\n" % (json.dumps(body), json.dumps(signature)))
    out.write("}\n")
PY
cat >"$work/webhooks.lua" <<LUA
dofile("$work/deliveries.lua")
wrk.method = "POST"
wrk.path = "/api/v1/webhooks/jira/$connection_id"
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end
local sent = 0
-- The warm-up starts further on, so the measured run sends only deliveries not stored yet.
local offset = tonumber(os.getenv("JX_BENCH_OFFSET") or "0")
function request()
  -- Thread 1 takes the odd deliveries, thread 2 the even ones; a run that outlasts them sends repeats (answered 200).
  local index = ((offset + sent * 2 + thread_id - 1) % #deliveries) + 1
  sent = sent + 1
  local delivery = deliveries[index]
  return wrk.format(nil, nil, {
    ["Content-Type"] = "application/json; charset=utf-8",
    ["X-Hub-Signature"] = delivery[2],
    ["X-Atlassian-Webhook-Identifier"] = "bench-" .. index,
  }, delivery[1])
end
LUA

# Warm-up (JIT, pools) on a throw-away connection would need a second secret; a short run on this one, counted apart.
JX_BENCH_OFFSET=$((deliveries - 10000)) wrk -t2 -c16 -d3s -s "$work/webhooks.lua" "$api" >/dev/null
warm=$(psql_owner "SELECT count(*) FROM jira_webhook_deliveries")
echo "Signed Jira deliveries (wrk $load, loopback; $deliveries prepared)"
# shellcheck disable=SC2086
wrk $load --latency -s "$work/webhooks.lua" "$api" | tee "$work/wrk-webhooks.txt" | sed 's/^/  /'
if grep -q "Non-2xx" "$work/wrk-webhooks.txt"; then echo "bench: some answers were not 2xx" >&2; exit 1; fi
stored=$(( $(psql_owner "SELECT count(*) FROM jira_webhook_deliveries") - warm ))
outbox=$(psql_owner "SELECT count(*) FROM outbox_messages WHERE routing_key = 'jira-webhooks'")
rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk-webhooks.txt")
p99=$(awk '/^ +99%/ { print $2 }' "$work/wrk-webhooks.txt")
echo
echo "  answered: $rps requests/s, p99 $p99; stored in the run: $stored deliveries ($(echo "scale=1; $stored / 15" | bc)/s), $outbox work items in the outbox"

echo
if bench_reference "$load"; then
  echo
  echo "  intake / reference: $(echo "scale=3; $rps / $ref_rps" | bc)"
fi
