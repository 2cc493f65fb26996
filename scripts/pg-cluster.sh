#!/usr/bin/env bash
# A throw-away PostgreSQL server for the history tests (issue 16).
#
#   scripts/pg-cluster.sh start   # install Debian's postgresql when missing, initdb + start; prints the URL line
#   scripts/pg-cluster.sh env     # prints ZIZHU_TEST_POSTGRES_URL=postgres://… of the running cluster
#   scripts/pg-cluster.sh stop    # stops it and removes its folder
#
# The cluster lives in a temporary folder of its own (one per checkout, outside the tree), owned by an
# unprivileged user: the caller itself, or — when run as root, as CI is — the system user `zizhu-pg`
# (created when missing; PostgreSQL refuses to run as root). It listens on a free port on 127.0.0.1 only,
# and on a unix socket in that folder; fsync is off (nothing in it is worth keeping). The URL carries a
# random password (SCRAM over TCP, as a real office server would ask). Use it as
#   export "$(scripts/pg-cluster.sh env)"
# Progress and errors go to stderr; stdout is only the URL line.
set -euo pipefail
cd "$(dirname "$0")/.."

action=${1:-}
repo=$(pwd -P)
key=$(printf '%s' "$repo" | sha1sum | cut -c1-10)
base=${ZIZHU_PG_DIR:-${TMPDIR:-/tmp}/zizhu-pg-$key}
data=$base/data
state=$base/url
pg_user=zizhu-pg
db_user=zizhu
db_name=zizhu_test

say() { echo "pg-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

bindir() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n "$dir" && -x "$dir/initdb" ]]; then echo "$dir"; return; fi
    if command -v pg_ctl >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return; fi
    return 1
}

install_postgres() {
    bindir >/dev/null && return 0
    say "installing Debian's postgresql …"
    local sudo=""
    [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
    $sudo apt-get update -qq || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null || die "apt-get install postgresql failed"
    bindir >/dev/null || die "postgresql installed, but no initdb under /usr/lib/postgresql/*/bin"
}

# Runs a command as the cluster's owner (from /, which that user can always enter).
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        (cd / && runuser -u "$pg_user" -- "$@")
    else
        "$@"
    fi
}

ensure_owner() {
    [[ "$(id -u)" -eq 0 ]] || return 0
    id -u "$pg_user" >/dev/null 2>&1 && return 0
    say "creating the system user $pg_user"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$pg_user" \
        || die "cannot create the system user $pg_user (useradd failed)"
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
        && return 0
    local port
    for port in $(seq 54320 54420); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return 0; }
    done
    return 1
}

running() {
    [[ -f "$state" && -d "$data" ]] || return 1
    local bin
    bin=$(bindir) || return 1
    as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

start() {
    if running; then
        say "already running in $base"
        cat "$state"
        return 0
    fi
    install_postgres
    local bin port password
    bin=$(bindir)
    ensure_owner
    [[ -d "$base" ]] && { say "removing a stale cluster folder $base"; rm -rf "$base"; }
    mkdir -p "$base"
    chmod 755 "$base"
    [[ "$(id -u)" -eq 0 ]] && chown "$pg_user" "$base"
    port=$(free_port) || die "no free local port found"
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-20)
    [[ -n "$password" ]] || die "cannot read /dev/urandom"
    printf '%s\n' "$password" > "$base/pwfile"
    chmod 600 "$base/pwfile"
    [[ "$(id -u)" -eq 0 ]] && chown "$pg_user" "$base/pwfile"
    say "initdb in $data (owner $(as_owner id -un), PostgreSQL $("$bin/postgres" --version | awk '{print $3}'))"
    as_owner "$bin/initdb" -D "$data" -U "$db_user" --pwfile="$base/pwfile" --auth-local=trust \
        --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >"$base/initdb.log" 2>&1 \
        || { cat "$base/initdb.log" >&2; die "initdb failed"; }
    rm -f "$base/pwfile"
    say "starting on 127.0.0.1:$port (socket folder $base)"
    as_owner "$bin/pg_ctl" -D "$data" -l "$base/server.log" -w -t 60 \
        -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null 2>&1 || { tail -n 20 "$base/server.log" >&2 || true; die "the server did not start"; }
    as_owner "$bin/psql" -X -q -h "$base" -p "$port" -U "$db_user" -d postgres \
        -c "CREATE DATABASE $db_name" >/dev/null || die "CREATE DATABASE $db_name failed"
    (umask 077; echo "ZIZHU_TEST_POSTGRES_URL=postgres://$db_user:$password@127.0.0.1:$port/$db_name" > "$state")
    cat "$state"
}

stop() {
    local bin
    if [[ -d "$data" ]] && bin=$(bindir); then
        as_owner "$bin/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [[ -d "$base" ]]; then
        rm -rf "$base"
        say "stopped and removed $base"
    fi
}

case "$action" in
    start) start ;;
    stop) stop ;;
    env) running || die "no cluster running for this checkout (scripts/pg-cluster.sh start)"; cat "$state" ;;
    *) echo "usage: scripts/pg-cluster.sh start|stop|env" >&2; exit 2 ;;
esac
