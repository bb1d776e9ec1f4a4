#!/usr/bin/env bash
# Measures the Worker's rendering pipeline (Liquid template + Chromium PDF) on a generated 1,000-issue report
# and prints the figures beside the targets. Options pass through: --iterations N, --issues N.
set -euo pipefail
cd "$(dirname "$0")/.."
bash eng/bootstrap.sh
dotnet run -c Release --project tests/JiraExport.Benchmarks -- "$@"
