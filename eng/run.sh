#!/usr/bin/env bash
# Runs the whole system: AppHost, dashboard, servers as host processes (or containers when Docker answers),
# the Jira simulator and a demo tenant (written to .data/demo.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/bootstrap.sh
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
exec dotnet run --project JiraExport.AppHost --launch-profile http -- "$@"
