#!/usr/bin/env bash
# bench/feed.sh - the signed-in home feed on a generated organisation: BENCH_FEED_MEMBERS
# (10,000) members who each follow BENCH_FEED_FOLLOWS (200) others, and BENCH_FEED_POSTS
# (1,000,000) posts (`ruche debug-generate`, bench/../src/demo/generate_feed.c).  The
# benchmark's member is the generated administrator, who follows 200 members drawn at random.
#
#   * SQLite, one node: GET / (the home page) and GET /api/v1/feed (its first page, JSON);
#   * PostgreSQL, one node: the same two;
#   * PostgreSQL, two nodes behind nginx (the proxy settings of docs/nginx.conf): the same two;
#   * nginx serving static files of the same sizes as the page and the JSON (the ceiling).
# With perf installed (BENCH_PERF=0 to skip), a profile of the SQLite node on /, to say where
# the page's time goes.
#
# Environment: BENCH_FEED_MEMBERS, BENCH_FEED_FOLLOWS, BENCH_FEED_POSTS, BENCH_SEED (1); see
# bench/lib.sh for the rest.  Every run is bounded in time (WRK_DURATION, the generation at
# most 30 minutes) and on 127.0.0.1; every process started here is stopped by its PID on exit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init feed
need "$WRK" curl "$NGINX" psql node python3

MEMBERS=${BENCH_FEED_MEMBERS:-10000}
FOLLOWS=${BENCH_FEED_FOLLOWS:-200}
POSTS=${BENCH_FEED_POSTS:-1000000}
SEED=${BENCH_SEED:-1}

# generate NAME DATA [URL]: init, then debug-generate (timed); sets EMAIL, PASSWORD and
# GEN_S_<NAME>, GEN_CPU_<NAME> (CPU seconds of the generator) for the report.
generate() {
    local name=$1 data=$2 url=${3:-} t0 tt
    if [[ -n "$url" ]]; then
        "$BIN" init --data "$data" --database "$url" >/dev/null 2>"$data.init.log" || { cat "$data.init.log" >&2; die "init failed"; }
    else
        "$BIN" init --data "$data" >/dev/null 2>"$data.init.log" || { cat "$data.init.log" >&2; die "init failed"; }
    fi
    log "$name: generating $MEMBERS members following $FOLLOWS each, $POSTS posts"
    t0=$(date +%s.%N)
    { TIMEFORMAT='%3U %3S'; time timeout 1800 "$BIN" debug-generate --data "$data" --members "$MEMBERS" \
        --follows "$FOLLOWS" --posts "$POSTS" --seed "$SEED" >"$data.generate.txt" 2>"$data.generate.log"; } \
        2>"$data.generate.time" || { tail -5 "$data.generate.log" >&2; die "debug-generate failed ($name)"; }
    printf -v "GEN_S_$name" '%s' "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }')"
    tt=$(tail -1 "$data.generate.time" | awk '{printf "%.0f", $1 + $2}')
    printf -v "GEN_CPU_$name" '%s' "$tt"
    EMAIL=$(sed -n 's/^email=//p' "$data.generate.txt")
    PASSWORD=$(sed -n 's/^password=//p' "$data.generate.txt")
    [[ -n "$EMAIL" && -n "$PASSWORD" ]] || die "no credentials from debug-generate"
}

# token URL: an API token for EMAIL / PASSWORD; sets TOKEN.
token() {
    TOKEN=$(curl -s -H 'Content-Type: application/json' \
        --data "$(python3 -c 'import json, sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$EMAIL" "$PASSWORD")" \
        "$1/api/v1/session" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("token", ""))')
    [[ -n "$TOKEN" ]] || die "no API token from POST /api/v1/session"
}

