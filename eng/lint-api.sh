#!/usr/bin/env bash
# Lints each committed OpenAPI document (docs/api/v*.json) with Redocly's recommended rules; any error fails.
# ApiDocumentTests prove the committed documents are what the Api serves, so this lints the served contract.
set -euo pipefail
cd "$(dirname "$0")/.."
# 2.x needs Node.js 20.19 or later; Debian 12's own Node.js (18) takes the 1.x line.
redocly=@redocly/cli@2.77.0
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || redocly=@redocly/cli@1.34.20
npx --yes "$redocly" lint --format=stylish docs/api/v*.json
