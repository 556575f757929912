// The agent console: queues, the ticket list with filters (kept live by the ticket feed),
// the notes that mention the agent, and a ticket with its history, its fields, and a
// composer that writes internal notes by default (a public reply is a deliberate switch),
// with the AI-suggested reply, canned replies and macros (`/` opens the picker).

import { useCallback, useEffect, useMemo, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ApiError, call, type Session } from "../api/client";
import type { Citation, Priority, Schema, Status, SuggestedReply, Ticket, TicketEvent, User } from "../api/types";
import { useTicketFeed } from "./feed";
import { type Choice, Picker } from "./Picker";

type Mention = Schema<"MentionView">;
type AppliedMacro = Schema<"AppliedMacro">;

const STATUSES: Status[] = ["open", "pending", "resolved", "closed"];
const PRIORITIES: Priority[] = ["low", "normal", "high", "urgent"];

interface Filters {
  status: string;
  queue: string;
  mine: boolean;
}

function due(ticket: Ticket): string {
  const at = ticket.sla_due_at ?? ticket.resolution_due_at;
  return at ? new Date(at).toLocaleString() : "—";
}

export function ConsoleView({ session, me }: { session: Session; me: User }) {
  const { id } = useParams();
  const [tickets, setTickets] = useState<Ticket[]>([]);
  const [agents, setAgents] = useState<User[]>([]);
  const [filters, setFilters] = useState<Filters>({ status: "open", queue: "", mine: false });
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(0);

  const load = useCallback(async () => {
    const query = new URLSearchParams({ limit: "100" });
    if (filters.status) query.set("status", filters.status);
    if (filters.queue) query.set("queue", filters.queue);
    if (filters.mine) query.set("assignee", me.id);
    try {
      const page = await call<Schema<"TicketPage">>(session, `/api/v1/tickets?${query}`);
      setTickets(page.items);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [session, filters, me.id]);

  useEffect(() => {
    void load();
  }, [load, live]);

  useEffect(() => {
    void call<User[]>(session, "/api/v1/users")
      .then((users) => setAgents(users.filter((u) => u.role !== "customer")))
      .catch(() => setAgents([]));
  }, [session]);

  const feedState = useTicketFeed(session, () => setLive((n) => n + 1));

  const queues = useMemo(() => {
    const counts = new Map<string, number>();
    for (const t of tickets) counts.set(t.queue, (counts.get(t.queue) ?? 0) + 1);
    return [...counts.entries()].toSorted((a, b) => a[0].localeCompare(b[0]));
  }, [tickets]);

  const names = useMemo(() => new Map(agents.map((a) => [a.id, a.display_name])), [agents]);

  const [mentions, setMentions] = useState<Mention[]>([]);
  useEffect(() => {
    void call<Mention[]>(session, "/api/v1/mentions?limit=10")
      .then(setMentions)
      .catch(() => setMentions([]));
  }, [session, live]);

  return (
    <div className="console">
      <aside className="console-queues" aria-label="Queues">
        <h2>Queues</h2>
        <ul>
          <li>
            <button
              type="button"
              aria-pressed={filters.queue === ""}
              onClick={() => setFilters({ ...filters, queue: "" })}
            >
              All
            </button>
          </li>
          {queues.map(([queue, count]) => (
            <li key={queue}>
              <button
                type="button"
                aria-pressed={filters.queue === queue}
                onClick={() => setFilters({ ...filters, queue })}
              >
                {queue} <span className="count">{count}</span>
              </button>
            </li>
          ))}
        </ul>
        <h2>Mentions</h2>
        <ul className="mentions" aria-label="Notes that mention you">
          {mentions.map((m) => (
            <li key={m.event_id}>
              <Link to={`/console/tickets/${m.ticket_id}`}>
                #{m.ticket_number} {m.ticket_subject}
              </Link>
              <span className="mention-by">{m.author_id ? (names.get(m.author_id) ?? "someone") : "system"}</span>
              <q>{m.body.length > 80 ? `${m.body.slice(0, 80)}…` : m.body}</q>
            </li>
          ))}
          {mentions.length === 0 && <li>No one has mentioned you.</li>}
        </ul>
        <output className="feed-state">{feedState === "live" ? "Live updates on" : "Reconnecting…"}</output>
      </aside>
      <section className="console-list" aria-label="Tickets">
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            Status
            <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })}>
              <option value="">any</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={filters.mine}
              onChange={(e) => setFilters({ ...filters, mine: e.target.checked })}
            />
            Assigned to me
          </label>
        </form>
        {error && <p role="alert">{error}</p>}
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Subject</th>
              <th scope="col">Priority</th>
              <th scope="col">Queue</th>
              <th scope="col">Assignee</th>
              <th scope="col">Due</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((t) => (
              <tr key={t.id} className={t.id === id ? "selected" : undefined} data-ticket-number={t.number}>
                <td>{t.number}</td>
                <td>
                  <Link to={`/console/tickets/${t.id}`}>{t.subject}</Link>
                </td>
                <td className={`priority priority-${t.priority}`}>{t.priority}</td>
                <td>{t.queue}</td>
                <td>{t.assignee_id ? (names.get(t.assignee_id) ?? "someone") : "—"}</td>
                <td>{due(t)}</td>
              </tr>
            ))}
            {tickets.length === 0 && (
              <tr>
                <td colSpan={6}>No tickets match.</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      {id && (
        <TicketPanel key={id} session={session} id={id} agents={agents} names={names} refresh={live} onChange={load} />
      )}
    </div>
  );
}

