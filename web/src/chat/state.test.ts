import { describe, expect, it } from "vitest";
import { chatReducer, initialChat, rateable, segments, type ChatState } from "./state";
import type { ServerFrame } from "./protocol";

const run = (frames: ServerFrame[], from: ChatState = initialChat) =>
  frames.reduce((s, frame) => chatReducer(s, { kind: "frame", frame }), from);

const cite = { n: 1, doc_id: "d1", title: "How to log in", source: "kb/login.md" };

describe("chatReducer", () => {
  it("grows a draft from tokens and replaces it with the answer", () => {
    const asked = chatReducer(initialChat, { kind: "asked", text: "reset password?", id: "q" });
    expect(asked.busy).toBe(true);
    const streaming = run([{ type: "token", text: "Go " }, { type: "token", text: "to" }], asked);
    expect(streaming.lines.at(-1)).toMatchObject({ text: "Go to", pending: true });
    const done = run(
      [{ type: "answer", message_id: "a", text: "Go to reset. [1]", citations: [cite] }],
      streaming,
    );
    expect(done.busy).toBe(false);
    expect(done.lines.map((l) => l.id)).toEqual(["q", "a"]);
    expect(done.lines[1]?.citations).toEqual([cite]);
  });

  it("offers a person on abstention and withdraws the offer once a ticket exists", () => {
    const s = run([
      { type: "abstained", message_id: "a", text: "Not covered", reason: "not_covered", offer_handoff: true },
    ]);
    expect(s.lines[0]?.offerHandoff).toBe(true);
    const t = run(
      [{ type: "ticket_created", ticket: { id: "t", number: 7, subject: "x", status: "open", queue: "general" } }],
      s,
    );
    expect(t.ticket).toMatchObject({ number: 7 });
    expect(t.lines[0]?.offerHandoff).toBe(false);
    expect(t.lines.at(-1)?.text).toContain("#7");
  });

  it("lists suggested pages as links, with the offer of a person", () => {
    const s = run([
      {
        type: "suggestions",
        message_id: "s",
        text: "These articles may help.",
        pages: [cite],
        reason: "uncertain",
        offer_handoff: true,
      },
    ]);
    expect(s.lines[0]).toMatchObject({ suggested: true, offerHandoff: true, citations: [cite] });
  });

  it("appends agent replies once each", () => {
    const frame: ServerFrame = { type: "agent_message", message_id: "m", text: "Hi", created_at: "" };
    const s = run([frame, frame]);
    expect(s.lines).toHaveLength(1);
    expect(s.lines[0]?.role).toBe("agent");
  });

  it("takes the server's history on resume but keeps lines for a new session", () => {
    const asked = chatReducer(initialChat, { kind: "asked", text: "hello", id: "q" });
    const fresh = run([{ type: "session", session_id: "s", status: "active", ticket_id: null, messages: [] }], asked);
    expect(fresh.lines).toHaveLength(1);
    const resumed = run([
      {
        type: "session",
        session_id: "s",
        status: "handed_off",
        ticket_id: "t",
        messages: [{ id: "1", role: "visitor", text: "old", citations: [], created_at: "" }],
      },
    ]);
    expect(resumed.lines.map((l) => l.text)).toEqual(["old"]);
    expect(resumed.ticket).toEqual({ id: "t" });
  });

  it("shows errors, drops a half-streamed draft, and stays busy only for `busy`", () => {
    const s = run([{ type: "token", text: "Go" }, { type: "error", code: "unavailable", detail: "model busy" }]);
    expect(s.error).toBe("model busy");
    expect(s.lines).toHaveLength(0);
    expect(s.busy).toBe(false);
  });
});

describe("segments", () => {
  it("marks answers for a thumb and the chat as rateable once it had an answer", () => {
    const opened = run([{ type: "session", session_id: "s", status: "active", ticket_id: null, messages: [] }]);
    expect(rateable(opened)).toBe(false);
    const abstained = run(
      [{ type: "abstained", message_id: "x", text: "no", reason: "not_covered", offer_handoff: true }],
      opened,
    );
    expect(rateable(abstained)).toBe(false);
    const answered = run([{ type: "answer", message_id: "a", text: "Yes [1]", citations: [cite] }], abstained);
    expect(answered.lines.at(-1)?.answer).toBe(true);
    expect(rateable(answered)).toBe(true);
    const resumed = run([
      {
        type: "session",
        session_id: "s",
        status: "active",
        ticket_id: null,
        messages: [
          { id: "q", role: "visitor", text: "hi", citations: [], created_at: "2026-11-29T00:00:00Z" },
          { id: "a", role: "assistant", text: "Yes", citations: [cite], outcome: "answered", created_at: "2026-11-29T00:00:01Z" },
        ],
      },
    ]);
    expect(resumed.lines[1]?.answer).toBe(true);
    expect(rateable(resumed)).toBe(true);
  });

  it("splits markers that have citations and leaves others as text", () => {
    expect(segments("Reset it [1]. See [2].", [cite])).toEqual([
      { text: "Reset it " },
      { citation: cite },
      { text: ". See [2]." },
    ]);
    expect(segments("", [])).toEqual([]);
  });
});
