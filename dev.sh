#!/usr/bin/env bash
# The developer's entry point, on Debian 12 as root:
#   ./dev.sh start   install what is missing, build, run the daemon in the foreground
#   ./dev.sh test    install what is missing, then every check CI runs (.ci/run calls this)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$ROOT"

# What the build needs (see CMakeLists.txt: Qt 6 Core/Network/Sql/Test, OpenSSL 3, http-parser).
BUILD_PACKAGES=(cmake ninja-build g++ pkg-config ccache qt6-base-dev libqt6sql6-sqlite
    libqt6sql6-psql libhttp-parser-dev libssl-dev)
# What only the tests need: real PostgreSQL and nginx, wrk, clang + libFuzzer, git for the
# clean-checkout quick-start test, curl for the scripts that talk to the daemon.
TEST_PACKAGES=(postgresql nginx-light wrk clang-14 libclang-rt-14-dev git curl procps)

# Fuzzing time per target in seconds; 2 cores and a 25-minute budget for the whole run.
FUZZ_SECONDS=${MCPGATE_FUZZ_SECONDS:-20}

say() { printf '\n==> %s\n' "$*"; }
die() {
    printf '\ndev.sh: %s\n' "$*" >&2
    exit 1
}

usage() {
    cat <<'EOF'
usage: ./dev.sh start | test

  start   install missing Debian packages, build build/, run mcpgated with the demo server
          registered (listen address: MCPGATE_SERVER_LISTEN, default 127.0.0.1:8080;
          data: MCPGATE_DEV_DATA_DIR, default ./.mcpgate-data)
  test    install missing packages (test tools too), then: OpenAPI lint, build + ctest (build/),
          ASan/UBSan build + ctest (build-asan/), libFuzzer run of every fuzz target (build-fuzz/)
EOF
}

missing_packages() {
    local package status
    for package in "$@"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null || true)
        [[ $status == ii* ]] || printf '%s\n' "$package"
    done
}