/** How a history entry reads in the console. */
function describe(ev: TicketEvent, names: Map<string, string>): string {
  const data = ev.data as Record<string, unknown>;
  switch (ev.kind) {
    case "comment":
    case "note":
    case "summary":
      return ev.body ?? "";
    case "macro_applied":
      return `Macro “${String(data.title ?? "")}” applied`;
    case "status_changed":
    case "priority_changed":
    case "queue_changed":
      return `${ev.kind.replace("_changed", "")}: ${String(data.from ?? "—")} → ${String(data.to ?? "—")}`;
    case "assigned":
      return `assigned to ${typeof data.to === "string" ? (names.get(data.to) ?? "someone") : "nobody"}`;
    case "rated":
      return `The requester rated the ticket ${String(data.score ?? "")}`;
    default:
      return ev.kind.replace("_", " ");
  }
}

const KIND_LABEL: Record<string, string> = {
  note: "Internal note",
  summary: "Summary (internal)",
  comment: "Reply",
};

function TicketPanel({
  session,
  id,
  agents,
  names,
  refresh,
  onChange,
}: {
  session: Session;
  id: string;
  agents: User[];
  names: Map<string, string>;
  /** Bumped by the live feed: reload, keeping the reply being written. */
  refresh: number;
  onChange: () => void;
}) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [events, setEvents] = useState<TicketEvent[]>([]);
  const [reply, setReply] = useState("");
  const [citations, setCitations] = useState<Citation[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [working, setWorking] = useState(false);
  // Notes are the default: a reply the customer reads is a deliberate choice.
  const [mode, setMode] = useState<"note" | "reply">("note");
  const [picking, setPicking] = useState(false);
  const navigate = useNavigate();

  const load = useCallback(async () => {
    try {
      const [t, ev] = await Promise.all([
        call<Ticket>(session, `/api/v1/tickets/${id}`),
        call<TicketEvent[]>(session, `/api/v1/tickets/${id}/comments`),
      ]);
      setTicket(t);
      setEvents(ev);
    } catch (e) {
      if (e instanceof ApiError && e.problem.status === 404) navigate("/console");
      else setNote(e instanceof Error ? e.message : String(e));
    }
  }, [session, id, navigate]);

  useEffect(() => {
    void load();
  }, [load, refresh]);

  if (!ticket) return <section className="console-ticket">Loading…</section>;

  const patch = async (fields: Partial<Pick<Ticket, "status" | "priority" | "assignee_id">>) => {
    try {
      const updated = await call<Ticket>(session, `/api/v1/tickets/${ticket.id}`, {
        method: "PATCH",
        headers: { "If-Match": `"${ticket.version}"` },
        json: fields,
      });
      setTicket(updated);
      setNote("Saved.");
      onChange();
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
      void load();
    }
  };

  const suggest = async () => {
    setWorking(true);
    setNote(null);
    try {
      const s = await call<SuggestedReply>(session, `/api/v1/tickets/${ticket.id}/suggested-reply`, { method: "POST" });
      if (s.draft) {
        setReply(s.draft);
        setCitations(s.citations);
      } else if (s.suggestions.length > 0) {
        setCitations(s.suggestions);
        setNote("No confident draft; these articles may help. Write the reply yourself.");
      } else {
        setNote("The knowledge base does not cover this ticket; write the reply yourself.");
      }
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    } finally {
      setWorking(false);
    }
  };

  const summarise = async () => {
    setWorking(true);
    setNote(null);
    try {
      await call(session, `/api/v1/tickets/${ticket.id}/summary`, { method: "POST" });
      await load();
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    } finally {
      setWorking(false);
    }
  };

  const picked = async (choice: Choice) => {
    setPicking(false);
    if (choice.kind === "canned") {
      setReply((current) => (current.trim() ? `${current.trimEnd()}\n\n${choice.text}` : choice.text));
      return;
    }
    setWorking(true);
    try {
      const applied = await call<AppliedMacro>(session, `/api/v1/tickets/${ticket.id}/apply-macro/${choice.id}`, {
        method: "POST",
        headers: { "If-Match": `"${ticket.version}"` },
      });
      setTicket(applied.ticket);
      setNote(`Macro “${choice.title}” applied.`);
      onChange();
      await load();
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
      void load();
    } finally {
      setWorking(false);
    }
  };

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!reply.trim()) return;
    setWorking(true);
    try {
      await call(session, `/api/v1/tickets/${ticket.id}/comments`, {
        method: "POST",
        json: { body: reply, internal: mode === "note" },
      });
      setReply("");
      setCitations([]);
      setNote(mode === "note" ? "Note added." : "Reply sent.");
      await load();
    } catch (e) {
      setNote(e instanceof Error ? e.message : String(e));
    } finally {
      setWorking(false);
    }
  };

  return (
    <section className="console-ticket" aria-label={`Ticket ${ticket.number}`}>
      <h2>
        #{ticket.number} {ticket.subject}
      </h2>
      <p className="meta">
        {ticket.category ?? "unclassified"}
        {ticket.category_confidence != null && ` (${Math.round(ticket.category_confidence * 100)}%)`} ·
        queue {ticket.queue} · first response due {ticket.sla_due_at ? new Date(ticket.sla_due_at).toLocaleString() : "—"}
      </p>
      <div className="fields">
        <label>
          Status
          <select value={ticket.status} onChange={(e) => void patch({ status: e.target.value as Status })}>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={ticket.priority} onChange={(e) => void patch({ priority: e.target.value as Priority })}>
            {PRIORITIES.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Assignee
          <select
            value={ticket.assignee_id ?? ""}
            onChange={(e) => void patch({ assignee_id: e.target.value || null })}
          >
            <option value="">unassigned</option>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.display_name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <h3>Request</h3>
      <pre className="transcript">{ticket.body}</pre>
      <h3>Conversation</h3>
      <ol className="events" aria-live="polite">
        {events.map((ev) => (
          <li key={ev.id} className={`event event-${ev.kind}${ev.internal ? " event-internal" : ""}`} data-kind={ev.kind}>
            <span className="when">{new Date(ev.created_at).toLocaleString()}</span>{" "}
            {KIND_LABEL[ev.kind] && <strong className="event-label">{KIND_LABEL[ev.kind]}</strong>}{" "}
            {ev.author_id && <span className="event-by">{names.get(ev.author_id) ?? ""}</span>}{" "}
            <span className="event-text">{describe(ev, names)}</span>
          </li>
        ))}
        {events.length === 0 && <li>No replies yet.</li>}
      </ol>
      <form className={`reply reply-${mode}`} onSubmit={send}>
        <div className="reply-mode" role="radiogroup" aria-label="Who reads this">
          <label>
            <input type="radio" name="mode" checked={mode === "note"} onChange={() => setMode("note")} />
            Internal note <span className="hint">(staff only; @name mentions an agent)</span>
          </label>
          <label>
            <input type="radio" name="mode" checked={mode === "reply"} onChange={() => setMode("reply")} />
            Public reply <span className="hint">(the customer reads it)</span>
          </label>
        </div>
        <label htmlFor="reply">{mode === "note" ? "Internal note" : "Reply to the customer"}</label>
        <textarea
          id="reply"
          rows={6}
          value={reply}
          placeholder="Type / for canned replies and macros"
          onChange={(e) => setReply(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "/" && reply.trim() === "") {
              e.preventDefault();
              setPicking(true);
            }
          }}
        />
        {picking && (
          <Picker session={session} ticketId={ticket.id} onPick={(c) => void picked(c)} onClose={() => setPicking(false)} />
        )}
        {citations.length > 0 && (
          <ol className="chat-sources" aria-label="Sources of the suggestion">
            {citations.map((c) => (
              <li key={c.n} value={c.n}>
                <sup className="citation" data-doc-id={c.doc_id}>
                  [{c.n}]
                </sup>{" "}
                {c.title} <span className="source">{c.source}</span>
              </li>
            ))}
          </ol>
        )}
        <div className="actions">
          <button type="button" onClick={() => void suggest()} disabled={working}>
            Suggest a reply
          </button>
          <button type="button" onClick={() => setPicking(true)} disabled={working}>
            Canned replies and macros
          </button>
          <button type="button" onClick={() => void summarise()} disabled={working}>
            Summarise
          </button>
          <button type="submit" className={mode === "reply" ? "send-public" : "send-note"} disabled={working || !reply.trim()}>
            {mode === "note" ? "Add note" : "Send reply"}
          </button>
        </div>
        {note && <output>{note}</output>}
      </form>
    </section>
  );
}
