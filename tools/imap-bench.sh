#!/usr/bin/env bash
# IMAP mix benchmark (issue #3), not a test: starts the built server (./mvnw -DskipTests package) on a fresh data
# directory and database, creates C users and runs tools/ImapLoad.java (C clients over TLS, S seconds, mailboxes of
# M messages). The figures in the closing notes come from `tools/imap-bench.sh pg 20 30 1000`.
#   tools/imap-bench.sh [pg|h2] [CLIENTS] [SECONDS] [MAILBOX_SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-pg}; clients=${2:-20}; secs=${3:-30}; size=${4:-1000}
work=$(mktemp -d /tmp/merpati-imap-bench.XXXX)
trap 'pkill -f "jboss.server.data.dir=$work" 2>/dev/null || true' EXIT
export MERPATI_DATA_DIR=$work MERPATI_ADMIN_PASSWORD=${MERPATI_ADMIN_PASSWORD:-bench-admin-password}
export MERPATI_ADMIN_USER=admin@localhost
if [ "$db" = pg ]; then
  eval "$(tools/postgres-dev.sh start)"; export MERPATI_DB_URL MERPATI_DB_USER MERPATI_DB_PASSWORD
  export MERPATI_DB_DRIVER=org.postgresql.Driver
  runuser -u postgres -- psql -h 127.0.0.1 -p 5433 -U merpati -d merpati -qc \
    'drop schema public cascade; create schema public;' >/dev/null 2>&1
fi
export MERPATI_IMAP_MAX_CONNECTIONS=20000 MERPATI_IMAP_MAX_CONNECTIONS_PER_IP=20000
export MERPATI_IMAP_MAX_CONNECTIONS_PER_USER=20000 MERPATI_IMAP_LOGIN_TIMEOUT=600
if [ -n "${BENCH_JFR:-}" ]; then
  # a flight recording of the run (JFR's "profile" settings distort this mix badly; "default" does not)
  export JAVA_OPTS="${JBOSS_JAVA_SIZING:--Xms64m -Xmx512m} -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true
    -Djboss.modules.system.pkgs=org.jboss.byteman -XX:StartFlightRecording=settings=default,filename=$BENCH_JFR"
fi
ear/target/wildfly-39.0.1.Final/bin/standalone.sh -c merpati.xml -Djboss.server.data.dir=$work/server \
  -Djboss.server.log.dir=$work/log > "$work/server.out" 2>&1 &
for i in $(seq 1 120); do curl -sf localhost:8080/api/health/ready >/dev/null 2>&1 && break; sleep 1; done
./merpati admin domain add bench.test >/dev/null
for i in $(seq 0 $((clients-1))); do
  ./merpati admin user add "bench$i@bench.test" --password bench-password --quota 0 >/dev/null
done
java tools/ImapLoad.java --port 2993 --users 'bench%d@bench.test' --password bench-password \
  --clients "$clients" --seconds "$secs" --mailbox-size "$size"
