"""The Python SDK (sdk/python) against a running server, as scripts/spec_lint.sh runs it:
readiness, sign-in, a ticket created and found in the list, a knowledge-base search, and a
typed problem body. Needs HELPDESK_URL and sdk/python on PYTHONPATH (or installed)."""

import os
import sys
import time
import uuid

from helpdesk_client import AuthenticatedClient, Client
from helpdesk_client.api.auth import create_token
from helpdesk_client.api.health import ready
from helpdesk_client.api.knowledge import search_knowledge
from helpdesk_client.api.tickets import create_ticket, get_ticket, list_tickets
from helpdesk_client.models import (
    CreateTicketBody,
    Priority,
    Problem,
    SearchResults,
    TicketPage,
    TicketView,
    TokenPair,
    TokenRequest,
)


def check(condition: object, what: str) -> None:
    if not condition:
        sys.exit(f"Python SDK round trip: {what}")


def main() -> None:
    base_url = os.environ.get("HELPDESK_URL", "http://127.0.0.1:8080")
    anonymous = Client(base_url=base_url, raise_on_unexpected_status=True)

    readiness = ready.sync_detailed(client=anonymous)
    check(readiness.status_code == 200, f"GET /ready: {readiness.status_code}")

    tokens = create_token.sync(
        client=anonymous,
        body=TokenRequest(tenant="acme", email="agent@acme.example", password="acme-agent-demo"),
    )
    check(isinstance(tokens, TokenPair), f"sign-in: {tokens}")
    client = AuthenticatedClient(base_url=base_url, token=tokens.access_token)

    subject = f"SDK round trip (Python) {time.time_ns()}"
    created = create_ticket.sync_detailed(
        client=client,
        body=CreateTicketBody(
            subject=subject, body="My laptop will not connect to the office Wi-Fi.", priority=Priority.NORMAL
        ),
    )
    ticket = created.parsed
    check(created.status_code == 201 and isinstance(ticket, TicketView), f"create ticket: {ticket}")
    check(created.headers.get("etag") == f'"{ticket.version}"', "ticket ETag")

    page = list_tickets.sync(client=client, limit=50)
    check(isinstance(page, TicketPage), f"list tickets: {page}")
    check(any(t.id == ticket.id and t.subject == subject for t in page.items), "the new ticket is not in the list")

    found = search_knowledge.sync(client=client, q="How do I reset my password?", k=3)
    check(isinstance(found, SearchResults) and len(found.pages) > 0, f"search: {found}")

    missing = get_ticket.sync(client=client, id=uuid.UUID("00000000-0000-4000-8000-000000000000"))
    check(isinstance(missing, Problem) and missing.code.value == "ticket_not_found", f"problem body: {missing}")

    print(
        f"python sdk: ready, signed in, ticket #{ticket.number} created and listed, "
        f"search found {len(found.pages)} page(s), 404 is {missing.code.value}"
    )


if __name__ == "__main__":
    main()
