#!/usr/bin/env bash
# bench/run.sh - measure ruche against nginx serving a copy of the same page.
#
# Builds nothing: it uses $RUCHE_BIN, else build-release/ruche, else build/ruche.
# Creates a throw-away instance filled by `ruche demo`, serves it on 127.0.0.1 at an
# ephemeral port, signs in with curl, and runs wrk (bounded: 10 s per run) on /healthz and
# on the signed-in home page.  Then nginx serves the saved HTML of that home page with the
# same wrk command, as the ceiling.  Writes BENCHMARKS.md at the repository root.
# Only processes started here are stopped, by their PID.  Traffic stays on loopback.
#
# Environment: RUCHE_BIN, WRK_THREADS (2), WRK_CONNECTIONS (64), WRK_DURATION (10s),
#              BENCH_OUT (<repo>/BENCHMARKS.md).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -n "${RUCHE_BIN:-}" ]]; then
    BIN=$RUCHE_BIN
elif [[ -x "$REPO/build-release/ruche" ]]; then
    BIN=$REPO/build-release/ruche
else
    BIN=$REPO/build/ruche
fi
[[ -x "$BIN" ]] || { echo "bench: no ruche binary at $BIN (build it first)" >&2; exit 1; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-64}
WRK_DURATION=${WRK_DURATION:-10s}
OUT=${BENCH_OUT:-$REPO/BENCHMARKS.md}
NGINX=${NGINX:-/usr/sbin/nginx}
WRK=${WRK:-wrk}

for tool in "$WRK" curl "$NGINX"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 1; }
done

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ruche-bench.XXXXXX")
RUCHE_PID=
NGINX_PID=

