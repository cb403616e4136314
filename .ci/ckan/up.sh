#!/usr/bin/env bash
# Start a real local CKAN 2.12 (with DataStore) plus the Solr stand-in, from nothing.
# Idempotent: every step checks first and only does what is missing; if everything is
# already running it just verifies and prints.
#
# Usage: bash .ci/ckan/up.sh [--export]      (--export prefixes each line with "export ")
# stdout: the connection facts (also written to .ckan/env), e.g.
#   HUB_CKAN_URL=http://127.0.0.1:5055
#   HUB_CKAN_TOKEN=eyJ...
#   HUB_CKAN_USER=hubadmin
# stderr: progress. Exit status non-zero, with a message, on any failure.
# Settings (ports, names, ...) are in common.sh and can be overridden from the environment.
set -euo pipefail
# shellcheck source=common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

export_prefix=""
case "${1:-}" in
    "") ;;
    --export) export_prefix="export " ;;  # eval "$(bash .ci/ckan/up.sh --export)"
    *) die "usage: $0 [--export]" ;;
esac

START_NS=$(date +%s%N)
elapsed() { echo "$(( ($(date +%s%N) - START_NS) / 1000000 ))" | sed -E 's/([0-9]{3})$/.\1/; s/^\./0./'; }

mkdir -p "$CKAN_STATE_DIR" "$CKAN_LOG_DIR" "$CKAN_RUN_DIR" "$CKAN_STORAGE_DIR"
exec 9>"$CKAN_RUN_DIR/up.lock"
flock -w 900 9 || die "another up.sh is still running (lock $CKAN_RUN_DIR/up.lock)"

# ---------------------------------------------------------------- prerequisites
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' is not installed (Debian package: $2)"; }
need psql postgresql-client
need curl curl
need ss iproute2
need flock util-linux
need setsid util-linux
need sha256sum coreutils

psql_su -d postgres -c 'select 1' >/dev/null 2>&1 ||
    die "PostgreSQL is not reachable at $CKAN_PG_HOST:$CKAN_PG_PORT as superuser '$CKAN_PG_SUPERUSER' (psql -h $CKAN_PG_HOST -U $CKAN_PG_SUPERUSER); is it running?"

redis_hp="${CKAN_REDIS_URL#redis://}"; redis_hp="${redis_hp##*@}"; redis_hp="${redis_hp%%/*}"
redis_host="${redis_hp%:*}"; redis_port="${redis_hp##*:}"; [[ "$redis_port" != "$redis_hp" ]] || redis_port=6379
redis_reply="$( (exec 3<>"/dev/tcp/$redis_host/$redis_port" && printf 'PING\r\n' >&3 && timeout 3 head -c 5 <&3) 2>/dev/null || true)"
[[ "$redis_reply" == "+PONG" ]] || die "Redis is not answering PING at $redis_host:$redis_port (CKAN needs it; CKAN_REDIS_URL=$CKAN_REDIS_URL)"

# ---------------------------------------------------------------- 1. virtualenv + CKAN
read -r -a pip_specs <<< "$CKAN_PIP_SPECS"
install_stamp="$CKAN_VENV/.hub-installed"
if [[ ! -x "$CKAN_VENV/bin/ckan" || ! -x "$CKAN_VENV/bin/gunicorn" || "$(cat "$install_stamp" 2>/dev/null)" != "$CKAN_PIP_SPECS" ]]; then
    command -v "$CKAN_PYTHON" >/dev/null 2>&1 || die "'$CKAN_PYTHON' not found (set CKAN_PYTHON to a Python 3.10-3.13)"
    "$CKAN_PYTHON" -c 'import sys; sys.exit(not ((3, 10) <= sys.version_info[:2] <= (3, 13)))' ||
        die "CKAN $CKAN_VERSION needs Python 3.10-3.13; '$CKAN_PYTHON' is $("$CKAN_PYTHON" -V 2>&1)"
    if [[ ! -x "$CKAN_VENV/bin/python" ]]; then
        log "creating virtualenv $CKAN_VENV"
        "$CKAN_PYTHON" -m venv "$CKAN_VENV" || die "python -m venv failed (Debian: apt-get install python3-venv)"
    fi
    log "installing ${pip_specs[*]} into $CKAN_VENV (takes about a minute; log: $CKAN_LOG_DIR/pip.log)"
    if ! "$CKAN_VENV/bin/python" -m pip install --disable-pip-version-check "${pip_specs[@]}" \
            > "$CKAN_LOG_DIR/pip.log" 2>&1; then
        grep -v "is ignored: it is neither a file nor a directory" "$CKAN_LOG_DIR/pip.log" | tail -n 25 >&2
        die "pip install failed (full log: $CKAN_LOG_DIR/pip.log)"
    fi
    echo "$CKAN_PIP_SPECS" > "$install_stamp"
    log "installed CKAN $("$CKAN_VENV/bin/python" -c 'import ckan; print(ckan.__version__)') ($(elapsed)s)"
