#!/usr/bin/env bash
# bench/home.sh - /healthz and the signed-in home page, SQLite and PostgreSQL, against nginx
# serving a static copy of the page (the ceiling).  With perf installed, a CPU profile of
# the SQLite node during a 5 s wrk run on / (BENCH_PERF=0 to skip it).
#
# One wrk run per row (bounded: WRK_DURATION, 10 s), on 127.0.0.1 only.  Every process
# started here is stopped by its PID on exit, even on failure.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_init home
need "$WRK" curl "$NGINX" psql node

# ---- SQLite ----------------------------------------------------------------------

log "SQLite instance"
make_instance "$TMP/sqlite"
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_ruche "$TMP/sqlite" "$PORT" "$TMP/serve-sqlite.log"
SQ_PID=$RUCHE_PID
sign_in "$URL"
export RUCHE_COOKIE=$COOKIE
mkdir -p "$TMP/www"
STATUS=$(curl -s -o "$TMP/www/index.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL/")
[[ $STATUS == 200 ]] || die "signed-in home answered $STATUS"
PAGE_BYTES=$(wc -c <"$TMP/www/index.html")
HEALTH_BYTES=$(curl -s "$URL/healthz" | wc -c)

wrk_cpu healthz "$URL/healthz" "$SQ_PID"
H_TICKS=$WRK_SERVER_TICKS H_BUSY=$WRK_MACHINE_BUSY H_IDLE=$WRK_MACHINE_IDLE H_OTHER=$WRK_OTHER
wrk_cpu home-sqlite "$URL/" "$SQ_PID" -s "$REPO/bench/cookie.lua"
S_TICKS=$WRK_SERVER_TICKS S_BUSY=$WRK_MACHINE_BUSY S_IDLE=$WRK_MACHINE_IDLE S_OTHER=$WRK_OTHER
check_page_bytes "$TMP/wrk-home-sqlite.txt" "$PAGE_BYTES"
read -r SQ_HWM SQ_RSS < <(mem_of "$SQ_PID")

# ---- profiles ---------------------------------------------------------------------

# profile NAME PID URL SECONDS: perf during a wrk run on URL; writes $TMP/perf-NAME-{dso,self,
# children}.txt and sets PERF_RPS_<NAME>.  Nothing (and no failure) without perf.
profile() {
    local name=$1 pid=$2 url=$3 secs=$4 wrk_pid
    [[ ${BENCH_PERF:-1} != 0 ]] && command -v perf >/dev/null || return 0
    log "perf $name: $secs s of a $((secs + 1)) s wrk run on $url"
    "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d$((secs + 1))s -s "$REPO/bench/cookie.lua" "$url" >"$TMP/wrk-perf-$name.txt" 2>&1 &
    wrk_pid=$!
    track "$wrk_pid" INT
    sleep 0.5
    if ! perf record -F 499 --call-graph dwarf,16384 -o "$TMP/perf-$name.data" -p "$pid" -- sleep "$secs" \
        >"$TMP/perf-$name.log" 2>&1; then
        log "warning: perf record failed: $(tail -2 "$TMP/perf-$name.log")"
        wait "$wrk_pid" || true
        untrack "$wrk_pid"
        return 0
    fi
    wait "$wrk_pid" || true
    untrack "$wrk_pid"
    perf report -i "$TMP/perf-$name.data" --no-children --sort dso --stdio -g none 2>/dev/null \
        | awk '/^ +[0-9.]+%/ {printf "%8s  %s\n", $1, $2}' | head -8 >"$TMP/perf-$name-dso.txt" || true
    perf report -i "$TMP/perf-$name.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null \
        | awk '/^ +[0-9.]+%/ {pct=$1; dso=$2; $1=$2=$3=""; sub(/^ +/, ""); sub(/ +- +- *$/, ""); printf "%8s  %-22s %s\n", pct, dso, $0}' \
        | head -15 >"$TMP/perf-$name-self.txt" || true
    # Inclusive time of named functions (the callers): what each layer costs.
    perf report -i "$TMP/perf-$name.data" --children --sort dso,sym --stdio -g none 2>/dev/null \
        | awk '/^ +[0-9.]+%/ {pct=$1; dso=$3; $1=$2=$3=$4=""; sub(/^ +/, ""); sub(/ +- +- *$/, ""); printf "%8s  %-22s %s\n", pct, dso, $0}' \
        | grep -v -E ' (0x[0-9a-f]+|clone3|start_thread|entry_SYSCALL.*|do_syscall_64|\[unknown\])$' \
        | head -24 >"$TMP/perf-$name-children.txt" || true
    rm -f "$TMP/perf-$name.data"
    printf -v "PERF_RPS_$name" '%s' "$(awk '/^Requests\/sec:/ {print $2}' "$TMP/wrk-perf-$name.txt")"
}

