#!/usr/bin/env bash
# Security smoke: personal data never reaches a model, on either backend, nor the log.
#
# On a seeded data dir that no running server holds, it starts helpdesk twice — on the local
# backend with the test-only recording hook (HELPDESK_TEST_RECORD_MODEL_INPUTS), then on the
# Ollama backend against scripts/fake_ollama.py, which records every request. Each time it
# posts a ticket and a chat message holding a dummy SSN, card number, e-mail address, IBAN
# and API key, then triggers classification (opening the ticket), a chat answer, a
# suggested reply, a raw generation and an embedding. It fails if any of those values is in
# what reached a model or in the server's log. Exit 0 on success.
#
#   scripts/security_smoke.sh BIN DATA_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

BIN="${1:?usage: security_smoke.sh BIN DATA_DIR}"
DATA="${2:?usage: security_smoke.sh BIN DATA_DIR}"
WORK="$(mktemp -d)"
SERVER_PID=""
FAKE_PID=""
BASE=""

cleanup() {
    for pid in "$SERVER_PID" "$FAKE_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    printf 'security smoke failed: %s\n' "$*" >&2
    exit 1
}

SSN="123-45-6789"
CARD="4111 1111 1111 1111"
EMAIL="jane.roe@example.com"
IBAN="DE89 3704 0044 0532 0130 00"
API_KEY="sk_live_51HqLyjWDarjtT1zdp7dcXYZ0"
# What must never be seen, as written and with the separators taken out.
FORBIDDEN=("$SSN" "123456789" "$CARD" "4111111111111111" "$EMAIL" "$IBAN" "DE89370400440532013000" "$API_KEY")
# The question the handbook answers comes first, so that the chat and the suggested reply
# get as far as the generator; the values follow it.
TEXT="How do I reset the password I use to log into my Mac? $SSN, $CARD, $EMAIL, $IBAN, $API_KEY"

# call METHOD PATH TOKEN [JSON]: prints the body; fails unless the status is 2xx.
call() {
    local method="$1" path="$2" token="$3" body="${4:-}" status
    local args=(-sS -X "$method" -o "$WORK/body" -w '%{http_code}' --max-time 120)
    [ -n "$token" ] && args+=(-H "authorization: Bearer $token")
    [ -n "$body" ] && args+=(-H 'content-type: application/json' -d "$body")
    status="$(curl "${args[@]}" "$BASE$path")" || fail "$method $path: no answer"
    case "$status" in
        2??) cat "$WORK/body" ;;
        *) fail "$method $path: HTTP $status: $(head -c 300 "$WORK/body")" ;;
    esac
}

sign_in() {
    call POST /api/v1/auth/token "" \
        "{\"tenant\":\"acme\",\"email\":\"$1@acme.example\",\"password\":\"acme-$1-demo\"}" |
        jq -er .access_token
}

# start_server LOG [VAR=VALUE...]: serves DATA with the extra environment; sets BASE.
start_server() {
    local log_file="$1"
    shift
    serve_helpdesk "$BIN" "$DATA" "$log_file" HELPDESK__RAG__ANSWER_MODE=generative "$@" ||
        fail "helpdesk did not start"
    ready_within_a_minute "$BASE" || fail "helpdesk did not become ready"
}

stop_server() {
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
    SERVER_PID=""
}

# Every path that can reach a model, with the personal data in its input.
exercise() {
    local customer agent visitor ticket body
    customer="$(sign_in customer)"
    agent="$(sign_in agent)"
    body="$(jq -n --arg b "$TEXT" '{subject: "How do I reset the password I use to log into my Mac?", body: $b}')"
    ticket="$(call POST /api/v1/tickets "$customer" "$body" | jq -er .id)"
    call POST "/api/v1/tickets/$ticket/suggested-reply" "$agent" '{}' >/dev/null
    visitor="$(call POST /api/v1/tenants/acme/visitor-token "" | jq -er .access_token)"
    call POST /api/v1/chat "$visitor" "$(jq -n --arg m "$TEXT" '{message: $m}')" >/dev/null
    call POST /api/v1/llm/generate "$agent" \
        "$(jq -n --arg p "$TEXT" '{prompt: $p, max_tokens: 8}')" >/dev/null
    call POST /api/v1/llm/embeddings "$agent" "$(jq -n --arg t "$TEXT" '{input: [$t]}')" >/dev/null
}

