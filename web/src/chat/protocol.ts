// The help chat's wire protocol (docs/chat-protocol.md): frame types, a strict parser, and
// a client that keeps one WebSocket open — reconnecting with back-off and resuming its
// session — over whatever socket implementation it is given (the browser's, or a fake in
// tests).

export interface Citation {
  n: number;
  doc_id: string;
  title: string;
  source: string;
  chunk_id?: string;
  snippet?: string;
}

export type Role = "visitor" | "assistant" | "agent" | "system";

export interface StoredMessage {
  id: string;
  role: Role;
  text: string;
  citations: Citation[];
  /** A bot message's outcome: `answered`, `suggested` or `abstained`. */
  outcome?: string;
  created_at: string;
}

export interface TicketRef {
  id: string;
  number: number;
  subject: string;
  status: string;
  queue: string;
}

export type ServerFrame =
  | {
      type: "session";
      session_id: string;
      status: "active" | "handed_off" | "closed";
      ticket_id: string | null;
      messages: StoredMessage[];
    }
  | { type: "token"; text: string }
  | { type: "answer"; message_id: string; text: string; citations: Citation[] }
  | {
      type: "suggestions";
      message_id: string;
      text: string;
      pages: Citation[];
      reason: string;
      offer_handoff: boolean;
    }
  | {
      type: "abstained";
      message_id: string;
      text: string;
      reason: string;
      offer_handoff: boolean;
    }
  | { type: "ticket_created"; ticket: TicketRef }
  | { type: "forwarded"; message_id: string; ticket_id: string }
  | { type: "agent_message"; message_id: string; text: string; created_at: string }
  | { type: "error"; code: string; detail: string };

export type ClientFrame =
  | { type: "message"; text: string }
  | { type: "handoff" }
  | { type: "typing" }
  | { type: "resume"; session_id: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const str = (o: Record<string, unknown>, key: string): boolean => typeof o[key] === "string";

/** A server frame, or null for anything this client does not understand. */
export function parseFrame(raw: string): ServerFrame | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(value) || typeof value.type !== "string") return null;
  const v = value;
  switch (v.type) {
    case "session":
      return str(v, "session_id") && Array.isArray(v.messages) ? (v as ServerFrame) : null;
    case "token":
      return str(v, "text") ? (v as ServerFrame) : null;
    case "answer":
      return str(v, "text") && Array.isArray(v.citations) ? (v as ServerFrame) : null;
    case "suggestions":
      return str(v, "text") && Array.isArray(v.pages) ? (v as ServerFrame) : null;
    case "abstained":
      return str(v, "text") ? (v as ServerFrame) : null;
    case "ticket_created":
      return isObject(v.ticket) && str(v.ticket, "id") ? (v as ServerFrame) : null;
    case "forwarded":
      return str(v, "message_id") ? (v as ServerFrame) : null;
    case "agent_message":
      return str(v, "text") ? (v as ServerFrame) : null;
    case "error":
      return str(v, "code") ? (v as ServerFrame) : null;
    default:
      return null;
  }
}

/** The delay before reconnect attempt `attempt` (0-based): exponential, capped, jittered. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(500 * 2 ** attempt, 15_000);
  return Math.round(base / 2 + (random() * base) / 2);
}

/** The subset of the browser's WebSocket the client uses. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onOpen: ((ev: unknown) => void) | null;
  onMessage: ((ev: { data: unknown }) => void) | null;
  onClose: ((ev: unknown) => void) | null;
  onError: ((ev: unknown) => void) | null;
}

export type ConnectionState = "connecting" | "open" | "reconnecting" | "closed";

export interface ChatClientOptions {
  /** The socket URL, token included (browsers cannot set headers on a handshake). */
  url: () => Promise<string>;
  open: (url: string) => SocketLike;
  onFrame: (frame: ServerFrame) => void;
  onState: (state: ConnectionState) => void;
  /** Where the session id survives a reload. */
  store?: { get(): string | null; set(id: string): void };
  schedule?: (fn: () => void, ms: number) => unknown;
}

const OPEN = 1;

/**
 * One chat connection. Frames sent while the socket is down wait and go out, in order,
 * once it is back; after a reconnect (or a reload) the client resumes its session first.
 */
export class ChatClient {
  private socket: SocketLike | null = null;
  private attempt = 0;
  private outbox: ClientFrame[] = [];
  private stopped = false;
  private sessionId: string | null;

  constructor(private readonly options: ChatClientOptions) {
    this.sessionId = options.store?.get() ?? null;
  }

  get session(): string | null {
    return this.sessionId;
  }

  async connect(): Promise<void> {
    if (this.stopped) return;
    this.options.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    let url: string;
    try {
      url = await this.options.url();
    } catch {
      this.retry();
      return;
    }
    const socket = this.options.open(url);
    this.socket = socket;
    socket.onOpen = () => {
      this.attempt = 0;
      this.options.onState("open");
      if (this.sessionId) socket.send(JSON.stringify({ type: "resume", session_id: this.sessionId }));
      for (const frame of this.outbox.splice(0)) socket.send(JSON.stringify(frame));
    };
    socket.onMessage = (event) => {
      if (typeof event.data !== "string") return;
      const frame = parseFrame(event.data);
      if (!frame) return;
      if (frame.type === "session") {
        this.sessionId = frame.session_id;
        this.options.store?.set(frame.session_id);
      }
      this.options.onFrame(frame);
    };
    socket.onClose = () => {
      if (this.socket === socket) this.socket = null;
      this.retry();
    };
    socket.onError = () => {
      // A close always follows; reconnecting happens there.
    };
  }

  send(frame: ClientFrame): void {
    if (this.socket && this.socket.readyState === OPEN) {
      this.socket.send(JSON.stringify(frame));
    } else {
      this.outbox.push(frame);
    }
  }

  close(): void {
    this.stopped = true;
    this.options.onState("closed");
    this.socket?.close(1000, "bye");
    this.socket = null;
  }

  private retry(): void {
    if (this.stopped) return;
    const delay = backoffMs(this.attempt);
    this.attempt += 1;
    this.options.onState("reconnecting");
    const schedule = this.options.schedule ?? ((fn, ms) => setTimeout(fn, ms));
    schedule(() => void this.connect(), delay);
  }
}

/** The browser's WebSocket behind the [`SocketLike`] interface. */
export function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const adapter: SocketLike = {
    get readyState() {
      return ws.readyState;
    },
    send: (data) => ws.send(data),
    close: (code, reason) => ws.close(code, reason),
    onOpen: null,
    onMessage: null,
    onClose: null,
    onError: null,
  };
  ws.addEventListener("open", (event) => adapter.onOpen?.(event));
  ws.addEventListener("message", (event) => adapter.onMessage?.({ data: event.data }));
  ws.addEventListener("close", (event) => adapter.onClose?.(event));
  ws.addEventListener("error", (event) => adapter.onError?.(event));
  return adapter;
}
