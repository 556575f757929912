#!/usr/bin/env bash
# Auth probe: signs in as the demo tenant's admin, agent and customer (run `helpdesk seed`
# first), runs the CRUD matrix against a running server, and prints expected vs got.
# Exit 0 when every row matches.
#
#   scripts/auth_probe.sh [BASE_URL]     (default http://127.0.0.1:8080)
set -euo pipefail
BASE="${1:-http://127.0.0.1:8080}"
command -v jq >/dev/null || { echo "error: auth_probe needs jq" >&2; exit 2; }

token() { # tenant role
    curl -fsS -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
        -d "{\"tenant\":\"$1\",\"email\":\"$2@$1.example\",\"password\":\"$1-$2-demo\"}" |
        jq -er .access_token
}
status() { # token method path [body] [if-match]
    local args=(-sS -o /dev/null -w '%{http_code}' -X "$2" -H "authorization: Bearer $1")
    [ -n "${4:-}" ] && args+=(-H 'content-type: application/json' -d "$4")
    [ -n "${5:-}" ] && args+=(-H "if-match: $5")
    curl "${args[@]}" "$BASE$3"
}

ADMIN="$(token acme admin)" || { echo "error: cannot sign in as admin@acme.example (seeded?)" >&2; exit 1; }
AGENT="$(token acme agent)"
CUSTOMER="$(token acme customer)"
FOREIGN="$(token globex agent)"

ME_CUSTOMER="$(curl -fsS -H "authorization: Bearer $CUSTOMER" "$BASE/api/v1/me" | jq -er .id)"
OWN_TICKET="$(curl -fsS -H "authorization: Bearer $CUSTOMER" "$BASE/api/v1/tickets" | jq -er '.items[0].id')"
OTHERS_TICKET="$(curl -fsS -H "authorization: Bearer $AGENT" "$BASE/api/v1/tickets?limit=200" |
    jq -er --arg me "$ME_CUSTOMER" '[.items[] | select(.requester_id != $me)][0].id')"
FOREIGN_TICKET="$(curl -fsS -H "authorization: Bearer $FOREIGN" "$BASE/api/v1/tickets" | jq -er '.items[0].id')"
FOREIGN_USER="$(curl -fsS -H "authorization: Bearer $FOREIGN" "$BASE/api/v1/users" | jq -er '.[0].id')"
SAME_USER="$(curl -fsS -H "authorization: Bearer $ADMIN" "$BASE/api/v1/users" | jq -er '.[0].id')"
STAMP="$(date +%s%N)"

FAILED=0
printf '%-26s %-6s %-9s %8s %4s\n' "resource/action" tenant role expected got
row() { # name scope method path body "admin agent customer" [if-match]
    local name="$1" scope="$2" method="$3" path="$4" body="$5" expected="$6" etag="${7:-}"
    local roles=(admin agent customer) tokens=("$ADMIN" "$AGENT" "$CUSTOMER") wants i got mark
    read -r -a wants <<<"$expected"
    for i in 0 1 2; do
        got="$(status "${tokens[$i]}" "$method" "$path" "${body//@ROLE@/${roles[$i]}}" "$etag")"
        mark=""
        if [ "$got" != "${wants[$i]}" ]; then mark="  <-- MISMATCH"; FAILED=$((FAILED + 1)); fi
        printf '%-26s %-6s %-9s %8s %4s%s\n' "$name" "$scope" "${roles[$i]}" "${wants[$i]}" "$got" "$mark"
    done
}

row "tickets/create" same POST /api/v1/tickets '{"subject":"probe","body":"probe"}' "201 201 201"
row "tickets/list" same GET /api/v1/tickets "" "200 200 200"
row "tickets/read own" same GET "/api/v1/tickets/$OWN_TICKET" "" "200 200 200"
row "tickets/read another's" same GET "/api/v1/tickets/$OTHERS_TICKET" "" "200 200 404"
row "tickets/read" other GET "/api/v1/tickets/$FOREIGN_TICKET" "" "404 404 404"
row "tickets/update" other PATCH "/api/v1/tickets/$FOREIGN_TICKET" '{"priority":"high"}' "404 404 403" '"1"'
row "tickets/update stale" same PATCH "/api/v1/tickets/$OTHERS_TICKET" '{"priority":"low"}' "409 409 403" '"999"'
row "comments/create own" same POST "/api/v1/tickets/$OWN_TICKET/comments" '{"body":"probe"}' "201 201 201"
row "comments/create" other POST "/api/v1/tickets/$FOREIGN_TICKET/comments" '{"body":"probe"}' "404 404 404"
row "users/list" same GET /api/v1/users "" "200 200 403"
row "users/read" same GET "/api/v1/users/$SAME_USER" "" "200 200 403"
row "users/read" other GET "/api/v1/users/$FOREIGN_USER" "" "404 404 403"
row "users/update" other PATCH "/api/v1/users/$FOREIGN_USER" '{"display_name":"x"}' "404 403 403"
row "users/delete" other DELETE "/api/v1/users/$FOREIGN_USER" "" "404 403 403"
row "users/create" same POST /api/v1/users \
    "{\"email\":\"probe-$STAMP-@ROLE@@acme.example\",\"role\":\"agent\",\"display_name\":\"Probe\",\"password\":\"a long enough password\"}" \
    "201 403 403"
got="$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/api/v1/tickets")"
mark=""
if [ "$got" != 401 ]; then mark="  <-- MISMATCH"; FAILED=$((FAILED + 1)); fi
printf '%-26s %-6s %-9s %8s %4s%s\n' "tickets/list" same "(none)" 401 "$got" "$mark"

if [ "$FAILED" -gt 0 ]; then
    echo "auth probe: $FAILED mismatch(es)" >&2
    exit 1
fi
echo "auth probe: every row as expected"
