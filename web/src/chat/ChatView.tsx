// The visitor's chat: a full page at /chat/:tenant, or the compact widget the embed
// script opens in an iframe (?embed=1). Tokens stream in; citations are links to the
// source; "Talk to a human" opens a ticket; agents' replies arrive live.

import { useEffect, useMemo, useReducer, useRef, useState, type FormEvent } from "react";
import { useParams, useSearchParams } from "react-router";
import { visitorToken } from "../api/client";
import { applyTheme, DEFAULT_THEME, loadTheme } from "../theme";
import type { Theme } from "../api/types";
import { browserSocket, ChatClient, type ConnectionState } from "./protocol";
import { chatReducer, initialChat, segments, type ChatLine } from "./state";

function socketUrl(token: string): string {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${window.location.host}/api/v1/chat/ws?access_token=${encodeURIComponent(token)}`;
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
    </li>
  );
}

export function ChatView() {
  const { tenant = "" } = useParams();
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
    </main>
  );
}
