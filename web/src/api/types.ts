// The API's JSON shapes the SPA reads, by the names the SPA uses. Each is a schema of the
// server's OpenAPI document: schema.d.ts is generated from docs/openapi.json
// (`npm run generate:api`; scripts/spec_lint.sh fails when it is stale).

import type { components } from "./schema";

/** Any schema of the document by its name, e.g. `Schema<"TicketPage">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

export type Role = Schema<"Role">;
export type Status = Schema<"Status">;
export type Priority = Schema<"Priority">;
export type User = Schema<"UserView">;
export type Ticket = Schema<"TicketView">;
export type TicketEvent = Schema<"TicketEventView">;
export type Citation = Schema<"Source">;
export type SuggestedReply = Schema<"SuggestedReply">;
export type DocumentInfo = Schema<"DocView">;
export type Gap = Schema<"GapGroup">;
export type UsageCounts = Schema<"Priced">;
export type Usage = Schema<"Usage">;
export type Theme = Schema<"Theme">;
export type Problem = Schema<"Problem">;
export type FieldError = Schema<"FieldError">;
export type SettingsPatch = Schema<"SettingsPatch">;

/**
 * The part of a tenant's stored settings the admin page shows. The server keeps settings
 * as free-form JSON (`TenantView.settings` is an object in the document) and reads it
 * leniently, so this is a view of what the admin page itself writes through
 * `PATCH /api/v1/tenant/settings`.
 */
export interface TenantSettings {
  theme?: {
    display_name?: string;
    logo_url?: string | null;
    primary_color?: string;
    accent_color?: string;
  };
  sla_minutes?: Record<string, { first_response?: number; resolution?: number }>;
  business_hours?: {
    days: string[];
    start: string;
    end: string;
    utc_offset?: string;
  } | null;
  csat?: { reopen_on_bad?: boolean };
  [key: string]: unknown;
}
