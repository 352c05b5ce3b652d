#!/usr/bin/env bash
# bench/streams.sh - idle live streams held by one node (PostgreSQL), and one published
# event reaching all of them.  The client is bench/sse-streams.js (node, no npm modules).
#
# Environment: BENCH_STREAMS (10000) streams to open, BENCH_STREAMS_CONCURRENCY (256) opening
# at once; see bench/lib.sh for the rest.  Everything is bounded in time and on 127.0.0.1;
# every process started here is stopped by its PID on exit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init streams
need node psql curl

N=${BENCH_STREAMS:-10000}
CONC=${BENCH_STREAMS_CONCURRENCY:-256}
# One descriptor per stream on each side: take the hard limit (the server raises its own soft
# limit to the hard limit by itself; node and ruche inherit this one).
HARD=$(ulimit -Hn)
if [[ $HARD != unlimited ]]; then ulimit -n "$HARD"; else ulimit -n 1048576 2>/dev/null || true; fi
NOFILE=$(ulimit -n)
log "ulimit -n: $NOFILE (hard $HARD)"

pg_ensure
pg_createdb bench_streams
log "PostgreSQL instance"
make_instance "$TMP/data" "$(pg_url bench_streams)"
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_ruche "$TMP/data" "$PORT" "$TMP/serve.log"
SRV_PID=$RUCHE_PID
sign_in "$URL"
MEMBER=$(psql -At "$(pg_url bench_streams)" -c "SELECT id FROM account WHERE email = '$EMAIL'")
[[ $MEMBER =~ ^[0-9]+$ ]] || die "no member id for $EMAIL"
SERVER_NOFILE=$(awk '/^Max open files/ {print $4}' "/proc/$SRV_PID/limits")

CONFIG=$(node -e 'console.log(JSON.stringify({host: "127.0.0.1", port: +process.argv[1], cookie: process.argv[2],
    n: +process.argv[3], concurrency: +process.argv[4], serverPid: +process.argv[5], bin: process.argv[6],
    data: process.argv[7], member: +process.argv[8], publishes: 3, openBudgetMs: 90000, holdMs: 25000,
    releaseMs: 45000}))' "$PORT" "$COOKIE" "$N" "$CONC" "$SRV_PID" "$BIN" "$TMP/data" "$MEMBER")
