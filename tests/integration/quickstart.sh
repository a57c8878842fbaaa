#!/usr/bin/env bash
# Follows the README's quick start on a clean clone of the committed HEAD: `./dev.sh start`,
# then the checks a new user would make (health, readiness, the demo server listed with the
# printed admin key, 401 without it), then a clean shutdown on SIGTERM.
#
# MCPGATE_SOURCE_DIR      the repository to clone (required)
# MCPGATE_QUICKSTART_WORKTREE=1   also copy uncommitted changes over the clone (local use)
# MCPGATE_QUICKSTART_KEEP=1       keep the temporary directory for inspection
set -euo pipefail

SOURCE=${MCPGATE_SOURCE_DIR:?set MCPGATE_SOURCE_DIR to the repository to clone}
START_TIMEOUT=${MCPGATE_QUICKSTART_START_TIMEOUT:-840} # seconds; a cold build is the slow part
STOP_TIMEOUT=5

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mcpgate-quickstart.XXXXXX")
CLONE="$WORK/mcpgate"
LOG="$WORK/dev-start.log"
PID=

cleanup() {
    if [[ -n $PID ]] && kill -0 "$PID" 2>/dev/null; then
        # The whole process group: while it is still building, ninja and compilers belong to it.
        kill -KILL -- "-$PID" 2>/dev/null || kill -KILL "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    if [[ ${MCPGATE_QUICKSTART_KEEP:-0} == 1 ]]; then
        echo "quickstart: kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT

info() { printf 'quickstart: %s\n' "$*"; }

fail() {
    printf '\nquickstart: FAILED: %s\n' "$*" >&2
    if [[ -s $LOG ]]; then
        printf '%s\n' '--- last 80 lines of ./dev.sh start output ---' >&2
        tail -n 80 "$LOG" >&2
        printf '%s\n' '---' >&2
    fi
    exit 1
}

for tool in git curl setsid; do
    command -v "$tool" >/dev/null || fail "$tool is not installed"
done

commit=$(git -C "$SOURCE" rev-parse --verify -q HEAD) ||
    fail "$SOURCE has no commit yet; the quick start is checked on the committed HEAD"
info "cloning $SOURCE at ${commit:0:12} into $CLONE"
git clone -q --no-hardlinks "$SOURCE" "$CLONE" || fail "git clone $SOURCE failed"
git -C "$CLONE" checkout -q --detach "$commit" || fail "cannot check out $commit"
if [[ ${MCPGATE_QUICKSTART_WORKTREE:-0} == 1 ]]; then
    info "copying uncommitted changes of $SOURCE over the clone"
    (cd "$SOURCE" && git ls-files -z -c -o --exclude-standard |
        tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -C "$CLONE" -xf -
fi
[[ -x $CLONE/dev.sh ]] || fail "dev.sh is missing or not executable in the clone (git file mode?)"

# As the README says, with the two settings a test must change: a free port and a fresh data
# directory. setsid gives the build and the daemon their own process group for the cleanup.
info "running ./dev.sh start (build output goes to the log)"
(
    cd "$CLONE"
    export MCPGATE_SERVER_LISTEN=127.0.0.1:0
    export MCPGATE_DEV_DATA_DIR="$WORK/data"
    exec setsid ./dev.sh start </dev/null >"$LOG" 2>&1
) &
PID=$!

started=$SECONDS
url=
while [[ -z $url ]]; do
    url=$(grep -m1 -oE 'listening on http://[^[:space:]]+' "$LOG" 2>/dev/null | sed 's/^listening on //' || true)
    [[ -n $url ]] && break
    if ! kill -0 "$PID" 2>/dev/null; then
        rc=0
        wait "$PID" || rc=$?
        PID=
        fail "./dev.sh start exited with status $rc before printing 'listening on http://...'"
    fi
    ((SECONDS - started < START_TIMEOUT)) ||
        fail "no 'listening on http://...' line within ${START_TIMEOUT}s"
    sleep 1
done
url=${url%/}
info "daemon listening on $url after $((SECONDS - started))s"

key=$(grep -m1 -oE 'initial admin API key: mcpg_[A-Za-z0-9_-]+' "$LOG" | sed 's/^initial admin API key: //' || true)
[[ -n $key ]] || fail "no 'initial admin API key: mcpg_...' line in the output of the first start"
info "admin key printed (${key:0:9}...)"

key_file="$WORK/data/initial-admin-key"
[[ -f $key_file ]] || fail "$key_file was not written"
mode=$(stat -c '%a' "$key_file")
[[ $mode == 600 ]] || fail "$key_file has mode $mode, expected 600"
[[ $(tr -d '[:space:]' <"$key_file") == "$key" ]] || fail "$key_file does not hold the printed key"

# request METHOD PATH [curl args...]: sets STATUS, BODY and HEADERS.
request() {
    local method=$1 path=$2
    shift 2
    STATUS=$(curl -sS -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' --max-time 10 \
        -X "$method" "$@" "$url$path") || fail "$method $path: curl failed"
    BODY=$(cat "$WORK/body")
    HEADERS=$(tr -d '\r' <"$WORK/headers")
}

request GET /healthz
[[ $STATUS == 200 ]] || fail "GET /healthz answered $STATUS, expected 200: $BODY"
grep -Eq '"status"[[:space:]]*:[[:space:]]*"ok"' <<<"$BODY" ||
    fail "GET /healthz body is not {\"status\":\"ok\"}: $BODY"
info "GET /healthz: 200 $BODY"

# Readiness follows migrations, which are done before the daemon listens; allow a moment anyway.
for _ in 1 2 3 4 5 6 7 8 9 10; do
    request GET /readyz
    [[ $STATUS == 200 ]] && break
    sleep 1
done
[[ $STATUS == 200 ]] || fail "GET /readyz answered $STATUS, expected 200: $BODY"
info "GET /readyz: 200"

request GET /api/v1/servers -H "Authorization: Bearer $key"
[[ $STATUS == 200 ]] || fail "GET /api/v1/servers with the admin key answered $STATUS: $BODY"
grep -Eq '"name"[[:space:]]*:[[:space:]]*"demo"' <<<"$BODY" ||
    fail "GET /api/v1/servers does not list a server named demo: $BODY"
info "GET /api/v1/servers with the key: 200, lists demo"

request GET /api/v1/servers
[[ $STATUS == 401 ]] || fail "GET /api/v1/servers without a key answered $STATUS, expected 401"
grep -qi '^WWW-Authenticate:' <<<"$HEADERS" ||
    fail "the 401 answer has no WWW-Authenticate header"
info "GET /api/v1/servers without a key: 401"

info "stopping the daemon with SIGTERM"
kill -TERM "$PID"
stopped=0
for _ in $(seq $((STOP_TIMEOUT * 10))); do
    if ! kill -0 "$PID" 2>/dev/null; then
        stopped=1
        break
    fi
    sleep 0.1
done
((stopped)) || fail "mcpgated still runs ${STOP_TIMEOUT}s after SIGTERM"
rc=0
wait "$PID" || rc=$?
PID=
((rc == 0)) || fail "mcpgated exited with status $rc after SIGTERM, expected 0"
info "mcpgated exited 0"
info "PASSED"
