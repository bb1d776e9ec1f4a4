# The deployment's shape on loopback, for eng/soak.sh, eng/load.sh and eng/faults.sh (sourced, not run): GATEWAYS
# gateways (default 1; Kubernetes runs 2) in front of two Api and two Realtime instances, two Workers, PostgreSQL,
# Redis, RabbitMQ and the Jira simulator (JIRA_ISSUES issues, default 400), Release builds, each in its own folder.
# Extra settings for the Api instances: the array api_settings. Leaves: $work (removed on exit; JX_KEEP_LOGS=DIR keeps
# the logs), $gateways (their URLs), $gateway (the first), $jira, $admin_key, $owner_db (the PostgreSQL owner's
# connection string), $pg_port and $pg_password, $processes (NAME=PID:METRICSPORT of each service, for memory samples), and
# launch/pid files/port_of for starting a process again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source eng/lib.sh
bash eng/bootstrap.sh
# Every socket is a file: a process holding thousands of connections needs the hard limit, not the soft one.
ulimit -n "$(ulimit -Hn)"

# Every process below PID, children first.
descendants() { local child; for child in $(pgrep -P "$1"); do descendants "$child"; echo "$child"; done; }
# Whether PID runs (a killed child of this shell stays a zombie until it is waited for).
alive() { kill -0 "$1" 2>/dev/null && [[ "$(ps -o stat= -p "$1")" != Z* ]]; }

