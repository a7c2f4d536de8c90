#!/usr/bin/env bash
# Starts (or stops) a private PostgreSQL cluster on loopback for running Merpati on PostgreSQL locally and
# for the benchmarks. Uses the Debian PostgreSQL binaries (apt-get install postgresql-15).
#   tools/postgres-dev.sh start   -> prints the MERPATI_DB_* variables to export
#   tools/postgres-dev.sh stop
set -euo pipefail
dir=${MERPATI_PG_DIR:-/tmp/merpati-pg}
port=${MERPATI_PG_PORT:-5433}
bin=${MERPATI_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/pg_ctl" ] || { echo "no PostgreSQL binaries (apt-get install postgresql-15)" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
      as_pg "$bin/initdb" -D "$dir" -U merpati --auth=trust -E UTF8 >/dev/null
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      # the server outlives this script, so it must not inherit its descriptors (flock's lock around a benchmark)
      for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-" 2>/dev/null || true; done
      as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $dir -c max_connections=200 -c shared_buffers=256MB -c shared_preload_libraries=pg_stat_statements" start >/dev/null
    fi
    as_pg "$bin/psql" -h 127.0.0.1 -p "$port" -U merpati -d postgres -tAc "select 1 from pg_database where datname='merpati'" \
      | grep -q 1 || as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U merpati merpati
    echo "export MERPATI_DB_URL=jdbc:postgresql://127.0.0.1:$port/merpati MERPATI_DB_USER=merpati MERPATI_DB_PASSWORD=merpati" ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