# fetch NAME URL: one request first, saved as $TMP/NAME.body; prints "bytes cards", where
# cards are the posts on the page (or the items of the JSON page).
fetch() {
    local name=$1 url=$2 status
    if [[ $url == */api/* ]]; then
        status=$(curl -s -o "$TMP/$name.body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$url")
    else
        status=$(curl -s -o "$TMP/$name.body" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
    fi
    [[ $status == 200 ]] || die "$url answered $status"
    if [[ $url == */api/* ]]; then
        echo "$(wc -c <"$TMP/$name.body") $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$TMP/$name.body")"
    else
        echo "$(wc -c <"$TMP/$name.body") $(grep -o '<article class="post' "$TMP/$name.body" | wc -l)"
    fi
}

ROWS=()
declare -A RPS=() P99=() BYTES=() CPU=()
# measure KEY LABEL URL "PIDS" [PG]: wrk (cookie for pages, bearer token for the API) with CPU
# accounting; adds a table row.  With PG set, PostgreSQL's CPU and transactions per request too.
measure() {
    local key=$1 label=$2 url=$3 pids=$4 pg=${5:-} lua=cookie.lua bytes cards rps p50 p99 bad err n extra="" cpu
    [[ $url == */api/* ]] && lua=bearer.lua
    read -r bytes cards < <(fetch "$key" "$url")
    [[ $key == static-* ]] && cards="—"
    if [[ -n "$pg" ]]; then
        wrk_probe() {
            echo "pg_ticks $(cpu_ticks $(pg_pids))"
            echo "xacts $(psql -At "$(pg_url bench_feed)" -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench_feed'")"
        }
        WRK_PROBE_DELAY=1.5 # backends report their statistics at most once a second
    fi
    wrk_cpu "$key" "$url" "$pids" -s "$REPO/bench/$lua"
    unset -f wrk_probe
    WRK_PROBE_DELAY=0
    check_page_bytes "$TMP/wrk-$key.txt" "$bytes"
    read -r rps p50 p99 bad err n < <(parse_wrk "$TMP/wrk-$key.txt")
    [[ $bad != 0 ]] && extra+=" ($bad non-2xx)"
    [[ $err != 0 ]] && extra+=" ($err socket errors)"
    cpu=$(us_per_req "$WRK_SERVER_TICKS" "$n")
    if [[ -n "$pg" ]]; then
        cpu="ruche $cpu + postgres $(us_per_req "${WRK_DELTA[pg_ticks]:-0}" "$n")"
        cpu+=" ($(awk -v x="${WRK_DELTA[xacts]:-0}" -v n="$n" 'BEGIN { if (n > 0) printf "%.1f", x / n; else print "?" }') xacts/req)"
    fi
    RPS[$key]=$rps P99[$key]=$p99 BYTES[$key]=$bytes CPU[$key]=$(us_per_req "$WRK_SERVER_TICKS" "$n")
    ROWS+=("| $label | $cards ($bytes B) | $rps$extra | $p50 | $p99 | $cpu | $WRK_OTHER | @RATIO:$key@ |")
}

# ---- SQLite ------------------------------------------------------------------------

generate sqlite "$TMP/sqlite"
DB_MIB=$(du -k "$TMP/sqlite/ruche.db" | awk '{printf "%.0f", $1 / 1024}')
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_ruche "$TMP/sqlite" "$PORT" "$TMP/serve-sqlite.log"
SQ_PID=$RUCHE_PID
sign_in "$URL"
export RUCHE_COOKIE=$COOKIE
token "$URL"
export RUCHE_TOKEN=$TOKEN
ADMIN=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT id FROM account WHERE email = ?", (sys.argv[2],)).fetchone()[0])' "$TMP/sqlite/ruche.db" "$EMAIL")
read -r FOLLOWED SOURCES_POSTS < <(python3 - "$TMP/sqlite/ruche.db" "$ADMIN" <<'EOF'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
a = int(sys.argv[2])
f = db.execute("SELECT count(*) FROM follow WHERE follower_id = ?", (a,)).fetchone()[0]
p = db.execute("SELECT count(*) FROM post WHERE author_id IN (SELECT followed_id FROM follow WHERE follower_id = ?)", (a,)).fetchone()[0]
print(f, p)
EOF
)
measure sq-page "SQLite \`GET /\`" "$URL/" "$SQ_PID"
measure sq-api "SQLite \`GET /api/v1/feed\`" "$URL/api/v1/feed" "$SQ_PID"
cp "$TMP/sq-page.body" "$TMP/page.html"
cp "$TMP/sq-api.body" "$TMP/feed.json"

# Where the page's time goes: inclusive share of named functions in a perf profile.
PERF_RPS=
if [[ ${BENCH_PERF:-1} != 0 ]] && command -v perf >/dev/null; then
    log "perf: 4 s of a 5 s wrk run on /"
    "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d5s -s "$REPO/bench/cookie.lua" "$URL/" >"$TMP/wrk-perf.txt" 2>&1 &
    WPID=$!
    track "$WPID" INT
    sleep 0.5
    if perf record -F 499 --call-graph dwarf,16384 -o "$TMP/perf.data" -p "$SQ_PID" -- sleep 4 >"$TMP/perf.log" 2>&1; then
        perf report -i "$TMP/perf.data" --children --sort sym --stdio -g none 2>/dev/null \
            | awk '/^ +[0-9.]+%/ {pct=$1; $1=$2=$3=""; sub(/^ +/, ""); sub(/ +- +- *$/, ""); sub(/ \(inlined\)$/, ""); printf "%8s  %s\n", pct, $0}' \
            | grep -E ' (home_page_show|feed_home_block|feed_list|home_list|feed_post_card|feed_render|markdown_render_linked|home_people_blocks|network_block|newcomers_block|people_suggestions_block|people_birthdays_block|people_completeness_block|people_newcomers|people_suggestions|sqlite3_step|__libc_pread64|__libc_pread|__pread64|html_fmt_|complete|load_reaction_counts|feed_mentions_load)$' \
            | awk '!seen[$2]++' >"$TMP/perf-children.txt" || true
        PERF_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk-perf.txt" 2>/dev/null || true)
    else
        log "warning: perf record failed: $(tail -2 "$TMP/perf.log")"
    fi
    wait "$WPID" || true
    untrack "$WPID"
    rm -f "$TMP/perf.data"
fi
read -r SQ_HWM SQ_RSS < <(mem_of "$SQ_PID")
stop_ruche "$SQ_PID"

# ---- PostgreSQL: one node, then two behind nginx --------------------------------------------

pg_ensure
pg_createdb bench_feed
generate pg "$TMP/pg" "$(pg_url bench_feed)"
# A server that has been running has statistics (autovacuum's ANALYZE); a fresh bulk load has none.
psql -q "$(pg_url bench_feed)" -c 'ANALYZE' || die "ANALYZE failed"
PG_MIB=$(psql -At "$(pg_url bench_feed)" -c "SELECT pg_database_size('bench_feed') / 1048576")
PA=$(free_port)
start_ruche "$TMP/pg" "$PA" "$TMP/serve-a.log"
PID_A=$RUCHE_PID
URL=http://127.0.0.1:$PA
sign_in "$URL"
export RUCHE_COOKIE=$COOKIE
token "$URL"
export RUCHE_TOKEN=$TOKEN
measure pg-page "PostgreSQL \`GET /\`" "$URL/" "$PID_A" pg
measure pg-api "PostgreSQL \`GET /api/v1/feed\`" "$URL/api/v1/feed" "$PID_A" pg

PB=$(free_port)
while [[ $PB == "$PA" ]]; do PB=$(free_port); done
start_ruche "$TMP/pg" "$PB" "$TMP/serve-b.log"
PID_B=$RUCHE_PID
NP=$(free_port)
while [[ $NP == "$PA" || $NP == "$PB" ]]; do NP=$(free_port); done
NS=$(free_port)
while [[ $NS == "$PA" || $NS == "$PB" || $NS == "$NP" ]]; do NS=$(free_port); done
mkdir -p "$TMP/www"
cp "$TMP/page.html" "$TMP/www/page.html"
cp "$TMP/feed.json" "$TMP/www/feed.json"
cat >"$TMP/nginx.conf" <<EOF
$(nginx_user_line)
daemon off;
worker_processes 2;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path $TMP/nginx-body;
    proxy_temp_path $TMP/nginx-proxy;
    types { text/html html; application/json json; }
    upstream ruche_two {
        server 127.0.0.1:$PA;
        server 127.0.0.1:$PB;
        keepalive 64;
    }
    server {
        listen 127.0.0.1:$NP;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$remote_addr;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_connect_timeout 5s;
        proxy_next_upstream error timeout;
        location / {
            proxy_pass http://ruche_two;
        }
    }
    server {
        listen 127.0.0.1:$NS;
        root $TMP/www;
    }
}
EOF
start_nginx "$TMP/nginx.conf" "http://127.0.0.1:$NS/page.html"
lines() { grep -c -E 'path=/(api/v1/feed)? status=200' "$1" || true; }
A0=$(lines "$TMP/serve-a.log") B0=$(lines "$TMP/serve-b.log")
measure two-page "PostgreSQL, nginx → 2 nodes, \`GET /\`" "http://127.0.0.1:$NP/" "$PID_A $PID_B $(nginx_pids)" pg
measure two-api "PostgreSQL, nginx → 2 nodes, \`GET /api/v1/feed\`" "http://127.0.0.1:$NP/api/v1/feed" "$PID_A $PID_B $(nginx_pids)" pg
SPLIT="$(($(lines "$TMP/serve-a.log") - A0)) / $(($(lines "$TMP/serve-b.log") - B0))"
measure static-page "nginx, static file of the page's size" "http://127.0.0.1:$NS/page.html" "$(nginx_pids)"
measure static-api "nginx, static file of the JSON's size" "http://127.0.0.1:$NS/feed.json" "$(nginx_pids)"
read -r A_HWM A_RSS < <(mem_of "$PID_A")
stop_pid "$NGINX_PID" QUIT
stop_ruche "$PID_A"
stop_ruche "$PID_B"
WARNS=$(cat "$TMP"/serve-*.log | grep -c -E 'level=(warn|error)' || true)
cat "$TMP"/serve-*.log | grep -E 'level=(warn|error)' | sed -E 's/^ts=[^ ]+ //' | sort | uniq -c | sort -rn | head -5 >"$TMP/warns.txt" || true

# ---- report --------------------------------------------------------------------------

for i in "${!ROWS[@]}"; do
    row=${ROWS[$i]}
    key=$(sed -n 's/.*@RATIO:\([^@]*\)@.*/\1/p' <<<"$row")
    case $key in
        static-*) r="1.00" ;;
        *-page) r=$(ratio "${RPS[$key]}" "${RPS[static-page]}") ;;
        *-api) r=$(ratio "${RPS[$key]}" "${RPS[static-api]}") ;;
    esac
    ROWS[$i]=${row/@RATIO:$key@/$r}
