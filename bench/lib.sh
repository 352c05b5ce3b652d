# bench/lib.sh - helpers shared by the bench scripts (sourced, not run).
#
# Every process a script starts is recorded here and stopped by its PID in the EXIT trap
# (bench_cleanup), also on failure and on SIGINT/SIGTERM; temporary directories and the
# PostgreSQL server a script started are removed there too.  Traffic stays on 127.0.0.1.
#
# Environment read here:
#   RUCHE_BIN        the binary (else build-release/ruche, else build/ruche)
#   WRK_THREADS (2) WRK_CONNECTIONS (64) WRK_DURATION (10s)
#   BENCH_PG_SOCKET  the socket directory of a PostgreSQL server started by bench/run.sh;
#                    when unset, a script that needs PostgreSQL starts its own
#   BENCH_FRAGMENTS  where a script writes its part of BENCHMARKS.md (set by bench/run.sh);
#                    when unset, the part is printed on stdout
#   BENCH_THREADS (2) `ruche serve --threads`

BENCH_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO=$BENCH_REPO

if [[ -n "${RUCHE_BIN:-}" ]]; then
    BIN=$RUCHE_BIN
elif [[ -x "$REPO/build-release/ruche" ]]; then
    BIN=$REPO/build-release/ruche
else
    BIN=$REPO/build/ruche
