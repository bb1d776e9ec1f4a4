#!/usr/bin/env bash
# Cached-read benchmark: an authenticated, tenant-scoped GET (/api/v1/tenant) under 256 connections, with an access
# token and with an API key, and a read no cache answers (GET /api/v1/exports: the handler reads PostgreSQL through a
# pooled DbContext), against the bare reference endpoint (../shared/bench/api-reference) in the same run on the
# same PostgreSQL: the ratio of requests/s and both p99s. The first request of each credential fills the caches
# (FusionCache for the credential and tenant state, the Redis output cache for the answer); every request still passes
# authentication, the tenant gate, both rate limiters and authorization. Starts its own servers and a Release Api
# (eng/bench-api.sh); removes everything afterwards.
source "$(dirname "$0")/bench-api.sh"

load="-t2 -c256 -d20s"
token=$(sign_in | jq -r .accessToken)
api_key=$(curl -sf -X POST "$api/api/v1/api-keys" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scopes":["exports:read"]}' | jq -r .key)
curl -sf "$api/api/v1/tenant" -H "Authorization: Bearer $token" >/dev/null
curl -sf "$api/api/v1/tenant" -H "X-Api-Key: $api_key" >/dev/null

run() {  # $1: label, $2: file, $3: the header, $4: the path (default /api/v1/tenant)
  echo "$1 (wrk $load, loopback)"
  # shellcheck disable=SC2086
  wrk $load --latency -H "$3" "$api${4:-/api/v1/tenant}" | tee "$work/$2" | sed 's/^/  /'
}
run "GET /api/v1/tenant with an access token" wrk-token.txt "Authorization: Bearer $token"
echo
run "GET /api/v1/tenant with an API key" wrk-key.txt "X-Api-Key: $api_key"
echo
run "GET /api/v1/exports with an API key (not cached)" wrk-uncached.txt "X-Api-Key: $api_key" "/api/v1/exports?limit=20"
echo

if bench_reference "$load"; then
  echo
  ref_p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk-reference.txt")
  for file in wrk-token.txt wrk-key.txt wrk-uncached.txt; do
    rps=$(awk '/Requests\/sec/ { print $2 }' "$work/$file")
    p99=$(awk '$1 == "99%" { print $2 }' "$work/$file")
    non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/$file")
    echo "  ${file%.txt}: $(echo "scale=3; $rps / $ref_rps" | bc) of the reference's requests/s ($rps against $ref_rps); p99 $p99 against $ref_p99${non2xx:+  (non-2xx: $non2xx)}"
  done
fi
