#!/usr/bin/env bash
# Identity benchmark: sign-ins per second (bound by password hashing), the cost of validating one access token,
# and the latency of an authenticated GET under 200 concurrent connections (wrk, loopback only, 20 s).
# Starts its own PostgreSQL and Redis on loopback and a Release build of the Api; removes everything afterwards.
source "$(dirname "$0")/bench-api.sh"

for _ in 1 2 3 4 5; do sign_in >/dev/null; done   # warm-up

logins=200
started=$(date +%s.%N)
seq "$logins" | xargs -P 4 -I{} bash -c 'sign_in >/dev/null'
elapsed=$(echo "$(date +%s.%N) - $started" | bc)

echo
echo "Sign-in (POST /api/v1/auth/token): $logins sign-ins, 4 at a time, in ${elapsed}s → $(echo "scale=1; $logins / $elapsed" | bc) sign-ins/s"
echo "  Password hashing: ASP.NET Core Identity v3 — PBKDF2-HMAC-SHA512, 100,000 iterations, 128-bit salt, 256-bit key;"
echo "  each sign-in also writes a session, a refresh token and a security event, and signs an ES256 access token."
echo

dotnet run -c Release --no-build --project tests/JiraExport.Benchmarks -- jwt 20000
echo

token=$(sign_in | jq -r .accessToken)
echo "Authenticated GET /api/v1/exports under 200 connections (wrk -t2 -c200 -d20s, loopback)"
wrk -t2 -c200 -d20s --latency -H "Authorization: Bearer $token" "$api/api/v1/exports" | tee "$work/wrk.txt" | sed 's/^/  /'
p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")
echo
echo "  p99 latency: $p99${non2xx:+  (non-2xx responses: $non2xx)}"

echo
if bench_reference "-t2 -c200 -d20s"; then
  api_rps=$(awk '/Requests\/sec/ { print $2 }' "$work/wrk.txt")
  ref_p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk-reference.txt")
  echo
  echo "  Api / reference: $(echo "scale=3; $api_rps / $ref_rps" | bc) of the reference's requests/s; p99 $p99 against $ref_p99"
fi
