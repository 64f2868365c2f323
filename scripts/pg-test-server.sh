#!/usr/bin/env bash
# Starts a throw-away PostgreSQL server on 127.0.0.1 for the store tests,
# as the non-root `postgres` user, and prints the admin URL to use as
# EXITDESK_TEST_PG_URL. Usage: scripts/pg-test-server.sh start DIR [PORT] | stop DIR
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?DIR}; port=${3:-15432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ]; then
    echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2
    exit 1
fi
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case $cmd in
start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    as_pg "$bin/pg_ctl" -D "$dir/data" stop -m fast >/dev/null || true
    ;;
esac
