import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { describeProgress, readUploadEvents, type UploadProgress } from "./upload";

/** A body that arrives in the given pieces, as a network delivers it. */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(encoder.encode(piece));
      controller.close();
    },
  });
}

const progress = (done: number): string =>
  `event: progress\ndata: {"source":"guide.md","file":1,"stage":"passages","done":${done},"total":64}\n\n`;
const stored = 'event: stored\ndata: {"id":"0b8f3c1e-0000-4000-8000-000000000001","source":"guide.md","status":"added","chunks":64}\n\n';
const done = `event: done\ndata: {"documents":[${stored.slice(stored.indexOf("{"), -2)}]}\n\n`;

describe("an upload's events", () => {
  it("reports each step and resolves with the stored documents, across split reads", async () => {
    const heard: UploadProgress[] = [];
    const whole = progress(0) + progress(32) + progress(64) + stored + done;
    const uploaded = await readUploadEvents(
      body(whole.slice(0, 50), whole.slice(50, 51), whole.slice(51, 200), whole.slice(200)),
      (p) => heard.push(p),
    );
    expect(heard.map((p) => p.done)).toEqual([0, 32, 64]);
    expect(uploaded.documents).toHaveLength(1);
    expect(uploaded.documents[0]).toMatchObject({ source: "guide.md", status: "added", chunks: 64 });
  });

  it("decodes a character split between two reads", async () => {
    const bytes = new TextEncoder().encode(progress(0).replace("guide.md", "guía.md") + done);
    const at = bytes.indexOf(0xc3) + 1;
    const split = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, at));
        controller.enqueue(bytes.slice(at));
        controller.close();
      },
    });
    const heard: string[] = [];
    await readUploadEvents(split, (p) => heard.push(p.source));
    expect(heard).toEqual(["guía.md"]);
  });

  it("rejects with the error event's problem", async () => {
    const problem =
      'event: error\ndata: {"type":"https://helpdesk.invalid/docs/errors#document_too_large","title":"Payload Too Large","status":413,"detail":"big.md makes 2500 passages; the limit is 2000","code":"document_too_large"}\n\n';
    const failed = readUploadEvents(body(progress(0), problem), () => undefined);
    await expect(failed).rejects.toBeInstanceOf(ApiError);
    await expect(failed).rejects.toMatchObject({
      problem: { status: 413, code: "document_too_large" },
      message: "big.md makes 2500 passages; the limit is 2000",
    });
  });

  it("rejects when the stream ends without an outcome", async () => {
    await expect(readUploadEvents(body(progress(0)), () => undefined)).rejects.toMatchObject({
      problem: { status: 502 },
    });
  });

  it("says which file, when there are several", () => {
    const p: UploadProgress = { source: "b.md", file: 2, stage: "sentences", done: 64, total: 300 };
    expect(describeProgress(p, 3)).toBe("Indexing b.md (file 2 of 3): 64 of 300 sentences embedded");
    expect(describeProgress({ ...p, file: 1 }, 1)).toBe("Indexing b.md: 64 of 300 sentences embedded");
  });
});
