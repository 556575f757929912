// The SDK against a running server (scripts/spec_lint.sh): readiness, sign-in, a ticket
// created and found in the list, a knowledge-base search, and a typed problem body.
// Compiled with the package's types, so a call that no longer matches the API fails here.
import { createHelpdeskClient, type Problem } from "../src/index.js";

function check(condition: unknown, what: string): asserts condition {
  if (!condition) {
    throw new Error(`SDK round trip: ${what}`);
  }
}

const baseUrl = process.env.HELPDESK_URL ?? "http://127.0.0.1:8080";
const anonymous = createHelpdeskClient({ baseUrl });

const ready = await anonymous.GET("/ready");
check(ready.data?.status === "ok", `GET /ready: ${ready.response.status}`);

const signIn = await anonymous.POST("/api/v1/auth/token", {
  body: { tenant: "acme", email: "agent@acme.example", password: "acme-agent-demo" },
});
check(signIn.data, `sign-in: ${JSON.stringify(signIn.error)}`);
const client = createHelpdeskClient({ baseUrl, token: signIn.data.access_token });

const subject = `SDK round trip (TypeScript) ${Date.now()}`;
const created = await client.POST("/api/v1/tickets", {
  body: { subject, body: "The VPN client drops every few minutes.", priority: "high" },
});
check(created.data, `create ticket: ${JSON.stringify(created.error)}`);
check(created.response.headers.get("etag") === `"${created.data.version}"`, "ticket ETag");

const listed = await client.GET("/api/v1/tickets", { params: { query: { limit: 50 } } });
check(listed.data, `list tickets: ${JSON.stringify(listed.error)}`);
check(
  listed.data.items.some((ticket) => ticket.id === created.data.id && ticket.subject === subject),
  "the new ticket is not in the list",
);

const found = await client.GET("/api/v1/search", {
  params: { query: { q: "How do I reset my password?", k: 3 } },
});
check(found.data && found.data.pages.length > 0, `search: ${JSON.stringify(found.error)}`);

const missing = await client.GET("/api/v1/tickets/{id}", {
  params: { path: { id: "00000000-0000-4000-8000-000000000000" } },
});
const problem: Problem | undefined = missing.error;
check(problem?.code === "ticket_not_found", `problem body: ${JSON.stringify(problem)}`);

console.log(
  `typescript sdk: ready, signed in, ticket #${created.data.number} created and listed, ` +
    `search found ${found.data.pages.length} page(s), 404 is ${problem.code}`,
);