cleanup() {
    if [[ -n "$RUCHE_PID" ]] && kill -0 "$RUCHE_PID" 2>/dev/null; then
        kill -TERM "$RUCHE_PID" 2>/dev/null || true
        wait "$RUCHE_PID" 2>/dev/null || true
    fi
    if [[ -n "$NGINX_PID" ]] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -QUIT "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

log() { printf 'bench: %s\n' "$*" >&2; }

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

# Run wrk; prints its output and saves it in $TMP/wrk-$name.txt.
run_wrk() {
    local name=$1 url=$2
    shift 2
    log "wrk $name: $url"
    "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"$WRK_DURATION" --latency "$@" "$url" | tee "$TMP/wrk-$name.txt" >&2
}

# Parse a wrk output file: "req_per_s p50 p99 non2xx".
parse_wrk() {
    awk '
        /^Requests\/sec:/ {rps=$2}
        $1 == "50%" {p50=$2}
        $1 == "99%" {p99=$2}
        /Non-2xx or 3xx responses:/ {bad=$NF}
        /Socket errors:/ {err=$0}
        END {printf "%s %s %s %s\n", rps, p50, p99, (bad == "" ? 0 : bad)}
    ' "$1"
}

# ---- ruche ---------------------------------------------------------------------

DATA=$TMP/data
log "instance in $DATA"
"$BIN" init --data "$DATA" >/dev/null
"$BIN" demo --data "$DATA" >"$TMP/demo.txt"
EMAIL=$(sed -n 's/^email=//p' "$DATA/demo-credentials.txt")
PASSWORD=$(sed -n 's/^password=//p' "$DATA/demo-credentials.txt")
[[ -n "$EMAIL" && -n "$PASSWORD" ]] || { echo "bench: no credentials in demo-credentials.txt" >&2; exit 1; }

PORT=$(free_port)
RUCHE_URL=http://127.0.0.1:$PORT
"$BIN" serve --data "$DATA" --listen "127.0.0.1:$PORT" 2>"$TMP/serve.log" &
RUCHE_PID=$!
wait_http "$RUCHE_URL/healthz" || { echo "bench: ruche did not start" >&2; tail -20 "$TMP/serve.log" >&2; exit 1; }

# Sign in through the form: visitor cookie + csrf_token, then POST.
JAR=$TMP/cookies.txt
curl -s -c "$JAR" "$RUCHE_URL/login" >"$TMP/login.html"
CSRF=$(grep -o '<input[^>]*name="csrf_token"[^>]*>' "$TMP/login.html" | head -1 | sed -n 's/.*value="\([^"]*\)".*/\1/p')
[[ -n "$CSRF" ]] || { echo "bench: no csrf_token on /login" >&2; exit 1; }
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" --data-urlencode "csrf_token=$CSRF" \
    "$RUCHE_URL/login")
[[ $STATUS == 303 ]] || { echo "bench: sign-in answered $STATUS" >&2; exit 1; }
SESSION=$(awk -F'\t' '$6 == "ruche_session" {print $7}' "$JAR" | tail -1)
[[ -n "$SESSION" ]] || { echo "bench: no ruche_session cookie" >&2; exit 1; }
COOKIE="ruche_session=$SESSION"

mkdir -p "$TMP/www"
STATUS=$(curl -s -o "$TMP/www/index.html" -w '%{http_code}' -H "Cookie: $COOKIE" "$RUCHE_URL/")
[[ $STATUS == 200 ]] || { echo "bench: signed-in home answered $STATUS" >&2; exit 1; }
PAGE_BYTES=$(wc -c <"$TMP/www/index.html")
HEALTH_BYTES=$(curl -s "$RUCHE_URL/healthz" | wc -c)

run_wrk healthz "$RUCHE_URL/healthz"
export RUCHE_COOKIE=$COOKIE
run_wrk home "$RUCHE_URL/" -s "$REPO/bench/cookie.lua"
read -r RUCHE_HWM RUCHE_RSS < <(mem_of "$RUCHE_PID")

# wrk does not count 3xx as errors: make sure the signed-in run really got the page each time.
AVG_BYTES=$(awk '/requests in/ {
        n = $1; v = $(NF-1); u = v; sub(/[0-9.]+/, "", u); sub(/[A-Za-z]+$/, "", v)
        m = (u == "KB") ? 1024 : (u == "MB") ? 1048576 : (u == "GB") ? 1073741824 : 1
        if (n > 0) printf "%d", v * m / n
    }' "$TMP/wrk-home.txt")
if [[ -z "$AVG_BYTES" || "$AVG_BYTES" -lt "$PAGE_BYTES" ]]; then
    echo "bench: signed-in run averaged ${AVG_BYTES:-?} B per response for a $PAGE_BYTES B page (session lost?)" >&2
    exit 1
fi

kill -TERM "$RUCHE_PID"
RUCHE_EXIT=0
wait "$RUCHE_PID" || RUCHE_EXIT=$?
RUCHE_PID=
[[ $RUCHE_EXIT == 0 ]] || log "warning: ruche exited $RUCHE_EXIT after SIGTERM"

# ---- nginx serving the saved page ------------------------------------------------

NPORT=$(free_port)
NGINX_URL=http://127.0.0.1:$NPORT
mkdir -p "$TMP/nginx-body"
USER_LINE=
[[ $(id -u) == 0 ]] && USER_LINE="user root;"
cat >"$TMP/nginx.conf" <<EOF
$USER_LINE
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
    server {
        listen 127.0.0.1:$NPORT;
        root $TMP/www;
        index index.html;
    }
}
EOF
"$NGINX" -p "$TMP" -c "$TMP/nginx.conf" -g "pid $TMP/nginx.pid;" 2>"$TMP/nginx-start.log" &
NGINX_PID=$!
wait_http "$NGINX_URL/" || { echo "bench: nginx did not start" >&2; cat "$TMP/nginx-start.log" "$TMP/nginx-error.log" >&2 || true; exit 1; }

run_wrk nginx "$NGINX_URL/"
NGINX_HWM=0
NGINX_RSS=0
for pid in "$NGINX_PID" $(pgrep -P "$NGINX_PID" || true); do
    read -r h r < <(mem_of "$pid")
    NGINX_HWM=$((NGINX_HWM + h))
    NGINX_RSS=$((NGINX_RSS + r))
