// The page a ticket's rating link opens (`/rate#token=…`): no account, one rating. The
// token stays in the fragment, so it never reaches a server log.

import { useEffect, useState, type FormEvent } from "react";
import { ApiError, request } from "../api/client";
import type { Schema } from "../api/types";

type Target = Schema<"RatingTarget">;

function tokenOf(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token") ?? "";
}

export function RateView() {
  const token = tokenOf(window.location.hash);
  const [target, setTarget] = useState<Target | null>(null);
  const [score, setScore] = useState<"good" | "bad" | null>(null);
  const [comment, setComment] = useState("");
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    request<Target>("/api/v1/ratings/lookup", { method: "POST", json: { token } })
      .then(setTarget)
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [token]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!score) return;
    try {
      await request("/api/v1/ratings", {
        method: "POST",
        json: { token, score, comment: comment.trim() || undefined },
      });
      setDone(true);
    } catch (e) {
      if (e instanceof ApiError && e.problem.code === "already_rated") setDone(true);
      else setError(e instanceof Error ? e.message : String(e));
    }
  };

  if (error) {
    return (
      <main className="login">
        <p role="alert">{error}</p>
      </main>
    );
  }
  if (!target) return <main className="login" aria-busy="true" />;
  if (done || target.rated) {
    return (
      <main className="login">
        <h1>Thank you</h1>
        <p>Your rating of ticket #{target.ticket_number} is recorded.</p>
      </main>
    );
  }
  return (
    <main className="login">
      <form className="stack" onSubmit={submit} aria-label="Rate your ticket">
        <h1>How did we do?</h1>
        <p>
          Ticket #{target.ticket_number}: {target.subject}
        </p>
        <fieldset>
          <legend>Your rating</legend>
          <button type="button" aria-pressed={score === "good"} onClick={() => setScore("good")}>
            Good
          </button>{" "}
          <button type="button" aria-pressed={score === "bad"} onClick={() => setScore("bad")}>
            Bad
          </button>
        </fieldset>
        <label>
          Comment (optional)
          <textarea value={comment} maxLength={2000} rows={3} onChange={(e) => setComment(e.target.value)} />
        </label>
        <button type="submit" disabled={!score}>
          Send rating
        </button>
      </form>
    </main>
  );
}