# assert_clean FILE WHAT: none of the values is in FILE.
assert_clean() {
    local file="$1" what="$2" value
    for value in "${FORBIDDEN[@]}"; do
        if grep -qF -- "$value" "$file"; then
            fail "$what holds \"$value\": $(grep -F -- "$value" "$file" | head -c 300)"
        fi
    done
}

command -v jq >/dev/null || die "security smoke needs jq"

log "security smoke: local backend, recording what reaches the models"
start_server "$WORK/local.log" HELPDESK_TEST_RECORD_MODEL_INPUTS="$WORK/local.jsonl"
exercise
stop_server
[ -s "$WORK/local.jsonl" ] || fail "the local backend recorded no model call"
for purpose in generation embedding query_embedding suggested_reply chat_answer; do
    grep -q "\"purpose\":\"$purpose\"" "$WORK/local.jsonl" ||
        fail "no $purpose call reached the local models: $(jq -r .purpose "$WORK/local.jsonl" | sort -u | paste -sd ' ')"
done
grep -q '\[SSN_1\]' "$WORK/local.jsonl" || fail "the recorded prompts do not show the SSN placeholder"
assert_clean "$WORK/local.jsonl" "a local model's input"
assert_clean "$WORK/local.log" "the server log (local backend)"
# Every model call left its record (purpose and hash, no text), and the sign-ins their
# audit lines.
records="$(jq -cR 'fromjson? | select(.message == "model call")' "$WORK/local.log" | wc -l)"
[ "$records" -ge "$(wc -l <"$WORK/local.jsonl")" ] ||
    fail "$records model call records for $(wc -l <"$WORK/local.jsonl") calls"
# (Counted: `jq -e` judges only the last line of its input.)
lines() { jq -cR "fromjson? | select($1)" "$WORK/local.log" | wc -l; }
[ "$(lines '.message == "model call" and ((.prompt_sha256 | length) != 64 or .purpose == null)')" = 0 ] ||
    fail "a model call record lacks its purpose or hash"
[ "$(lines '.message == "audit" and .action == "auth.sign_in"')" -ge 2 ] ||
    fail "no audit line for the sign-ins"
echo "local backend: $(wc -l <"$WORK/local.jsonl") model calls ($(jq -r .purpose "$WORK/local.jsonl" | sort -u | paste -sd ' ')), no personal data in them or the log"

log "security smoke: Ollama backend, against a recording Ollama-compatible server"
python3 scripts/fake_ollama.py "$WORK/ollama.jsonl" >"$WORK/ollama.port" &
FAKE_PID=$!
for _ in $(seq 1 40); do
    [ -s "$WORK/ollama.port" ] && break
    sleep 0.25
done
[ -s "$WORK/ollama.port" ] || fail "the fake Ollama server did not start"
start_server "$WORK/ollama.log" HELPDESK__LLM__BACKEND=ollama \
    HELPDESK__LLM__OLLAMA__URL="http://127.0.0.1:$(cat "$WORK/ollama.port")"
exercise
stop_server
kill -TERM "$FAKE_PID"
wait "$FAKE_PID" 2>/dev/null || true
FAKE_PID=""
grep -q '"path": "/api/chat"' "$WORK/ollama.jsonl" || fail "no chat request reached the Ollama server"
grep -q '"path": "/api/embed"' "$WORK/ollama.jsonl" || fail "no embedding request reached the Ollama server"
assert_clean "$WORK/ollama.jsonl" "a request to Ollama"
assert_clean "$WORK/ollama.log" "the server log (Ollama backend)"
echo "Ollama backend: $(wc -l <"$WORK/ollama.jsonl") requests, no personal data in them or the log"
