#!/usr/bin/env bash
# HTTP benchmark: mcpgated's /healthz and GET /api/v1/servers against nginx serving a small file,
# all on 127.0.0.1, measured with wrk. Appends a markdown report to
# bench/results/http-YYYY-MM-DD.md and prints it. See bench/http/README.md.
#
# MCPGATE_BUILD_DIR       build tree holding daemon/mcpgated (default: build)
# MCPGATE_BENCH_ROUNDS    wrk rounds per target, median reported (default 3)
# MCPGATE_BENCH_DURATION  seconds per round (default 10)
# MCPGATE_BENCH_RESULTS_DIR  where the report goes (default: bench/results)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD_DIR=${MCPGATE_BUILD_DIR:-$ROOT/build}
ROUNDS=${MCPGATE_BENCH_ROUNDS:-3}
DURATION=${MCPGATE_BENCH_DURATION:-10}
RESULTS_DIR=${MCPGATE_BENCH_RESULTS_DIR:-$ROOT/bench/results}
THREADS=2
CONNECTIONS=16
# Targets from the issue.
TARGET_RATIO=0.5   # /healthz req/s at least this share of nginx's
TARGET_RSS_MIB=30  # idle resident memory of the daemon

die() {
    printf 'bench/http: %s\n' "$*" >&2
    exit 1
}

for tool in nginx wrk curl awk; do
    command -v "$tool" >/dev/null || command -v "/usr/sbin/$tool" >/dev/null ||
        die "$tool is missing (apt-get install nginx-light wrk curl)"
done
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcpgate-bench-http.XXXXXX")
NGINX_PID=
DAEMON_PID=
cleanup() {
    [[ -n $NGINX_PID ]] && kill -QUIT "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null
    [[ -n $DAEMON_PID ]] && kill -TERM "$DAEMON_PID" 2>/dev/null && wait "$DAEMON_PID" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

MCPGATED="$BUILD_DIR/daemon/mcpgated"
if [[ -f $BUILD_DIR/build.ninja ]]; then
    echo "Building mcpgated in $BUILD_DIR"
    cmake --build "$BUILD_DIR" --target mcpgated mcpgate-demo-server >"$WORK/build.log" 2>&1 ||
        die "building mcpgated failed: $(tail -n 30 "$WORK/build.log")"
fi
[[ -x $MCPGATED ]] || die "$MCPGATED not found; run ./dev.sh start once (or set MCPGATE_BUILD_DIR)"

# ---- nginx: own prefix, config, pid and logs under $WORK; nothing outside it is touched. ----
mkdir -p "$WORK/nginx/www" "$WORK/nginx/logs" "$WORK/nginx/tmp"
# nginx's worker runs as an unprivileged user and must reach the file (mktemp made $WORK 0700).
chmod 755 "$WORK" "$WORK/nginx" "$WORK/nginx/www"
# The same 15 bytes as the daemon's /healthz answer, so both send a comparable response.
printf '{"status":"ok"}' >"$WORK/nginx/www/healthz.json"
chmod 644 "$WORK/nginx/www/healthz.json"

start_nginx() {
    local port=$1
    cat >"$WORK/nginx/nginx.conf" <<EOF
# One worker: the daemon serves HTTP from one event-loop thread.
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
    # The daemon's access log is on by default; keep nginx's on too.
    access_log $WORK/nginx/logs/access.log;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    default_type application/json;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$port;
        root $WORK/nginx/www;
    }
}
EOF
    "$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/logs/error.log" -c "$WORK/nginx/nginx.conf" \
        >"$WORK/nginx/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    local _
    for _ in $(seq 50); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz.json" 2>/dev/null; then
            return 0
        fi
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -QUIT "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=
    return 1
}

# nginx cannot pick a port itself: try random high ports until one is free.
NGINX_PORT=
for _ in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    if start_nginx "$port"; then
        NGINX_PORT=$port
        break
    fi
