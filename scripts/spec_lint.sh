#!/usr/bin/env bash
# The API's published contract and its clients, checked against the code and a live server:
#  1. lints docs/openapi.json and docs/asyncapi.json with @redocly/cli;
#  2. regenerates the TypeScript SDK's types (openapi-typescript, sdk/typescript), the Python
#     SDK (openapi-python-client, sdk/python) and the web app's API types, and fails if any
#     differs from what is committed; packs both SDKs (npm pack, a wheel);
#  3. serves a seeded data dir and, with each SDK, reads /ready, signs in, creates a ticket,
#     finds it in the list and searches the knowledge base;
#  4. runs Schemathesis against the served document with an agent's and an admin's token:
#     no 5xx, every response must match the document, and a method a path does not list
#     gets 405 (a fixed number of examples per operation and a fixed seed, so the run
#     time stays bounded).
#
#   scripts/spec_lint.sh                 all four, on a fresh build and freshly seeded data
#   scripts/spec_lint.sh --offline       steps 1-2 (CI's lint step)
#   scripts/spec_lint.sh --live BIN DATA steps 3-4, serving DATA (seeded demo data that no
#                                        running server holds) with BIN (smoke.sh does this)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib.sh
. scripts/lib.sh

TOOLS="${HELPDESK_TOOLS_DIR:-$HOME/.cache/helpdesk-tools}"
REDOCLY_VERSION=2.77.0
PYTHON_CLIENT_VERSION=0.29.1
SCHEMATHESIS_VERSION=4.32.5
# Examples per operation and per token: about 50 operations, about a minute in all.
FUZZ_EXAMPLES="${HELPDESK_FUZZ_EXAMPLES:-25}"
MODE=all
BIN=""
DATA=""
case "${1:-}" in
    --offline) MODE=offline ;;
    --live)
        MODE=live
        BIN="${2:?usage: spec_lint.sh --live BIN DATA}"
        DATA="${3:?usage: spec_lint.sh --live BIN DATA}"
        ;;
    "") ;;
    *) die "unknown argument: $1" ;;
esac

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

