#!/usr/bin/env bash
# Load: the issue's figures on the deployment's shape on loopback (eng/loopback-deployment.sh, with two gateways as
# Kubernetes runs them): USERS people (default 1,000) each sign in, list, export, watch it over SignalR and download it,
# connected at once; then HTTP connections (default 5,000) held and used; then SignalR connections (default 10,000)
# held, each hearing its tenant's export. Percentiles per step, and every process's memory and open files after each
# phase (tests/JiraExport.Benchmarks, "load"). Loopback only, bounded: about 10 minutes. Usage: eng/load.sh [USERS [HTTP [SIGNALR]]]
users=${1:-1000}; http_connections=${2:-5000}; hub_connections=${3:-10000}
# Two gateways: one proxying 10,000 WebSockets holds 20,000 sockets, this machine's hard limit of open files per process.
GATEWAYS=2
# Every person signs in from 127.0.0.1, which in a deployment would be a thousand addresses: the per-address limit on
# sign-ins (60 a minute) is lifted. Access tokens live the whole run (its phases reuse the first phase's sign-ins).
api_settings=(Throttling__AnonymousPerAddressPerMinute=1000000 Auth__AccessTokenLifetime=01:00:00)
source "$(dirname "$0")/loopback-deployment.sh"

echo
dotnet tests/JiraExport.Benchmarks/bin/Release/net10.0/JiraExport.Benchmarks.dll load "$(IFS=,; echo "${gateways[*]}")" "$admin_key" "$jira" "$owner_db" \
  "$users" "$http_connections" "$hub_connections" "${processes[@]}"
