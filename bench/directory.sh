#!/usr/bin/env bash
# bench/directory.sh - the directory search on a generated organisation of BENCH_MEMBERS
# (100,000) members, SQLite: `ruche debug-generate` (invited members without passwords,
# profiles, 0-6 skills each, one administrator), then wrk on the directory page and the
# directory API, signed in as that administrator, and on nginx serving a saved copy of the
# search page (the static ceiling, as in table 1-2).
#
# Environment: BENCH_MEMBERS (100000), BENCH_SEED (1), BENCH_DIRECTORY_Q (helene),
# BENCH_DIRECTORY_Q2 (hel mar), BENCH_DIRECTORY_LETTER (m), BENCH_DIRECTORY_SKILL
# (comptabilite); see bench/lib.sh for the rest.  Everything is bounded in time and on
# 127.0.0.1; every process started here is stopped by its PID on exit.
# Run alone, it prints its section of BENCHMARKS.md on stdout.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init directory
need "$WRK" curl python3 "$NGINX"

MEMBERS=${BENCH_MEMBERS:-100000}
SEED=${BENCH_SEED:-1}
Q=${BENCH_DIRECTORY_Q:-helene}
Q2=${BENCH_DIRECTORY_Q2:-hel mar}
LETTER=${BENCH_DIRECTORY_LETTER:-m}
SKILL=${BENCH_DIRECTORY_SKILL:-comptabilite}
MISS=zzzz # matches nobody
urlq() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

log "SQLite instance, $MEMBERS generated members"
"$BIN" init --data "$TMP/data" >/dev/null 2>"$TMP/init.log" || { cat "$TMP/init.log" >&2; die "init failed"; }
T0=$(date +%s.%N)
timeout 900 "$BIN" debug-generate --data "$TMP/data" --members "$MEMBERS" --seed "$SEED" \
    >"$TMP/generate.txt" 2>"$TMP/generate.log" || { cat "$TMP/generate.log" >&2; die "debug-generate failed"; }
