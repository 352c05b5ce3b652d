#!/usr/bin/env bash
# bench/directory.sh - the directory search on a generated organisation of BENCH_MEMBERS
# (100,000) members, SQLite: `ruche debug-generate` (invited members without passwords,
# profiles, 0-6 skills each, one administrator), then wrk on the directory page and the
# directory API, signed in as that administrator.
#
# Environment: BENCH_MEMBERS (100000), BENCH_SEED (1), BENCH_DIRECTORY_Q (helene),
# BENCH_DIRECTORY_SKILL (comptabilite); see bench/lib.sh for the rest.  Everything is
# bounded in time and on 127.0.0.1; every process started here is stopped by its PID on exit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init directory
need "$WRK" curl python3

MEMBERS=${BENCH_MEMBERS:-100000}
SEED=${BENCH_SEED:-1}
Q=${BENCH_DIRECTORY_Q:-helene}
SKILL=${BENCH_DIRECTORY_SKILL:-comptabilite}
MISS=zzzz # matches nobody: the whole directory is walked

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
# measure NAME LABEL PATH AUTH_HEADER LUA
measure() {
    local name=$1 label=$2 path=$3 auth=$4 lua=$5 bytes results rps p50 p99 bad err n extra=""
    read -r bytes results < <(check "$name" "$path" "$auth")
    wrk_cpu "$name" "$URL$path" "$SRV_PID" -s "$REPO/bench/$lua"
    read -r rps p50 p99 bad err n < <(parse_wrk "$TMP/wrk-$name.txt")
    [[ $bad != 0 ]] && extra+=" ($bad non-2xx)"
    [[ $err != 0 ]] && extra+=" ($err socket errors)"
    ROWS+=("| $label | $results ($bytes B) | $rps$extra | $p50 | $p99 | $(us_per_req "$WRK_SERVER_TICKS" "$n") | $WRK_OTHER |")
    eval "RPS_$name=\$rps US_$name=\$(us_per_req \"\$WRK_SERVER_TICKS\" \"\$n\")"
}

measure q "page \`/people?q=$Q\`" "/people?q=$Q" "Cookie: $COOKIE" cookie.lua
measure skill "page \`/people?skill=$SKILL\`" "/people?skill=$SKILL" "Cookie: $COOKIE" cookie.lua
measure api "API \`/api/v1/people?q=$Q\`" "/api/v1/people?q=$Q" "Authorization: Bearer $TOKEN" bearer.lua
measure miss "page \`/people?q=$MISS\` (no match)" "/people?q=$MISS" "Cookie: $COOKIE" cookie.lua
read -r HWM RSS < <(mem_of "$SRV_PID")
stop_ruche "$SRV_PID"
WARNS=$(grep -c -E 'level=(warn|error)' "$TMP/serve.log" || true)

# Where the first match of q sits in the directory's order (name_folded, id): the page
# query walks the name index from the start and tests LIKE '%q%' on each entry until it
# has a page, so this is about how many entries one request reads.
read -r BEFORE TOTAL < <(python3 - "$TMP/data/ruche.db" "$Q" <<'EOF'
import sqlite3, sys
db = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True)
q = sys.argv[2]
row = db.execute("SELECT MIN(name_folded) FROM account WHERE name_folded LIKE ?", ("%" + q + "%",)).fetchone()
total = db.execute("SELECT COUNT(*) FROM account").fetchone()[0]
before = db.execute("SELECT COUNT(*) FROM account WHERE name_folded < ?", (row[0],)).fetchone()[0] if row[0] else total
print(before, total)
EOF
)

{
cat <<EOF
## 6. Directory on $(python3 -c 'import sys; print(f"{int(sys.argv[1]):,}")' "$MEMBERS") members

\`ruche debug-generate --data DIR --members $MEMBERS --seed $SEED\` (SQLite): members drawn from
the demo's first and last names, jobs, departments and sites, 'invited' without a password
(no argon2id), each with a profile (job, department, site and skills visible to everyone 85 %
of the time) and 0 to 6 skills from the demo profiles, 1,000 per transaction; plus one
administrator, signed in with curl.  Generation took **$GEN_S s** (database $DB_MIB MiB).
One \`ruche serve --threads $THREADS\` node; \`$WRK_CMD\` with the session cookie
(\`bench/cookie.lua\`) for the pages, the API token (\`bench/bearer.lua\`) for the API.
A page lists 30 people, an API page 30 full profiles.  The other columns are those of table 1-2.

| request | results (size) | requests/s | p50 | p99 | CPU µs/req | other CPU |
|---|---|---|---|---|---|---|
$(printf '%s\n' "${ROWS[@]}")

Server RSS after the runs (peak / now): $(mib "$HWM") / $(mib "$RSS") MiB.  Server log: $WARNS
warning/error lines.

**What this means.** \`people_directory()\` walks the \`account_name_folded\` index in the
directory's order and tests \`name_folded LIKE '%q%'\` on every entry until it has a page:
a substring cannot use an index.  The first "$Q" comes after $BEFORE of the $TOTAL accounts
in that order, so each request reads about $BEFORE index entries (and their rows) before
its first result; a search that matches nobody reads all $TOTAL
($(ratio "${RPS_miss:-0}" "${RPS_q:-0}")× the requests/s of "$Q", ${US_miss:-?} µs of CPU per request against ${US_q:-?}).
The skill filter walks the same index but tests one look-up in the skill table's primary key
per entry; a common skill (each of the demo's skills is held by about 7 % of the members)
fills a page after a few hundred entries, a rare one would walk the whole directory too.
The API costs more than the page for the same search because it loads each of the 30
profiles with 4 more queries (\`people_profile_load\`).

EOF
} | emit directory
log "done"
