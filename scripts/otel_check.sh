#!/usr/bin/env bash
# OpenTelemetry end to end: a real OTLP receiver (scripts/otlp_receiver.py, which decodes
# OTLP/HTTP protobuf with the official opentelemetry-proto definitions) gets the traces of
# one chat exchange. The request carries a W3C traceparent; the check fails unless a span
# named rag.generate_answer arrived inside that caller's trace with the tenant attribute,
# and the server's HTTP span is a child of the caller's span. Exit 0 on success.
#
#   scripts/otel_check.sh BIN DATA   DATA: seeded demo data that no running server holds
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

BIN="${1:?usage: otel_check.sh BIN DATA}"
DATA="${2:?usage: otel_check.sh BIN DATA}"
OTEL_PROTO_VERSION=1.45.2
WORK="$(mktemp -d)"
SERVER_PID=""
RECEIVER_PID=""

cleanup() {
    for pid in "$SERVER_PID" "$RECEIVER_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('opentelemetry-proto') != '$OTEL_PROTO_VERSION')" 2>/dev/null ||
    python3 -m pip install --quiet --disable-pip-version-check "opentelemetry-proto==$OTEL_PROTO_VERSION"

python3 scripts/otlp_receiver.py "$WORK/spans.jsonl" >"$WORK/receiver.port" 2>"$WORK/receiver.log" &
RECEIVER_PID=$!
for _ in $(seq 1 40); do
    [ -s "$WORK/receiver.port" ] && break
    sleep 0.25
done
[ -s "$WORK/receiver.port" ] || die "the OTLP receiver did not start: $(cat "$WORK/receiver.log")"
RECEIVER="http://127.0.0.1:$(head -n1 "$WORK/receiver.port")"

serve_helpdesk "$BIN" "$DATA" "$WORK/server.log" HELPDESK__TELEMETRY__OTLP_ENDPOINT="$RECEIVER" ||
    die "helpdesk did not start"

# The caller's trace and span: random, so that nothing but this request can match them.
TRACE="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
PARENT="$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
token="$(curl -fsS --max-time 30 -X POST "$BASE/api/v1/tenants/acme/visitor-token" | jq -er .access_token)" ||
    die "no visitor token"
curl -fsS --max-time 120 -o "$WORK/chat.json" -D "$WORK/chat.headers" \
    -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -H "traceparent: 00-$TRACE-$PARENT-01" \
    -d '{"message":"How do I reset the password I use to log into my Mac?"}' "$BASE/api/v1/chat" ||
    die "the chat exchange failed: $(cat "$WORK/chat.json" 2>/dev/null)"

# Shutting down flushes the batch of spans not yet exported.
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || die "helpdesk did not shut down cleanly"
SERVER_PID=""
for _ in $(seq 1 40); do
    jq -e --arg t "$TRACE" 'select(.trace_id == $t and .name == "rag.generate_answer")' \
        "$WORK/spans.jsonl" >/dev/null 2>&1 && break
    sleep 0.25
done

spans="$(jq -c --arg t "$TRACE" 'select(.trace_id == $t)' "$WORK/spans.jsonl" 2>/dev/null || true)"
[ -n "$spans" ] || die "no span of the request's trace reached the receiver ($(wc -l <"$WORK/spans.jsonl" 2>/dev/null || echo 0) spans in all)"
answer="$(printf '%s\n' "$spans" | jq -c 'select(.name == "rag.generate_answer")' | head -n1)"
[ -n "$answer" ] || die "no rag.generate_answer span in the trace; got: $(printf '%s\n' "$spans" | jq -r .name | sort -u | paste -sd ' ' -)"
tenant="$(printf '%s\n' "$answer" | jq -r '.attributes.tenant // empty')"
[ -n "$tenant" ] || die "rag.generate_answer has no tenant attribute: $answer"
request_id="$(grep -i '^x-request-id:' "$WORK/chat.headers" | tr -d '\r' | awk '{print $2}')"
[ "$(printf '%s\n' "$answer" | jq -r '.attributes["request_id"] // empty')" = "$request_id" ] ||
    die "rag.generate_answer does not carry the request id $request_id: $answer"
printf '%s\n' "$spans" | jq -e --arg p "$PARENT" 'select(.parent_span_id == $p and .kind == 2)' >/dev/null ||
    die "the server's HTTP span is not a child of the caller's span $PARENT"
printf 'otel: %d spans in the caller'"'"'s trace (%s), rag.generate_answer with tenant %s\n' \
    "$(printf '%s\n' "$spans" | wc -l)" \
    "$(printf '%s\n' "$spans" | jq -r .name | sort -u | paste -sd ',' -)" "$tenant"