log "opening $N streams to $URL/live ($CONC at once)"
accounted "$TMP/streams.json" "$TMP/streams.err" timeout 240 node "$REPO/bench/sse-streams.js" "$CONFIG"
[[ -s "$TMP/streams.json" ]] || { cat "$TMP/streams.err" >&2; die "sse-streams.js failed ($ACC_RC)"; }
cat "$TMP/streams.json" >&2
ALIVE=no
[[ $(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz" || true) == 200 ]] && ALIVE=yes
T0=$(date +%s.%N)
stop_ruche "$SRV_PID"
STOP_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
WARNS=$(grep -c -E 'level=(warn|error)' "$TMP/serve.log" || true)
grep -E 'level=(warn|error)' "$TMP/serve.log" | sed -E 's/^ts=[^ ]+ //' | sort | uniq -c | sort -rn | head -5 >"$TMP/warns.txt" || true

J=$TMP/streams.json
j() { json_get "$J" "$1"; }
f0() { awk -v x="$1" 'BEGIN { if (x == "") print "—"; else printf "%.0f", x }'; }
f1() { awk -v x="$1" 'BEGIN { if (x == "") print "—"; else printf "%.1f", x }'; }
OPENED=$(j j.opened)
ERRORS=$(j 'Object.entries(j.errors).map(([k, v]) => v + " × " + k).join(", ") || "none"')
STOPPED=$(j 'j.stoppedBecause || ""')
CLOSED=$(j 'Object.entries(j.serverClosed).map(([k, v]) => v + " × " + k).join(", ") || "none"')
RSS0=$(j j.memBefore.rssKiB) RSS1=$(j j.memOpen.rssKiB) HWM1=$(j j.memOpen.hwmKiB)
PER=$(awk -v a="$RSS0" -v b="$RSS1" -v n="$OPENED" 'BEGIN { if (n > 0) printf "%.1f", (b - a) / n; else print "—" }')
PUBROWS=$(node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const f = (x) => x === null || x === undefined ? "—" : x.toFixed(0);
j.publishes.forEach((p, i) => console.log(`| event ${i + 1} | ${p.received} of ${p.expected} | ${f(p.firstMs)} | ${f(p.p50Ms)} | ${f(p.lastMs)} | ${f(p.processMs)} |`));
' "$J")
[[ -n "$(j 'j.publishError || ""')" ]] && PUBROWS+=$'\n'"| debug-publish failed: $(j j.publishError) | | | | | |"

LASTMAX=$(j 'Math.max(...j.publishes.map((p) => p.lastMs ?? 0)).toFixed(0)')
PROCMED=$(j 'j.publishes.map((p) => p.processMs ?? 0).sort((a, b) => a - b)[Math.floor(j.publishes.length / 2)]?.toFixed(0)')
ALLGOT=$(j 'j.publishes.length > 0 && j.publishes.every((p) => p.received === p.expected && p.expected > 0) ? "yes" : "no"')
if [[ $OPENED -ge $N ]]; then
    MEANING="**What this means.** One node held all $N streams at once"
else
    MEANING="**What this means.** One node held $OPENED of the $N streams asked for (where and why it
stopped: the errors above)"
fi
MEANING+=" at about $PER KiB each, i.e. $(awk -v k="$PER" 'BEGIN { printf "%.0f", k * 10000 / 1024 }') MiB per 10,000 streams.  That is about the size of
libmicrohttpd's per-connection memory pool (\`MHD_OPTION_CONNECTION_MEMORY_LIMIT\`, 32 KiB in
\`src/http/server.c\`), which a parked stream keeps whole: that limit (one per daemon, not per
route) is the lever if stream memory matters."
if [[ $ALLGOT == yes ]]; then
    MEANING+="  Every event reached every stream, the last one at most $LASTMAX ms after debug-publish
was spawned (its own run takes ~$PROCMED ms); that includes the client's time to read $OPENED sockets
on one node.js thread, so the server's fan-out is at most that."
else
    MEANING+="  **Not every event reached every stream** (see the table)."
fi
MEANING+="

The heartbeat is the weak spot: every 20 s the dispatcher checks the session of each stream with one
query per stream while holding the bus lock, so the ping wave over $(j j.heartbeat?.streams) streams took
$(f0 "$(j j.heartbeat?.spreadMs)") ms, and during it a new \`/live\` request waited up to $(f0 "$(j j.probes?.newLive.maxMs)") ms to be
answered: \`live_page_stream()\` (and \`client_closed()\`, when a stream ends) block on that lock in a
libmicrohttpd worker thread, and every connection of that thread waits with it.  Checking each
distinct session once per heartbeat, or outside the lock, would shorten this.  Clients that go
away are noticed only when a write to them fails, which takes two writes (heartbeats) on a
closed TCP connection: here the server's descriptors came back down $( [[ -n "$(j 'j.releaseMs ?? ""')" ]] && echo "$(f1 "$(awk -v x="$(j j.releaseMs)" 'BEGIN{print x/1000}')") s" || echo "more than 45 s" ) after
the clients closed (two heartbeats, 20 s apart), and it logs one \`level=warn\` libmicrohttpd line per departed stream
(\"Failed to send the chunked response body…\"), which will flood the log of a busy site."

{
cat <<EOF
## 4. Idle live streams held by one node

One \`ruche serve --threads $THREADS\` node on PostgreSQL; \`node bench/sse-streams.js\` opens
\`GET /live\` streams with the demo administrator's session cookie, at most $CONC opening at once,
each counted once the server's \`: connected\` line arrived.  \`ulimit -n\` is $NOFILE for the client;
the server's soft limit, raised by itself, is $SERVER_NOFILE.  Memory is VmRSS / VmHWM from
\`/proc/PID/status\`; descriptors are \`/proc/PID/fd\` entries.

| measure | value |
|---|---|
| streams asked for / held open at once | $N / **$OPENED** (opened in $(f1 "$(j j.openSeconds)") s)$( [[ -n "$STOPPED" ]] && echo "; stopped: $STOPPED" ) |
| errors while opening | $ERRORS$( [[ "$(j j.firstErrorAt)" != "" ]] && echo " (first after $(j j.firstErrorAt) open)" ) |
| streams closed by the server while held | $CLOSED |
| server VmRSS before → with the streams | $(mib "$RSS0") → $(mib "$RSS1") MiB (VmHWM $(mib "$HWM1") MiB) |
| server memory per stream | **$PER KiB** |
| server VmRSS / VmHWM after 3 events and a heartbeat | $(mib "$(j j.memAfterPublish.rssKiB)") / $(mib "$(j j.memAfterPublish.hwmKiB)") MiB |
| server descriptors: before / with the streams / 3 s after the clients closed | $(j j.memBefore.fds) / $(j j.memOpen.fds) / $(j j.memAfterClose.fds) |
| clients gone → server descriptors back to the start | $( [[ -n "$(j 'j.releaseMs ?? ""')" ]] && echo "after $(f1 "$(awk -v x="$(j j.releaseMs)" 'BEGIN{print x/1000}')") s" || echo "not within 45 s" ) (VmRSS then $(mib "$(j j.memReleased.rssKiB)") MiB) |
| client (node) RSS with the streams | $(f0 "$(j j.clientRssMiB)") MiB |

A published event (\`ruche debug-publish --kind feed.new_posts --member $MEMBER\`, a separate
process; times from its spawn):

| | streams reached | first (ms) | median (ms) | last (ms) | debug-publish process (ms) |
|---|---|---|---|---|---|
$PUBROWS

The server's heartbeat (\`: ping\` to every stream every 20 s, after re-checking each stream's
session in the database with the bus lock held), watched while holding the streams:

| measure | value |
|---|---|
| heartbeat reached | $(j j.heartbeat?.reached) of $(j j.heartbeat?.streams) streams (waited $(f1 "$(awk -v x="$(j j.heartbeat?.waitedMs)" 'BEGIN{print x/1000}')") s) |
| first → last stream's ping | $(f0 "$(j j.heartbeat?.spreadMs)") ms |
| \`GET /healthz\` every 100 ms (8 at once on 8 keep-alive connections) meanwhile: median / max | $(f1 "$(j j.probes?.healthz.p50Ms)") / $(f0 "$(j j.probes?.healthz.maxMs)") ms ($(j j.probes?.healthz.failed) failed of $(j j.probes?.healthz.count)) |
| a new \`/live\` stream every 500 ms meanwhile: median / max time to \`: connected\` | $(f1 "$(j j.probes?.newLive.p50Ms)") / $(f0 "$(j j.probes?.newLive.maxMs)") ms ($(j j.probes?.newLive.failed) failed of $(j j.probes?.newLive.count)) |

After the run the node was $( [[ $ALIVE == yes ]] && echo "still answering /healthz" || echo "**not answering /healthz**" ); SIGTERM
stopped it in $STOP_S s.  Other processes on the machine (not the bench) used $ACC_OTHER of its CPU
during the test.  Server log: $WARNS warning/error lines$( [[ -s "$TMP/warns.txt" ]] && printf ', by message:\n\n```\n%s\n```' "$(cat "$TMP/warns.txt")" || echo . )

$MEANING

EOF
} | emit streams
log "done"