done
kill -QUIT "$NGINX_PID"
wait "$NGINX_PID" || true
NGINX_PID=

# ---- report ----------------------------------------------------------------------

read -r H_RPS H_P50 H_P99 H_BAD < <(parse_wrk "$TMP/wrk-healthz.txt")
read -r P_RPS P_P50 P_P99 P_BAD < <(parse_wrk "$TMP/wrk-home.txt")
read -r N_RPS N_P50 N_P99 N_BAD < <(parse_wrk "$TMP/wrk-nginx.txt")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
CORES=$(nproc)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
COMMIT=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "uncommitted")
REL_BIN=${BIN#"$REPO"/}
BUILD_TYPE=$(python3 -c 'import json, sys
try:
    o = json.load(open(sys.argv[1]))
    print(next(x["value"] for x in o if x["name"] == "buildtype"))
except Exception:
    print("unknown")' "$(dirname "$BIN")/meson-info/intro-buildoptions.json" 2>/dev/null || echo unknown)
WRK_CMD="wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d$WRK_DURATION --latency"

note_bad() { [[ $1 == 0 ]] && echo "" || echo " ($1 non-2xx)"; }

cat >"$OUT" <<EOF
# Benchmarks

Written by \`bench/run.sh\`; do not edit by hand, run it again.

- Date: $DATE
- Commit: $COMMIT
- Machine: $CORES cores, $MODEL, $(awk '/^MemTotal:/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM
- Binary: \`$REL_BIN\` (meson buildtype: $BUILD_TYPE)
- wrk runs on the same machine as the server, so both share the $CORES cores: compare ratios,
  not absolute numbers.

| target | requests/s | p50 | p99 | RSS (peak / after) | ratio to nginx |
|---|---|---|---|---|---|
| ruche \`GET /healthz\` ($HEALTH_BYTES B) | $H_RPS$(note_bad "$H_BAD") | $H_P50 | $H_P99 | $(mib "$RUCHE_HWM") / $(mib "$RUCHE_RSS") MiB (whole run) | $(ratio "$H_RPS" "$N_RPS") |
| ruche \`GET /\` signed in ($PAGE_BYTES B) | $P_RPS$(note_bad "$P_BAD") | $P_P50 | $P_P99 | (same process) | $(ratio "$P_RPS" "$N_RPS") |
| nginx, static copy of \`/\` ($PAGE_BYTES B, 2 workers) | $N_RPS$(note_bad "$N_BAD") | $N_P50 | $N_P99 | $(mib "$NGINX_HWM") / $(mib "$NGINX_RSS") MiB (master + workers) | 1.00 |

The ruche instance is a fresh \`ruche demo\` (about 45 members); \`/\` is the demo
administrator's home page, requested with their session cookie.

## Commands

\`\`\`sh
$REL_BIN init --data \$DIR/data
$REL_BIN demo --data \$DIR/data
$REL_BIN serve --data \$DIR/data --listen 127.0.0.1:\$PORT
# sign in: GET /login (csrf_token, ruche_visitor), POST /login with curl, keep ruche_session
$WRK_CMD http://127.0.0.1:\$PORT/healthz
RUCHE_COOKIE="ruche_session=…" $WRK_CMD -s bench/cookie.lua http://127.0.0.1:\$PORT/
# RSS: VmHWM and VmRSS from /proc/\$PID/status after both runs
# nginx: the saved HTML of / as index.html, worker_processes 2, access_log off
nginx -p \$DIR -c \$DIR/nginx.conf -g 'pid \$DIR/nginx.pid;'
$WRK_CMD http://127.0.0.1:\$NPORT/
\`\`\`

Run it again with \`bash bench/run.sh\` (a release build in \`build-release/\` is used when present).
EOF

log "wrote $OUT"
cat "$OUT"
