#!/usr/bin/env bash
# The test command: makes sure what the tests need is there (a PostgreSQL server), then runs
# every test of the workspace. Extra arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ensure_postgres
cargo_build test --workspace --locked "$@"
