#!/usr/bin/env bash
# bench/communities.sh - communities read by a signed-in member (issue 7, "Benchmark"):
# `ruche debug-generate --members BENCH_COMMUNITY_ORG (5,000) --communities BENCH_COMMUNITIES
# (2,000)` makes 2,000 communities for the directory and one private community of
# BENCH_COMMUNITY_MEMBERS (2,000) members with BENCH_COMMUNITY_POSTS (10,000) posts and a
# discussion of 10 replies (src/demo/generate_groups.c).  The benchmark's member is the
# generated administrator, a plain member of that community.  Then, with the session cookie:
#
#   * GET /communities/{id}   the community page (purpose, tabs, compose form, 20 posts)
#   * GET /communities        the directory's first page (30 communities, purposes, counts)
#   * GET /discussions/{id}   the thread page (question and its 10 replies)
#
# on SQLite, then on PostgreSQL (the same generation, then ANALYZE), each beside nginx serving a
# static file of the same size in the same run.  With perf installed (BENCH_PERF=0 to skip), a
# profile of the SQLite node on the thread page says where its time goes.  For scale, issue 7 quotes NodeBB 1.4 on Redis
# serving such a thread page at about 54 requests/s on this machine, p99 over a second; the
# aim is 100 times that (5,400 requests/s) with a p99 under 20 ms.
#
# Environment: BENCH_COMMUNITY_ORG, BENCH_COMMUNITIES, BENCH_COMMUNITY_MEMBERS,
# BENCH_COMMUNITY_POSTS, BENCH_SEED (1); see bench/lib.sh for the rest.  Every run is bounded
# in time (WRK_DURATION, each generation at most 10 minutes) and on 127.0.0.1; every process
# started here is stopped by its PID on exit.  Run alone, it prints its section on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init communities
need "$WRK" curl "$NGINX" psql python3

ORG=${BENCH_COMMUNITY_ORG:-5000}
COMMUNITIES=${BENCH_COMMUNITIES:-2000}
CMEMBERS=${BENCH_COMMUNITY_MEMBERS:-2000}
CPOSTS=${BENCH_COMMUNITY_POSTS:-10000}
SEED=${BENCH_SEED:-1}
NODEBB_RPS=54 # issue 7: NodeBB 1.4 on Redis, the thread page, on this machine

# generate NAME DATA [URL]: init, then debug-generate (timed); sets EMAIL, PASSWORD, CID, DID
# and GEN_S_<NAME> (seconds).
generate() {
    local name=$1 data=$2 url=${3:-} t0
    if [[ -n "$url" ]]; then
        "$BIN" init --data "$data" --database "$url" >/dev/null 2>"$data.init.log" || { cat "$data.init.log" >&2; die "init failed"; }
    else
        "$BIN" init --data "$data" >/dev/null 2>"$data.init.log" || { cat "$data.init.log" >&2; die "init failed"; }
    fi
    log "$name: generating $ORG members, $COMMUNITIES communities, one of $CMEMBERS members and $CPOSTS posts"
    t0=$(date +%s.%N)
    timeout 600 "$BIN" debug-generate --data "$data" --members "$ORG" --communities "$COMMUNITIES" \
        --community-members "$CMEMBERS" --community-posts "$CPOSTS" --seed "$SEED" \
        >"$data.generate.txt" 2>"$data.generate.log" || { tail -5 "$data.generate.log" >&2; die "debug-generate failed ($name)"; }
    printf -v "GEN_S_$name" '%s' "$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
    EMAIL=$(sed -n 's/^email=//p' "$data.generate.txt")
    PASSWORD=$(sed -n 's/^password=//p' "$data.generate.txt")
    CID=$(sed -n 's/^community_id=//p' "$data.generate.txt")
    DID=$(sed -n 's/^discussion_id=//p' "$data.generate.txt")
    [[ -n "$EMAIL" && -n "$PASSWORD" && -n "$CID" && -n "$DID" ]] || die "no credentials or ids from debug-generate"
}

