// Document uploads with progress. Indexing a long document takes most of a minute on a
// small server, so the upload asks for server-sent events (`Accept: text/event-stream`,
// docs/knowledge.md) and hears after each embedding batch how far it has got.

import { createParser } from "eventsource-parser";
import { accessToken, ApiError, problemOf, type Problem, type Session } from "../api/client";
import type { Schema } from "../api/types";

export type Uploaded = Schema<"Uploaded">;

/** A `progress` event's data: the server's `UploadProgress`. */
export interface UploadProgress {
  source: string;
  /** The file's place in the upload, from 1. */
  file: number;
  stage: "passages" | "sentences";
  done: number;
  total: number;
}

/** One line saying how far the upload has got. */
export function describeProgress(progress: UploadProgress, files: number): string {
  const which = files > 1 ? ` (file ${progress.file} of ${files})` : "";
  return `Indexing ${progress.source}${which}: ${progress.done} of ${progress.total} ${progress.stage} embedded`;
}

/**
 * Reads an upload's events: `onProgress` hears each `progress` event; resolves with the
 * `done` event's documents and rejects with the `error` event's problem (files stored
 * before it stay stored).
 */
export async function readUploadEvents(
  body: ReadableStream<Uint8Array>,
  onProgress: (progress: UploadProgress) => void,
): Promise<Uploaded> {
  const outcome: { done?: Uploaded; problem?: Problem } = {};
  const parser = createParser({
    onEvent(message) {
      if (message.event === "progress") onProgress(JSON.parse(message.data) as UploadProgress);
      else if (message.event === "done") outcome.done = JSON.parse(message.data) as Uploaded;
      else if (message.event === "error") outcome.problem = JSON.parse(message.data) as Problem;
    },
  });
  const reader = body.getReader();
  // One decoder across reads: a network read may end inside a character.
  const decoder = new TextDecoder();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  if (outcome.problem) throw new ApiError(outcome.problem);
  if (!outcome.done) {
    throw new ApiError({ status: 502, title: "The connection closed before the upload finished" });
  }
  return outcome.done;
}

/** Uploads the form's files as the signed-in admin, reporting progress as it comes. */
export async function uploadDocuments(
  session: Session,
  form: FormData,
  onProgress: (progress: UploadProgress) => void,
): Promise<Uploaded> {
  const response = await fetch("/api/v1/documents", {
    method: "POST",
    body: form,
    headers: { Authorization: `Bearer ${await accessToken(session)}`, Accept: "text/event-stream" },
  });
  if (!response.ok || !response.body) throw new ApiError(await problemOf(response));
  return readUploadEvents(response.body, onProgress);
}
