// The REST API as the SPA uses it: JSON in and out, problem bodies turned into errors that
// say what went wrong, and the signed-in user's tokens kept in this browser.

import type { Schema } from "./types";

/** An `application/problem+json` body (docs/errors.md); a body that is not one (a proxy's
 * error page) is read as its status and title alone. */
export type Problem = Partial<Schema<"Problem">> & Pick<Schema<"Problem">, "status" | "title">;

/** What a problem says, its invalid fields included. */
export function describeProblem(problem: Problem): string {
  const base = problem.detail || problem.title || `HTTP ${problem.status}`;
  const fields = (problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  return fields.length > 0 ? `${base} (${fields.join("; ")})` : base;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(describeProblem(problem));
  }
}

export interface Session {
  tenant: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: number;
}

const SESSION_KEY = "helpdesk.session";

export function loadSession(): Session | null {
  try {
    const raw = localStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) localStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else localStorage.removeItem(SESSION_KEY);
}

export async function problemOf(response: Response): Promise<Problem> {
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { status: response.status, title: body.title ?? response.statusText, ...body };
  } catch {
    return { status: response.status, title: response.statusText || "Request failed" };
  }
}

export async function request<T>(
  path: string,
  init: RequestInit & { token?: string | null; json?: unknown } = {},
): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set("Authorization", `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(init.json);
  }
  const response = await fetch(path, { ...init, headers, body });
  if (!response.ok) throw new ApiError(await problemOf(response));
  if (response.status === 204) return undefined as T;
  const type = response.headers.get("content-type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as T;
}

interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

export async function signIn(tenant: string, email: string, password: string): Promise<Session> {
  const pair = await request<TokenPair>("/api/v1/auth/token", {
    method: "POST",
    json: { tenant, email, password },
  });
  const session = {
    tenant,
    accessToken: pair.access_token,
    refreshToken: pair.refresh_token,
    expiresAt: Date.now() + pair.expires_in * 1000,
  };
  saveSession(session);
  return session;
}

/** A valid access token for `session`, refreshed when it is about to expire. */
export async function accessToken(session: Session): Promise<string> {
  if (session.expiresAt - Date.now() > 30_000) return session.accessToken;
  const pair = await request<TokenPair>("/api/v1/auth/refresh", {
    method: "POST",
    json: { refresh_token: session.refreshToken },
  });
  session.accessToken = pair.access_token;
  session.refreshToken = pair.refresh_token;
  session.expiresAt = Date.now() + pair.expires_in * 1000;
  saveSession(session);
  return session.accessToken;
}

export async function signOut(session: Session): Promise<void> {
  saveSession(null);
  await request("/api/v1/auth/logout", {
    method: "POST",
    json: { refresh_token: session.refreshToken },
  }).catch(() => undefined);
}

/** An authenticated call as the signed-in user. */
export async function call<T>(
  session: Session,
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<T> {
  return request<T>(path, { ...init, token: await accessToken(session) });
}

interface VisitorToken {
  access_token: string;
  expires_in: number;
}

/**
 * The anonymous visitor token of `tenant` kept in this browser, so a reload resumes the
 * same visitor's session; a new one when it is missing or about to expire.
 */
export async function visitorToken(tenant: string): Promise<string> {
  const key = `helpdesk.visitor.${tenant}`;
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? "null") as {
      token: string;
      expiresAt: number;
    } | null;
    if (kept && kept.expiresAt - Date.now() > 60_000) return kept.token;
  } catch {
    // A damaged entry: fetch a new token.
  }
  const fresh = await request<VisitorToken>(
    `/api/v1/tenants/${encodeURIComponent(tenant)}/visitor-token`,
    { method: "POST" },
  );
  localStorage.setItem(
    key,
    JSON.stringify({ token: fresh.access_token, expiresAt: Date.now() + fresh.expires_in * 1000 }),
  );
  return fresh.access_token;
}
