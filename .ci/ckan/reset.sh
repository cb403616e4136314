#!/usr/bin/env bash
# Clean slate for the local CKAN: stop it, drop its two databases, and forget the search
# index, uploads, token and database stamp. The next up.sh recreates everything (fast:
# the venv and ckan.ini are kept).
#   --purge   also drop the two roles and delete .ckan/ entirely (venv included)
set -euo pipefail
# shellcheck source=common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

purge=0
case "${1:-}" in
    "") ;;
    --purge) purge=1 ;;
    *) die "usage: $0 [--purge]" ;;
esac

bash "$CI_CKAN_DIR/down.sh"

command -v psql >/dev/null 2>&1 || die "'psql' is not installed (Debian package: postgresql-client)"
psql_su -d postgres -c 'select 1' >/dev/null 2>&1 ||
    die "PostgreSQL is not reachable at $CKAN_PG_HOST:$CKAN_PG_PORT as '$CKAN_PG_SUPERUSER'"
for db in "$CKAN_DB" "$CKAN_DS_DB"; do
    psql_su -d postgres -c "drop database if exists \"$db\" with (force)"
    log "dropped database $db (if it existed)"
done
if ((purge)); then
    for role in "$CKAN_DS_RO_USER" "$CKAN_DB_USER"; do
        psql_su -d postgres -c "drop role if exists \"$role\""
        log "dropped role $role (if it existed)"
    done
    rm -rf "$CKAN_STATE_DIR"
    log "deleted $CKAN_STATE_DIR"
else
    rm -rf "$SOLR_INDEX_FILE" "$CKAN_STORAGE_DIR" "$CKAN_ENV_FILE" "$CKAN_STATE_DIR/db.stamp" \
        "$CKAN_STATE_DIR/sysadmin.password"
    log "removed search index, uploads, env file and stamps under $CKAN_STATE_DIR"
fi
