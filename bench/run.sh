#!/usr/bin/env bash
# bench/run.sh - run every bench script and write BENCHMARKS.md at the repository root.
#
#   bench/home.sh     /healthz and the signed-in home page, SQLite and PostgreSQL, nginx ceiling,
#                     perf profile of the SQLite node
#   bench/cluster.sh  two nodes on one PostgreSQL database behind nginx; publication → event delay
#   bench/streams.sh  10,000 idle live streams on one node, one event to all of them
#   bench/directory.sh the directory search on 100,000 generated members (SQLite)
#   bench/feed.sh     the home feed on 10,000 generated members and 1,000,000 posts: SQLite,
#                     PostgreSQL, two nodes behind nginx, beside nginx's static ceiling
#   bench/communities.sh a community of 2,000 members and 10,000 posts, the directory of 2,000
#                     communities, a thread of 10 replies: SQLite, PostgreSQL, beside nginx
#
# Builds nothing: it uses $RUCHE_BIN, else build-release/ruche, else build/ruche (`make bench`
# builds the release binary first).  One PostgreSQL server (tools/pg-test-server, in a
# mktemp -d /tmp/ruche-pg.XXXXXX directory) is shared by the scripts, one database each.
# Every server is on 127.0.0.1 or a Unix socket, every load run is bounded in time, and every
# process started is stopped by its PID on exit, failure included (see bench/lib.sh).
# A script that fails leaves a note in its section and makes this one exit 1.
#
# Environment: BENCH_OUT (<repo>/BENCHMARKS.md), BENCH_PARTS ("home cluster streams directory feed communities"),
#              BENCH_QUIET_WAIT (10 s), and those of bench/lib.sh and the scripts.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init run
need "$WRK" curl "$NGINX" psql node python3

OUT=${BENCH_OUT:-$REPO/BENCHMARKS.md}
PARTS=${BENCH_PARTS:-home cluster streams directory feed communities}
START=$(date +%s)

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
pg_ensure
export BENCH_PG_SOCKET=$PG_SOCKET
export BENCH_FRAGMENTS=$TMP/fragments
export RUCHE_BIN=$BIN
mkdir -p "$BENCH_FRAGMENTS"

# On a shared machine, wait (BENCH_QUIET_WAIT seconds at most, 10 by default) until other
# processes leave the CPU mostly idle before each part (wait_quiet: bench/lib.sh).
FAILED=()
TIMES=()
for part in $PARTS; do
    wait_quiet "${BENCH_QUIET_WAIT:-10}"
    t0=$(date +%s)
    log "---- $part"
    set +e
    "$REPO/bench/$part.sh" 2>&1 >/dev/null | tee "$TMP/$part.log" >&2
    rc=${PIPESTATUS[0]}
    set -e
    TIMES+=("$part $(($(date +%s) - t0)) s")
    if [[ $rc != 0 ]]; then
        FAILED+=("$part")
        {
            echo "## $part: FAILED (exit $rc)"
            echo
            echo "The end of its log:"
            echo
            echo '```'
            tail -25 "$TMP/$part.log"
            echo '```'
            echo
        } >"$BENCH_FRAGMENTS/$part.md"
    fi
done

# ---- BENCHMARKS.md -------------------------------------------------------------------

MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
CORES=$(nproc)
RAM=$(awk '/^MemTotal:/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "unknown")
DIRTY=
[[ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]] && DIRTY=" (working tree with uncommitted changes)"
BUILD_TYPE=$(python3 -c 'import json, sys
try:
    o = json.load(open(sys.argv[1]))
    print(", ".join("%s=%s" % (x["name"], x["value"]) for x in o if x["name"] in ("buildtype", "b_ndebug")))
except Exception:
    print("unknown")' "$(dirname "$BIN")/meson-info/intro-buildoptions.json" 2>/dev/null || echo unknown)
pkgver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "?"; }
PGVER=$(psql -At "$(pg_url postgres)" -c 'SHOW server_version' 2>/dev/null || echo "?")
TOTAL=$(($(date +%s) - START))

{
cat <<EOF
# Benchmarks

Written by \`bench/run.sh\` (\`make bench\`); do not edit by hand, run it again.

- Date: $DATE
- Commit: $COMMIT$DIRTY
- Machine: $CORES cores ($(nproc) online), $MODEL, $RAM RAM, Linux $(uname -r)
- Binary: \`$REL_BIN\` (meson $BUILD_TYPE)
- Versions: libmicrohttpd $(pkgver libmicrohttpd12), SQLite $(pkgver libsqlite3-0), PostgreSQL $PGVER
  (\`tools/pg-test-server\`: Unix socket, fsync off), nginx $(pkgver nginx-light), wrk $(pkgver wrk), node $(node --version)
- Duration: $TOTAL s ($(IFS=,; echo "${TIMES[*]}" | sed 's/,/, /g'))
- Load average before / after: $LOAD_BEFORE / $(cut -d' ' -f1-3 /proc/loadavg)
- wrk, nginx, PostgreSQL and the node clients run on the same $CORES cores as ruche: compare
  ratios, not absolute numbers.  The machine may be shared: each table says how much CPU
  other processes took meanwhile ("other CPU").

EOF
for part in $PARTS; do
    [[ -f "$BENCH_FRAGMENTS/$part.md" ]] || printf '## %s: no output\n\n' "$part" >"$BENCH_FRAGMENTS/$part.md"
done
# In the order of the tables' numbers ("## 3." ...; a script may write several parts), the
# unnumbered ones (failures) last.
for f in "$BENCH_FRAGMENTS"/*.md; do
    n=$(sed -n '1s/^## \([0-9][0-9]*\).*/\1/p' "$f")
    printf '%s\t%s\n' "${n:-999}" "$f"
done | sort -n -k1,1 -s | cut -f2- | while read -r f; do cat "$f"; done
cat <<EOF
## Commands

\`\`\`sh
make bench     # = meson setup build-release --buildtype=release -Db_ndebug=true (once);
               #   ninja -C build-release; RUCHE_BIN=build-release/ruche bench/run.sh
# each part alone (starts its own PostgreSQL): bench/home.sh, bench/cluster.sh, bench/streams.sh,
#   bench/directory.sh (SQLite only), bench/feed.sh, bench/communities.sh
# environment: WRK_DURATION=10s WRK_CONNECTIONS=64 BENCH_STREAMS=10000 BENCH_PUBLISHES=200 BENCH_PERF=0
#   BENCH_FEED_MEMBERS=10000 BENCH_FEED_FOLLOWS=200 BENCH_FEED_POSTS=1000000
#   BENCH_MEMBERS=100000 BENCH_DIRECTORY_Q=helene BENCH_DIRECTORY_Q2='hel mar' BENCH_DIRECTORY_LETTER=m
#   BENCH_DIRECTORY_SKILL=comptabilite
#   BENCH_COMMUNITY_ORG=5000 BENCH_COMMUNITIES=2000 BENCH_COMMUNITY_MEMBERS=2000 BENCH_COMMUNITY_POSTS=10000

# instances
tools/pg-test-server start \$PGDIR/pg            # PGDIR=\$(mktemp -d /tmp/ruche-pg.XXXXXX); chmod 755 \$PGDIR
psql "postgresql:///postgres?host=\$PGDIR/pg&user=ruche" -c 'CREATE DATABASE bench_home'
$REL_BIN init --data \$DIR                        # SQLite
$REL_BIN init --data \$DIR --database "postgresql:///bench_home?host=\$PGDIR/pg&user=ruche"
$REL_BIN demo --data \$DIR
$REL_BIN serve --data \$DIR --listen 127.0.0.1:\$PORT --threads $THREADS
# sign in: GET /login (csrf_token, ruche_visitor), POST /login with curl, keep ruche_session

# 1-2. home page
$WRK_CMD http://127.0.0.1:\$PORT/healthz
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$PORT/
perf record -F 499 --call-graph dwarf,16384 -p \$PID -- sleep 4     # during a 5 s wrk run on /
nginx -p \$TMP -c \$TMP/nginx.conf -g 'pid \$TMP/nginx.pid;'      # the saved page as index.html
$WRK_CMD http://127.0.0.1:\$NGINX_PORT/

# 3. two nodes behind nginx (config in bench/cluster.sh, proxy settings from docs/nginx.conf)
$REL_BIN serve --data \$DIR --listen 127.0.0.1:\$P1 --threads $THREADS
$REL_BIN serve --data \$DIR --listen 127.0.0.1:\$P2 --threads $THREADS
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$NGINX_PORT/

# 4. idle streams: ulimit -n \$(ulimit -Hn); one node; client bench/sse-streams.js
node bench/sse-streams.js '{"host":"127.0.0.1","port":…,"cookie":"ruche_session=…","n":10000,"concurrency":256,…}'
$REL_BIN debug-publish --data \$DIR --kind feed.new_posts --member \$ID --payload '{"count":1,…}'

# 5. post on node A → event on each node: client bench/sse-delay.js (200 POST /api/v1/posts on A,
#    as a demo member the signed-in administrator follows; API token from POST /api/v1/session)
node bench/sse-delay.js '{"nodes":[{"name":"A","port":…},{"name":"B","port":…},…],"postPort":…,"token":"…","count":200,…}'

# 6. directory on 100,000 generated members (SQLite; prints the administrator's email= and password=)
$REL_BIN debug-generate --data \$DIR --members 100000 --seed 1
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua "http://127.0.0.1:\$PORT/people?q=helene"
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua "http://127.0.0.1:\$PORT/people?q=hel%20mar"   # also ?q=m, ?q=zzzz, ?skill=comptabilite
RUCHE_TOKEN=… $WRK_CMD -s bench/bearer.lua "http://127.0.0.1:\$PORT/api/v1/people?q=helene"

# 7. home feed on 1,000,000 posts (SQLite, then PostgreSQL: init --database …, the same generation, ANALYZE)
$REL_BIN debug-generate --data \$DIR --members 10000 --follows 200 --posts 1000000 --seed 1
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$PORT/
RUCHE_TOKEN=… $WRK_CMD -s bench/bearer.lua http://127.0.0.1:\$PORT/api/v1/feed
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$NGINX_PORT/   # nginx → nodes A + B
$WRK_CMD http://127.0.0.1:\$NGINX_STATIC_PORT/page.html                                     # the ceiling
$WRK_CMD http://127.0.0.1:\$NGINX_PORT/      # nginx serving the saved page of ?q=helene

# 8. communities (SQLite, then PostgreSQL: the same generation, ANALYZE; prints community_id=, discussion_id=)
$REL_BIN debug-generate --data \$DIR --members 5000 --communities 2000 --community-members 2000 --community-posts 10000 --seed 1
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$PORT/communities/\$COMMUNITY_ID
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$PORT/communities
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$PORT/discussions/\$DISCUSSION_ID
$WRK_CMD http://127.0.0.1:\$NGINX_PORT/thread.html   # and community.html, directory.html: the saved pages
\`\`\`
EOF
} >"$OUT"

log "wrote $OUT in $TOTAL s"
if ((${#FAILED[@]})); then
    log "failed: ${FAILED[*]}"
    exit 1
fi
