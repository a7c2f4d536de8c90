#!/usr/bin/env bash
# Outbound benchmark (issue #4), not a test: submits N messages on the submission port (STARTTLS + AUTH,
# DKIM-signed by the server) to a remote domain whose MX is Postfix's smtp-sink on loopback, and prints
#   1. the submission rate (SmtpLoad: accepted msgs/s, p50/p99 from MAIL to the final 250), and
#   2. the queue draining while submission goes on: N divided by the time until the queue is empty, and
#   3. the outbound rate alone: N messages queued while the sink is down, then the sink started and the queue
#      flushed; N divided by the time until it is empty.
# Needs the built server (./mvnw -DskipTests package), unbound and postfix (smtp-sink) installed, root.
#   tools/outbound-bench.sh [h2|pg] [MESSAGES] [SIZE]
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-pg}; n=${2:-2000}; size=${3:-4096}
work=$(mktemp -d /tmp/merpati-outbound-bench.XXXX)
dnsport=25399; sinkport=25398; http=8080
cleanup() {
  pkill -f "jboss.server.data.dir=$work" 2>/dev/null || true
  [ -n "${sinkpid:-}" ] && kill "$sinkpid" 2>/dev/null || true
  [ -n "${unboundpid:-}" ] && kill "$unboundpid" 2>/dev/null || true
}
trap cleanup EXIT
cat > "$work/unbound.conf" <<CONF
server:
  interface: 127.0.0.1
  port: $dnsport
  do-daemonize: no
  chroot: ""
  username: ""
  directory: "$work"
  pidfile: ""
  use-syslog: no
  do-ip6: no
  access-control: 127.0.0.0/8 allow
  module-config: "iterator"
  local-zone: "sink.test." static
  local-data: "sink.test. 60 IN MX 10 mx.sink.test."
  local-data: "mx.sink.test. 60 IN A 127.0.0.1"
remote-control:
  control-enable: no
CONF
/usr/sbin/unbound -d -c "$work/unbound.conf" > "$work/unbound.log" 2>&1 & unboundpid=$!
# smtp-sink: accepts everything, PIPELINING, 8BITMIME; -c prints a running message count
sink() { /usr/sbin/smtp-sink -u postfix -c 127.0.0.1:$sinkport 256 > "$work/sink.log" 2>&1 & sinkpid=$!; }
sink
export MERPATI_OUTBOUND_RETRY_SCHEDULE=1h
export MERPATI_DATA_DIR=$work/data MERPATI_DNS_SERVERS=127.0.0.1:$dnsport MERPATI_OUTBOUND_PORT=$sinkport
export MERPATI_HOSTNAME=mx.bench.test
export MERPATI_ADMIN_PASSWORD=${MERPATI_ADMIN_PASSWORD:-bench-admin-password} MERPATI_ADMIN_USER=admin@localhost
export MERPATI_SUBMISSION_RATE_PER_SENDER=100000000 MERPATI_SUBMISSION_RATE_PER_DOMAIN=100000000
if [ "$db" = pg ]; then
  eval "$(tools/postgres-dev.sh start)"; export MERPATI_DB_URL MERPATI_DB_USER MERPATI_DB_PASSWORD
  export MERPATI_DB_DRIVER=org.postgresql.Driver
  runuser -u postgres -- psql -h 127.0.0.1 -p 5433 -U merpati -d merpati -qc \
    'drop schema public cascade; create schema public;' >/dev/null
fi
srv=ear/target/wildfly-39.0.1.Final
"$srv/bin/standalone.sh" -c merpati.xml -Djboss.server.data.dir=$work -Djboss.server.log.dir=$work/log \
  > "$work/server.log" 2>&1 &
for i in $(seq 1 120); do curl -sf localhost:$http/api/health/ready >/dev/null 2>&1 && break; sleep 1; done
./merpati admin domain add bench.test >/dev/null
./merpati admin user add sender@bench.test --password 'bench submission password' >/dev/null
./merpati admin dkim generate bench.test >/dev/null
auth=(--user sender@bench.test --password 'bench submission password' --from sender@bench.test)
# JIT warm-up, then wait until it is all sent
java tools/SmtpLoad.java --port 2587 "${auth[@]}" --to r@sink.test --messages 500 --size "$size" --connections 8 >/dev/null
queued() { curl -s -u "admin@localhost:${MERPATI_ADMIN_PASSWORD}" localhost:$http/api/admin/queue | grep -o '"address"' | wc -l; }
while [ "$(queued)" != 0 ]; do sleep 0.5; done
echo "== submission of $n x $size bytes, 8 connections, DKIM rsa-sha256, $db"
start=$(date +%s.%N)
java tools/SmtpLoad.java --port 2587 "${auth[@]}" --to a@sink.test,b@sink.test,c@sink.test,d@sink.test \
  --messages "$n" --size "$size" --connections 8 | tail -2
while [ "$(queued)" != 0 ]; do sleep 0.2; done
end=$(date +%s.%N)
echo "== outbound: queue empty after $(echo "$end - $start" | bc) s: $(echo "scale=1; $n / ($end - $start)" | bc) msgs/s into smtp-sink"
kill "$sinkpid"; wait "$sinkpid" 2>/dev/null || true
java tools/SmtpLoad.java --port 2587 "${auth[@]}" --to a@sink.test,b@sink.test,c@sink.test,d@sink.test \
  --messages "$n" --size "$size" --connections 8 >/dev/null
sleep 5   # the first attempts fail (connection refused) and wait an hour
echo "== $n more submitted while the sink was down; sink started, queue flushed"
sink; sleep 0.5
start=$(date +%s.%N)
./merpati admin queue flush >/dev/null
while [ "$(queued)" != 0 ]; do sleep 0.2; done
end=$(date +%s.%N)
echo "== outbound alone: $n messages in $(echo "$end - $start" | bc) s: $(echo "scale=1; $n / ($end - $start)" | bc) msgs/s into smtp-sink"
