#!/usr/bin/env bash
# Measures the server's memory per idle IMAP connection: opens N connections in IDLE (tools/ImapIdle.java,
# Java 21+ for virtual threads) against a running server and reports the growth of the server's resident
# memory and of its Java heap after a full GC, divided by N.
#   tools/imap-idle-memory.sh [N] [PORT] [USER_PATTERN] [PASSWORD] [USER_COUNT]
# The server must allow that many connections: MERPATI_IMAP_MAX_CONNECTIONS_PER_IP and
# MERPATI_IMAP_MAX_CONNECTIONS_PER_USER high enough, and its own `ulimit -n` above N.
# With HISTO=1 it also prints the classes whose live instances grew most, in bytes per connection (jmap -histo:live);
# with HEAPDUMP=file it writes a heap dump while the connections are open.
set -euo pipefail
n=${1:-10000}; port=${2:-2993}; users=${3:-bench%d@bench.test}; password=${4:-bench-password}; user_count=${5:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
java21=${JAVA21:-}
if [ -z "$java21" ]; then # the first JDK of version 21 or later: the client uses virtual threads
  for j in java /usr/lib/jvm/*/bin/java; do
    v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}') || continue
    if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then java21=$j; break; fi
  done
fi
[ -n "$java21" ] || { echo "needs Java 21 or later for the client (set JAVA21)" >&2; exit 1; }
pid=$(pgrep -f 'jboss-modules.jar' | head -1)
[ -n "$pid" ] || { echo "no running server" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"

measure() { # prints "rss_kib heap_kib" after a full GC
  jcmd "$pid" GC.run >/dev/null
  sleep 2
  local rss heap
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  heap=$(jcmd "$pid" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  echo "$rss $heap"
}

histogram() { # "class bytes" of live objects
  jmap -histo:live "$pid" | awk '$1 ~ /^[0-9]+:$/ {b[$4] += $3} END {for (c in b) print c, b[c]}' | sort
}

read -r rss0 heap0 < <(measure)
[ -z "${HISTO:-}" ] || histogram > /tmp/imap-idle.histo0
fifo=$(mktemp -u); mkfifo "$fifo"
"$java21" -Xss256k "$root/tools/ImapIdle.java" --port "$port" --users "$users" --user-count "$user_count" \
  --password "$password" --connections "$n" < "$fifo" > /tmp/imap-idle.out 2>&1 &
client=$!
exec 3>"$fifo"
until grep -q '^ready' /tmp/imap-idle.out 2>/dev/null; do
  kill -0 "$client" 2>/dev/null || { cat /tmp/imap-idle.out; exit 1; }
  sleep 1
done
ok=$(awk '/^ready/ {print $2}' /tmp/imap-idle.out)
sleep 5
read -r rss1 heap1 < <(measure)
[ -z "${HISTO:-}" ] || histogram > /tmp/imap-idle.histo1
[ -z "${HEAPDUMP:-}" ] || jcmd "$pid" GC.heap_dump "$HEAPDUMP" >/dev/null
exec 3>&-
wait "$client" || true
rm -f "$fifo"
echo "idle connections: $ok (asked $n)"
echo "server RSS:  $rss0 KiB -> $rss1 KiB = $(( (rss1 - rss0) * 1024 / (ok > 0 ? ok : 1) )) bytes per connection"
echo "Java heap:   $heap0 KiB -> $heap1 KiB = $(( (heap1 - heap0) * 1024 / (ok > 0 ? ok : 1) )) bytes per connection (after full GC)"
if [ -n "${HISTO:-}" ]; then
  echo "live heap growth by class, bytes per connection:"
  join -a 2 -e 0 -o 0,1.2,2.2 /tmp/imap-idle.histo0 /tmp/imap-idle.histo1 \
    | awk -v n="$ok" '{d = ($3 - $2) / (n > 0 ? n : 1); if (d >= 8) printf "%8.0f  %s\n", d, $1}' | sort -rn | head -40
fi
