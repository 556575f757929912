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
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
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
