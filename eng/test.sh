#!/usr/bin/env bash
# Runs every test project against real servers: PostgreSQL, Redis, RabbitMQ and smtp4dev started here on loopback
# (data in a throw-away folder), Chromium for PDFs, the Jira simulator hosted by the tests themselves.
# Ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bash eng/bootstrap.sh || exit 1

work=$(mktemp -d /tmp/jiraexport-test.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

source eng/lib.sh

pg_port=$(free_port); standby_port=$(free_port); redis_port=$(free_port); rabbit_port=$(free_port); rabbit_dist=$(free_port)
pg_password=test-$RANDOM$RANDOM; rabbit_password=test-$RANDOM$RANDOM
bash eng/servers/postgres.sh "$pg_port" "$work/postgres" "$pg_password" >"$work/postgres.log" 2>&1 & pids+=($!)
# Its hot standby: takes a base backup once the primary answers, then streams.
bash eng/servers/postgres-standby.sh "$standby_port" "$work/postgres-standby" "$pg_port" "$pg_password" >"$work/postgres-standby.log" 2>&1 & pids+=($!)
bash eng/servers/redis.sh "$redis_port" "$work/redis" >"$work/redis.log" 2>&1 & pids+=($!)
bash eng/servers/rabbitmq.sh "$rabbit_port" "$work/rabbitmq" "$rabbit_password" "$rabbit_dist" >"$work/rabbitmq.log" 2>&1 & pids+=($!)
smtp_port=$(free_port); smtp_http_port=$(free_port)
bash eng/servers/smtp4dev.sh "$smtp_port" "$smtp_http_port" >"$work/smtp4dev.log" 2>&1 & pids+=($!)

dotnet build JiraExport.sln -c Debug -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

wait_port "$pg_port" PostgreSQL && wait_port "$standby_port" "PostgreSQL's standby" && wait_port "$redis_port" Redis && wait_port "$rabbit_port" RabbitMQ \
  && wait_port "$smtp_port" smtp4dev && wait_port "$smtp_http_port" "smtp4dev's API" || {
  tail -n 30 "$work"/*.log
  echo "0 passed, 1 failed"
  exit 1
}

# The TypeScript client's packages (TypeScriptClientTests runs its `npm test`) and the Kubernetes schema check's
# (KubernetesDeploymentTests), as their lock files pin them: installed before this run's server passwords are exported,
# and no package's install script runs (their .npmrc).
npm_failed=0
for package in clients/typescript eng/kubernetes/validate; do
  echo "== npm ci in $package"
  (cd "$package" && npm ci --no-audit --no-fund --loglevel=error) || npm_failed=1
done

export JX_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password"
export JX_TEST_POSTGRES_STANDBY="Host=127.0.0.1;Port=$standby_port;Username=postgres;Password=$pg_password"
export JX_TEST_REDIS="127.0.0.1:$redis_port"
export JX_TEST_RABBITMQ="amqp://jiraexport:$rabbit_password@127.0.0.1:$rabbit_port"
export JX_TEST_RABBITMQ_NODE=$(cat "$work/rabbitmq/nodename")
export JX_TEST_SMTP="smtp://127.0.0.1:$smtp_port"
export JX_TEST_SMTP_API="http://127.0.0.1:$smtp_http_port"
export JX_REPOSITORY_ROOT=$root

passed=0; failed=$npm_failed; skipped=0

# The OpenAPI documents the build wrote (ApiDocumentTests check they are what the Api serves) pass the linter: one test.
echo "== eng/lint-api.sh"
if bash eng/lint-api.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
for project in tests/*.Tests/*.csproj tests/JiraExport.IntegrationTests/*.csproj tests/JiraExport.EndToEndTests/*.csproj; do
  [ -f "$project" ] || continue
  log="$work/$(basename "$project" .csproj).log"
  echo "== $project"
  dotnet test "$project" --no-build -nologo 2>&1 | tee "$log"
  summary=$(grep -E '(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+' "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    echo "test: no result line from $project" >&2
    failed=$((failed + 1))
    continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$summary")
  s=$(sed -nE 's/.*Skipped: +([0-9]+).*/\1/p' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + ${s:-0}))
done

# A skipped test proves nothing: the suite has none by design, so one counts against the run.
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$skipped" -eq 0 ] && [ "$passed" -gt 0 ]
