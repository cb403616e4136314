# Shared settings and helpers for .ci/ckan/{up,down,reset}.sh. Sourced, not run.
# Every setting can be overridden from the environment.
# shellcheck shell=bash

CI_CKAN_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$CI_CKAN_DIR/../.." && pwd)"

# Keep the caller's Python environment (e.g. the project's activated .venv) out of ours.
unset PYTHONPATH PYTHONHOME VIRTUAL_ENV PYTHONSTARTUP

CKAN_VERSION="${CKAN_VERSION:-2.12.0}"
CKAN_PIP_SPECS="${CKAN_PIP_SPECS:-ckan[requirements]==$CKAN_VERSION gunicorn==27.0.1}"
CKAN_PYTHON="${CKAN_PYTHON:-python3}"

CKAN_STATE_DIR="${CKAN_STATE_DIR:-$REPO_ROOT/.ckan}"
CKAN_VENV="${CKAN_VENV:-$CKAN_STATE_DIR/venv}"
CKAN_INI="${CKAN_INI:-$CKAN_STATE_DIR/ckan.ini}"
CKAN_ENV_FILE="${CKAN_ENV_FILE:-$CKAN_STATE_DIR/env}"
CKAN_STORAGE_DIR="$CKAN_STATE_DIR/storage"
CKAN_LOG_DIR="$CKAN_STATE_DIR/log"
CKAN_RUN_DIR="$CKAN_STATE_DIR/run"
CKAN_PIDFILE="$CKAN_RUN_DIR/ckan.pid"
SOLR_PIDFILE="$CKAN_RUN_DIR/solr.pid"
SOLR_INDEX_FILE="$CKAN_STATE_DIR/solr-index.json"

CKAN_HOST="${CKAN_HOST:-127.0.0.1}"
CKAN_PORT="${CKAN_PORT:-5055}"
CKAN_URL="http://$CKAN_HOST:$CKAN_PORT"
CKAN_SOLR_PORT="${CKAN_SOLR_PORT:-8983}"
CKAN_SOLR_URL="http://127.0.0.1:$CKAN_SOLR_PORT/solr/ckan"
CKAN_WORKERS="${CKAN_WORKERS:-1}"
CKAN_THREADS="${CKAN_THREADS:-4}"
CKAN_START_TIMEOUT="${CKAN_START_TIMEOUT:-120}"
CKAN_SITE_ID="${CKAN_SITE_ID:-ckan_hub}"

CKAN_PG_HOST="${CKAN_PG_HOST:-127.0.0.1}"
CKAN_PG_PORT="${CKAN_PG_PORT:-5432}"
CKAN_PG_SUPERUSER="${CKAN_PG_SUPERUSER:-postgres}"
CKAN_DB="${CKAN_DB:-ckan_hub}"
CKAN_DS_DB="${CKAN_DS_DB:-ckan_hub_datastore}"
CKAN_DB_USER="${CKAN_DB_USER:-ckan_hub}"
CKAN_DB_PASSWORD="${CKAN_DB_PASSWORD:-ckan_hub_local}"
CKAN_DS_RO_USER="${CKAN_DS_RO_USER:-ckan_hub_ds_ro}"
CKAN_DS_RO_PASSWORD="${CKAN_DS_RO_PASSWORD:-ckan_hub_ds_ro_local}"
CKAN_REDIS_URL="${CKAN_REDIS_URL:-redis://127.0.0.1:6379/3}"

CKAN_SYSADMIN="${CKAN_SYSADMIN:-hubadmin}"
CKAN_SYSADMIN_EMAIL="${CKAN_SYSADMIN_EMAIL:-hubadmin@example.org}"

log()  { printf '[ckan] %s\n' "$*" >&2; }
die()  { printf '[ckan] ERROR: %s\n' "$*" >&2; exit 1; }

psql_su() {
    # psql as the PostgreSQL superuser; quiet, unaligned, tuples only, stop on error.
    psql -h "$CKAN_PG_HOST" -p "$CKAN_PG_PORT" -U "$CKAN_PG_SUPERUSER" -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

ckan_cli() {
    "$CKAN_VENV/bin/ckan" -c "$CKAN_INI" "$@"
}

# pid_alive PIDFILE PATTERN -> prints the pid and succeeds if the process in PIDFILE
# is alive and its command line contains PATTERN (guards against recycled pids).
pid_alive() {
    local pidfile="$1" pattern="$2" pid
    [[ -s "$pidfile" ]] || return 1
    pid="$(cat "$pidfile")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ -r "/proc/$pid/cmdline" ]] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$pattern" || return 1
    echo "$pid"
}

# port_in_use PORT -> succeeds if something listens on 127.0.0.1:PORT
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port_owner() {
    ss -ltnpH "sport = :$1" 2>/dev/null | sed 's/^/    /' || true
}

# running PID -> succeeds while PID exists and is not a zombie (our daemons are
# re-parented to PID 1, which may reap them late).
running() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }"
    [[ "${stat:0:1}" != Z ]]
}

# stop_pid PIDFILE PATTERN NAME: TERM, wait up to 15 s, then KILL its process group.
stop_pid() {
    local pidfile="$1" pattern="$2" name="$3" pid i
    if ! pid="$(pid_alive "$pidfile" "$pattern")"; then
        rm -f "$pidfile"
        log "$name: not running"
        return 0
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
        running "$pid" || break
        sleep 0.1
    done
    if running "$pid"; then
        log "$name: did not stop after 15 s; killing process group $pid"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    log "$name: stopped (pid $pid)"
}