GEN_S=$(awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
EMAIL=$(sed -n 's/^email=//p' "$TMP/generate.txt")
PASSWORD=$(sed -n 's/^password=//p' "$TMP/generate.txt")
[[ -n "$EMAIL" && -n "$PASSWORD" ]] || die "no credentials from debug-generate"
DB_MIB=$(du -k "$TMP/data/ruche.db" | awk '{printf "%.0f", $1 / 1024}')
log "generated in $GEN_S s (database $DB_MIB MiB)"

PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_ruche "$TMP/data" "$PORT" "$TMP/serve.log"
SRV_PID=$RUCHE_PID
sign_in "$URL"
export RUCHE_COOKIE=$COOKIE
TOKEN=$(curl -s -H 'Content-Type: application/json' \
    --data "$(python3 -c 'import json, sys; print(json.dumps({"email": sys.argv[1], "password": sys.argv[2]}))' "$EMAIL" "$PASSWORD")" \
    "$URL/api/v1/session" | python3 -c 'import json, sys; print(json.load(sys.stdin).get("token", ""))')
[[ -n "$TOKEN" ]] || die "no API token from POST /api/v1/session"
export RUCHE_TOKEN=$TOKEN

# check NAME PATH AUTH: one request first; prints "bytes results" (cards, or API items).
check() {
    local name=$1 path=$2 auth=$3 status
    status=$(curl -s -o "$TMP/$name.body" -w '%{http_code}' -H "$auth" "$URL$path")
    [[ $status == 200 ]] || die "$path answered $status"
    if [[ $path == /api/* ]]; then
        echo "$(wc -c <"$TMP/$name.body") $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$TMP/$name.body")"
    else
        echo "$(wc -c <"$TMP/$name.body") $(grep -o '<li class="person">' "$TMP/$name.body" | wc -l)"
    fi
}

ROWS=()
# measure NAME LABEL PATH AUTH_HEADER LUA: a row of the table, as "RPS@| …" (its ratio to
# nginx is added once nginx has run)
measure() {
    local name=$1 label=$2 path=$3 auth=$4 lua=$5 bytes results rps p50 p99 bad err n extra=""
    read -r bytes results < <(check "$name" "$path" "$auth")
    wrk_cpu "$name" "$URL$path" "$SRV_PID" -s "$REPO/bench/$lua"
    read -r rps p50 p99 bad err n < <(parse_wrk "$TMP/wrk-$name.txt")
    [[ $bad != 0 ]] && extra+=" ($bad non-2xx)"
    [[ $err != 0 ]] && extra+=" ($err socket errors)"
    ROWS+=("$rps@| $label | $results ($bytes B) | $rps$extra | $p50 | $p99 | $(us_per_req "$WRK_SERVER_TICKS" "$n") | $WRK_OTHER |")
    eval "RPS_$name=\$rps US_$name=\$(us_per_req \"\$WRK_SERVER_TICKS\" \"\$n\") P99_$name=\$p99"
    OTHERS+=("${WRK_OTHER%\%}")
}
OTHERS=()

measure q "page \`/people?q=$Q\`" "/people?q=$(urlq "$Q")" "Cookie: $COOKIE" cookie.lua
measure q2 "page \`/people?q=$Q2\` (two words)" "/people?q=$(urlq "$Q2")" "Cookie: $COOKIE" cookie.lua
measure letter "page \`/people?q=$LETTER\` (one letter)" "/people?q=$(urlq "$LETTER")" "Cookie: $COOKIE" cookie.lua
measure miss "page \`/people?q=$MISS\` (no match)" "/people?q=$MISS" "Cookie: $COOKIE" cookie.lua
measure skill "page \`/people?skill=$SKILL\`" "/people?skill=$SKILL" "Cookie: $COOKIE" cookie.lua
measure api "API \`/api/v1/people?q=$Q\`" "/api/v1/people?q=$(urlq "$Q")" "Authorization: Bearer $TOKEN" bearer.lua
read -r HWM RSS < <(mem_of "$SRV_PID")
stop_ruche "$SRV_PID"
WARNS=$(grep -c -E 'level=(warn|error)' "$TMP/serve.log" || true)

# ---- nginx serving the saved search page: the static ceiling --------------------------
mkdir -p "$TMP/www"
cp "$TMP/q.body" "$TMP/www/index.html"
PAGE_BYTES=$(wc -c <"$TMP/www/index.html")
NPORT=$(free_port)
cat >"$TMP/nginx.conf" <<EOF
$(nginx_user_line)
daemon off;
worker_processes 2;
error_log $TMP/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    default_type text/html;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path $TMP/nginx-body;
    proxy_temp_path $TMP/nginx-proxy;
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/www;
        index index.html;
    }
}
EOF
start_nginx "$TMP/nginx.conf" "http://127.0.0.1:$NPORT/"
wrk_cpu nginx "http://127.0.0.1:$NPORT/" "$(nginx_pids)"
read -r N_RPS N_P50 N_P99 N_BAD N_ERR N_N < <(parse_wrk "$TMP/wrk-nginx.txt")
N_US=$(us_per_req "$WRK_SERVER_TICKS" "$N_N")
N_OTHER=$WRK_OTHER
stop_pid "$NGINX_PID" QUIT

# How many members each search reads, from the database itself: the members whose name
# has a word starting with the query's driving (longest) word, which the page's query
# sorts by name; and the size of the word index.
read -r N_Q N_Q2 N_LETTER N_MISS WORDS TOTAL < <(python3 - "$TMP/data/ruche.db" "$Q" "$Q2" "$LETTER" "$MISS" <<'EOF'
import sqlite3, sys, unicodedata
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
def fold(s):
    return "".join(c for c in unicodedata.normalize("NFD", s.lower()) if not unicodedata.combining(c))
def driven(q):
    w = max(fold(q).split(), key=len).encode()
    hi = w[:-1] + bytes([w[-1] + 1])
    return db.execute("SELECT COUNT(DISTINCT account_id) FROM person_word WHERE word >= ? AND word < ?",
                      (w, hi)).fetchone()[0]
counts = [driven(q) for q in sys.argv[2:6]]
words = db.execute("SELECT COUNT(*) FROM person_word").fetchone()[0]
total = db.execute("SELECT COUNT(*) FROM account").fetchone()[0]
print(*counts, words, total)
EOF
)

OTHERS+=("${N_OTHER%\%}")
read -r OTHER_MIN OTHER_MAX < <(printf '%s\n' "${OTHERS[@]}" | sort -n | sed -n '1p;$p' | paste -sd' ')
DISTURBED=
if ((OTHER_MAX > ${BENCH_OTHER_MAX:-15})); then
    DISTURBED="Other processes used $OTHER_MIN to $OTHER_MAX % of the machine during these runs (see
\"other CPU\"): requests/s and latencies are lower than on a quiet machine; the CPU µs/req
column, the server's own CPU per request, is the figure to compare.  "
fi
TABLE=$(for row in "${ROWS[@]}"; do
    rps=${row%%@*}
    printf '%s %s |\n' "${row#*@}" "$(ratio "$rps" "$N_RPS")"
done)
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
[[ -n "$(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null)" ]] && COMMIT+=" + uncommitted changes"

{
cat <<EOF
## 6. Directory on $(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$MEMBERS") members

Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $COMMIT (\`bench/directory.sh\`, $(nproc) cores).
\`ruche debug-generate --data DIR --members $MEMBERS --seed $SEED\` (SQLite): members drawn from
the demo's first and last names, jobs, departments and sites, 'invited' without a password
(no argon2id), each with a profile (job, department, site and skills visible to everyone 85 %
of the time) and 0 to 6 skills from the demo profiles, 1,000 per transaction; plus one
administrator, signed in with curl.  Generation took **$GEN_S s** (database $DB_MIB MiB, of
which $WORDS rows of the name-word index \`person_word\`).
One \`ruche serve --threads $THREADS\` node; \`$WRK_CMD\` with the session cookie
(\`bench/cookie.lua\`) for the pages, the API token (\`bench/bearer.lua\`) for the API.
A page lists 30 people, an API page 30 full profiles.  "ratio to nginx" divides by nginx (2
workers) serving the saved page of \`?q=$Q\` ($PAGE_BYTES B) as a static file:
$N_RPS requests/s, p50 $N_P50, p99 $N_P99, $N_US µs of CPU per request (other CPU $N_OTHER).
The other columns are those of table 1-2.

| request | results (size) | requests/s | p50 | p99 | CPU µs/req | other CPU | ratio to nginx |
|---|---|---|---|---|---|---|---|
$TABLE

Server RSS after the runs (peak / now): $(mib "$HWM") / $(mib "$RSS") MiB.  Server log: $WARNS
warning/error lines.

**What this means.** ${DISTURBED}A name search is an index range scan: \`person_word\` holds each word of
each member's folded name with the name itself, so the members whose name has a word
starting with "$Q" are the rows \`word >= '$Q' AND word < '${Q%?}$(python3 -c 'import sys; print(chr(ord(sys.argv[1][-1]) + 1))' "$Q")'\` of its primary key, which already
carry the directory's sort key; only the 30 rows of the page are then read from \`account\`
and \`profile\`.  The work is the number of members the first (longest) query word matches,
sorted by name: $N_Q of the $TOTAL accounts for "$Q" (${US_q:-?} µs of CPU per request),
$N_Q2 for "$Q2" (its longest word; the other word costs one probe of \`person_word_account\`
per candidate, at random places in that index, which costs more than reading the candidates:
${US_q2:-?} µs), and $N_LETTER for the one-letter "$LETTER", the worst case of this data
(${US_letter:-?} µs, p99 ${P99_letter:-?}); "$MISS" reads $N_MISS index entries
(${US_miss:-?} µs, close to the cost of the page itself).  A search no longer walks the
directory: before this index (\`BENCHMARKS.md\` at commit a388a4a), \`?q=helene\` ran at
268.56 requests/s (7190 µs of CPU per request) and a search matching nobody at 90.44
(p99 978.63ms), because each tested \`name_folded LIKE '%q%'\` on every entry of the name
index in order.  The API answers a page in 1 query plus 1 per 10 members for their skills
(it loaded each of the 30 profiles with 4 queries before).  The skill filter is unchanged:
it walks the name index and probes the skill table per entry, so a common skill fills a page
after a few hundred entries and a rare one would walk the whole directory.

EOF
} | emit directory
log "done"
