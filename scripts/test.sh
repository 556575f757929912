#!/usr/bin/env bash
# The test command: makes sure what the tests need is there (a PostgreSQL server, protoc,
# a Temporal dev server), then runs every test of the workspace. Extra arguments go to
# `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

ensure_postgres
ensure_build_tools
ci_clippy
features="$(feature_flags)"
case ",$HELPDESK_FEATURES," in
*,temporal,*) ensure_temporal ;;
esac
# shellcheck disable=SC2086 # no flag or exactly one
cargo_build test --workspace --locked $features "$@"
