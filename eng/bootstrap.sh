#!/usr/bin/env bash
# Installs the servers and tools JiraExport needs on Debian 12 when they are missing: PostgreSQL, Redis,
# RabbitMQ, Chromium, fonts, poppler-utils, qpdf, jq, Node.js, Prometheus, and the smtp4dev mail server (a .NET tool). Safe to run again; it
# installs only what is absent.
set -euo pipefail

need=()
ls -d /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
# The headless shell prints PDFs like full Chromium in half the memory (see ChromiumOptions).
[ -x /usr/lib/chromium/chromium-headless-shell ] || need+=(chromium-headless-shell)
command -v pdftotext >/dev/null || need+=(poppler-utils)
# qpdf checks every exported PDF's structure in the tests: a checker no one here wrote.
command -v qpdf >/dev/null || need+=(qpdf)
command -v jq >/dev/null || need+=(jq)   # the README's curl walkthrough reads JSON with it
command -v unzip >/dev/null || need+=(unzip)   # eng/faults.sh counts the documents in a bulk export's ZIP
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# Emoji in summaries render from the system's colour emoji font (Chromium falls back to it).
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
command -v setpriv >/dev/null || need+=(util-linux)
# Prometheus scrapes every service locally; its promtool checks and unit-tests the alert rules in deploy/prometheus.
command -v promtool >/dev/null || need+=(prometheus)
# Node.js runs the OpenAPI linter (eng/lint-api.sh) and the TypeScript client's tests.
command -v npx >/dev/null || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  echo "bootstrap: installing ${need[*]}"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  # Debian's policy-rc.d keeps the packaged services from starting; JiraExport starts its own on loopback.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# smtp4dev: a real SMTP server with a web UI and an API to read what it received (invitations, verifications).
source "$(dirname "$0")/lib.sh"
if [ ! -x "$(smtp4dev_path)" ]; then
  echo "bootstrap: installing smtp4dev $SMTP4DEV_VERSION"
  dotnet tool install Rnwood.Smtp4dev --version "$SMTP4DEV_VERSION" --tool-path "$(dirname "$(smtp4dev_path)")" >/dev/null
fi