fi

# ---------------------------------------------------------------- 2. roles and databases
sql_lit() { printf "'%s'" "${1//\'/\'\'}"; }
ensure_role() {
    local role="$1" password="$2"
    if [[ -z "$(psql_su -d postgres -c "select 1 from pg_roles where rolname = $(sql_lit "$role")")" ]]; then
        psql_su -d postgres -c "create role \"$role\" login password $(sql_lit "$password")"
        log "created role $role"
    fi
}
ensure_db() {
    local db="$1" owner="$2"
    if [[ -z "$(psql_su -d postgres -c "select 1 from pg_database where datname = $(sql_lit "$db")")" ]]; then
        psql_su -d postgres -c "create database \"$db\" owner \"$owner\" encoding 'UTF8' template template0"
        log "created database $db"
    fi
}
ensure_role "$CKAN_DB_USER" "$CKAN_DB_PASSWORD"
ensure_role "$CKAN_DS_RO_USER" "$CKAN_DS_RO_PASSWORD"
ensure_db "$CKAN_DB" "$CKAN_DB_USER"
ensure_db "$CKAN_DS_DB" "$CKAN_DB_USER"
db_has_schema="$(psql_su -d "$CKAN_DB" -c "select to_regclass('public.package') is not null")"

# ---------------------------------------------------------------- 3. Solr stand-in
solr_search() { # prints numFound for a query string
    curl -fsS --max-time 10 "$CKAN_SOLR_URL/select?wt=json&rows=0&$1" |
        "$CKAN_VENV/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["response"]["numFound"])'
}
if [[ "$db_has_schema" != t ]]; then
    # a fresh CKAN database: an index left from an older database would show ghosts
    if pid_alive "$SOLR_PIDFILE" solr_standin.py >/dev/null; then
        curl -fsS --max-time 10 -H 'Content-Type: text/xml' --data-binary '<delete><query>*:*</query></delete>' \
            "$CKAN_SOLR_URL/update?commit=true" >/dev/null
    fi
    rm -f "$SOLR_INDEX_FILE"
fi
# restart a running stand-in whose code or port changed
solr_sig="$(sha256sum "$CI_CKAN_DIR/solr_standin.py" | cut -c1-16) port=$CKAN_SOLR_PORT"
if pid_alive "$SOLR_PIDFILE" solr_standin.py >/dev/null &&
        [[ "$(cat "$CKAN_RUN_DIR/solr.sig" 2>/dev/null)" != "$solr_sig" ]]; then
    log "solr_standin.py or CKAN_SOLR_PORT changed: restarting the Solr stand-in"
    stop_pid "$SOLR_PIDFILE" solr_standin.py "Solr stand-in"
fi
if solr_pid="$(pid_alive "$SOLR_PIDFILE" solr_standin.py)"; then
    log "Solr stand-in already running (pid $solr_pid)"
else
    if port_in_use "$CKAN_SOLR_PORT"; then
        die "port $CKAN_SOLR_PORT (Solr stand-in) is taken by another process:
$(port_owner "$CKAN_SOLR_PORT")
Stop it, or set CKAN_SOLR_PORT to a free port."
    fi
    schema_xml="$(compgen -G "$CKAN_VENV/lib/python3*/site-packages/ckan/config/solr/schema.xml" | head -n1 || true)"
    [[ -n "$schema_xml" ]] || die "CKAN's solr/schema.xml not found in $CKAN_VENV"
    (cd "$CKAN_STATE_DIR" && PYTHONDONTWRITEBYTECODE=1 exec setsid "$CKAN_VENV/bin/python" \
        "$CI_CKAN_DIR/solr_standin.py" --host 127.0.0.1 --port "$CKAN_SOLR_PORT" --core ckan \
        --schema "$schema_xml" --data "$SOLR_INDEX_FILE" >> "$CKAN_LOG_DIR/solr.log" 2>&1 < /dev/null 9>&-) &
    echo $! > "$SOLR_PIDFILE"
    echo "$solr_sig" > "$CKAN_RUN_DIR/solr.sig"
    for ((i = 0; i < 100; i++)); do
        curl -fsS --max-time 2 "$CKAN_SOLR_URL/admin/ping" >/dev/null 2>&1 && break
        pid_alive "$SOLR_PIDFILE" solr_standin.py >/dev/null || { tail -n 20 "$CKAN_LOG_DIR/solr.log" >&2; die "the Solr stand-in exited (log: $CKAN_LOG_DIR/solr.log)"; }
        sleep 0.1
    done
    curl -fsS --max-time 2 "$CKAN_SOLR_URL/admin/ping" >/dev/null || die "the Solr stand-in does not answer on $CKAN_SOLR_URL"
    log "Solr stand-in started on $CKAN_SOLR_URL (pid $(cat "$SOLR_PIDFILE"))"
fi

# ---------------------------------------------------------------- 4. ckan.ini
pg="$CKAN_PG_HOST:$CKAN_PG_PORT"
settings=(
    "sqlalchemy.url=postgresql://$CKAN_DB_USER:$CKAN_DB_PASSWORD@$pg/$CKAN_DB"
    "ckan.datastore.write_url=postgresql://$CKAN_DB_USER:$CKAN_DB_PASSWORD@$pg/$CKAN_DS_DB"
    "ckan.datastore.read_url=postgresql://$CKAN_DS_RO_USER:$CKAN_DS_RO_PASSWORD@$pg/$CKAN_DS_DB"
    "ckan.plugins=activity datastore datatables_view image_view"
    "ckan.site_url=$CKAN_URL"
    "ckan.site_id=$CKAN_SITE_ID"
    "ckan.site_title=Eco hub - local CKAN"
    "solr_url=$CKAN_SOLR_URL"
    "ckan.redis.url=$CKAN_REDIS_URL"
    "ckan.storage_path=$CKAN_STORAGE_DIR"
    "ckan.max_resource_size=100"
    "ckan.devserver.host=$CKAN_HOST"
    "ckan.devserver.port=$CKAN_PORT"
)
ini_fp="$(printf '%s\n' "$CKAN_PIP_SPECS" "${settings[@]}" | sha256sum | cut -c1-16)"
ini_changed=0
if [[ ! -s "$CKAN_INI" ]]; then
    "$CKAN_VENV/bin/ckan" generate config "$CKAN_INI" >/dev/null || die "ckan generate config failed"
    rm -f "$CKAN_STATE_DIR/ini.fingerprint"
    log "generated $CKAN_INI"
fi
if [[ "$(cat "$CKAN_STATE_DIR/ini.fingerprint" 2>/dev/null)" != "$ini_fp" ]]; then
    "$CKAN_VENV/bin/ckan" config-tool "$CKAN_INI" "${settings[@]}" >/dev/null || die "ckan config-tool failed"
    "$CKAN_VENV/bin/ckan" config-tool "$CKAN_INI" -s logger_ckanext level=INFO >/dev/null || die "ckan config-tool failed"
    echo "$ini_fp" > "$CKAN_STATE_DIR/ini.fingerprint"
    ini_changed=1
    log "configured $CKAN_INI"
