// Live ticket updates for the console: a server-sent event stream
// (`GET /api/v1/tickets/feed`) that says "something changed"; the console then reloads
// what it shows. EventSource reconnects by itself; the token rides in the query string
// because EventSource cannot set headers.

import { useEffect, useRef, useState } from "react";
import { accessToken, type Session } from "../api/client";

export type FeedState = "live" | "reconnecting";

export function useTicketFeed(session: Session, onChange: () => void): FeedState {
  const [state, setState] = useState<FeedState>("reconnecting");
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  useEffect(() => {
    let source: EventSource | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = async () => {
      const token = await accessToken(session).catch(() => null);
      if (stopped || !token) return;
      source = new EventSource(`/api/v1/tickets/feed?access_token=${encodeURIComponent(token)}`);
      source.addEventListener("open", () => setState("live"));
      source.addEventListener("changed", () => changed.current());
      source.addEventListener("error", () => {
        setState("reconnecting");
        // A closed stream (an expired token) is reopened with a fresh token.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          retry = setTimeout(() => void open(), 3000);
        }
      });
    };
    void open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
    };
  }, [session]);

  return state;
}
