#!/usr/bin/env bash
# How long a ticket's conversation summary takes, extractive and model-written: a fresh
# install set up through the first-run API, a visitor's chat handed off (which writes the
# handoff summary), then fresh summaries asked for over HTTP; prints the median and the
# slowest of each mode's `elapsed_ms`. Runs outside CI (the generated mode runs the local
# model).
#
#   scripts/bench_summary.sh [--release] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

profile=debug
runs=10
bench_args runs runs "$@"

bin="$(helpdesk_binary "$profile")"
work="$(mktemp -d)"
SERVER_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$work"' EXIT

json() { curl -fsS -H 'content-type: application/json' "$@"; }

for mode in extractive generative; do
    serve_helpdesk "$bin" "$work/$mode" "$work/$mode.log" HELPDESK__RAG__ANSWER_MODE="$mode"
    ready_within_a_minute "$BASE" || die "helpdesk did not get ready"
    json -X POST "$BASE/api/v1/setup" -d '{"slug":"bench","name":"Bench",
        "admin":{"email":"admin@bench.example","display_name":"Admin","password":"bench-admin-password"}}' >/dev/null
    admin="$(json -X POST "$BASE/api/v1/auth/token" \
        -d '{"tenant":"bench","email":"admin@bench.example","password":"bench-admin-password"}' | jq -r .access_token)"
    visitor="$(json -X POST "$BASE/api/v1/tenants/bench/visitor-token" -d '{}' | jq -r .access_token)"
    session="$(json -X POST -H "authorization: Bearer $visitor" "$BASE/api/v1/chat" \
        -d '{"message":"My laptop was stolen at the airport, my order 4411 is delayed and I cannot sign in to the VPN since yesterday. What should I do?"}' | jq -r .session_id)"
    ticket="$(json -X POST -H "authorization: Bearer $visitor" "$BASE/api/v1/chat/sessions/$session/handoff" | jq -r .ticket.id)"
    for _ in $(seq 1 "$runs"); do
        json -X POST -H "authorization: Bearer $admin" "$BASE/api/v1/tickets/$ticket/summary" | jq -r '[.mode, .elapsed_ms] | @tsv'
    done >"$work/$mode.tsv"
    sort -t$'\t' -k2 -n "$work/$mode.tsv" | awk -F'\t' -v mode="$mode" '
        { ms[NR] = $2; written = $1 }
        END { printf "%s summaries (%s, %d runs): median %.1f ms, slowest %.1f ms\n", mode, written, NR, ms[int((NR + 1) / 2)], ms[NR] }'
    json -H "authorization: Bearer $admin" "$BASE/api/v1/tickets/$ticket/comments" |
        jq -r '[.[] | select(.kind == "summary")][-1].body' | sed 's/^/    /'
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
done
