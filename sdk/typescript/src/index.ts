// The helpdesk REST API as a typed client: `paths` and `components` are generated from
// docs/openapi.json (npm run generate); openapi-fetch turns them into typed calls.
import createFetchClient, { type Client, type Middleware } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths, operations } from "./schema.js";

/** A response schema by name, e.g. `Schema<"TicketView">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** An error body: every failed call answers one, with a stable `code`. */
export type Problem = components["schemas"]["Problem"];

export interface HelpdeskOptions {
  /** The server, e.g. `https://help.example.com` (no trailing `/api/v1`). */
  baseUrl: string;
  /** A bearer token, or a function returning the current one (refreshed elsewhere). */
  token?: string | (() => string | undefined);
  fetch?: typeof globalThis.fetch;
}

export type HelpdeskClient = Client<paths>;

/** A client whose calls carry the bearer token, if one is given. */
export function createHelpdeskClient(options: HelpdeskOptions): HelpdeskClient {
  const client = createFetchClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    fetch: options.fetch,
  });
  const auth: Middleware = {
    onRequest({ request }) {
      const token = typeof options.token === "function" ? options.token() : options.token;
      if (token) {
        request.headers.set("Authorization", `Bearer ${token}`);
      }
      return request;
    },
  };
  client.use(auth);
  return client;
}
