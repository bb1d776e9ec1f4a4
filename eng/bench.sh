#!/usr/bin/env bash
# Measures the Worker's rendering pipeline (Liquid template + Chromium PDF) on a generated 1,000-issue report
# and prints the figures beside the targets. Options pass through: --iterations N, --issues N.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f eng/bootstrap.sh ]; then
  bash eng/bootstrap.sh
fi
dotnet run -c Release --project tests/JiraExport.Benchmarks -- "$@"