apt_install() {
    ((${#@} > 0)) || return 0
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || die "missing packages: $*; run as root (or install them)"
        sudo=(sudo)
    fi
    say "Installing with apt: $*"
    # Packages such as nginx and postgresql start a system service when installed; this script
    # only wants their programs, so keep invoke-rc.d from starting anything while apt runs.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [[ ! -e $policy ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
        "${sudo[@]}" chmod 755 "$policy"
        created_policy=1
    fi
    local rc=0
    {
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
            "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@"
    } || rc=$?
    if ((created_policy)); then "${sudo[@]}" rm -f "$policy"; fi
    ((rc == 0)) || die "apt-get install failed (status $rc)"
}

ensure_packages() {
    local wanted=("$@") missing
    mapfile -t missing < <(missing_packages "${wanted[@]}")
    # A NodeSource nodejs already carries npm and conflicts with Debian's npm package, so ask for
    # Node.js by command, not by package.
    if [[ ${MCPGATE_NEED_NODE:-0} == 1 ]]; then
        command -v node >/dev/null || missing+=(nodejs)
        command -v npm >/dev/null || missing+=(npm)
    fi
    apt_install "${missing[@]}"
}

# Every build uses ccache. Paths below the checkout are hashed relative to it and the build
# directory is not hashed, so a second checkout (the quick-start test clones one) hits the cache.
setup_ccache() {
    export CCACHE_BASEDIR="$ROOT"
    export CCACHE_NOHASHDIR=1
}

# configure DIR cmake-args...
configure() {
    local dir=$1
    shift
    cmake -S "$ROOT" -B "$ROOT/$dir" -G Ninja \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
        "$@"
}

# build/ is shared by `start` and `test`, so both configure it the same way: switching options
# would rebuild everything each time, and the quick-start test's clean checkout could not reuse
# the compiler cache of the test build.
MAIN_BUILD_OPTIONS=(-DMCPGATE_WERROR=ON -DMCPGATE_FORCE_ASSERTS=ON)

cmd_start() {
    local data_dir=${MCPGATE_DEV_DATA_DIR:-$PWD/.mcpgate-data}
    export MCPGATE_SERVER_LISTEN=${MCPGATE_SERVER_LISTEN:-127.0.0.1:8080}

    cat <<EOF
MCPGate development start
  1. install missing Debian packages (${BUILD_PACKAGES[*]})
  2. build build/ (CMake + Ninja, RelWithDebInfo, ccache)
  3. run mcpgated on ${MCPGATE_SERVER_LISTEN}, data in ${data_dir}, demo server registered
EOF
    ensure_packages "${BUILD_PACKAGES[@]}"
    setup_ccache
    say "Configuring build/"
    configure build "${MAIN_BUILD_OPTIONS[@]}"
    say "Building mcpgated and mcpgate-demo-server"
    cmake --build build --target mcpgated mcpgate-demo-server
    mkdir -p "$data_dir"
    chmod 700 "$data_dir"
    say "Starting mcpgated (Ctrl-C stops it). On the first start it prints the admin API key once;"
    echo "    it is also kept in ${data_dir}/initial-admin-key"
    exec "$ROOT/build/daemon/mcpgated" serve --data-dir "$data_dir" --register-demo
}

# ---- test ---------------------------------------------------------------------------------

STEP_NAMES=()
STEP_RESULTS=()
STEP_TIMES=()

format_duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

summary() {
    local i passed=0 failed=0
    printf '\n==> Summary\n'
    for i in "${!STEP_NAMES[@]}"; do
        printf '  %-6s %-44s %s\n' "${STEP_RESULTS[i]}" "${STEP_NAMES[i]}" "${STEP_TIMES[i]}"
        if [[ ${STEP_RESULTS[i]} == PASS ]]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
        fi
    done
    printf '  total time %s\n' "$(format_duration $((SECONDS - TEST_STARTED)))"
    printf '%d passed, %d failed\n' "$passed" "$failed"
}

# step NAME FUNCTION: runs FUNCTION in a subshell with errexit in force; stops at the first
# failure.
step() {
    local name=$1 started=$SECONDS rc
    shift
    say "[$((${#STEP_NAMES[@]} + 1))] $name"
    set +e
    (
        set -e
        "$@"
    )
    rc=$?
    set -e
    STEP_NAMES+=("$name")
    STEP_TIMES+=("$(format_duration $((SECONDS - started)))")
    if ((rc == 0)); then
        STEP_RESULTS+=(PASS)
        printf '==> %s: passed in %s\n' "$name" "${STEP_TIMES[-1]}"
    else
        STEP_RESULTS+=(FAIL)
        printf '\n==> FAILED: %s (exit status %d after %s); stopping here.\n' \
            "$name" "$rc" "${STEP_TIMES[-1]}" >&2
        summary
        exit 1
    fi
}

step_packages() {
    MCPGATE_NEED_NODE=1 ensure_packages "${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}"
}

step_npm() {
    cd "$ROOT/tests/e2e"
    # npm ci always starts from scratch; skip it when node_modules came from this very lock file.
    local stamp=node_modules/.mcpgate-lock-sha256 sum
    sum=$(sha256sum package-lock.json | cut -d' ' -f1)
    if [[ -f $stamp && $(cat "$stamp") == "$sum" ]]; then
        echo "node_modules is up to date with package-lock.json"
        return 0
    fi
    npm ci --no-audit --no-fund --prefer-offline
    printf '%s\n' "$sum" >"$stamp"
}

step_openapi_lint() {
    cd "$ROOT/tests/e2e"
    npx --no-install redocly lint "$ROOT/resources/openapi.json"
}

run_ctest() {
    local dir=$1
    shift
    ctest --test-dir "$ROOT/$dir" -j2 --output-on-failure --no-tests=error "$@"
}

step_build_main() {
    setup_ccache
    configure build "${MAIN_BUILD_OPTIONS[@]}"
    cmake --build build
    run_ctest build
}

step_build_asan() {
    setup_ccache
    configure build-asan -DMCPGATE_SANITIZE=ON -DMCPGATE_WERROR=ON -DMCPGATE_FORCE_ASSERTS=ON
    cmake --build build-asan
    # The quick start is checked once, in build/: it builds its own clean checkout.
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_init_order=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
        run_ctest build-asan -LE quickstart
}

# The fuzz targets and their seed corpora, as "name<TAB>corpus" lines. build/ knows them: there
# every fuzz target is also a test (label fuzz) that replays its corpus.
fuzz_targets() {
    ctest --test-dir "$ROOT/build" -L '^fuzz$' --show-only=json-v1 | node -e '
        let text = "";
        process.stdin.on("data", (chunk) => (text += chunk)).on("end", () => {
            for (const test of JSON.parse(text).tests) {
                const command = test.command || [];
                console.log(test.name + "\t" + (command.length > 1 ? command[command.length - 1] : ""));
            }
        });'
}

step_fuzz() {
    local lines line targets=() corpora=()
    mapfile -t lines < <(fuzz_targets)
    for line in "${lines[@]}"; do
        targets+=("${line%%$'\t'*}")
        corpora+=("${line#*$'\t'}")
    done
    ((${#targets[@]} > 0)) || die "build/ lists no fuzz targets (ctest -L fuzz)"
    echo "fuzz targets: ${targets[*]} (${FUZZ_SECONDS}s each)"

    setup_ccache
    # Only the C++ compiler matters (the project is CXX only); CC is set for completeness.
    CC=clang-14 CXX=clang++-14 configure build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 \
        -DMCPGATE_BUILD_FUZZERS=ON -DMCPGATE_BUILD_TESTS=OFF -DMCPGATE_SANITIZE=ON
    cmake --build build-fuzz --target "${targets[@]}"

    local work i target binary seeds corpus failed=()
    work=$(mktemp -d "${TMPDIR:-/tmp}/mcpgate-fuzz.XXXXXX")
    mkdir -p "$ROOT/build-fuzz/artifacts"
    for i in "${!targets[@]}"; do
        target=${targets[i]}
        seeds=${corpora[i]}
        binary=$(find "$ROOT/build-fuzz" -type f -name "$target" -perm -u+x -print -quit)
        [[ -n $binary ]] || die "fuzz target $target was not built"
        # Fuzz a copy: libFuzzer adds what it finds to the corpus directory it is given.
        corpus="$work/$target/corpus"
        mkdir -p "$corpus" "$work/$target/artifacts"
        if [[ -n $seeds && -d $seeds ]]; then
            cp -R "$seeds/." "$corpus/"
        fi
        printf -- '--- %s (%d seed files from %s)\n' "$target" "$(find "$corpus" -type f | wc -l)" \
            "${seeds#"$ROOT"/}"
        if ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
            UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
            "$binary" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
            -print_final_stats=1 -artifact_prefix="$work/$target/artifacts/" "$corpus" \
            >"$work/$target/log" 2>&1; then
            grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units)' \
                "$work/$target/log" | tail -n 2 || true
        else
            echo "!!! $target found a failure; last lines of its log:"
            tail -n 40 "$work/$target/log"
            cp -R "$work/$target/artifacts/." "$ROOT/build-fuzz/artifacts/" 2>/dev/null || true
            echo "!!! reproducer kept in build-fuzz/artifacts/: $(ls "$work/$target/artifacts")"
            failed+=("$target")
        fi
    done
    rm -rf "$work"
    ((${#failed[@]} == 0)) || die "fuzz targets that failed: ${failed[*]}"
}

cmd_test() {
    TEST_STARTED=$SECONDS
    cat <<'EOF'
MCPGate test run (what CI runs)
  packages, npm ci (tests/e2e), OpenAPI lint, build/ + ctest, build-asan/ (ASan+UBSan) + ctest,
  build-fuzz/ (clang-14, libFuzzer) + a bounded run of every fuzz target
EOF
    step "install packages" step_packages
    step "npm ci (tests/e2e)" step_npm
    step "OpenAPI lint (resources/openapi.json)" step_openapi_lint
    step "build + ctest (build/)" step_build_main
    step "ASan/UBSan build + ctest (build-asan/)" step_build_asan
    step "libFuzzer run (build-fuzz/)" step_fuzz
    summary
}

case ${1:-} in
start) cmd_start ;;
test) cmd_test ;;
-h | --help | help) usage ;;
*)
    usage >&2
    exit 2
    ;;
esac
