#!/usr/bin/env bash
# bench/cluster.sh - two `ruche serve` nodes on one PostgreSQL database behind nginx:
#   * the signed-in home page through nginx (one node, then both) beside one node direct;
#   * the delay from a post published through the API on node A to the "feed.new_posts"
#     event on each node's live stream (bench/sse-delay.js, BENCH_PUBLISHES posts, 200 by
#     default, by a demo member the signed-in administrator follows).
# nginx's proxy settings are those of docs/nginx.conf, in plain HTTP on 127.0.0.1.
# Everything is bounded in time; every process started here is stopped by its PID on exit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init cluster
need "$WRK" curl "$NGINX" psql node python3

PUBLISHES=${BENCH_PUBLISHES:-200}

pg_ensure
pg_createdb bench_cluster
DB_URL=$(pg_url bench_cluster)
log "PostgreSQL instance"
make_instance "$TMP/data" "$DB_URL"
PA=$(free_port)
start_ruche "$TMP/data" "$PA" "$TMP/serve-a.log"
PID_A=$RUCHE_PID
PB=$(free_port)
while [[ $PB == "$PA" ]]; do PB=$(free_port); done
start_ruche "$TMP/data" "$PB" "$TMP/serve-b.log"
PID_B=$RUCHE_PID

sign_in "http://127.0.0.1:$PA"
export RUCHE_COOKIE=$COOKIE
STATUS=$(curl -s -o "$TMP/page-b.html" -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$PB/")
[[ $STATUS == 200 ]] || die "node B answered $STATUS to a session opened on node A"
PAGE_BYTES=$(wc -c <"$TMP/page-b.html")
MEMBER=$(psql -At "$DB_URL" -c "SELECT id FROM account WHERE email = '$EMAIL'")
[[ $MEMBER =~ ^[0-9]+$ ]] || die "no member id for $EMAIL"
# The posts of the delay test are written by a demo member whom the administrator follows.
AUTHOR_EMAIL=hugo.renaud@alveole.example
AUTHOR_NAME="Hugo Renaud"
AUTHOR_PASSWORD=$(sed -n 's/^members_password=//p' "$TMP/data/demo-credentials.txt")
FOLLOWS=$(psql -At "$DB_URL" -c "SELECT count(*) FROM follow f JOIN account a ON a.id = f.followed_id
    WHERE f.follower_id = $MEMBER AND a.email = '$AUTHOR_EMAIL'")
[[ $FOLLOWS == 1 ]] || die "the administrator does not follow $AUTHOR_EMAIL"
AUTHOR_TOKEN=$(curl -s -H 'Content-Type: application/json' \
    --data "$(python3 -c 'import json, sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$AUTHOR_EMAIL" "$AUTHOR_PASSWORD")" \
    "http://127.0.0.1:$PA/api/v1/session" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("token", ""))')
[[ -n "$AUTHOR_TOKEN" ]] || die "no API token for $AUTHOR_EMAIL"
# Event rows one post writes: one per active follower who is not a guest (live_publish_followers).
ROWS_PER_POST=$(psql -At "$DB_URL" -c "SELECT count(*) FROM follow f JOIN account a ON a.id = f.follower_id
    JOIN account w ON w.id = f.followed_id WHERE w.email = '$AUTHOR_EMAIL' AND a.role <> 'guest' AND a.status = 'active'")

# ---- nginx: one upstream per case, proxy settings from docs/nginx.conf ----------------

N1=$(free_port)
N2=$(free_port)
while [[ $N2 == "$N1" ]]; do N2=$(free_port); done
PROXY_SETTINGS="
        proxy_http_version 1.1;
        proxy_set_header Connection \"\";
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$remote_addr;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_connect_timeout 5s;
        proxy_next_upstream error timeout;
        location = /live {
            proxy_pass http://UPSTREAM;
            proxy_buffering off;
            proxy_cache off;
            proxy_read_timeout 1h;
        }
        location / {
            proxy_pass http://UPSTREAM;
        }"
cat >"$TMP/nginx.conf" <<EOF
$(nginx_user_line)
daemon off;
worker_processes 2;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $TMP/nginx-body;
    proxy_temp_path $TMP/nginx-proxy;
    client_max_body_size 25m;
    upstream ruche_one {
        server 127.0.0.1:$PA;
        keepalive 64;
    }
    upstream ruche_two {
        server 127.0.0.1:$PA;
        server 127.0.0.1:$PB;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$N1;
        ${PROXY_SETTINGS//UPSTREAM/ruche_one}
    }
    server {
        listen 127.0.0.1:$N2;
        ${PROXY_SETTINGS//UPSTREAM/ruche_two}
    }
}
EOF
start_nginx "$TMP/nginx.conf" "http://127.0.0.1:$N2/healthz"

# ---- wrk ---------------------------------------------------------------------------

lines() { grep -c 'path=/ status=200' "$1" || true; }

# Counters read before and after each wrk run (bench/lib.sh): CPU per process group, and the
# requests each node logged.
wrk_probe() {
    echo "a $(cpu_ticks "$PID_A")"
    echo "b $(cpu_ticks "$PID_B")"
    echo "pg $(cpu_ticks $(pg_pids))"
    echo "nginx $(cpu_ticks $(nginx_pids))"
    echo "la $(lines "$TMP/serve-a.log")"
    echo "lb $(lines "$TMP/serve-b.log")"
}

# measure NAME URL: wrk with CPU per process group; sets M_* for the row.
measure() {
    wrk_cpu "$1" "$2" "" -s "$REPO/bench/cookie.lua"
    check_page_bytes "$TMP/wrk-$1.txt" "$PAGE_BYTES"
    M_A=${WRK_DELTA[a]} M_B=${WRK_DELTA[b]} M_PG=${WRK_DELTA[pg]} M_NGINX=${WRK_DELTA[nginx]}
    M_SHARE_A=${WRK_DELTA[la]} M_SHARE_B=${WRK_DELTA[lb]}
    M_BUSY=$WRK_MACHINE_BUSY M_IDLE=$WRK_MACHINE_IDLE M_OTHER=$WRK_OTHER
}

row() {
    local label=$1 file=$2 base=${3:-}
    local rps p50 p99 bad err n
    read -r rps p50 p99 bad err n < <(parse_wrk "$file")
    local extra=""
    [[ $bad != 0 ]] && extra+=" ($bad non-2xx)"
    [[ $err != 0 ]] && extra+=" ($err socket errors)"
    local cpu="ruche $(us_per_req $((M_A + M_B)) "$n") + postgres $(us_per_req "$M_PG" "$n")"
    [[ $M_NGINX -gt 0 ]] && cpu+=" + nginx $(us_per_req "$M_NGINX" "$n")"
    local idle
    idle=$(awk -v b="$M_BUSY" -v i="$M_IDLE" 'BEGIN { printf "%.0f%%", 100 * i / (b + i) }')
    echo "| $label | $rps$extra | $p50 | $p99 | $cpu | $idle | $M_OTHER | $M_SHARE_A / $M_SHARE_B | ${base:+$(ratio "$rps" "$base")} |"
}

measure direct "http://127.0.0.1:$PA/"
ROW_DIRECT=$(row "node A direct" "$TMP/wrk-direct.txt")
read -r DIRECT_RPS _ < <(parse_wrk "$TMP/wrk-direct.txt")
ROW_DIRECT="${ROW_DIRECT% |}1.00 |"
measure proxy-one "http://127.0.0.1:$N1/"
ROW_ONE=$(row "nginx → node A" "$TMP/wrk-proxy-one.txt" "$DIRECT_RPS")
measure proxy-two "http://127.0.0.1:$N2/"
ROW_TWO=$(row "nginx → nodes A + B" "$TMP/wrk-proxy-two.txt" "$DIRECT_RPS")
read -r HWM_A RSS_A < <(mem_of "$PID_A")
read -r HWM_B RSS_B < <(mem_of "$PID_B")

# ---- publication on one side, event on each node ---------------------------------------

log "delay: $PUBLISHES posts on node A, streams on node A, node B and through nginx"
CONFIG=$(node -e 'console.log(JSON.stringify({host: "127.0.0.1", cookie: process.argv[1],
    nodes: [{name: "A", port: +process.argv[2]}, {name: "B", port: +process.argv[3]}, {name: "nginx", port: +process.argv[4]}],
    postPort: +process.argv[2], token: process.argv[5], count: +process.argv[6], gapMs: 20,
    pgUrl: process.argv[7]}))' "$COOKIE" "$PA" "$PB" "$N2" "$AUTHOR_TOKEN" "$PUBLISHES" "$DB_URL")
accounted "$TMP/delay.json" "$TMP/delay.err" timeout 180 node "$REPO/bench/sse-delay.js" "$CONFIG"
[[ -s "$TMP/delay.json" ]] || { cat "$TMP/delay.err" >&2; die "sse-delay.js failed ($ACC_RC)"; }
cat "$TMP/delay.json" >&2

stop_pid "$NGINX_PID" QUIT
stop_ruche "$PID_A"
stop_ruche "$PID_B"
WARNS=$(cat "$TMP/serve-a.log" "$TMP/serve-b.log" | grep -c -E 'level=(warn|error)' || true)
cat "$TMP/serve-a.log" "$TMP/serve-b.log" | grep -E 'level=(warn|error)' | sed -E 's/^ts=[^ ]+ //' \
    | sort | uniq -c | sort -rn | head -5 >"$TMP/warns.txt" || true
NGINX_ERRS=$(grep -c -E '\[(error|crit|alert|emerg)\]' "$TMP/nginx-error.log" 2>/dev/null || true)

DELAY_ROWS=$(node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const f = (x) => x === null || x === undefined ? "—" : x.toFixed(1);
const label = {A: "node A (direct)", B: "node B (direct)", nginx: "through nginx (either node)"};
for (const [k, v] of Object.entries(j.nodes)) {
    console.log(`| ${label[k] || k}: received − t | ${v.received} of ${j.posted} | ${f(v.fromPost.p50)} | ${f(v.fromPost.p99)} | ${f(v.fromPost.max)} |`);
    console.log(`| ${label[k] || k}: received − created_ms | ${v.fromRow.n} | ${f(v.fromRow.p50)} | ${f(v.fromRow.p99)} | ${f(v.fromRow.max)} |`);
}
console.log(`| \`POST /api/v1/posts\` on node A, sent → 201 received | ${j.postMs.n} | ${f(j.postMs.p50)} | ${f(j.postMs.p99)} | ${f(j.postMs.max)} |`);
console.log(`| sent → the event row'"'"'s created_ms | ${j.rowAfterPost.n} | ${f(j.rowAfterPost.p50)} | ${f(j.rowAfterPost.p99)} | ${f(j.rowAfterPost.max)} |`);
' "$TMP/delay.json")
DELAY_ERRORS=$(json_get "$TMP/delay.json" 'j.errors.length ? j.errors.slice(0, 5).join("; ") : "none"')

read -r ONE_RPS _ < <(parse_wrk "$TMP/wrk-proxy-one.txt")
read -r TWO_RPS _ < <(parse_wrk "$TMP/wrk-proxy-two.txt")
R1=$(ratio "$ONE_RPS" "$DIRECT_RPS")
R2=$(ratio "$TWO_RPS" "$DIRECT_RPS")
NGINX_US=$(sed -n 's/.*+ nginx \([0-9]*\).*/\1/p' <<<"$ROW_ONE")
MEANING3="**What this means.** It works: a session opened on node A is honoured by node B, nginx spread
the two-node run over both nodes (see A / B), and no request failed.  Through nginx, one node keeps
${R1}× of its direct throughput: nginx spends about ${NGINX_US:-?} µs of CPU per request, taken from the
same two cores as ruche and PostgreSQL, and adds a hop to every request.  Two nodes behind nginx
reach ${R2}× one node direct."
if awk -v a="$R2" -v b="$R1" 'BEGIN { exit !(a > b) }'; then
    MEANING3+="  On two cores a second node adds no CPU; what it adds is worker threads:
a node with \`--threads $THREADS\` spends much of each request waiting for PostgreSQL (table 2: the
idle share, and the \`--threads 4\` row), so two nodes keep more requests in flight.  On separate
machines the nodes would add CPU as well."
else
    MEANING3+="  On two cores a second node adds no CPU, only another process competing
for the same cores; on separate machines the nodes would add capacity."
fi
jd() { json_get "$TMP/delay.json" "$1"; }
fx() { awk -v x="$1" 'BEGIN { if (x == "") print "?"; else printf "%.1f", x }'; }
MEANING5="**What this means.** A post published on node A reaches a stream opened on node B
$(fx "$(jd j.nodes.B?.fromPost.p50)") ms (p50) / $(fx "$(jd j.nodes.B?.fromPost.p99)") ms (p99) after its \`POST\` was sent, and one on node A
itself $(fx "$(jd j.nodes.A?.fromPost.p50)") / $(fx "$(jd j.nodes.A?.fromPost.p99)") ms: both nodes learn of the event the same way, woken by
PostgreSQL's NOTIFY when the post's transaction commits, then read the row and write it to their streams.
From the event row's creation, that last part takes $(fx "$(jd j.nodes.B?.fromRow.p50)") ms (p50) / $(fx "$(jd j.nodes.B?.fromRow.p99)") ms (p99) on node B;
the rest is the request itself ($(fx "$(jd j.postMs.p50)") ms p50 from sending the \`POST\` to its 201: parsing, the post, its
tags, one event row per follower, the commit).  nginx (unbuffered \`/live\`) adds little:
$(fx "$(jd j.nodes.nginx?.fromPost.p50)") ms p50."
if awk -v p="$(jd j.nodes.B?.fromRow.p99)" 'BEGIN { exit !(p + 0 > 500) }'; then
    MEANING5+="

**The p99 is the dispatcher's, not the network's.**  Each post here writes $ROWS_PER_POST event rows
(one per follower), and a post goes out every few tens of milliseconds.  \`dispatch_new()\` in
\`src/live/live.c\` reads \`WHERE id > last_id OR created_ms > now - LIVE_LATE_MS ORDER BY id
LIMIT LIVE_BATCH\` (3 s, 1,000 rows): once the last 3 s hold more than 1,000 rows, that query returns
only rows already delivered (the ring skips them) and the new ones wait until the oldest leave
the 3 s window, up to 3 s later, on every node at once.  A single post by a member with more
than 1,000 followers would do the same to its own last followers.  Reading the new rows
(\`id > last_id\`) in their own query, repeated while a batch comes back full, would remove it."
fi

{
cat <<EOF
## 3. Two nodes on one PostgreSQL database, behind nginx

Two \`ruche serve --data DIR --listen 127.0.0.1:PORT --threads $THREADS\` on the same \`DIR\`
(one PostgreSQL database), signed in once on node A (the session is in the database, so node B
honours it).  nginx (2 workers) proxies with the settings of \`docs/nginx.conf\` (HTTP/1.1,
\`Connection ""\`, \`keepalive 64\`, \`/live\` unbuffered) in plain HTTP; one upstream holds node A
only, the other \`server 127.0.0.1:A; server 127.0.0.1:B; keepalive 64;\`.  Same
\`$WRK_CMD -s bench/cookie.lua\` on \`/\` ($PAGE_BYTES B).  "A / B" is how many of the
run's requests each node logged; the other columns are those of table 1-2.

| path | requests/s | p50 | p99 | CPU µs/req | idle | other CPU | requests A / B | ratio to one node direct |
|---|---|---|---|---|---|---|---|---|
$ROW_DIRECT
$ROW_ONE
$ROW_TWO

Node RSS after the runs (peak / now): A $(mib "$HWM_A") / $(mib "$RSS_A") MiB, B $(mib "$HWM_B") / $(mib "$RSS_B") MiB.
nginx error log: ${NGINX_ERRS:-0} error lines.

$MEANING3

EOF
} | emit cluster

# Table 5 is its own part of BENCHMARKS.md (after table 4, bench/streams.sh).
{
cat <<EOF
## 5. From a post on node A to the event on each node

Streams open on node A, on node B (directly) and through nginx, signed in as the demo
administrator; then $PUBLISHES times, one after the other (20 ms apart): \`node bench/sse-delay.js\` takes
\`t\` (ms since the epoch) and publishes a real post as $AUTHOR_NAME, whom the administrator follows,
with \`POST /api/v1/posts\` on node A (API token, keep-alive), then waits for the \`feed.new_posts\`
event carrying the new post's id on every stream.  The post's transaction writes the post, its tag
and one event row per follower, and NOTIFYs at commit; each node's dispatcher is woken by LISTEN
and reads the table.  "received − t" is the whole path, the HTTP request included;
"received − created_ms" starts at the event row's own timestamp (\`created_ms\`, truncated to the
millisecond, so up to 1 ms too high) and is the database → node → stream path alone.  Times in ms.

| measure | samples | p50 | p99 | max |
|---|---|---|---|---|
$DELAY_ROWS

$MEANING5

Errors: $DELAY_ERRORS.  Other processes on the machine (not the bench) used $ACC_OTHER of its CPU
during the test.  Node logs: $WARNS warning/error lines$( [[ -s "$TMP/warns.txt" ]] && printf ', by message:\n\n```\n%s\n```' "$(cat "$TMP/warns.txt")" || echo . )

EOF
} | emit cluster-delay
log "done"
