#!/usr/bin/env bash
# Stop the local CKAN and the Solr stand-in started by up.sh. Idempotent.
# The databases, the ini, the venv and the persisted search index stay (see reset.sh).
set -euo pipefail
# shellcheck source=common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

mkdir -p "$CKAN_RUN_DIR"
exec 9>"$CKAN_RUN_DIR/up.lock"
flock -w 300 9 || die "up.sh is still running (lock $CKAN_RUN_DIR/up.lock)"

stop_pid "$CKAN_PIDFILE" "wsgi:application" "CKAN"
stop_pid "$SOLR_PIDFILE" "solr_standin.py" "Solr stand-in"   # saves the index on SIGTERM
