// What the chat view shows, as a pure reducer over server frames and the visitor's own
// actions: streamed tokens grow a draft that the final answer replaces; agent replies
// append; a resumed session replaces everything with the server's history.

import type { Citation, ServerFrame, StoredMessage, TicketRef } from "./protocol";

export interface ChatLine {
  id: string;
  role: "visitor" | "assistant" | "agent" | "system";
  text: string;
  citations: Citation[];
  /** Still being streamed. */
  pending?: boolean;
  /** The bot could not answer; a person is offered. */
  offerHandoff?: boolean;
  /** The citations are pages that may help, not sources of a quote. */
  suggested?: boolean;
  /** A confident bot answer: the visitor may rate it with a thumb. */
  answer?: boolean;
}

export interface ChatState {
  sessionId: string | null;
  lines: ChatLine[];
  /** Waiting for the bot's answer to the last question. */
  busy: boolean;
  ticket: TicketRef | { id: string; number?: number } | null;
  error: string | null;
}

export const initialChat: ChatState = {
  sessionId: null,
  lines: [],
  busy: false,
  ticket: null,
  error: null,
};

export type ChatAction =
  | { kind: "frame"; frame: ServerFrame }
  | { kind: "asked"; text: string; id: string }
  | { kind: "dismiss_error" };

const DRAFT_ID = "draft";

function fromStored(m: StoredMessage): ChatLine {
  const line: ChatLine = { id: m.id, role: m.role, text: m.text, citations: m.citations ?? [] };
  if (m.outcome === "answered") line.answer = true;
  return line;
}

/** Whether the chat has had a reply worth rating: a bot answer or a person's. */
export function rateable(state: ChatState): boolean {
  return state.sessionId !== null && state.lines.some((l) => (l.answer || l.role === "agent") && !l.pending);
}

function withoutDraft(lines: ChatLine[]): ChatLine[] {
  return lines.filter((l) => l.id !== DRAFT_ID);
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.kind) {
    case "asked":
      return {
        ...state,
        busy: true,
        error: null,
        lines: [
          ...state.lines,
          { id: action.id, role: "visitor", text: action.text, citations: [] },
        ],
      };
    case "dismiss_error":
      return { ...state, error: null };
    case "frame":
      return applyFrame(state, action.frame);
  }
}

function applyFrame(state: ChatState, frame: ServerFrame): ChatState {
  switch (frame.type) {
    case "session": {
      // A fresh session has no history: keep what the visitor already sees.
      const lines = frame.messages.length > 0 ? frame.messages.map(fromStored) : state.lines;
      return {
        ...state,
        sessionId: frame.session_id,
        lines,
        ticket: frame.ticket_id ? { id: frame.ticket_id } : state.ticket,
      };
    }
    case "token": {
      const draft = state.lines.find((l) => l.id === DRAFT_ID);
      const text = (draft?.text ?? "") + frame.text;
      return {
        ...state,
        lines: [
          ...withoutDraft(state.lines),
          { id: DRAFT_ID, role: "assistant", text, citations: [], pending: true },
        ],
      };
    }
    case "answer":
      return {
        ...state,
        busy: false,
        lines: [
          ...withoutDraft(state.lines),
          { id: frame.message_id, role: "assistant", text: frame.text, citations: frame.citations, answer: true },
        ],
      };
    case "suggestions":
    case "abstained":
      return {
        ...state,
        busy: false,
        lines: [
          ...withoutDraft(state.lines),
          {
            id: frame.message_id,
            role: "assistant",
            text: frame.text,
            citations: frame.type === "suggestions" ? frame.pages : [],
            offerHandoff: frame.offer_handoff,
            suggested: frame.type === "suggestions",
          },
        ],
      };
    case "ticket_created":
      return {
        ...state,
        busy: false,
        ticket: frame.ticket,
        lines: [
          ...state.lines.map((l) => ({ ...l, offerHandoff: false })),
          {
            id: `ticket-${frame.ticket.id}`,
            role: "system",
            text: `A person from our team will reply here. Your ticket number is #${frame.ticket.number}.`,
            citations: [],
          },
        ],
      };
    case "forwarded":
      return { ...state, busy: false };
    case "agent_message":
      if (state.lines.some((l) => l.id === frame.message_id)) return state;
      return {
        ...state,
        lines: [
          ...state.lines,
          { id: frame.message_id, role: "agent", text: frame.text, citations: [] },
        ],
      };
    case "error":
      return {
        ...state,
        busy: frame.code === "busy" ? state.busy : false,
        lines: withoutDraft(state.lines),
        error: frame.detail || frame.code,
      };
  }
}

/** An answer's text split into plain runs and citation markers `[n]` that have a citation. */
export type Segment = { text: string } | { citation: Citation };

export function segments(text: string, citations: Citation[]): Segment[] {
  const byN = new Map(citations.map((c) => [c.n, c]));
  const out: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(/\[(\d+)\]/g)) {
    const citation = byN.get(Number(match[1]));
    if (!citation) continue;
    const at = match.index ?? 0;
    if (at > last) out.push({ text: text.slice(last, at) });
    out.push({ citation });
    last = at + match[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