done
[[ -n $NGINX_PORT ]] || die "nginx did not start; see its log: $(tail -n 5 "$WORK/nginx/logs/error.log" 2>/dev/null)"
NGINX_URL="http://127.0.0.1:$NGINX_PORT/healthz.json"
echo "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') serving $NGINX_URL"

# ---- mcpgated: temporary data directory, free port, default settings (access log on). ----
"$MCPGATED" serve --listen 127.0.0.1:0 --data-dir "$WORK/data" --register-demo \
    >"$WORK/mcpgated.log" 2>&1 &
DAEMON_PID=$!
DAEMON_URL=
for _ in $(seq 300); do
    DAEMON_URL=$(grep -m1 -oE 'listening on http://[^[:space:]]+' "$WORK/mcpgated.log" | sed 's/^listening on //' || true)
    [[ -n $DAEMON_URL ]] && break
    kill -0 "$DAEMON_PID" 2>/dev/null || die "mcpgated exited at start: $(tail -n 20 "$WORK/mcpgated.log")"
    sleep 0.1
done
[[ -n $DAEMON_URL ]] || die "mcpgated did not report its address within 30s"
KEY=$(grep -m1 -oE 'initial admin API key: mcpg_[A-Za-z0-9_-]+' "$WORK/mcpgated.log" | sed 's/^initial admin API key: //' || true)
[[ -n $KEY ]] || die "mcpgated printed no initial admin API key"
echo "mcpgated $("$MCPGATED" --version 2>/dev/null | awk '{print $2}') listening on $DAEMON_URL"

# Idle memory: after start-up has settled, before any load.
sleep 2
RSS_KIB=$(awk '/^VmRSS:/ {print $2}' "/proc/$DAEMON_PID/status")
RSS_MIB=$(awk -v k="$RSS_KIB" 'BEGIN {printf "%.1f", k / 1024}')

for url in "$DAEMON_URL/healthz" "$DAEMON_URL/api/v1/servers"; do
    code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" "$url")
    [[ $code == 200 ]] || die "$url answered $code before the benchmark"
done