fi
[[ $BIN == /* ]] || BIN=$REPO/$BIN
[[ -x "$BIN" ]] || { echo "bench: no ruche binary at $BIN (build it first)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
REL_BIN=${BIN#"$REPO"/}

WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
WRK_DURATION=${WRK_DURATION:-10s}
WRK_CMD="wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency"
THREADS=${BENCH_THREADS:-2}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-wrk}
CLK_TCK=$(getconf CLK_TCK)

BENCH_PIDS=()        # "pid:signal" of every background process started here
BENCH_DIRS=()        # temporary directories to remove
BENCH_PG_STARTED=    # a PostgreSQL server started by this script (pg-test-server dir)
BENCH_CLEANUP_HOOKS=()

log() { printf 'bench[%s]: %s\n' "${BENCH_NAME:-?}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "$tool is not installed (make deps-test)"
    done
}

# Remember a background process: track PID [SIGNAL].
track() { BENCH_PIDS+=("$1:${2:-TERM}"); }
untrack() {
    local i
    for i in "${!BENCH_PIDS[@]}"; do
        [[ ${BENCH_PIDS[$i]%%:*} == "$1" ]] && unset 'BENCH_PIDS[i]'
    done
    return 0
}

# Stop one process started here: SIGNAL, up to 10 s, then SIGKILL.
stop_pid() {
    local pid=$1 sig=${2:-TERM} i
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; untrack "$pid"; return 0; }
    kill -"$sig" "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "warning: PID $pid ignored SIG$sig for 10 s, sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    untrack "$pid"
}

bench_cleanup() {
    local rc=$? entry i
    trap - EXIT INT TERM
    for ((i = ${#BENCH_CLEANUP_HOOKS[@]} - 1; i >= 0; i--)); do
        ${BENCH_CLEANUP_HOOKS[$i]} || true
    done
    for ((i = ${#BENCH_PIDS[@]} - 1; i >= 0; i--)); do
        entry=${BENCH_PIDS[$i]:-}
        [[ -n "$entry" ]] && stop_pid "${entry%%:*}" "${entry#*:}"
    done
    if [[ -n "$BENCH_PG_STARTED" ]]; then
        "$REPO/tools/pg-test-server" stop "$BENCH_PG_STARTED/pg" || log "warning: PostgreSQL did not stop"
        rm -rf "$BENCH_PG_STARTED"
    fi
    for entry in "${BENCH_DIRS[@]}"; do
        rm -rf "$entry"
    done
    exit "$rc"
}

# bench_init NAME: temporary directory $TMP and the cleanup trap.
bench_init() {
    BENCH_NAME=$1
    TMP=$(mktemp -d "${TMPDIR:-/tmp}/ruche-bench-$1.XXXXXX")
    BENCH_DIRS+=("$TMP")
    trap bench_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# A loopback port that was free a moment ago.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Wait until URL answers 200 (15 s).
wait_http() {
    local url=$1 i
    for ((i = 0; i < 150; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "$url" || true) == 200 ]]; then return 0; fi
        sleep 0.1
    done
    return 1
}

# VmHWM and VmRSS of a PID in KiB, as "hwm rss".
mem_of() {
    awk '/^VmHWM:/ {h=$2} /^VmRSS:/ {r=$2} END {print h+0, r+0}' "/proc/$1/status"
}

# CPU time (user + system, all threads) of PIDs, in clock ticks.
cpu_ticks() {
    local pid total=0 t
    for pid in "$@"; do
        t=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}') || t=0
        total=$((total + ${t:-0}))
    done
    echo "$total"
}

# Machine-wide "busy idle" jiffies from /proc/stat.
machine_ticks() {
    awk '/^cpu / {idle = $5 + $6; busy = 0; for (i = 2; i <= 9; i++) busy += $i; print busy - idle, idle}' /proc/stat
}

mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# µs of CPU per request: us_per_req TICKS REQUESTS
us_per_req() { awk -v t="$1" -v n="$2" -v hz="$CLK_TCK" 'BEGIN { if (n > 0) printf "%.0f", t * 1e6 / hz / n; else print "n/a" }'; }

# Run wrk; prints its output on stderr and saves it in $TMP/wrk-$name.txt.
# Leaves WRK_TICKS, the CPU time wrk itself used.
run_wrk() {
    local name=$1 url=$2 TIMEFORMAT='%3U %3S'
    shift 2
    log "wrk $name: $url"
    { time "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "$@" "$url" 2>&3 \
        | tee "$TMP/wrk-$name.txt" >&3; } 3>&2 2>"$TMP/wrk-$name.time"
    WRK_TICKS=$(tail -1 "$TMP/wrk-$name.time" | awk -v hz="$CLK_TCK" '{printf "%d", ($1 + $2) * hz}')
}

# Every process of this bench: those tracked, their children (nginx workers), PostgreSQL.
bench_pids() {
    local entry pid
    for entry in "${BENCH_PIDS[@]}"; do
        pid=${entry%%:*}
        echo "$pid"
        pgrep -P "$pid" 2>/dev/null || true
    done
    [[ -n "${PG_SOCKET:-}" ]] && pg_pids | tr ' ' '\n'
    return 0
}

# Parse a wrk output file: "req_per_s p50 p99 non2xx socket_errors requests".
parse_wrk() {
    awk '
        /^Requests\/sec:/ {rps=$2}
        $1 == "50%" {p50=$2}
        $1 == "99%" {p99=$2}
        /requests in/ {n=$1}
        /Non-2xx or 3xx responses:/ {bad=$NF}
        /Socket errors:/ {
            e = 0
            for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) { v = $i; sub(/,/, "", v); e += v }
            err = e
        }
        END {printf "%s %s %s %s %s %s\n", rps, p50, p99, (bad == "" ? 0 : bad), (err == "" ? 0 : err), n}
    ' "$1"
}

# Average response size of a wrk run, in bytes.
wrk_avg_bytes() {
    awk '/requests in/ {
        n = $1; v = $(NF-1); u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v)
        m = (u == "KB") ? 1024 : (u == "MB") ? 1048576 : (u == "GB") ? 1073741824 : 1
        if (n > 0) printf "%d", v * m / n
    }' "$1"
}

# A signed-in run must have got the whole page every time (wrk does not count 3xx as errors).
check_page_bytes() {
    local file=$1 page_bytes=$2 avg
    avg=$(wrk_avg_bytes "$file")
    if [[ -z "$avg" || "$avg" -lt "$page_bytes" ]]; then
        die "signed-in run averaged ${avg:-?} B per response for a $page_bytes B page (session lost?)"
    fi
}

# wrk with CPU accounting: wrk_cpu NAME URL "PIDS..." [wrk args...]
# Leaves WRK_SERVER_TICKS (of PIDS), WRK_MACHINE_BUSY, WRK_MACHINE_IDLE (jiffies over the
# run) and WRK_OTHER, the machine's CPU used by processes outside this bench (other work on
# a shared machine disturbs the figures), as a percentage.
# On a shared machine a run disturbed by other work (WRK_OTHER above BENCH_OTHER_MAX, 15 %)
# is run once more (BENCH_RETRIES, 1) after waiting up to 5 s for a quiet second, as long
# as the script's retry budget lasts (BENCH_RETRY_BUDGET, 40 s of wrk), and the least
# disturbed attempt is kept, with its counters.
#
# A script may define wrk_probe: it prints "NAME VALUE" lines of cumulative counters (CPU
# ticks of a process group, log lines...); WRK_DELTA[NAME] is then their increase during the
# kept attempt.
declare -gA WRK_DELTA=()
WRK_RETRY_SPENT=0
wrk_cpu() {
    local name=$1 url=$2 pids=$3 attempt best=-1 o keep keep_delta secs
    shift 3
    secs=$(awk -v d="$WRK_DURATION" 'BEGIN { v = d + 0; if (d ~ /m$/) v *= 60; print int(v) }')
    for ((attempt = 0; attempt <= ${BENCH_RETRIES:-1}; attempt++)); do
        if ((attempt > 0)); then
            if ((WRK_RETRY_SPENT + secs > ${BENCH_RETRY_BUDGET:-40})); then
                log "other processes took $WRK_OTHER of the CPU during $name (no retry budget left)"
                break
            fi
            log "other processes took $WRK_OTHER of the CPU: running $name again"
            WRK_RETRY_SPENT=$((WRK_RETRY_SPENT + secs))
            wait_quiet 5
        fi
        wrk_cpu_once "$name" "$url" "$pids" "$@"
        o=${WRK_OTHER%\%}
        if ((best < 0 || o < best)); then
            best=$o
            keep="$WRK_SERVER_TICKS $WRK_MACHINE_BUSY $WRK_MACHINE_IDLE $WRK_OTHER"
            keep_delta=$(declare -p WRK_DELTA)
            cp "$TMP/wrk-$name.txt" "$TMP/wrk-$name.best"
        fi
        ((o <= ${BENCH_OTHER_MAX:-15})) && break
    done
    read -r WRK_SERVER_TICKS WRK_MACHINE_BUSY WRK_MACHINE_IDLE WRK_OTHER <<<"$keep"
    eval "${keep_delta/declare -A/declare -gA}"
    mv "$TMP/wrk-$name.best" "$TMP/wrk-$name.txt"
}

# wait_quiet SECONDS: until the machine is under 10 % busy over a second (nothing of the
# bench is running then, so that is other work), at most SECONDS.
wait_quiet() {
    local limit=$1 t0 b0 i0 b1 i1 busy
    t0=$(date +%s)
    while :; do
        read -r b0 i0 < <(machine_ticks)
        sleep 1
        read -r b1 i1 < <(machine_ticks)
        busy=$(awk -v b=$((b1 - b0)) -v i=$((i1 - i0)) 'BEGIN { printf "%.0f", (b + i > 0) ? 100 * b / (b + i) : 0 }')
        ((busy < 10)) && return 0
        if (($(date +%s) - t0 >= limit)); then
            log "the machine is still ${busy}% busy with other work; going on"
            return 0
        fi
    done
}

wrk_cpu_once() {
    local name=$1 url=$2 pids=$3 s0 s1 b0 i0 b1 i1 all0 all a0 a1 k v
    local -A p0=()
    shift 3
    if declare -F wrk_probe >/dev/null; then
        while read -r k v; do p0[$k]=$v; done < <(wrk_probe)
    fi
    all0=$(bench_pids | sort -un)
    # shellcheck disable=SC2086
    a0=$(cpu_ticks $all0)
    # shellcheck disable=SC2086
    s0=$(cpu_ticks $pids)
    read -r b0 i0 < <(machine_ticks)
    run_wrk "$name" "$url" "$@"
    read -r b1 i1 < <(machine_ticks)
    # shellcheck disable=SC2086
    s1=$(cpu_ticks $pids)
    all=$( (echo "$all0"; bench_pids) | sort -un)
    # shellcheck disable=SC2086
    a1=$(cpu_ticks $all)
    WRK_DELTA=()
    if declare -F wrk_probe >/dev/null; then
        sleep "${WRK_PROBE_DELAY:-0}"
        while read -r k v; do WRK_DELTA[$k]=$((v - ${p0[$k]:-0})); done < <(wrk_probe)
    fi
    WRK_SERVER_TICKS=$((s1 - s0))
    WRK_MACHINE_BUSY=$((b1 - b0))
    WRK_MACHINE_IDLE=$((i1 - i0))
    WRK_OTHER=$(awk -v b="$WRK_MACHINE_BUSY" -v i="$WRK_MACHINE_IDLE" -v ours=$((a1 - a0 + WRK_TICKS)) \
        'BEGIN { o = b - ours; if (o < 0) o = 0; if (b + i > 0) printf "%.0f%%", 100 * o / (b + i); else print "?" }')
}

# accounted OUT ERR CMD...: run CMD in the foreground (stdout to OUT, stderr to ERR); sets
# ACC_RC and ACC_OTHER, as WRK_OTHER above, for any bench step.
accounted() {
    local out=$1 err=$2 all0 all a0 a1 b0 i0 b1 i1 t TIMEFORMAT='%3U %3S'
    shift 2
    all0=$(bench_pids | sort -un)
    # shellcheck disable=SC2086
    a0=$(cpu_ticks $all0)
    read -r b0 i0 < <(machine_ticks)
    ACC_RC=0
    { time "$@" >"$out" 2>"$err"; } 2>"$out.time" || ACC_RC=$?
    read -r b1 i1 < <(machine_ticks)
    all=$( (echo "$all0"; bench_pids) | sort -un)
    # shellcheck disable=SC2086
    a1=$(cpu_ticks $all)
    t=$(tail -1 "$out.time" | awk -v hz="$CLK_TCK" '{printf "%d", ($1 + $2) * hz}')
    ACC_OTHER=$(awk -v b=$((b1 - b0)) -v i=$((i1 - i0)) -v ours=$((a1 - a0 + t)) \
        'BEGIN { o = b - ours; if (o < 0) o = 0; if (b + i > 0) printf "%.0f%%", 100 * o / (b + i); else print "?" }')
}

# ---- instances -----------------------------------------------------------------

# start_ruche DATA PORT LOG: serve in the background, wait for /healthz; sets RUCHE_PID.
start_ruche() {
    local data=$1 port=$2 logf=$3
    "$BIN" serve --data "$data" --listen "127.0.0.1:$port" --threads "$THREADS" 2>"$logf" &
    RUCHE_PID=$!
    track "$RUCHE_PID" TERM
    wait_http "http://127.0.0.1:$port/healthz" || { tail -20 "$logf" >&2; die "ruche did not start on port $port"; }
}

# stop_ruche PID: SIGTERM and warn on a non-zero exit.
stop_ruche() {
    local pid=$1 rc=0
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" || rc=$?
    untrack "$pid"
    [[ $rc == 0 ]] || log "warning: ruche (PID $pid) exited $rc after SIGTERM"
    return 0
}

# make_instance DATA [DATABASE_URL]: init + demo; sets EMAIL, PASSWORD.
make_instance() {
    local data=$1 url=${2:-}
    if [[ -n "$url" ]]; then
        "$BIN" init --data "$data" --database "$url" >/dev/null 2>"$data.init.log" || { cat "$data.init.log" >&2; die "init failed"; }
    else
        "$BIN" init --data "$data" >/dev/null 2>"$data.init.log" || { cat "$data.init.log" >&2; die "init failed"; }
    fi
    "$BIN" demo --data "$data" >"$data.demo.txt" 2>&1 || { cat "$data.demo.txt" >&2; die "demo failed"; }
    EMAIL=$(sed -n 's/^email=//p' "$data/demo-credentials.txt")
    PASSWORD=$(sed -n 's/^password=//p' "$data/demo-credentials.txt")
    [[ -n "$EMAIL" && -n "$PASSWORD" ]] || die "no credentials in demo-credentials.txt"
}

# sign_in URL: form sign-in with curl; sets COOKIE ("ruche_session=…").
sign_in() {
    local url=$1 jar csrf status session
    jar=$(mktemp "$TMP/jar.XXXXXX")
    curl -s -c "$jar" "$url/login" >"$jar.html"
    csrf=$(grep -o '<input[^>]*name="csrf_token"[^>]*>' "$jar.html" | head -1 | sed -n 's/.*value="\([^"]*\)".*/\1/p')
    [[ -n "$csrf" ]] || die "no csrf_token on /login"
    status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
        --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" --data-urlencode "csrf_token=$csrf" \
        "$url/login")
    [[ $status == 303 ]] || die "sign-in answered $status"
    session=$(awk -F'\t' '$6 == "ruche_session" {print $7}' "$jar" | tail -1)
    [[ -n "$session" ]] || die "no ruche_session cookie"
    COOKIE="ruche_session=$session"
}

# ---- PostgreSQL ----------------------------------------------------------------

# pg_ensure: a PostgreSQL server (bench/run.sh's, else one of our own); sets PG_SOCKET.
pg_ensure() {
    if [[ -n "${BENCH_PG_SOCKET:-}" ]]; then
        PG_SOCKET=$BENCH_PG_SOCKET
        return 0
    fi
    local dir
    dir=$(mktemp -d /tmp/ruche-pg.XXXXXX)
    chmod 755 "$dir"
    BENCH_PG_STARTED=$dir
    log "PostgreSQL in $dir/pg"
    "$REPO/tools/pg-test-server" start "$dir/pg" >/dev/null || die "PostgreSQL did not start"
    PG_SOCKET=$dir/pg
}

pg_url() { echo "postgresql:///$1?host=$PG_SOCKET&user=ruche"; }

# pg_createdb NAME
pg_createdb() {
    psql -q -v ON_ERROR_STOP=1 "$(pg_url postgres)" -c "CREATE DATABASE $1" >/dev/null || die "CREATE DATABASE $1 failed"
}

# PIDs of the PostgreSQL backends (children of the postmaster), for CPU accounting.
pg_pids() {
    local pm
    pm=$(head -1 "$PG_SOCKET/data/postmaster.pid" 2>/dev/null) || return 0
    echo "$pm" $(pgrep -P "$pm" 2>/dev/null || true)
}

# ---- nginx ---------------------------------------------------------------------

# start_nginx CONF URL: run nginx in the foreground of a background job; sets NGINX_PID.
start_nginx() {
    local conf=$1 url=$2
    mkdir -p "$TMP/nginx-body" "$TMP/nginx-proxy"
    "$NGINX" -p "$TMP" -c "$conf" -g "pid $TMP/nginx.pid;" 2>"$TMP/nginx-start.log" &
    NGINX_PID=$!
    track "$NGINX_PID" QUIT
    wait_http "$url" || { cat "$TMP/nginx-start.log" "$TMP/nginx-error.log" >&2 || true; die "nginx did not start"; }
}

nginx_pids() { echo "$NGINX_PID" $(pgrep -P "$NGINX_PID" 2>/dev/null || true); }

nginx_user_line() { [[ $(id -u) == 0 ]] && echo "user root;" || true; }

# ---- output --------------------------------------------------------------------

# emit NAME: the script's Markdown part (stdin) into $BENCH_FRAGMENTS/NAME.md, else stdout.
emit() {
    if [[ -n "${BENCH_FRAGMENTS:-}" ]]; then
        cat >"$BENCH_FRAGMENTS/$1.md"
    else
        cat
    fi
}

# JSON field of a file: json_get FILE EXPR (a JavaScript expression on `j`).
json_get() {
    node -e 'const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = eval(process.argv[2]); console.log(v === undefined || v === null ? "" : v);' "$1" "$2"
}
