// The visitor's chat: a full page at /chat/:tenant, or the compact widget the embed
// script opens in an iframe (?embed=1). Tokens stream in; citations are links to the
// source; "Talk to a human" opens a ticket; agents' replies arrive live.

import { useEffect, useMemo, useReducer, useRef, useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router";
import { ApiError, request, visitorToken } from "../api/client";
import { applyTheme, DEFAULT_THEME, loadTheme } from "../theme";
import type { Theme } from "../api/types";
import { browserSocket, ChatClient, type ConnectionState } from "./protocol";
import { chatReducer, initialChat, rateable, segments, type ChatLine } from "./state";

function socketUrl(token: string): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/api/v1/chat/ws?access_token=${encodeURIComponent(token)}`;
}

type Score = "good" | "bad";

/** Posts a visitor's rating; a second one of the same thing counts as done. */
async function rate(tenant: string, path: string, body: { score: Score; comment?: string }): Promise<void> {
  try {
    await request(path, { method: "POST", token: await visitorToken(tenant), json: body });
  } catch (e) {
    if (!(e instanceof ApiError && e.problem.code === "already_rated")) throw e;
  }
}

function Thumbs({ tenant, messageId }: { tenant: string; messageId: string }) {
  const [given, setGiven] = useState<Score | null>(null);
  const give = (score: Score) => {
    setGiven(score);
    void rate(tenant, `/api/v1/chat/messages/${messageId}/rating`, { score }).catch(() => setGiven(null));
  };
  if (given) {
    return <p className="chat-thumbs chat-thanks">{given === "good" ? "Glad it helped." : "Thanks, we will improve this answer."}</p>;
  }
  return (
    <fieldset className="chat-thumbs">
      <legend className="visually-hidden">Was this answer helpful?</legend>
      <button type="button" aria-label="Helpful" onClick={() => give("good")}>
        👍
      </button>
      <button type="button" aria-label="Not helpful" onClick={() => give("bad")}>
        👎
      </button>
    </fieldset>
  );
}

function RateChat({ tenant, sessionId }: { tenant: string; sessionId: string }) {
  const key = `helpdesk.rated.${sessionId}`;
  const [done, setDone] = useState(() => localStorage.getItem(key) !== null);
  const [score, setScore] = useState<Score | null>(null);
  const [comment, setComment] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (done) return <p className="chat-rate chat-thanks">Thank you for rating this chat.</p>;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!score) return;
    try {
      await rate(tenant, `/api/v1/chat/sessions/${sessionId}/rating`, { score, comment: comment.trim() || undefined });
      localStorage.setItem(key, score);
      setDone(true);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <form className="chat-rate" onSubmit={submit} aria-label="Rate this chat">
      <span>Did we help?</span>
      <button type="button" aria-pressed={score === "good"} onClick={() => setScore("good")}>
        Good
      </button>
      <button type="button" aria-pressed={score === "bad"} onClick={() => setScore("bad")}>
        Bad
      </button>
      {score && (
        <>
          <label className="visually-hidden" htmlFor="chat-rate-comment">
            Comment
          </label>
          <input
            id="chat-rate-comment"
            value={comment}
            maxLength={2000}
            placeholder="Anything to add? (optional)"
            onChange={(e) => setComment(e.target.value)}
          />
          <button type="submit">Send rating</button>
        </>
      )}
      {error && <span role="alert">{error}</span>}
    </form>
  );
}

function Line({ line, tenant }: { line: ChatLine; tenant: string }) {
  const who = { visitor: "You", assistant: "Assistant", agent: "Support agent", system: "" }[line.role];
  return (
    <li className={`chat-line chat-${line.role}`} aria-busy={line.pending ? true : undefined}>
      {who && <span className="chat-who">{who}</span>}
      <p className="chat-text">
        {segments(line.text, line.citations).map((part, i) =>
          "citation" in part ? (
            <sup key={i} className="citation" data-doc-id={part.citation.doc_id}>
              <a
                href={`/kb/${encodeURIComponent(tenant)}/${part.citation.doc_id}`}
                target="_blank"
                rel="noreferrer"
                title={`${part.citation.title} (${part.citation.source})`}
              >
                [{part.citation.n}]
              </a>
            </sup>
          ) : (
            <span key={i}>{part.text}</span>
          ),
        )}
      </p>
      {line.citations.length > 0 && !line.pending && (
        <ol className="chat-sources" aria-label={line.suggested ? "Articles that may help" : "Sources"}>
          {line.citations.map((c) => (
            <li key={c.n} value={c.n}>
              <a href={`/kb/${encodeURIComponent(tenant)}/${c.doc_id}`} target="_blank" rel="noreferrer">
                {c.title}
              </a>
            </li>
          ))}
        </ol>
      )}
      {line.answer && !line.pending && <Thumbs tenant={tenant} messageId={line.id} />}
    </li>
  );
}

/** Whether the tenant exists: `false` for an unknown one, `null` while asking. */
function useTenantExists(tenant: string): boolean | null {
  const [exists, setExists] = useState<boolean | null>(null);
  useEffect(() => {
    setExists(null);
    request(`/api/v1/tenants/${encodeURIComponent(tenant)}/theme`)
      .then(() => setExists(true))
      .catch((e: unknown) => setExists(!(e instanceof ApiError && e.problem.status === 404)));
  }, [tenant]);
  return exists;
}

export function ChatView() {
  const { tenant = "" } = useParams();
  const exists = useTenantExists(tenant);
  if (exists === false) {
    return (
      <main className="chat chat-page">
        <h1>No such help desk</h1>
        <p role="alert">There is no help desk called “{tenant}” here. Check the link you followed.</p>
      </main>
    );
  }
  if (exists === null) return <main className="chat chat-page" aria-busy="true" />;
  return <Chat tenant={tenant} />;
}

function Chat({ tenant }: { tenant: string }) {
  const [params] = useSearchParams();
  const embedded = params.get("embed") === "1";
  const [state, dispatch] = useReducer(chatReducer, initialChat);
  const [connection, setConnection] = useState<ConnectionState>("connecting");
  const [theme, setTheme] = useState<Theme>(DEFAULT_THEME);
  const [draft, setDraft] = useState("");
  const client = useRef<ChatClient | null>(null);
  const list = useRef<HTMLOListElement | null>(null);
  const input = useRef<HTMLTextAreaElement | null>(null);

  useEffect(() => {
    void loadTheme(tenant).then((t) => {
      setTheme(t);
      applyTheme(t);
    });
    const sessionKey = `helpdesk.chat.${tenant}`;
    const chat = new ChatClient({
      url: async () => socketUrl(await visitorToken(tenant)),
      open: browserSocket,
      onFrame: (frame) => dispatch({ kind: "frame", frame }),
      onState: setConnection,
      store: {
        get: () => localStorage.getItem(sessionKey),
        set: (id) => localStorage.setItem(sessionKey, id),
      },
    });
    client.current = chat;
    void chat.connect();
    return () => chat.close();
  }, [tenant]);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: "end" });
  }, [state.lines]);

  const lastAnnouncement = useMemo(() => {
    const last = state.lines.toReversed().find((l) => l.role !== "visitor" && !l.pending);
    return last ? last.text.replace(/\[\d+\]/g, "") : "";
  }, [state.lines]);

  const ask = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || state.busy) return;
    dispatch({ kind: "asked", text, id: `local-${Date.now()}` });
    client.current?.send({ type: "message", text });
    setDraft("");
    input.current?.focus();
  };

  const handoff = () => client.current?.send({ type: "handoff" });
  const offered = state.lines.some((l) => l.offerHandoff);

  return (
    <main className={embedded ? "chat chat-embedded" : "chat chat-page"}>
      <header className="chat-header">
        {theme.logo_url && <img src={theme.logo_url} alt="" className="chat-logo" />}
        <h1>{theme.name}</h1>
        <output className={`chat-connection chat-connection-${connection}`}>
          {connection === "open" ? "Online" : connection === "closed" ? "Offline" : "Connecting…"}
        </output>
      </header>
      <ol className="chat-lines" ref={list} aria-label="Conversation">
        {state.lines.length === 0 && (
          <li className="chat-line chat-system">
            <p className="chat-text">Ask a question: answers come from our knowledge base, with sources.</p>
          </li>
        )}
        {state.lines.map((line) => (
          <Line key={line.id} line={line} tenant={tenant} />
        ))}
      </ol>
      {/* Screen readers hear each finished reply once, not every streamed token. */}
      <div className="visually-hidden" aria-live="polite" aria-atomic="true" data-testid="chat-live">
        {lastAnnouncement}
      </div>
      {state.error && (
        <div className="chat-error" role="alert">
          {state.error}{" "}
          <button type="button" onClick={() => dispatch({ kind: "dismiss_error" })}>
            Dismiss
          </button>
        </div>
      )}
      <form className="chat-form" onSubmit={ask}>
        <label htmlFor="chat-input" className="visually-hidden">
          Your question
        </label>
        <textarea
          id="chat-input"
          ref={input}
          value={draft}
          rows={2}
          maxLength={2000}
          placeholder="Type your question…"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) ask(e);
          }}
        />
        <div className="chat-actions">
          <button type="submit" disabled={state.busy || !draft.trim()}>
            {state.busy ? "Answering…" : "Send"}
          </button>
          {!state.ticket && (
            <button type="button" className={offered ? "handoff handoff-offered" : "handoff"} onClick={handoff}>
              Talk to a human
            </button>
          )}
          {state.ticket && "number" in state.ticket && state.ticket.number !== undefined && (
            <span className="chat-ticket">Ticket #{state.ticket.number}</span>
          )}
        </div>
      </form>
      {state.sessionId && rateable(state) && <RateChat key={state.sessionId} tenant={tenant} sessionId={state.sessionId} />}
    </main>
  );
}