# Other work on the machine skews every number; the report shows how busy it was.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- wrk ----
# run_wrk LABEL DURATION URL [wrk args]: prints "req_per_s p50_ms p99_ms errors".
run_wrk() {
    local label=$1 duration=$2 url=$3 out
    shift 3
    out="$WORK/wrk-$label.txt"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${duration}s" --latency "$@" "$url" >"$out" 2>&1 ||
        die "wrk failed against $url: $(cat "$out")"
    awk '
        function ms(v) {
            if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
            if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
            if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
            return v
        }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { errors += $4 + $6 + $8 + $10 }
        END { printf "%s %.3f %.3f %d\n", rps, p50, p99, errors + 0 }
    ' "$out"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

LABELS=(nginx healthz servers)
declare -A URLS=([nginx]=$NGINX_URL [healthz]=$DAEMON_URL/healthz [servers]=$DAEMON_URL/api/v1/servers)
declare -A NAMES=([nginx]="nginx, static file (reference)" [healthz]="mcpgated GET /healthz"
    [servers]="mcpgated GET /api/v1/servers (API key)")
declare -A SAMPLES

wrk_args() {
    if [[ $1 == servers ]]; then
        printf '%s\n' -H "Authorization: Bearer $KEY"
    fi
}

echo "Warming up (2s each)"
for label in "${LABELS[@]}"; do
    mapfile -t args < <(wrk_args "$label")
    run_wrk "$label-warmup" 2 "${URLS[$label]}" "${args[@]}" >/dev/null
done
# Rounds are interleaved so that a slow moment of the machine hits every target alike.
for round in $(seq "$ROUNDS"); do
    for label in "${LABELS[@]}"; do
        mapfile -t args < <(wrk_args "$label")
        result=$(run_wrk "$label-$round" "$DURATION" "${URLS[$label]}" "${args[@]}")
        SAMPLES[$label]+="$result"$'\n'
        # shellcheck disable=SC2086 # the four fields of $result fill the four placeholders
        printf '  round %d/%d %-8s %s req/s  p50 %s ms  p99 %s ms  errors %s\n' "$round" "$ROUNDS" \
            "$label" $result
    done
done

declare -A RPS P50 P99 ERRORS
for label in "${LABELS[@]}"; do
    RPS[$label]=$(printf '%s' "${SAMPLES[$label]}" | awk 'NF {print $1}' | median)
    P50[$label]=$(printf '%s' "${SAMPLES[$label]}" | awk 'NF {print $2}' | median)
    P99[$label]=$(printf '%s' "${SAMPLES[$label]}" | awk 'NF {print $3}' | median)
    ERRORS[$label]=$(printf '%s' "${SAMPLES[$label]}" | awk 'NF {s += $4} END {print s + 0}')
done

RATIO=$(awk -v a="${RPS[healthz]}" -v b="${RPS[nginx]}" 'BEGIN {printf "%.2f", (b > 0) ? a / b : 0}')
RATIO_VERDICT=$(awk -v r="$RATIO" -v t="$TARGET_RATIO" 'BEGIN {print (r >= t) ? "PASS" : "FAIL"}')
RSS_VERDICT=$(awk -v m="$RSS_MIB" -v t="$TARGET_RSS_MIB" 'BEGIN {print (m <= t) ? "PASS" : "FAIL"}')
if ((ERRORS[healthz] + ERRORS[servers] + ERRORS[nginx] > 0)); then
    ERROR_NOTE="- **Warning:** some responses were errors (non-2xx or socket errors); those numbers do not measure successful requests."
else
    ERROR_NOTE=
fi

commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")
if [[ -n $(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    commit+=" (with uncommitted changes)"
fi
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null || true)
build_flags=$(grep -E '^MCPGATE_(SANITIZE|FORCE_ASSERTS):' "$BUILD_DIR/CMakeCache.txt" 2>/dev/null |
    sed -E 's/:BOOL=/=/' | paste -sd' ' || true)
cpu=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)

row() {
    printf '| %s | %.0f | %.3f | %.3f | %d |\n' "${NAMES[$1]}" "${RPS[$1]}" "${P50[$1]}" "${P99[$1]}" "${ERRORS[$1]}"
}

REPORT=$(
    cat <<EOF
## Run $(date -u +%Y-%m-%dT%H:%M:%SZ)

- Commit: $commit; build: ${build_type:-unknown} ${build_flags}
- Machine: $(nproc) cores ($cpu), $(uname -sr); load average before the run: $LOAD_BEFORE; wrk, nginx and mcpgated share the cores
- wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, $ROUNDS rounds per target (interleaved), medians below; nginx with one worker

| target | req/s | p50 ms | p99 ms | errors |
|---|---:|---:|---:|---:|
$(row nginx)
$(row healthz)
$(row servers)

- /healthz vs nginx: **${RATIO}x** (target >= ${TARGET_RATIO}x): **$RATIO_VERDICT**
- mcpgated idle RSS: **${RSS_MIB} MiB** (target <= ${TARGET_RSS_MIB} MiB): **$RSS_VERDICT**
$ERROR_NOTE
EOF
)

mkdir -p "$RESULTS_DIR"
results_file="$RESULTS_DIR/http-$(date -u +%Y-%m-%d).md"
if [[ ! -s $results_file ]]; then
    printf '# HTTP benchmark, %s\n\nProduced by bench/http/run.sh; see bench/http/README.md.\n' \
        "$(date -u +%Y-%m-%d)" >"$results_file"
fi
printf '\n%s\n' "$REPORT" >>"$results_file"

printf '\n%s\n\nAppended to %s\n' "$REPORT" "${results_file#"$ROOT"/}"
