# Helpers shared by eng/test.sh and eng/bench-auth.sh (sourced, not run).

# A TCP port on loopback that nothing listens on now.
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

# Waits up to a minute for something to listen on port $1 ($2 names it in the error).
wait_port() {
  for _ in $(seq 1 120); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.5
  done
  echo "$2 did not open port $1" >&2
  return 1
}