# profile_md NAME TITLE: the Markdown of a profile.
profile_md() {
    local name=$1 title=$2 rps_var="PERF_RPS_$1"
    [[ -s "$TMP/perf-$name-dso.txt" ]] || return 0
    cat <<EOF
### Profile of the $title node on \`/\`

\`perf record -F 499 --call-graph dwarf,16384 -p PID -- sleep N\` during a wrk run on \`/\`
(same wrk command; ${!rps_var:-?} requests/s while profiled).  Share of the server's CPU samples:

By library:
\`\`\`
$(cat "$TMP/perf-$name-dso.txt")
\`\`\`
Top symbols (self time):
\`\`\`
$(cat "$TMP/perf-$name-self.txt")
\`\`\`
Inclusive time (the function and what it calls), named functions only:
\`\`\`
$(cat "$TMP/perf-$name-children.txt")
\`\`\`

EOF
}

profile sqlite "$SQ_PID" "$URL/" 4
PERF_DONE=
[[ -s "$TMP/perf-sqlite-dso.txt" ]] && PERF_DONE=1
stop_ruche "$SQ_PID"

# ---- PostgreSQL ------------------------------------------------------------------

pg_ensure
pg_createdb bench_home
log "PostgreSQL instance"
make_instance "$TMP/pg" "$(pg_url bench_home)"
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
start_ruche "$TMP/pg" "$PORT" "$TMP/serve-pg.log"
PG_PID=$RUCHE_PID
sign_in "$URL"
export RUCHE_COOKIE=$COOKIE
STATUS=$(curl -s -o "$TMP/pg-index.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$URL/")
[[ $STATUS == 200 ]] || die "signed-in home (PostgreSQL) answered $STATUS"
PG_PAGE_BYTES=$(wc -c <"$TMP/pg-index.html")
# Counters read before and after each wrk run (bench/lib.sh): CPU of the PostgreSQL
# backends, transactions, and rows read per table by sequential and index scans.
wrk_probe() {
    echo "pg_ticks $(cpu_ticks $(pg_pids))"
    psql -At -F ' ' "$(pg_url bench_home)" -c "
        SELECT 'xacts', xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'bench_home'
        UNION ALL SELECT 'seq:' || relname, coalesce(seq_tup_read, 0) FROM pg_stat_user_tables
        UNION ALL SELECT 'idx:' || relname, coalesce(idx_tup_fetch, 0) FROM pg_stat_user_tables"
}
WRK_PROBE_DELAY=1.5 # backends report their statistics at most once a second
wrk_cpu home-pg "$URL/" "$PG_PID" -s "$REPO/bench/cookie.lua"
P_TICKS=$WRK_SERVER_TICKS P_BUSY=$WRK_MACHINE_BUSY P_IDLE=$WRK_MACHINE_IDLE P_OTHER=$WRK_OTHER
P_PGTICKS=${WRK_DELTA[pg_ticks]} X_DELTA=${WRK_DELTA[xacts]}
# Rows read per request, by table (the tables a request reads most).
read -r _ _ _ _ _ P_N0 < <(parse_wrk "$TMP/wrk-home-pg.txt")
for k in "${!WRK_DELTA[@]}"; do
    [[ $k == seq:* || $k == idx:* ]] && echo "${WRK_DELTA[$k]} ${k%%:*} ${k#*:}"
done | sort -rn | head -6 | awk -v n="$P_N0" '$1 > 0 {printf "| %s | %s | %.1f |\n", $3, ($2 == "seq" ? "sequential scans" : "index scans"), $1 / n}' >"$TMP/pg-rows.md"
check_page_bytes "$TMP/wrk-home-pg.txt" "$PG_PAGE_BYTES"
read -r PG_HWM PG_RSS < <(mem_of "$PG_PID")
profile pg "$PG_PID" "$URL/" 3
unset -f wrk_probe
stop_ruche "$PG_PID"

# The same node with more threads than cores: on PostgreSQL a thread waits for each query.
wrk_probe() { echo "pg_ticks $(cpu_ticks $(pg_pids))"; }
WRK_PROBE_DELAY=0
ALT=${BENCH_PG_THREADS_ALT:-4}
if [[ $ALT != 0 ]]; then
    THREADS_SAVED=$THREADS
    THREADS=$ALT
    start_ruche "$TMP/pg" "$PORT" "$TMP/serve-pg-alt.log"
    THREADS=$THREADS_SAVED
    PG2_PID=$RUCHE_PID
    wrk_cpu home-pg-alt "$URL/" "$PG2_PID" -s "$REPO/bench/cookie.lua"
    Q_TICKS=$WRK_SERVER_TICKS Q_BUSY=$WRK_MACHINE_BUSY Q_IDLE=$WRK_MACHINE_IDLE Q_OTHER=$WRK_OTHER
    Q_PGTICKS=${WRK_DELTA[pg_ticks]}
    check_page_bytes "$TMP/wrk-home-pg-alt.txt" "$PG_PAGE_BYTES"
    read -r PG2_HWM PG2_RSS < <(mem_of "$PG2_PID")
    stop_ruche "$PG2_PID"
fi
unset -f wrk_probe
for f in "$TMP"/serve-*.log; do
    grep -E 'level=(error|warn)' "$f" | head -5 | sed "s|^|$(basename "$f"): |" >&2 || true
done

# ---- nginx serving the saved page --------------------------------------------------

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
N_TICKS=$WRK_SERVER_TICKS N_BUSY=$WRK_MACHINE_BUSY N_IDLE=$WRK_MACHINE_IDLE N_OTHER=$WRK_OTHER
N_HWM=0 N_RSS=0
for pid in $(nginx_pids); do
    read -r h r < <(mem_of "$pid")
    N_HWM=$((N_HWM + h)) N_RSS=$((N_RSS + r))
done
stop_pid "$NGINX_PID" QUIT

# ---- report ------------------------------------------------------------------------

idle() { awk -v b="$1" -v i="$2" 'BEGIN { if (b + i > 0) printf "%.0f%%", 100 * i / (b + i); else print "n/a" }'; }
bad() {
    local s=""
    [[ $1 != 0 ]] && s+=" ($1 non-2xx)"
    [[ $2 != 0 ]] && s+=" ($2 socket errors)"
    echo "$s"
}
read -r H_RPS H_P50 H_P99 H_BAD H_ERR H_N < <(parse_wrk "$TMP/wrk-healthz.txt")
read -r S_RPS S_P50 S_P99 S_BAD S_ERR S_N < <(parse_wrk "$TMP/wrk-home-sqlite.txt")
read -r P_RPS P_P50 P_P99 P_BAD P_ERR P_N < <(parse_wrk "$TMP/wrk-home-pg.txt")
read -r N_RPS N_P50 N_P99 N_BAD N_ERR N_N < <(parse_wrk "$TMP/wrk-nginx.txt")
ALT_ROW=
if [[ $ALT != 0 ]]; then
    read -r Q_RPS Q_P50 Q_P99 Q_BAD Q_ERR Q_N < <(parse_wrk "$TMP/wrk-home-pg-alt.txt")
    ALT_ROW=$'\n'"| PostgreSQL \`GET /\` signed in, \`--threads $ALT\` | $Q_RPS$(bad "$Q_BAD" "$Q_ERR") | $Q_P50 | $Q_P99 | ruche $(us_per_req "$Q_TICKS" "$Q_N") + postgres $(us_per_req "$Q_PGTICKS" "$Q_N") | $(idle "$Q_BUSY" "$Q_IDLE") | $Q_OTHER | $(mib "$PG2_HWM") / $(mib "$PG2_RSS") MiB | $(ratio "$Q_RPS" "$N_RPS") | $(ratio "$Q_RPS" "$S_RPS") |"
fi

# perc_of FILE SYMBOL: the first (largest) percentage of SYMBOL in a perf listing.
perc_of() { awk -v f="$2" '$3 == f {print $1; exit}' "$1" 2>/dev/null | tr -d '%'; }
dso_of() { awk -v f="$2" 'index($2, f) == 1 {print $1; exit}' "$1" 2>/dev/null | tr -d '%'; }
XPR=$(awk -v x="${X_DELTA:-0}" -v n="$P_N" 'BEGIN { if (n > 0 && x > 0) printf "%.1f", x / n; else print "?" }')
S_US=$(us_per_req "$S_TICKS" "$S_N")
P_US=$(us_per_req "$P_TICKS" "$P_N")
P_PG_US=$(us_per_req "$P_PGTICKS" "$P_N")
MEANING="**What this means.** \`/healthz\` runs at $(ratio "$H_RPS" "$N_RPS")× nginx's static page: the HTTP layer
(libmicrohttpd, routing, the per-request log line) is not what limits the home page.  The signed-in
home page costs $S_US µs of server CPU per request on SQLite against
$(us_per_req "$H_TICKS" "$H_N") µs for \`/healthz\`, and so reaches $(ratio "$S_RPS" "$N_RPS")× the ceiling."
if [[ -n "$PERF_DONE" ]]; then
    pc() { local v; v=$(perc_of "$TMP/perf-sqlite-children.txt" "$1"); echo "${v:-<1}"; }
    MEANING+="  Where that CPU goes (profile below): SQLite $(dso_of "$TMP/perf-sqlite-dso.txt" libsqlite3)% of
the samples (running the page's queries: \`sqlite3VdbeExec\` $(pc sqlite3VdbeExec)% inclusive), the kernel
$(dso_of "$TMP/perf-sqlite-dso.txt" '[kernel')% (mostly sending the responses: \`__libc_sendmsg\` $(pc __libc_sendmsg)%), libc
$(dso_of "$TMP/perf-sqlite-dso.txt" libc.so)% (string functions, malloc), and ruche's own code $(dso_of "$TMP/perf-sqlite-dso.txt" ruche)%, mostly page
building (\`html_fmt_\` $(pc html_fmt_)% inclusive, the HTML tokenizer \`scan_char\` $(pc scan_char)%)."
    REPREP=$(perc_of "$TMP/perf-sqlite-children.txt" sqlite3Reprepare)
    if [[ -n "$REPREP" ]] && awk -v r="$REPREP" 'BEGIN { exit !(r >= 5) }'; then
        MEANING+="  **\`sqlite3Reprepare\` takes ${REPREP}%**: cached statements are being
compiled again, so something expires them on each request (a flag pragma such as
\`PRAGMA query_only\` does, for every statement of the connection)."
    fi
fi
MEANING+="

On PostgreSQL the page reaches $(ratio "$P_RPS" "$S_RPS")× SQLite.  Per request ruche itself used $P_US µs
(on SQLite, with the database inside the process: $S_US µs) and the PostgreSQL backends
$P_PG_US µs more, on the same two cores; and each request is $XPR PostgreSQL transactions
(\`pg_stat_database.xact_commit\`), each a round trip during which the worker thread waits: with
\`--threads $THREADS\` the machine stayed $(idle "$P_BUSY" "$P_IDLE") idle during the run."
TOPROWS=$(head -1 "$TMP/pg-rows.md" 2>/dev/null | awk -F' [|] ' '{gsub(/^[|] /, "", $1); gsub(/ *[|] *$/, "", $3); printf "%s rows of \x60%s\x60 read by %s", $3, $1, $2}')
if awk -v x="$XPR" 'BEGIN { exit !(x + 0 >= 10) }'; then
    MEANING+="  **$XPR transactions for one page** means queries run once per listed row
(N+1): on SQLite each costs microseconds, on PostgreSQL each is a round trip and a backend wake-up."
fi
[[ -n "$TOPROWS" ]] && MEANING+="  The most read table: $TOPROWS per request (table below)."
[[ -s "$TMP/perf-pg-dso.txt" ]] && MEANING+="  The profile of the PostgreSQL node below shows ruche's side."
if [[ $ALT != 0 ]]; then
    if awk -v q="$Q_RPS" -v p="$P_RPS" 'BEGIN { exit !(q > 1.1 * p) }'; then
        MEANING+="  With \`--threads $ALT\` the node reached $(ratio "$Q_RPS" "$P_RPS")× that: on PostgreSQL, where
threads wait for the database, the thread count should not default to the number of cores
(\`default_threads()\` in \`src/serve_cli.c\`)."
    else
        MEANING+="  With \`--threads $ALT\` the node reached $(ratio "$Q_RPS" "$P_RPS")× that: here more threads did not
help, the cores were already busy (with ruche and PostgreSQL, or other work: see \"other CPU\")."
    fi
fi

{
cat <<EOF
## 1-2. Home page: SQLite, PostgreSQL, and nginx as the ceiling

\`$WRK_CMD\` against one \`ruche serve --threads $THREADS\` node; \`/\` is the demo
administrator's home page, requested with their session cookie (\`bench/cookie.lua\`).
"CPU µs/req" is the CPU time (user + system, every thread) the server processes used during
the run divided by the requests served; "idle" is the machine's idle share during the run
(wrk uses the rest); "other CPU" is the share of the machine used meanwhile by processes that are
not part of the bench (other work on a shared machine: the higher, the less the row is worth).

| target | requests/s | p50 | p99 | CPU µs/req | idle | other CPU | RSS peak / after | ratio to nginx | ratio to SQLite \`/\` |
|---|---|---|---|---|---|---|---|---|---|
| SQLite \`GET /healthz\` ($HEALTH_BYTES B) | $H_RPS$(bad "$H_BAD" "$H_ERR") | $H_P50 | $H_P99 | $(us_per_req "$H_TICKS" "$H_N") | $(idle "$H_BUSY" "$H_IDLE") | $H_OTHER | $(mib "$SQ_HWM") / $(mib "$SQ_RSS") MiB (both runs) | $(ratio "$H_RPS" "$N_RPS") | — |
| SQLite \`GET /\` signed in ($PAGE_BYTES B) | $S_RPS$(bad "$S_BAD" "$S_ERR") | $S_P50 | $S_P99 | $(us_per_req "$S_TICKS" "$S_N") | $(idle "$S_BUSY" "$S_IDLE") | $S_OTHER | (same process) | $(ratio "$S_RPS" "$N_RPS") | 1.00 |
| PostgreSQL \`GET /\` signed in ($PG_PAGE_BYTES B) | $P_RPS$(bad "$P_BAD" "$P_ERR") | $P_P50 | $P_P99 | ruche $(us_per_req "$P_TICKS" "$P_N") + postgres $(us_per_req "$P_PGTICKS" "$P_N") | $(idle "$P_BUSY" "$P_IDLE") | $P_OTHER | $(mib "$PG_HWM") / $(mib "$PG_RSS") MiB | $(ratio "$P_RPS" "$N_RPS") | $(ratio "$P_RPS" "$S_RPS") |$ALT_ROW
| nginx, static copy of \`/\` ($PAGE_BYTES B, 2 workers) | $N_RPS$(bad "$N_BAD" "$N_ERR") | $N_P50 | $N_P99 | $(us_per_req "$N_TICKS" "$N_N") | $(idle "$N_BUSY" "$N_IDLE") | $N_OTHER | $(mib "$N_HWM") / $(mib "$N_RSS") MiB (master + workers) | 1.00 | — |

$MEANING

EOF
if [[ -s "$TMP/pg-rows.md" ]]; then
cat <<EOF
Rows PostgreSQL read per request of the PostgreSQL run, by table (\`pg_stat_user_tables\`:
\`seq_tup_read\`, \`idx_tup_fetch\`), the largest first:

| table | read by | rows per request |
|---|---|---|
$(cat "$TMP/pg-rows.md")

EOF
fi
profile_md sqlite SQLite
profile_md pg PostgreSQL
} | emit home
log "done"