fi

# ---------------------------------------------------------------- 5. database schema + DataStore permissions
db_stamp="$CKAN_STATE_DIR/db.stamp"
db_stamp_want="$CKAN_VERSION $CKAN_DB@$pg"
if [[ "$db_has_schema" != t || "$(cat "$db_stamp" 2>/dev/null)" != "$db_stamp_want" ]]; then
    log "ckan db init (log: $CKAN_LOG_DIR/db-init.log)"
    ckan_cli db init > "$CKAN_LOG_DIR/db-init.log" 2>&1 ||
        { tail -n 25 "$CKAN_LOG_DIR/db-init.log" >&2; die "ckan db init failed"; }
    echo "$db_stamp_want" > "$db_stamp"
fi
if [[ "$(psql_su -d "$CKAN_DS_DB" -c "select to_regclass('public._table_stats') is not null")" != t ]]; then
    log "ckan datastore set-permissions | psql"
    ckan_cli datastore set-permissions > "$CKAN_RUN_DIR/datastore-permissions.sql" 2> "$CKAN_LOG_DIR/datastore-permissions.log" ||
        { tail -n 25 "$CKAN_LOG_DIR/datastore-permissions.log" >&2; die "ckan datastore set-permissions failed"; }
    psql_su -d postgres -f "$CKAN_RUN_DIR/datastore-permissions.sql" >> "$CKAN_LOG_DIR/datastore-permissions.log" 2>&1 ||
        { tail -n 25 "$CKAN_LOG_DIR/datastore-permissions.log" >&2; die "applying the DataStore permissions failed"; }
fi

# ---------------------------------------------------------------- 6. CKAN (gunicorn)
status_ok() { curl -fsS --max-time 5 "$CKAN_URL/api/3/action/status_show" 2>/dev/null | grep -q '"success": true'; }
if ckan_pid="$(pid_alive "$CKAN_PIDFILE" "wsgi:application")" && [[ "$ini_changed" == 1 ]]; then
    log "configuration changed: restarting CKAN"
    stop_pid "$CKAN_PIDFILE" "wsgi:application" "CKAN"
fi
if ckan_pid="$(pid_alive "$CKAN_PIDFILE" "wsgi:application")"; then
    log "CKAN already running (pid $ckan_pid)"
else
    if port_in_use "$CKAN_PORT"; then
        die "port $CKAN_PORT (CKAN) is taken by another process:
$(port_owner "$CKAN_PORT")
Stop it, or set CKAN_PORT to a free port."
    fi
    (cd "$CKAN_STATE_DIR" && CKAN_INI="$CKAN_INI" PYTHONDONTWRITEBYTECODE=1 exec setsid "$CKAN_VENV/bin/gunicorn" \
        --bind "$CKAN_HOST:$CKAN_PORT" --workers "$CKAN_WORKERS" --threads "$CKAN_THREADS" \
        --timeout 120 --graceful-timeout 10 --no-control-socket --pythonpath "$CI_CKAN_DIR" \
        --access-logfile "$CKAN_LOG_DIR/access.log" --error-logfile - --capture-output \
        wsgi:application >> "$CKAN_LOG_DIR/ckan.log" 2>&1 < /dev/null 9>&-) &
    echo $! > "$CKAN_PIDFILE"
    log "starting CKAN on $CKAN_URL (pid $(cat "$CKAN_PIDFILE"), log: $CKAN_LOG_DIR/ckan.log)"
fi
deadline=$((SECONDS + CKAN_START_TIMEOUT))
until status_ok; do
    if ! pid_alive "$CKAN_PIDFILE" "wsgi:application" >/dev/null; then
        tail -n 30 "$CKAN_LOG_DIR/ckan.log" >&2
        die "CKAN exited during start-up (log: $CKAN_LOG_DIR/ckan.log)"
    fi
    if ((SECONDS > deadline)); then
        tail -n 30 "$CKAN_LOG_DIR/ckan.log" >&2
        die "CKAN did not answer $CKAN_URL/api/3/action/status_show within ${CKAN_START_TIMEOUT}s"
    fi
    sleep 0.2
