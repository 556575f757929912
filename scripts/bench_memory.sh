#!/usr/bin/env bash
# Memory of one `helpdesk serve` replica, for the sizing in docs/deployment.md: resident
# set size after start and after a run of chat answers, and the peak, with local models
# (the defaults) and with the Ollama backend (scripts/fake_ollama.py stands in for Ollama:
# what is measured is helpdesk's own memory). Both on the embedded vector store with the
# demo knowledge base (32 pages), as no Qdrant server runs here. Runs outside CI.
#
#   scripts/bench_memory.sh [--release] [--questions N]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

profile=debug
questions=20
bench_args questions questions "$@"

bin="$(helpdesk_binary "$profile")"
work="$(mktemp -d)"
SERVER_PID=""
FAKE_PID=""
trap '[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$work"' EXIT

json() { curl -fsS -H 'content-type: application/json' "$@"; }
mib() { awk -v key="$1:" '$1 == key { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status"; }

python3 scripts/fake_ollama.py "$work/ollama.jsonl" >"$work/ollama.port" &
FAKE_PID=$!
for _ in $(seq 1 40); do
    [ -s "$work/ollama.port" ] && break
    sleep 0.25
done
[ -s "$work/ollama.port" ] || die "the fake Ollama server did not start"
ollama=(HELPDESK__LLM__BACKEND=ollama "HELPDESK__LLM__OLLAMA__URL=http://127.0.0.1:$(cat "$work/ollama.port")")

asks=("What should I do if my laptop is stolen?" "How do I reset my password?"
    "How are travel expenses reimbursed?" "Who approves a new software licence?"
    "How do I connect to the VPN from home?")
printf '| configuration (%s build) | after start | after %s answers | peak |\n| --- | --- | --- | --- |\n' "$profile" "$questions"
for config in local ollama; do
    extra=()
    [ "$config" = ollama ] && extra=("${ollama[@]}")
    env "${extra[@]}" "$bin" --data-dir "$work/$config" seed >"$work/$config.seed.log" 2>&1 ||
        die "seed failed: $(tail -n 3 "$work/$config.seed.log")"
    serve_helpdesk "$bin" "$work/$config" "$work/$config.log" "${extra[@]}"
    ready_within_a_minute "$BASE" || die "helpdesk did not get ready"
    started="$(mib VmRSS)"
    visitor="$(json -X POST "$BASE/api/v1/tenants/acme/visitor-token" -d '{}' | jq -r .access_token)"
    for n in $(seq 1 "$questions"); do
        ask="${asks[$((n % ${#asks[@]}))]}"
        json -X POST -H "authorization: Bearer $visitor" "$BASE/api/v1/chat" \
            -d "$(jq -nc --arg m "$ask" '{message: $m}')" >/dev/null
    done
    printf '| %s | %s MiB | %s MiB | %s MiB |\n' "$config" "$started" "$(mib VmRSS)" "$(mib VmHWM)"
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
done
