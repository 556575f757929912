#!/usr/bin/env bash
# RAG smoke: on the demo tenant of a running server (after `helpdesk seed`), asks the help
# chat (REST fallback) one question the handbook answers and one it does not. Passes when
# the first is answered with at least one citation whose document exists in the tenant's
# knowledge base and the second is abstained on. Exit 0 on success.
#
#   scripts/rag_smoke.sh [BASE_URL]     (default http://127.0.0.1:8080)
set -euo pipefail
BASE="${1:-http://127.0.0.1:8080}"
command -v jq >/dev/null || { echo "error: rag_smoke needs jq" >&2; exit 2; }
fail() { echo "rag smoke failed: $*" >&2; exit 1; }

VISITOR="$(curl -fsS -X POST "$BASE/api/v1/tenants/acme/visitor-token" | jq -er .access_token)" ||
    fail "no visitor token for the demo tenant (seeded?)"
ADMIN="$(curl -fsS -X POST "$BASE/api/v1/auth/token" -H 'content-type: application/json' \
    -d '{"tenant":"acme","email":"admin@acme.example","password":"acme-admin-demo"}' |
    jq -er .access_token)" || fail "cannot sign in as the demo admin"

ask() {
    curl -fsS -X POST "$BASE/api/v1/chat" -H "authorization: Bearer $VISITOR" \
        -H 'content-type: application/json' -d "$(jq -n --arg m "$1" '{message: $m}')"
}

answer="$(ask "How do I reset the password I use to log into my Mac?")" || fail "the chat did not answer"
[ "$(jq -r '.frames[-1].type' <<<"$answer")" = answer ] ||
    fail "the password question was not answered: $answer"
cited="$(jq -r '.frames[-1].citations[].doc_id' <<<"$answer")"
[ -n "$cited" ] || fail "the answer cites nothing: $answer"
known="$(curl -fsS "$BASE/api/v1/documents" -H "authorization: Bearer $ADMIN" |
    jq -r '.items[].id')" || fail "cannot list documents"
while read -r id; do
    grep -qx "$id" <<<"$known" || fail "citation $id is not a document of the tenant"
done <<<"$cited"
echo "answered with $(wc -l <<<"$cited") citation(s): $(jq -r '.frames[-1].citations | map(.source) | join(", ")' <<<"$answer")"

mars="$(ask "What is the cafeteria menu on Mars?")" || fail "the chat did not answer"
[ "$(jq -r '.frames[-1].type' <<<"$mars")" = abstained ] ||
    fail "the Mars question was not abstained on: $mars"
echo "abstained on the cafeteria menu on Mars"