install_tools() {
    if [ "$(jq -r .version "$TOOLS/node_modules/@redocly/cli/package.json" 2>/dev/null)" != "$REDOCLY_VERSION" ]; then
        mkdir -p "$TOOLS"
        npm install --silent --no-audit --no-fund --prefix "$TOOLS" "@redocly/cli@$REDOCLY_VERSION"
    fi
    local missing=()
    [ "$(openapi-python-client --version 2>/dev/null | awk '{print $NF}')" = "$PYTHON_CLIENT_VERSION" ] ||
        missing+=("openapi-python-client==$PYTHON_CLIENT_VERSION")
    python3 -c "import importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$SCHEMATHESIS_VERSION')" 2>/dev/null ||
        missing+=("schemathesis==$SCHEMATHESIS_VERSION")
    if [ ${#missing[@]} -gt 0 ]; then
        python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}"
    fi
}

# unchanged PATH WHAT: a regenerated file or directory must equal the committed one.
unchanged() {
    if ! git diff --quiet -- "$1" || [ -n "$(git ls-files --others --exclude-standard -- "$1")" ]; then
        git status --short -- "$1" | head -n 20 >&2
        die "$2 differs from a fresh generation from docs/openapi.json: run scripts/spec_lint.sh --offline and commit the result"
    fi
}

lint_documents() {
    "$TOOLS/node_modules/.bin/redocly" lint --config docs/redocly.yaml --format=summary \
        docs/openapi.json docs/asyncapi.json
    log "openapi.json, asyncapi.json: redocly lint passes"
}

generate_sdks() {
    (
        cd sdk/typescript
        npm ci --no-audit --no-fund --silent
        npm run --silent generate
        npm pack --silent --pack-destination "$WORK" >/dev/null
    )
    unchanged sdk/typescript/src/schema.d.ts "the TypeScript SDK"
    (cd web && npm run --silent generate:api)
    unchanged web/src/api/schema.d.ts "the web app's API types"
    openapi-python-client generate --path docs/openapi.json --output-path sdk/python \
        --config sdk/python.yaml --meta setup --custom-template-path sdk/python-templates \
        --overwrite >"$WORK/python-client.log" 2>&1 ||
        { cat "$WORK/python-client.log" >&2; die "openapi-python-client failed"; }
    if grep -q "Warning" "$WORK/python-client.log"; then
        cat "$WORK/python-client.log" >&2
        die "openapi-python-client could not read part of the document"
    fi
    unchanged sdk/python "the Python SDK"
    python3 -m pip wheel --quiet --no-deps --disable-pip-version-check \
        --wheel-dir "$WORK" ./sdk/python >/dev/null
    log "SDKs: regenerated unchanged; packed $(find "$WORK" -maxdepth 1 \( -name '*.tgz' -o -name '*.whl' \) -printf '%f ')"
}

start_server() {
    serve_helpdesk "$BIN" "$DATA" "$WORK/server.log" || die "helpdesk did not start"
    ready_within_a_minute "$BASE" || die "helpdesk did not become ready"
}

stop_server() {
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" || true
    SERVER_PID=""
}

round_trips() {
    (cd sdk/typescript && HELPDESK_URL="$BASE" npm run --silent roundtrip) >&2 ||
        die "TypeScript SDK round trip failed"
    PYTHONPATH=sdk/python HELPDESK_URL="$BASE" python3 scripts/sdk_roundtrip.py >&2 ||
        die "Python SDK round trip failed"
}

token_of() {
    curl -fsS --max-time 30 -H 'content-type: application/json' \
        -d "{\"tenant\":\"acme\",\"email\":\"$1@acme.example\",\"password\":\"acme-$1-demo\"}" \
        "$BASE/api/v1/auth/token" | jq -er .access_token
}

# The tail alone once hid which request a network error was on (a cold CI run, seen once),
# and a caller that keeps only the output's last lines (smoke.sh) once kept nothing but the
# server's log: the server's last words first, then the errors' own lines, then
# Schemathesis's summary last.
fuzz_failure() {
    printf -- '--- server log, last lines ---\n' >&2
    tail -n 30 "$WORK/server.log" >&2 || true
    printf -- '--- schemathesis as the %s ---\n' "$1" >&2
    grep -n -B2 -A14 -E 'Network Error|Connection|Timed out|timeout' "$WORK/fuzz-$1.log" |
        head -n 160 >&2 || true
    tail -n 200 "$WORK/fuzz-$1.log" >&2
}

fuzz() {
    local role token
    # The two streams (the chat socket, the ticket feed) are not request and response:
    # docs/asyncapi.json describes them, and the tests drive them.
    for role in agent admin; do
        token="$(token_of "$role")" || die "cannot sign in as the demo $role"
        log "schemathesis as the demo $role ($FUZZ_EXAMPLES examples per operation)"
        # From the scratch dir: Schemathesis keeps a cache in its working directory.
        # Hypothesis's too_slow health check times data generation, which a busy 2-core
        # machine fails now and then (seen once in CI on a commit that passed before and
        # after): a statement about the machine, not the API.
        (cd "$WORK" && schemathesis run "$BASE/api/v1/openapi.json" --url "$BASE" \
            --header "Authorization: Bearer $token" \
            --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,unsupported_method \
            --phases examples,coverage,fuzzing --max-examples "$FUZZ_EXAMPLES" \
            --exclude-path /api/v1/chat/ws --exclude-path /api/v1/tickets/feed \
            --request-timeout 120 --seed 20261129 --generation-database none --no-color \
            --suppress-health-check too_slow) \
            >"$WORK/fuzz-$role.log" 2>&1 ||
            { fuzz_failure "$role"; die "schemathesis found a failure as the $role"; }
        printf 'schemathesis as the %s: %s\n' "$role" \
            "$(grep -Eo '[0-9]+ generated, [0-9]+ passed' "$WORK/fuzz-$role.log" | tail -n 1)" >&2
    done
}

install_tools
if [ "$MODE" != live ]; then
    lint_documents
    generate_sdks
fi
if [ "$MODE" = all ]; then
    BIN="$(helpdesk_binary debug)"
    DATA="$WORK/data"
    mkdir -p "$DATA"
    "$BIN" --data-dir "$DATA" seed >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; die "seed failed"; }
fi
if [ "$MODE" != offline ]; then
    start_server
    round_trips
    fuzz
    stop_server
fi
log "spec lint passed"