work=$(mktemp -d /tmp/jiraexport-loopback.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  local status=$?
  # A failed run says why: the last lines each process wrote.
  [ "$status" -ne 0 ] && for log in "$work"/*.log; do
    echo "== $log"; grep -m 4 -E "Unhandled|Exception:|crit:|fail:" "$log" || tail -n 8 "$log"
  done
  # Background jobs first (eng/faults.sh's restarts would start their process again), then every process with what runs
  # under it (RabbitMQ's node outlives its start script), and wait until they are gone before their folder goes.
  kill $(jobs -p) 2>/dev/null || true
  local all=()
  for pid in "${pids[@]}" $(cat "$work"/*.pid 2>/dev/null); do all+=($(descendants "$pid") "$pid"); done
  kill "${all[@]}" 2>/dev/null || true
  for pid in "${all[@]}"; do for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done; done
  wait 2>/dev/null || true
  # JX_KEEP_LOGS=DIR keeps every process's log (PostgreSQL's included) for a closer look.
  [ -n "${JX_KEEP_LOGS:-}" ] && mkdir -p "$JX_KEEP_LOGS" && cp "$work"/*.log "$JX_KEEP_LOGS"/
  rm -rf "$work"
}
trap cleanup EXIT

pg_port=$(free_port); redis_port=$(free_port); rabbit_port=$(free_port); rabbit_dist=$(free_port); jira_port=$(free_port)
pg_password=loopback-$RANDOM$RANDOM; rabbit_password=loopback-$RANDOM$RANDOM; admin_key=loopback-admin-key-$RANDOM$RANDOM$RANDOM
declare -A pid_of=() port_of=()
# Starts NAME from the command written in $work/NAME.run (the process replaces the shell that reads it, so its PID is
# the process's): eng/faults.sh starts it again with the same command after kill -9, as its supervisor would. The PID is
# also kept in $work/NAME.pid, for a start made in a subshell.
launch() {
  local name=$1
  bash "$work/$name.run" >>"$work/$name.log" 2>&1 & pids+=($!)
  pid_of[$name]=$!
  echo $! >"$work/$name.pid"
}
# Writes NAME's command (listening on PORT) and launches it: a server script of eng/servers, or a Release build run in
# its own folder (where its appsettings.json is) with the settings given as NAME=VALUE and, as the AppHost gives every
# service, two malloc arenas (JiraExport.AppHost/Infrastructure/NativeMemory.cs).
server() {
  local name=$1 port=$2; shift 2
  port_of[$name]=$port
  { printf 'exec bash'; printf ' %q' "$@"; echo; } >"$work/$name.run"
  launch "$name"
}
service() {
  local name=$1 port=$2 dll=$3; shift 3
  port_of[$name]=$port
  { printf 'cd %q && exec env MALLOC_ARENA_MAX=2' "$(dirname "$dll")"; printf ' %q' "$@"; printf ' dotnet %q\n' "$(basename "$dll")"; } >"$work/$name.run"
  launch "$name"
}
server postgres "$pg_port" eng/servers/postgres.sh "$pg_port" "$work/postgres" "$pg_password"
server redis "$redis_port" eng/servers/redis.sh "$redis_port" "$work/redis"
server rabbitmq "$rabbit_port" eng/servers/rabbitmq.sh "$rabbit_port" "$work/rabbitmq" "$rabbit_password" "$rabbit_dist"
dotnet build JiraExport.sln -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wait_port "$pg_port" PostgreSQL && wait_port "$redis_port" Redis && wait_port "$rabbit_port" RabbitMQ

owner_db="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pg_password;Database=jiraexportdb"
export ConnectionStrings__jiraexportdb=$owner_db
# A name with a dash is no shell variable: handed to each process through env.
app_db="ConnectionStrings__jiraexportdb-app=Host=127.0.0.1;Port=$pg_port;Database=jiraexportdb;Username=jiraexport_app;Password=app-$pg_password"
export ConnectionStrings__redis="127.0.0.1:$redis_port"
export ConnectionStrings__messaging="amqp://jiraexport:$rabbit_password@127.0.0.1:$rabbit_port/"
export DataProtection__KeyRingCertificate=$(dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll new-key-ring-certificate)
export Logging__LogLevel__Default=Warning Jira__AllowPrivateNetworks=true
env "$app_db" dotnet JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll migrate >"$work/migrate.log" 2>&1

gateway_ports=(); gateways=()
for _ in $(seq 1 "${GATEWAYS:-1}"); do gateway_ports+=("$(free_port)"); gateways+=("http://127.0.0.1:${gateway_ports[-1]}"); done
gateway=${gateways[0]}; jira="http://127.0.0.1:$jira_port"
processes=()
# A service on a port of its own; its PID and scrape port are sampled by name.
start() {
  local name=$1 dll=$2 port metrics_port; shift 2
  port=$(free_port); metrics_port=$(free_port)
  service "$name" "$port" "$dll" "$app_db" ASPNETCORE_URLS="http://127.0.0.1:$port" Metrics__Port="$metrics_port" "$@"
  processes+=("$name=${pid_of[$name]}:$metrics_port")
}
service jira "$jira_port" tests/JiraExport.JiraSimulator/bin/Release/net10.0/JiraExport.JiraSimulator.dll \
  JiraSimulator__IssueCount="${JIRA_ISSUES:-400}" ASPNETCORE_URLS="$jira"
for i in 1 2; do
  start "worker-$i" JiraExport.Worker/bin/Release/net10.0/JiraExport.Worker.dll
  start "api-$i" JiraExport.Api/bin/Release/net10.0/JiraExport.Api.dll Admin__Key="$admin_key" \
    ASPNETCORE_FORWARDEDHEADERS_ENABLED=true ForwardedHeaders__KnownNetworks__0=127.0.0.1/32 "${api_settings[@]}"
done
wait_port "${port_of[api-1]}" api-1 && wait_port "${port_of[api-2]}" api-2
for i in 1 2; do
  start "realtime-$i" JiraExport.Realtime/bin/Release/net10.0/JiraExport.Realtime.dll \
    Auth__MetadataAddress="$gateway/.well-known/openid-configuration" Realtime__AllowedOrigins__0="$gateway"
done
for i in "${!gateways[@]}"; do
  name=gateway metrics_port=$(free_port)
  if [ "${#gateways[@]}" -gt 1 ]; then name=gateway-$((i + 1)); fi
  service "$name" "${gateway_ports[$i]}" JiraExport.Gateway/bin/Release/net10.0/JiraExport.Gateway.dll ASPNETCORE_URLS="${gateways[$i]}" \
    ReverseProxy__Clusters__api__Destinations__api-1__Address="http://127.0.0.1:${port_of[api-1]}" \
    ReverseProxy__Clusters__api__Destinations__api-2__Address="http://127.0.0.1:${port_of[api-2]}" \
    ReverseProxy__Clusters__realtime__Destinations__realtime-1__Address="http://127.0.0.1:${port_of[realtime-1]}" \
    ReverseProxy__Clusters__realtime__Destinations__realtime-2__Address="http://127.0.0.1:${port_of[realtime-2]}" \
    Metrics__Port="$metrics_port"
  processes+=("$name=${pid_of[$name]}:$metrics_port")
done
for name in "${!port_of[@]}"; do wait_port "${port_of[$name]}" "$name"; done