done
num() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }
ms() { awk -v v="$1" 'BEGIN { x = v + 0; if (v ~ /us$/) x /= 1000; else if (v ~ /ms$/) x += 0; else if (v ~ /s$/) x *= 1000; printf "%.1f", x }'; }
p99_verdict() {
    local k=$1 v
    v=$(ms "${P99[$k]}")
    if awk -v v="$v" 'BEGIN { exit !(v < 20) }'; then echo "under 20 ms ($v ms)"; else echo "**above 20 ms ($v ms)**"; fi
}
# The CPU µs per request of a row (measure KEY).
us_per_req_row() { echo "${CPU[$1]}"; }
# pc FUNCTION...: the inclusive share of the first FUNCTION found in the profile, with its "%".
pc() {
    local f v
    for f in "$@"; do
        v=$(awk -v f="$f" '$2 == f {print $1; exit}' "$TMP/perf-children.txt" 2>/dev/null)
        [[ -n "$v" ]] && { echo "$v"; return 0; }
    done
    echo "<0.5%"
}

MEANING="**What this means.** The benchmark's member follows $FOLLOWED members, who wrote
$(num "$SOURCES_POSTS") of the $(num "$POSTS") posts (about $(awk -v a="$SOURCES_POSTS" -v b="$POSTS" 'BEGIN { printf "%.1f", 100 * a / b }') %).  The feed's first page alone
(\`/api/v1/feed\`) costs $(us_per_req_row sq-api) µs of CPU on SQLite and answers with a p99 $(p99_verdict sq-api);
on PostgreSQL, $(p99_verdict pg-api).  At 64 connections a request mostly waits for those ahead of it
(p50 ≈ 64 ÷ requests/s): a p99 under 20 ms at this concurrency needs more than 3,200 requests/s, about
0.6 ms of CPU per request for the server and wrk together on these two cores.  The whole home page
($(num "${BYTES[sq-page]}") bytes: 20 cards, the compose form and the blocks beside the feed) has a p99 $(p99_verdict sq-page)
on SQLite and $(p99_verdict pg-page) on PostgreSQL ($(ratio "${RPS[sq-page]}" "${RPS[static-page]}")× and $(ratio "${RPS[pg-page]}" "${RPS[static-page]}")× nginx)."
if [[ -s "$TMP/perf-children.txt" ]]; then
    MEANING+="  Where the SQLite page's time goes (profile below): the feed block $(pc feed_home_block)
(its query, \`feed_list\`, $(pc feed_list); the cards $(pc feed_post_card)); beside it the newcomers block $(pc people_newcomers),
the suggestions $(pc people_suggestions_block), the birthdays $(pc people_birthdays_block) and the network count $(pc network_block).  At
$(num "$MEMBERS") active members the newcomers block sorts every account on each request, and the suggestions
block reads up to 200 colleagues of the member's department and then, for each, whether they
share a community, their photo's visibility and their skills, one query each: the xacts/req of
the PostgreSQL rows, where each query is a round trip.  SQLite also reads its pages from the
kernel (\`pread\` $(pc __libc_pread64 __libc_pread __pread64)) because its page cache (2 MiB by default) holds little of a
$DB_MIB MiB database."
fi
if awk -v a="${RPS[two-page]}" -v b="${RPS[pg-page]}" 'BEGIN { exit !(a > b) }'; then
    MEANING+="

Two nodes behind nginx on PostgreSQL serve $(ratio "${RPS[two-page]}" "${RPS[pg-page]}")× the pages of one node
direct (requests split $SPLIT between the nodes), on the same two cores: a second node adds worker
threads waiting for PostgreSQL, not CPU."
else
    MEANING+="

Two nodes behind nginx on PostgreSQL serve $(ratio "${RPS[two-page]}" "${RPS[pg-page]}")× the pages of one node direct
(requests split $SPLIT between the nodes): with that many queries per page, PostgreSQL's CPU is
the limit, and a second node only adds requests waiting for it (wrk counts those that took more
than 2 s as socket errors)."
fi

{
cat <<EOF
## 7. Home feed on $(num "$POSTS") posts: SQLite, PostgreSQL, two nodes

\`ruche debug-generate --members $MEMBERS --follows $FOLLOWS --posts $POSTS --seed $SEED\`: $(num "$MEMBERS") members
(drawn as in table 6, but 'active', as the members of a network that writes are) who each follow $FOLLOWS others (70 % in their "team" of nearby members, 30 %
among the 1,000 most active), and $(num "$POSTS") posts over the last year by authors drawn
with a skew (the first members write most), each with one to three tags, one in 40 with a
mention, one in four with reactions.  The benchmark's member is the generated administrator,
who follows $FOLLOWED members drawn uniformly.  Generation: SQLite ${GEN_S_sqlite} s (${GEN_CPU_sqlite} s of CPU;
database $DB_MIB MiB), PostgreSQL ${GEN_S_pg} s (${GEN_CPU_pg} s of CPU in the generator; database
$PG_MIB MiB; then \`ANALYZE\`).  \`ruche serve --threads $THREADS\` nodes;
\`$WRK_CMD\` with the session cookie (\`bench/cookie.lua\`) for \`/\` and the API token
(\`bench/bearer.lua\`) for \`/api/v1/feed\`; two nodes: nginx (2 workers, \`docs/nginx.conf\`'s proxy
settings, \`keepalive 64\`) in front of both.  The ceiling is the same nginx serving a static
file of the page's size and one of the JSON's size.  "CPU µs/req" is the CPU the server
processes (ruche, PostgreSQL's backends, nginx when it proxies) used per request; "xacts/req"
PostgreSQL's transactions per request, i.e. about its queries.  The other columns are those of
table 1-2.

| target | posts (size) | requests/s | p50 | p99 | CPU µs/req | other CPU | ratio to nginx |
|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

Node RSS: SQLite $(mib "$SQ_HWM") / $(mib "$SQ_RSS") MiB (peak / after), PostgreSQL node A $(mib "$A_HWM") / $(mib "$A_RSS") MiB.
Node logs: $WARNS warning/error lines$( [[ -s "$TMP/warns.txt" ]] && printf ', by message:\n\n```\n%s\n```' "$(cat "$TMP/warns.txt")" || echo . )

$MEANING

EOF
if [[ -s "$TMP/perf-children.txt" ]]; then
cat <<EOF
Profile of the SQLite node on \`/\` (\`perf record -F 499 --call-graph dwarf\`, ${PERF_RPS:-?} requests/s
while profiled): inclusive share of the server's CPU samples, selected functions.

\`\`\`
$(cat "$TMP/perf-children.txt")
\`\`\`

EOF
fi
} | emit feed
log "done"
