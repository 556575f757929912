// The API's JSON shapes the SPA reads (see docs/ and the Rust views they mirror).

export type Role = "admin" | "agent" | "customer";
export type Status = "open" | "pending" | "resolved" | "closed";
export type Priority = "low" | "normal" | "high" | "urgent";

export interface User {
  id: string;
  tenant_id: string;
  email: string;
  role: Role;
  display_name: string;
  created_at: string;
}

export interface Ticket {
  id: string;
  number: number;
  requester_id: string;
  assignee_id: string | null;
  queue: string;
  category: string | null;
  category_confidence: number | null;
  status: Status;
  priority: Priority;
  subject: string;
  body: string;
  sla_due_at: string | null;
  resolution_due_at: string | null;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TicketEvent {
  id: string;
  author_id: string | null;
  kind: string;
  body: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

export interface Citation {
  n: number;
  doc_id: string;
  title: string;
  source: string;
  snippet?: string;
}

export interface SuggestedReply {
  outcome: string;
  text: string;
  citations: Citation[];
}

export interface DocumentInfo {
  id: string;
  source: string;
  title: string;
  chunks?: number;
  status?: string;
  updated_at?: string;
}

export interface Gap {
  question: string;
  count: number;
  examples: string[];
  last_asked_at: string;
}

/** One day's (or the period's) usage, as `GET /api/v1/usage` counts it. */
export interface UsageCounts {
  prompt_tokens: number;
  completion_tokens: number;
  model_ms: number;
  embedding_inputs: number;
  answered: number;
  suggested: number;
  abstained: number;
  handoffs: number;
  cost: number;
}

export interface Usage {
  from: string;
  to: string;
  days: (UsageCounts & { day: string })[];
  totals: UsageCounts;
  storage: { documents: number; chunks: number; vectors: number };
}

export interface Theme {
  name: string;
  logo_url: string | null;
  primary_color: string;
  accent_color: string;
}

export interface StoredTheme {
  display_name?: string;
  logo_url?: string | null;
  primary_color?: string;
  accent_color?: string;
}

export interface TenantSettings {
  theme?: StoredTheme;
  sla_minutes?: Record<string, { first_response?: number; resolution?: number }>;
  business_hours?: {
    days: string[];
    start: string;
    end: string;
    utc_offset?: string;
  } | null;
  [key: string]: unknown;
}
