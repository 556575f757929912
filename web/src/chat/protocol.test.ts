import { describe, expect, it } from "vitest";
import { ChatClient, backoffMs, parseFrame, type SocketLike } from "./protocol";

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  onOpen: ((ev: unknown) => void) | null = null;
  onMessage: ((ev: { data: unknown }) => void) | null = null;
  onClose: ((ev: unknown) => void) | null = null;
  onError: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
    this.onClose?.({});
  }
  open() {
    this.readyState = 1;
    this.onOpen?.({});
  }
  receive(frame: unknown) {
    this.onMessage?.({ data: JSON.stringify(frame) });
  }
}

describe("parseFrame", () => {
  it("accepts the server's frames", () => {
    expect(parseFrame('{"type":"token","text":"Hi"}')).toEqual({ type: "token", text: "Hi" });
    const answer = parseFrame('{"type":"answer","message_id":"m","text":"x [1]","citations":[]}');
    expect(answer?.type).toBe("answer");
  });

  it("rejects what it does not understand", () => {
    expect(parseFrame("not json")).toBeNull();
    expect(parseFrame("[1,2]")).toBeNull();
    expect(parseFrame('{"type":"token"}')).toBeNull();
    expect(parseFrame('{"type":"surprise","text":"x"}')).toBeNull();
    expect(parseFrame('{"type":"answer","text":"x"}')).toBeNull();
  });
});

describe("backoffMs", () => {
  it("grows, is capped and jittered within half to full", () => {
    expect(backoffMs(0, () => 0)).toBe(250);
    expect(backoffMs(0, () => 1)).toBe(500);
    expect(backoffMs(3, () => 1)).toBe(4000);
    expect(backoffMs(20, () => 1)).toBe(15_000);
  });
});

function harness(stored: string | null = null) {
  const sockets: FakeSocket[] = [];
  const frames: unknown[] = [];
  const states: string[] = [];
  const timers: (() => void)[] = [];
  let saved = stored;
  const client = new ChatClient({
    url: async () => "ws://test/api/v1/chat/ws?access_token=t",
    open: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    onFrame: (f) => frames.push(f),
    onState: (s) => states.push(s),
    store: { get: () => saved, set: (id) => (saved = id) },
    schedule: (fn) => timers.push(fn),
  });
  return { client, sockets, frames, states, timers, saved: () => saved };
}

describe("ChatClient", () => {
  it("queues frames until the socket opens, then sends them in order", async () => {
    const h = harness();
    await h.client.connect();
    h.client.send({ type: "message", text: "one" });
    h.client.send({ type: "handoff" });
    expect(h.sockets[0]?.sent).toEqual([]);
    h.sockets[0]?.open();
    expect(h.sockets[0]?.sent.map((s) => JSON.parse(s).type)).toEqual(["message", "handoff"]);
  });

  it("remembers the session and resumes it after a reconnect", async () => {
    const h = harness();
    await h.client.connect();
    h.sockets[0]?.open();
    h.sockets[0]?.receive({ type: "session", session_id: "s1", status: "active", ticket_id: null, messages: [] });
    expect(h.saved()).toBe("s1");
    h.sockets[0]?.close();
    expect(h.states.at(-1)).toBe("reconnecting");
    expect(h.timers).toHaveLength(1);
    h.timers[0]?.();
    await Promise.resolve();
    h.sockets[1]?.open();
    expect(JSON.parse(h.sockets[1]?.sent[0] ?? "{}")).toEqual({ type: "resume", session_id: "s1" });
    expect(h.states.at(-1)).toBe("open");
  });

  it("resumes a session stored before a reload", async () => {
    const h = harness("earlier");
    await h.client.connect();
    h.sockets[0]?.open();
    expect(JSON.parse(h.sockets[0]?.sent[0] ?? "{}")).toEqual({ type: "resume", session_id: "earlier" });
  });

  it("ignores frames it cannot parse and stops reconnecting once closed", async () => {
    const h = harness();
    await h.client.connect();
    h.sockets[0]?.open();
    h.sockets[0]?.onMessage?.({ data: "garbage" });
    expect(h.frames).toEqual([]);
    h.client.close();
    expect(h.timers).toHaveLength(0);
    expect(h.states.at(-1)).toBe("closed");
  });
});
