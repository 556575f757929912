// The reply box's picker: canned replies (filled in for the ticket) and macros, searched as
// the agent types. Arrow keys move, Enter picks, Escape closes.

import { useEffect, useMemo, useRef, useState } from "react";
import { call, type Session } from "../api/client";
import type { Schema } from "../api/types";

type CannedReply = Schema<"CannedReplyView">;
type Macro = Schema<"MacroView">;

export type Choice =
  | { kind: "canned"; id: string; title: string; text: string }
  | { kind: "macro"; id: string; title: string };

interface Item {
  pick: Choice;
  /** What the search reads. */
  haystack: string;
  detail: string;
  shared: boolean;
}

/** The items whose title or text holds every word of `query`, in their order. */
export function matching<T extends { haystack: string }>(items: T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return items.filter((item) => words.every((w) => item.haystack.includes(w)));
}

function macroDetail(m: Macro): string {
  const parts: string[] = [];
  if (m.reply) parts.push(m.reply.internal ? "adds a note" : "replies");
  if (m.status) parts.push(`status ${m.status}`);
  if (m.priority) parts.push(`priority ${m.priority}`);
  if (m.queue) parts.push(`queue ${m.queue}`);
  if (m.assignee_id) parts.push("assigns");
  return parts.join(", ");
}

export function Picker({
  session,
  ticketId,
  onPick,
  onClose,
}: {
  session: Session;
  ticketId: string;
  onPick: (pick: Choice) => void;
  onClose: () => void;
}) {
  const [items, setItems] = useState<Item[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const [active, setActive] = useState(0);
  const search = useRef<HTMLInputElement | null>(null);

  useEffect(() => {
    search.current?.focus();
    Promise.all([
      call<CannedReply[]>(session, `/api/v1/canned-replies?ticket_id=${encodeURIComponent(ticketId)}`),
      call<Macro[]>(session, "/api/v1/macros"),
    ])
      .then(([replies, macros]) =>
        setItems([
          ...replies.map((r) => ({
            pick: { kind: "canned" as const, id: r.id, title: r.title, text: r.rendered ?? r.body },
            haystack: `${r.title} ${r.body}`.toLowerCase(),
            detail: r.rendered ?? r.body,
            shared: r.shared,
          })),
          ...macros.map((m) => ({
            pick: { kind: "macro" as const, id: m.id, title: m.title },
            haystack: `${m.title} ${m.reply?.body ?? ""}`.toLowerCase(),
            detail: macroDetail(m),
            shared: m.shared,
          })),
        ]),
      )
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [session, ticketId]);

  const shown = useMemo(() => matching(items ?? [], query), [items, query]);
  const current = Math.min(active, Math.max(shown.length - 1, 0));

  return (
    <section className="picker" aria-label="Canned replies and macros">
      <input
        ref={search}
        type="search"
        aria-label="Search canned replies and macros"
        placeholder="Search canned replies and macros"
        value={query}
        aria-controls="picker-list"
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          if (e.key === "ArrowDown") {
            e.preventDefault();
            setActive(Math.min(current + 1, shown.length - 1));
          } else if (e.key === "ArrowUp") {
            e.preventDefault();
            setActive(Math.max(current - 1, 0));
          } else if (e.key === "Enter") {
            e.preventDefault();
            const chosen = shown[current];
            if (chosen) onPick(chosen.pick);
          } else if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          }
        }}
      />
      {error && <p role="alert">{error}</p>}
      {items === null && !error && <p>Loading…</p>}
      <ul id="picker-list" aria-label="Matches" aria-live="polite">
        {shown.map((item, i) => (
          <li key={`${item.pick.kind}-${item.pick.id}`} className={i === current ? "active" : undefined}>
            <button
              type="button"
              className="pick"
              aria-current={i === current ? "true" : undefined}
              onClick={() => onPick(item.pick)}
            >
              <span className="pick-kind">{item.pick.kind === "macro" ? "Macro" : "Reply"}</span>{" "}
              <strong>{item.pick.title}</strong>
              {item.shared && <span className="pick-shared"> · shared</span>}
              <span className="pick-detail">{item.detail}</span>
            </button>
          </li>
        ))}
        {items !== null && shown.length === 0 && <li>Nothing matches.</li>}
      </ul>
    </section>
  );
}