# fetch NAME URL: one request first, saved as $TMP/NAME.body; prints "bytes items" (posts on a
# community page, communities in the directory, replies on a thread).
fetch() {
    local name=$1 url=$2 status items
    status=$(curl -s -o "$TMP/$name.body" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
    [[ $status == 200 ]] || die "$url answered $status"
    case $url in
        */discussions/*) items=$(grep -o '<li class="reply' "$TMP/$name.body" | wc -l) ;;
        */communities/*) items=$(grep -o '<article class="post' "$TMP/$name.body" | wc -l) ;;
        *) items=$(grep -o '<li class="community card">' "$TMP/$name.body" | wc -l) ;;
    esac
    echo "$(wc -c <"$TMP/$name.body") $items"
}

ROWS=()
declare -A RPS=() P50=() P99=() BYTES=() ITEMS=()
# measure KEY LABEL URL "PIDS" [PG]: wrk with the session cookie and CPU accounting; adds a
# table row.  With PG set, PostgreSQL's CPU and transactions per request too.
measure() {
    local key=$1 label=$2 url=$3 pids=$4 pg=${5:-} bytes items rps p50 p99 bad err n extra="" cpu
    if [[ $url == *:"${NS:-none}"/* ]]; then
        bytes=$(curl -s -o /dev/null -w '%{size_download}' "$url")
        items="-"
    else
        read -r bytes items < <(fetch "$key" "$url")
    fi
    if [[ -n "$pg" ]]; then
        wrk_probe() {
            echo "pg_ticks $(cpu_ticks $(pg_pids))"
            echo "xacts $(psql -At "$(pg_url bench_communities)" -c "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench_communities'")"
        }
        WRK_PROBE_DELAY=1.5 # backends report their statistics at most once a second
    fi
    wrk_cpu "$key" "$url" "$pids" -s "$REPO/bench/cookie.lua"
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
    RPS[$key]=$rps P50[$key]=$p50 P99[$key]=$p99 BYTES[$key]=$bytes ITEMS[$key]=$items
    ROWS+=("| $label | $bytes B | $rps$extra | $p50 | $p99 | $cpu | $WRK_OTHER | @RATIO:$key@ |")
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
measure sq-community "SQLite \`GET /communities/{id}\`" "$URL/communities/$CID" "$SQ_PID"
measure sq-directory "SQLite \`GET /communities\`" "$URL/communities" "$SQ_PID"
measure sq-thread "SQLite \`GET /discussions/{id}\`" "$URL/discussions/$DID" "$SQ_PID"

# Where the thread page's time goes: inclusive share of named functions in a perf profile.
PERF_RPS=
if [[ ${BENCH_PERF:-1} != 0 ]] && command -v perf >/dev/null; then
    log "perf: 4 s of a 5 s wrk run on the thread"
    "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d5s -s "$REPO/bench/cookie.lua" "$URL/discussions/$DID" >"$TMP/wrk-perf.txt" 2>&1 &
    WPID=$!
    track "$WPID" INT
    sleep 0.5
    if perf record -F 499 --call-graph dwarf,16384 -o "$TMP/perf.data" -p "$SQ_PID" -- sleep 4 >"$TMP/perf.log" 2>&1; then
        perf report -i "$TMP/perf.data" --children --sort sym --stdio -g none 2>/dev/null \
            | awk '/^ +[0-9.]+%/ {pct=$1; $1=$2=$3=""; sub(/^ +/, ""); sub(/ +- +- *$/, ""); sub(/ \(inlined\)$/, ""); printf "%8s  %s\n", pct, $0}' \
            | grep -E ' (on_request|show_thread|html_markdown|html_fmt_|html_lit_|db_row|page_begin|auth_identify|discussions_replies|discussions_load|__libc_sendmsg)$' \
            | awk '!seen[$2]++' >"$TMP/perf-children.txt" || true
        PERF_RPS=$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk-perf.txt" 2>/dev/null || true)
    else
        log "warning: perf record failed: $(tail -2 "$TMP/perf.log")"
    fi
    wait "$WPID" || true
    untrack "$WPID"
    rm -f "$TMP/perf.data"
fi
mkdir -p "$TMP/www"
for p in community directory thread; do cp "$TMP/sq-$p.body" "$TMP/www/$p.html"; done
read -r SQ_HWM SQ_RSS < <(mem_of "$SQ_PID")
stop_ruche "$SQ_PID"

# ---- PostgreSQL ----------------------------------------------------------------------

pg_ensure
pg_createdb bench_communities
generate pg "$TMP/pg" "$(pg_url bench_communities)"
# A server that has been running has statistics (autovacuum's ANALYZE); a fresh bulk load has none.
psql -q "$(pg_url bench_communities)" -c 'ANALYZE' || die "ANALYZE failed"
PA=$(free_port)
start_ruche "$TMP/pg" "$PA" "$TMP/serve-pg.log"
PG_PID=$RUCHE_PID
URL=http://127.0.0.1:$PA
sign_in "$URL"
export RUCHE_COOKIE=$COOKIE
measure pg-community "PostgreSQL \`GET /communities/{id}\`" "$URL/communities/$CID" "$PG_PID" pg
measure pg-directory "PostgreSQL \`GET /communities\`" "$URL/communities" "$PG_PID" pg
measure pg-thread "PostgreSQL \`GET /discussions/{id}\`" "$URL/discussions/$DID" "$PG_PID" pg
read -r PG_HWM PG_RSS < <(mem_of "$PG_PID")
stop_ruche "$PG_PID"

# ---- nginx: static files of the same sizes -------------------------------------------------

NS=$(free_port)
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
    types { text/html html; }
    server {
        listen 127.0.0.1:$NS;
        root $TMP/www;
    }
}
EOF
start_nginx "$TMP/nginx.conf" "http://127.0.0.1:$NS/thread.html"
measure static-community "nginx, static file of the community page's size" "http://127.0.0.1:$NS/community.html" "$(nginx_pids)"
measure static-directory "nginx, static file of the directory's size" "http://127.0.0.1:$NS/directory.html" "$(nginx_pids)"
measure static-thread "nginx, static file of the thread's size" "http://127.0.0.1:$NS/thread.html" "$(nginx_pids)"
stop_pid "$NGINX_PID" QUIT
WARNS=$(cat "$TMP"/serve-*.log | grep -c -E 'level=(warn|error)' || true)

# ---- report --------------------------------------------------------------------------

for i in "${!ROWS[@]}"; do
    row=${ROWS[$i]}
    key=$(sed -n 's/.*@RATIO:\([^@]*\)@.*/\1/p' <<<"$row")
    ROWS[$i]=${row/@RATIO:$key@/$(ratio "${RPS[$key]}" "${RPS[static-${key#*-}]}")}
done
num() { python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$1"; }
ms() { awk -v v="$1" 'BEGIN { x = v + 0; if (v ~ /us$/) x /= 1000; else if (v ~ /ms$/) x += 0; else if (v ~ /s$/) x *= 1000; printf "%.1f", x }'; }
p99_verdict() {
    local v
    v=$(ms "${P99[$1]}")
    if awk -v v="$v" 'BEGIN { exit !(v < 20) }'; then echo "under 20 ms ($v ms)"; else echo "**above 20 ms ($v ms)**"; fi
}
times_nodebb() { awk -v r="$1" -v n="$NODEBB_RPS" 'BEGIN { printf "%.0f", r / n }'; }
aim() {
    local t
    t=$(times_nodebb "${RPS[$1]}")
    if ((t >= 100)) && awk -v v="$(ms "${P99[$1]}")" 'BEGIN { exit !(v < 20) }'; then echo "met"; else echo "**not met**"; fi
}

pc() { awk -v f="$1" '$2 == f {sub(/%$/, "", $1); print $1; exit}' "$TMP/perf-children.txt" 2>/dev/null; }
avg_ms() { awk -v r="$1" -v c="$WRK_CONNECTIONS" 'BEGIN { if (r > 0) printf "%.1f", 1000 * c / r; else print "?" }'; }
MEANING="**What this means.** The thread page, the page issue 7 compares with NodeBB 1.4 (about
$NODEBB_RPS requests/s on this machine, p99 over a second), is served at ${RPS[sq-thread]} requests/s on
SQLite ($(times_nodebb "${RPS[sq-thread]}")× NodeBB) with a p99 $(p99_verdict sq-thread), and at ${RPS[pg-thread]} requests/s on
PostgreSQL ($(times_nodebb "${RPS[pg-thread]}")×) with a p99 $(p99_verdict pg-thread): the aim (100×, p99 under 20 ms)
is $(aim sq-thread) on SQLite and $(aim pg-thread) on PostgreSQL.  At $WRK_CONNECTIONS connections a request waits
on average $WRK_CONNECTIONS / requests/s ($(avg_ms "${RPS[sq-thread]}") ms on SQLite): the p99 is queueing on two cores that
the server shares with wrk, so it falls only with the CPU per request."
if [[ -s "$TMP/perf-children.txt" ]]; then
    MEANING+="  Where that CPU goes (profile below): rendering the eleven Markdown
bodies $(pc html_markdown)% (\`html_markdown\`), the HTML writer $(pc html_fmt_)% (\`html_fmt_\`), the page's
queries $(pc db_row)% (\`db_row\`), the layout $(pc page_begin)% (\`page_begin\`: navigation and unread count), the
session $(pc auth_identify)% (\`auth_identify\`) and sending $(pc __libc_sendmsg)%; the thread and its replies are read in
two queries (\`discussions_load\` $(pc discussions_load)%, \`discussions_replies\` $(pc discussions_replies)%, their Markdown aside)."
fi
MEANING+="

The community page, with its 20 cards, has a p99 $(p99_verdict sq-community) on SQLite and $(p99_verdict pg-community) on
PostgreSQL; the directory $(p99_verdict sq-directory) and $(p99_verdict pg-directory).  Both were slow because
of their SQL, now fixed.  The community page sorted its whole feed on every request (its pinned
posts first, through one \`ORDER BY CASE\`): about 250 ms with 10,000 posts on the debug build; it
now reads the pinned posts and the newest ones through two indexes (\`post_community_pinned\`,
\`post_community\`) and sorts only those two pages.  The directory walked every community twice per
page: the invitations shown above it scanned them all in name order, and the listing took the
\`archived_ms\` index and then sorted them all; the invitations now come from the member's own
memberships and the listing from \`community_listed\` (\`archived_ms, name_folded\`), in order (it
cost 3,100 µs of CPU per request before, against about 300 now).  On PostgreSQL every query is a
round trip (\"xacts/req\") and PostgreSQL's own CPU per request is several times ruche's; the
community page's feed statement is also planned again at each execution (PostgreSQL keeps custom
plans for it: about 1.8 ms of planning per request, seen with \`log_min_duration_statement = 0\`)."

{
cat <<EOF
## 8. Communities: a community of $(num "$CMEMBERS") members and $(num "$CPOSTS") posts, the directory of $(num "$COMMUNITIES"), a thread

\`ruche debug-generate --members $ORG --communities $COMMUNITIES --community-members $CMEMBERS --community-posts $CPOSTS --seed $SEED\`
(\`src/demo/generate_groups.c\`): $(num "$COMMUNITIES") communities for the directory (seven in ten public, two
private, one secret; each with an animator and up to 20 members), and one private community of
$(num "$CMEMBERS") members with $(num "$CPOSTS") posts over the last year (two pinned) and a discussion with 10
replies.  The benchmark's member is the generated administrator, a plain member of that
community (and of one directory community in twenty).  Generation: SQLite ${GEN_S_sqlite} s (database
$DB_MIB MiB), PostgreSQL ${GEN_S_pg} s (then \`ANALYZE\`).  One \`ruche serve --threads $THREADS\` node;
\`$WRK_CMD\` with the session cookie (\`bench/cookie.lua\`).  The ceiling is nginx (2 workers)
serving a static file of each page's size (the SQLite node's page, saved) in the same run.
Pages: the community page (${ITEMS[sq-community]} posts, pinned first, with the compose form), the
directory's first page (${ITEMS[sq-directory]} communities with purpose, member count and last activity), and the
thread (${ITEMS[sq-thread]} replies).  "CPU µs/req" and "other CPU" as in table 1-2; "xacts/req" is
PostgreSQL's transactions per request, i.e. about its queries.

| target | size | requests/s | p50 | p99 | CPU µs/req | other CPU | ratio to nginx |
|---|---|---|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

Node RSS (peak / after): SQLite $(mib "$SQ_HWM") / $(mib "$SQ_RSS") MiB, PostgreSQL $(mib "$PG_HWM") / $(mib "$PG_RSS") MiB.
Node logs: $WARNS warning/error lines.

$MEANING

EOF
if [[ -s "$TMP/perf-children.txt" ]]; then
cat <<EOF
Profile of the SQLite node on the thread page (\`perf record -F 499 --call-graph dwarf\`,
${PERF_RPS:-?} requests/s while profiled): inclusive share of the server's CPU samples, selected functions.

\`\`\`
$(cat "$TMP/perf-children.txt")
\`\`\`

EOF
fi
} | emit communities
log "done"