done
log "CKAN answers status_show ($(elapsed)s)"

# ---------------------------------------------------------------- 7. search index consistent with the database
db_count="$(psql_su -d "$CKAN_DB" -c "select count(*) from package where state <> 'deleted'")"
idx_count="$(solr_search "q=*:*&fq=%2Bsite_id:%22$CKAN_SITE_ID%22")"
if [[ "$db_count" != "$idx_count" ]]; then
    log "search index has $idx_count datasets, database $db_count: ckan search-index rebuild"
    ckan_cli search-index rebuild -q > "$CKAN_LOG_DIR/search-index.log" 2>&1 ||
        { tail -n 25 "$CKAN_LOG_DIR/search-index.log" >&2; die "ckan search-index rebuild failed"; }
fi

# ---------------------------------------------------------------- 8. sysadmin + API token
user_row="$(psql_su -d "$CKAN_DB" -c "select state || ' ' || sysadmin from \"user\" where name = $(sql_lit "$CKAN_SYSADMIN")")"
case "$user_row" in
    "active true") ;;
    "active false")
        log "making $CKAN_SYSADMIN a sysadmin"
        ckan_cli sysadmin add "$CKAN_SYSADMIN" > "$CKAN_LOG_DIR/sysadmin.log" 2>&1 ||
            { tail -n 20 "$CKAN_LOG_DIR/sysadmin.log" >&2; die "ckan sysadmin add failed"; } ;;
    "")
        log "creating sysadmin $CKAN_SYSADMIN"
        admin_pw="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
        ckan_cli sysadmin add "$CKAN_SYSADMIN" --create "email=$CKAN_SYSADMIN_EMAIL" "password=$admin_pw" \
            "fullname=Eco hub CI admin" > "$CKAN_LOG_DIR/sysadmin.log" 2>&1 ||
            { tail -n 20 "$CKAN_LOG_DIR/sysadmin.log" >&2; die "ckan sysadmin add failed"; }
        (umask 077; echo "$admin_pw" > "$CKAN_STATE_DIR/sysadmin.password") ;;
    *)
        die "user '$CKAN_SYSADMIN' exists in state '$user_row'; run .ci/ckan/reset.sh for a clean slate" ;;
esac

token_ok() { # config_option_list answers 200 to sysadmins only
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "Authorization: $1" \
        "$CKAN_URL/api/3/action/config_option_list")" == 200 ]]
}
token="$(sed -n 's/^HUB_CKAN_TOKEN=//p' "$CKAN_ENV_FILE" 2>/dev/null | tail -n1 || true)"
if [[ -z "$token" ]] || ! token_ok "$token"; then
    log "creating an API token for $CKAN_SYSADMIN"
    token_out="$(ckan_cli user token add "$CKAN_SYSADMIN" "hub-ci-$(date +%Y%m%dT%H%M%S)" 2> "$CKAN_LOG_DIR/token.log")" ||
        { tail -n 20 "$CKAN_LOG_DIR/token.log" >&2; die "ckan user token add failed"; }
    token="$(printf '%s\n' "$token_out" | tail -n1 | tr -d '[:space:]')"
    token_ok "$token" || die "the new API token is not accepted by CKAN"
fi

# ---------------------------------------------------------------- 9. connection facts
facts="HUB_CKAN_URL=$CKAN_URL
HUB_CKAN_TOKEN=$token
HUB_CKAN_USER=$CKAN_SYSADMIN"
(umask 077; printf '%s\n' "$facts" > "$CKAN_ENV_FILE.tmp" && mv "$CKAN_ENV_FILE.tmp" "$CKAN_ENV_FILE")
log "ready in $(elapsed)s: CKAN $CKAN_URL, Solr stand-in $CKAN_SOLR_URL, facts in $CKAN_ENV_FILE"
printf '%s\n' "$facts" | sed "s/^/$export_prefix/"
