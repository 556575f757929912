#!/usr/bin/env bash
# The admin reports on PostgreSQL at a year of 100,000 tickets: builds helpdesk (debug by
# default; `--release` for the figures docs/workspace.md quotes), runs `helpdesk bench
# reports` against a scratch database on the local server, and drops it afterwards.
# Runs outside CI: it seeds about a million rows.
#
#   scripts/bench_reports.sh [--release] [--tickets N] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

profile=debug
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --release) profile=release ;;
        --tickets | --runs) args+=("$1" "$2"); shift ;;
        *) die "unknown argument $1 (use --release, --tickets N, --runs N)" ;;
    esac
    shift
done

ensure_postgres
bin="$(helpdesk_binary "$profile")"
admin_url="${HELPDESK_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
db="helpdesk_bench_reports_$$"
psql -q "$admin_url" -c "CREATE DATABASE $db" >/dev/null
trap 'psql -q "$admin_url" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
data="$(mktemp -d)"
log "bench reports on $db ($profile build)"
# As the service runs: the application role, bound by row-level security; the schema
# owner only migrates and gathers statistics.
server="${admin_url%/*}"
HELPDESK__DATABASE__ADMIN_URL="$server/$db" \
    HELPDESK__DATABASE__URL="postgres://helpdesk_app@${server#*@}/$db" \
    "$bin" --data-dir "$data" bench reports "${args[@]}"
rm -rf "$data"
