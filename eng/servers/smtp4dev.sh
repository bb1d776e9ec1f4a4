#!/usr/bin/env bash
# Runs smtp4dev (installed by eng/bootstrap.sh) in the foreground: SMTP on 127.0.0.1:PORT, its web UI and message API
# on http://127.0.0.1:HTTP_PORT. Messages live in memory only; IMAP and POP3 are off. Usage: smtp4dev.sh PORT HTTP_PORT
set -euo pipefail
port=$1 http_port=$2
source "$(dirname "$0")/../lib.sh"
# Its settings folder is a throw-away one, so a user's own smtp4dev settings never change what tests see.
export XDG_CONFIG_HOME=$(mktemp -d /tmp/smtp4dev-config.XXXXXX)
exec "$(smtp4dev_path)" --urls="http://127.0.0.1:$http_port" --smtpport="$port" --bindaddress=127.0.0.1 \
  --imapport= --pop3port= --db= --tlsmode=None --nousersettings --messagestokeep=10000
