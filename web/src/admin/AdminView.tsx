// Admin: users and roles, documents (upload, list, delete, ingestion status), the tenant's
// theme and SLA policy, shared canned replies and macros with the satisfaction setting, the
// knowledge gaps the chat found, reports with charts, and usage with its cost.

import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from "react";
import { call, type Session } from "../api/client";
import type { DocumentInfo, Gap, Role, Schema, TenantSettings, Theme, Usage, User } from "../api/types";
import { applyTheme, DEFAULT_THEME } from "../theme";
import { describeProgress, uploadDocuments, type UploadProgress } from "./upload";

// The charting library loads with the reports tab only.
const Reports = lazy(() => import("./Reports"));

type Tab = "users" | "documents" | "theme" | "sla" | "workspace" | "gaps" | "reports" | "usage";

const TABS: [Tab, string][] = [
  ["users", "Users"],
  ["documents", "Documents"],
  ["theme", "Theme"],
  ["sla", "SLA policy"],
  ["workspace", "Replies and macros"],
  ["gaps", "Knowledge gaps"],
  ["reports", "Reports"],
  ["usage", "Usage"],
];

type CannedReply = Schema<"CannedReplyView">;
type Macro = Schema<"MacroView">;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Deletes `path` once the admin confirms deleting `what`; then reloads, or says why not. */
async function confirmDelete(
  session: Session,
  path: string,
  what: string,
  reload: () => unknown,
  show: (note: string) => void,
) {
  if (!window.confirm(`Delete ${what}?`)) return;
  try {
    await call(session, path, { method: "DELETE" });
    void reload();
  } catch (e) {
    show(message(e));
  }
}

export function AdminView({ session }: { session: Session }) {
  const [tab, setTab] = useState<Tab>("users");
  return (
    <div className="admin">
      <div role="tablist" aria-label="Administration">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            role="tab"
            id={`tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`panel-${key}`}
            onClick={() => setTab(key)}
          >
            {label}
          </button>
        ))}
      </div>
      <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "users" && <Users session={session} />}
        {tab === "documents" && <Documents session={session} />}
        {tab === "theme" && <ThemeForm session={session} />}
        {tab === "sla" && <SlaForm session={session} />}
        {tab === "workspace" && <Workspace session={session} />}
        {tab === "gaps" && <Gaps session={session} />}
        {tab === "reports" && (
          <Suspense fallback={<p>Loading reports…</p>}>
            <Reports session={session} />
          </Suspense>
        )}
        {tab === "usage" && <UsagePanel session={session} />}
      </section>
    </div>
  );
}

function Users({ session }: { session: Session }) {
  const [users, setUsers] = useState<User[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const load = useCallback(
    () =>
      call<User[]>(session, "/api/v1/users")
        .then(setUsers)
        .catch((e) => setNote(message(e))),
    [session],
  );
  useEffect(() => void load(), [load]);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await call(session, "/api/v1/users", {
        method: "POST",
        json: {
          email: form.get("email"),
          display_name: form.get("display_name"),
          password: form.get("password"),
          role: form.get("role"),
        },
      });
      event.currentTarget?.reset();
      setNote("User created.");
      void load();
    } catch (e) {
      setNote(message(e));
    }
  };

  const setRole = async (user: User, role: Role) => {
    try {
      await call(session, `/api/v1/users/${user.id}`, { method: "PATCH", json: { role } });
      setNote(`${user.email} is now ${role}.`);
      void load();
    } catch (e) {
      setNote(message(e));
    }
  };

  const remove = (user: User) =>
    confirmDelete(session, `/api/v1/users/${user.id}`, user.email, load, setNote);

  return (
    <>
      <h2>Users and roles</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">E-mail</th>
            <th scope="col">Role</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.display_name}</td>
              <td>{u.email}</td>
              <td>
                <select
                  aria-label={`Role of ${u.email}`}
                  value={u.role}
                  onChange={(e) => void setRole(u, e.target.value as Role)}
                >
                  <option>customer</option>
                  <option>agent</option>
                  <option>admin</option>
                </select>
              </td>
              <td>
                <button type="button" onClick={() => void remove(u)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="stack" onSubmit={create} aria-label="New user">
        <h3>New user</h3>
        <label>
          E-mail <input name="email" type="email" required />
        </label>
        <label>
          Name <input name="display_name" required />
        </label>
        <label>
          Password <input name="password" type="password" minLength={12} required />
        </label>
        <label>
          Role
          <select name="role" defaultValue="agent">
            <option>customer</option>
            <option>agent</option>
            <option>admin</option>
          </select>
        </label>
        <button type="submit">Create user</button>
      </form>
      {note && <output>{note}</output>}
    </>
  );
}

function Documents({ session }: { session: Session }) {
  const [docs, setDocs] = useState<DocumentInfo[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const load = useCallback(
    () =>
      call<Schema<"DocumentList">>(session, "/api/v1/documents")
        .then((p) => setDocs(p.items))
        .catch((e) => setNote(message(e))),
    [session],
  );
  useEffect(() => void load(), [load]);

  const upload = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const files = data.getAll("file").length;
    setBusy(true);
    setNote("Uploading…");
    try {
      const result = await uploadDocuments(session, data, (p) => {
        setProgress(p);
        setNote(describeProgress(p, files));
      });
      setNote(result.documents.map((d) => `${d.source}: ${d.status}${d.chunks ? ` (${d.chunks} chunks)` : ""}`).join("; "));
      form.reset();
    } catch (e) {
      setNote(message(e));
    } finally {
      setBusy(false);
      setProgress(null);
      // Files stored before a failure are listed too.
      void load();
    }
  };

  const remove = (doc: DocumentInfo) =>
    confirmDelete(session, `/api/v1/documents/${doc.id}`, doc.source, load, setNote);

  return (
    <>
      <h2>Documents</h2>
      <form className="stack" onSubmit={upload} aria-label="Upload documents">
        <label>
          Markdown, HTML or PDF files <input name="file" type="file" multiple accept=".md,.markdown,.html,.htm,.pdf" required />
        </label>
        <button type="submit" disabled={busy}>
          Upload
        </button>
      </form>
      {progress && (
        <progress value={progress.done} max={Math.max(progress.total, 1)} aria-label={`${progress.source}: ${progress.stage} embedded`} />
      )}
      {note && <output>{note}</output>}
      <table>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Source</th>
            <th scope="col">Chunks</th>
            <th scope="col">Visibility</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {docs.map((d) => (
            <tr key={d.id}>
              <td>{d.title}</td>
              <td>{d.source}</td>
              <td>{d.chunks}</td>
              <td>{d.visibility}</td>
              <td>
                <button type="button" onClick={() => void remove(d)}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function useSettings(session: Session) {
  const [settings, setSettings] = useState<TenantSettings | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    call<{ settings: TenantSettings }>(session, "/api/v1/tenant")
      .then((t) => setSettings(t.settings))
      .catch((e) => setNote(message(e)));
  }, [session]);
  const save = async (patch: TenantSettings) => {
    try {
      const t = await call<{ settings: TenantSettings }>(session, "/api/v1/tenant/settings", {
        method: "PATCH",
        json: patch,
      });
      setSettings(t.settings);
      setNote("Saved.");
      return t.settings;
    } catch (e) {
      setNote(message(e));
      return null;
    }
  };
  return { settings, note, save };
}

function ThemeForm({ session }: { session: Session }) {
  const { settings, note, save } = useSettings(session);
  if (!settings) return <p>{note ?? "Loading…"}</p>;
  const stored = settings.theme ?? {};
  const theme: Theme = {
    name: stored.display_name ?? DEFAULT_THEME.name,
    logo_url: stored.logo_url ?? null,
    primary_color: stored.primary_color ?? DEFAULT_THEME.primary_color,
    accent_color: stored.accent_color ?? DEFAULT_THEME.accent_color,
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next: Theme = {
      name: String(form.get("name")),
      logo_url: String(form.get("logo_url") || "") || null,
      primary_color: String(form.get("primary_color")),
      accent_color: String(form.get("accent_color")),
    };
    const saved = await save({
      theme: {
        display_name: next.name,
        logo_url: next.logo_url,
        primary_color: next.primary_color,
        accent_color: next.accent_color,
      },
    });
    if (saved) applyTheme(next);
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="Theme">
      <h2>Theme</h2>
      <label>
        Name <input name="name" defaultValue={theme.name} required maxLength={80} />
      </label>
      <label>
        Logo URL <input name="logo_url" type="url" defaultValue={theme.logo_url ?? ""} />
      </label>
      <label>
        Primary colour <input name="primary_color" type="color" defaultValue={theme.primary_color} />
      </label>
      <label>
        Accent colour <input name="accent_color" type="color" defaultValue={theme.accent_color} />
      </label>
      <button type="submit">Save theme</button>
      {note && <output>{note}</output>}
    </form>
  );
}

const PRIORITY_ORDER = ["urgent", "high", "normal", "low"];
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"];

function Workspace({ session }: { session: Session }) {
  const [replies, setReplies] = useState<CannedReply[]>([]);
  const [macros, setMacros] = useState<Macro[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const { settings, save } = useSettings(session);
  const load = useCallback(async () => {
    try {
      const [r, m] = await Promise.all([
        call<CannedReply[]>(session, "/api/v1/canned-replies"),
        call<Macro[]>(session, "/api/v1/macros"),
      ]);
      setReplies(r);
      setMacros(m);
    } catch (e) {
      setNote(message(e));
    }
  }, [session]);
  useEffect(() => void load(), [load]);

  const addReply = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    try {
      await call(session, "/api/v1/canned-replies", {
        method: "POST",
        json: { title: form.get("title"), body: form.get("body"), shared: true },
      });
      target.reset();
      setNote("Canned reply added.");
      void load();
    } catch (e) {
      setNote(message(e));
    }
  };

  const addMacro = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    const text = String(form.get("reply") ?? "").trim();
    const pick = (name: string) => String(form.get(name) ?? "") || undefined;
    try {
      await call(session, "/api/v1/macros", {
        method: "POST",
        json: {
          title: form.get("title"),
          shared: true,
          reply: text ? { body: text, internal: form.get("internal") === "on" } : undefined,
          status: pick("status"),
          priority: pick("priority"),
          queue: pick("queue"),
        },
      });
      target.reset();
      setNote("Macro added.");
      void load();
    } catch (e) {
      setNote(message(e));
    }
  };

  const csat = settings?.csat ?? {};
  return (
    <div className="stack">
      <h2>Canned replies</h2>
      <p className="hint">
        Placeholders: {"{{requester.name}}"}, {"{{requester.email}}"}, {"{{ticket.id}}"}, {"{{ticket.subject}}"},{" "}
        {"{{agent.name}}"}. Agents keep personal ones in the console; these are shared.
      </p>
      <ul aria-label="Canned replies">
        {replies.map((r) => (
          <li key={r.id}>
            <strong>{r.title}</strong> {r.shared ? "(shared)" : "(yours)"} — {r.body}{" "}
            <button
              type="button"
              onClick={() => void confirmDelete(session, `/api/v1/canned-replies/${r.id}`, `“${r.title}”`, load, setNote)}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={addReply} aria-label="New canned reply">
        <label>
          Title <input name="title" required maxLength={120} />
        </label>
        <label>
          Text <textarea name="body" required rows={3} />
        </label>
        <button type="submit">Add canned reply</button>
      </form>
      <h2>Macros</h2>
      <ul aria-label="Macros">
        {macros.map((m) => (
          <li key={m.id}>
            <strong>{m.title}</strong> {m.shared ? "(shared)" : "(yours)"}
            {m.reply && ` — ${m.reply.internal ? "note" : "reply"}: ${m.reply.body}`}
            {m.status && ` · status ${m.status}`}
            {m.priority && ` · priority ${m.priority}`}
            {m.queue && ` · queue ${m.queue}`}{" "}
            <button
              type="button"
              onClick={() => void confirmDelete(session, `/api/v1/macros/${m.id}`, `“${m.title}”`, load, setNote)}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={addMacro} aria-label="New macro">
        <label>
          Title <input name="title" required maxLength={120} />
        </label>
        <label>
          Reply <textarea name="reply" rows={3} />
        </label>
        <label>
          <input type="checkbox" name="internal" /> Post it as an internal note
        </label>
        <label>
          Set status
          <select name="status" defaultValue="">
            <option value="">unchanged</option>
            <option>open</option>
            <option>pending</option>
            <option>resolved</option>
            <option>closed</option>
          </select>
        </label>
        <label>
          Set priority
          <select name="priority" defaultValue="">
            <option value="">unchanged</option>
            {PRIORITY_ORDER.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Move to queue <input name="queue" pattern="[a-z0-9_\-]{1,64}" />
        </label>
        <button type="submit">Add macro</button>
      </form>
      <h2>Satisfaction</h2>
      <label>
        <input
          type="checkbox"
          checked={csat.reopen_on_bad === true}
          onChange={(e) => void save({ csat: { reopen_on_bad: e.target.checked } })}
        />{" "}
        A bad rating reopens a solved ticket
      </label>
      {note && <output>{note}</output>}
    </div>
  );
}

function SlaForm({ session }: { session: Session }) {
  const { settings, note, save } = useSettings(session);
  if (!settings) return <p>{note ?? "Loading…"}</p>;
  const sla = settings.sla_minutes ?? {};
  const hours = settings.business_hours ?? null;
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const minutes: TenantSettings["sla_minutes"] = {};
    for (const p of PRIORITY_ORDER) {
      minutes[p] = {
        first_response: Number(form.get(`${p}.first_response`)),
        resolution: Number(form.get(`${p}.resolution`)),
      };
    }
    const business = form.get("business_hours") === "on"
      ? {
          days: form.getAll("days").map(String),
          start: String(form.get("start")),
          end: String(form.get("end")),
          utc_offset: String(form.get("utc_offset")),
        }
      : null;
    await save({ sla_minutes: minutes, business_hours: business });
  };
  return (
    <form className="stack" onSubmit={submit} aria-label="SLA policy">
      <h2>SLA policy (minutes)</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Priority</th>
            <th scope="col">First response</th>
            <th scope="col">Resolution</th>
          </tr>
        </thead>
        <tbody>
          {PRIORITY_ORDER.map((p) => (
            <tr key={p}>
              <th scope="row">{p}</th>
              <td>
                <input
                  aria-label={`${p} first response minutes`}
                  name={`${p}.first_response`}
                  type="number"
                  min={1}
                  step="any"
                  defaultValue={sla[p]?.first_response ?? ""}
                  required
                />
              </td>
              <td>
                <input
                  aria-label={`${p} resolution minutes`}
                  name={`${p}.resolution`}
                  type="number"
                  min={1}
                  step="any"
                  defaultValue={sla[p]?.resolution ?? ""}
                  required
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <fieldset>
        <legend>Business hours</legend>
        <label>
          <input type="checkbox" name="business_hours" defaultChecked={hours !== null} /> Count only business hours
        </label>
        <div className="days">
          {["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => (
            <label key={d}>
              <input type="checkbox" name="days" value={d} defaultChecked={hours ? hours.days.includes(d) : WEEKDAYS.includes(d)} /> {d}
            </label>
          ))}
        </div>
        <label>
          Opens <input name="start" type="time" defaultValue={hours?.start ?? "09:00"} />
        </label>
        <label>
          Closes <input name="end" type="time" defaultValue={hours?.end ?? "17:00"} />
        </label>
        <label>
          UTC offset <input name="utc_offset" pattern="[+-]\d\d:\d\d" defaultValue={hours?.utc_offset ?? "+00:00"} />
        </label>
      </fieldset>
      <button type="submit">Save SLA policy</button>
      {note && <output>{note}</output>}
    </form>
  );
}

function Gaps({ session }: { session: Session }) {
  const [gaps, setGaps] = useState<Gap[]>([]);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    call<Schema<"GapList">>(session, "/api/v1/knowledge/gaps")
      .then((p) => setGaps(p.gaps))
      .catch((e) => setNote(message(e)));
  }, [session]);
  return (
    <>
      <h2>Knowledge gaps</h2>
      <p>Questions the chat could not answer from the knowledge base, most frequent first.</p>
      {note && <p role="alert">{note}</p>}
      <ol className="gaps">
        {gaps.map((g) => (
          <li key={g.question}>
            <strong>{g.question}</strong> — asked {g.count} time{g.count === 1 ? "" : "s"}, last{" "}
            {new Date(g.last_asked_at).toLocaleString()}
            {g.examples.length > 1 && (
              <ul>
                {g.examples.map((e) => (
                  <li key={e}>{e}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
        {gaps.length === 0 && <li>No gaps yet.</li>}
      </ol>
    </>
  );
}

/** Every day from `from` to `to` (YYYY-MM-DD, UTC), in order. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  const end = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= end && out.length < 366; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Model tokens per day as bars (prompt below, completion on top), one slot for every day
 * of the range, newest on the right.
 */
function TokenChart({ usage }: { usage: Usage }) {
  const width = 600;
  const height = 160;
  const byDay = new Map(usage.days.map((d) => [d.day, d]));
  const slots = daysBetween(usage.from, usage.to);
  const max = Math.max(1, ...usage.days.map((d) => d.prompt_tokens + d.completion_tokens));
  const step = width / Math.max(1, slots.length);
  const bar = Math.max(2, step * 0.7);
  const y = (n: number) => (n / max) * (height - 20);
  return (
    <svg
      className="usage-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Model tokens per day from ${usage.from} to ${usage.to}`}
    >
      {slots.map((day, i) => {
        const d = byDay.get(day);
        if (!d) return null;
        const x = i * step + (step - bar) / 2;
        const prompt = y(d.prompt_tokens);
        const completion = y(d.completion_tokens);
        return (
          <g key={day}>
            <title>{`${day}: ${d.prompt_tokens} prompt, ${d.completion_tokens} completion tokens`}</title>
            <rect x={x} y={height - prompt} width={bar} height={prompt} className="usage-prompt" />
            <rect
              x={x}
              y={height - prompt - completion}
              width={bar}
              height={completion}
              className="usage-completion"
            />
          </g>
        );
      })}
      <line x1={0} x2={width} y1={height - 0.5} y2={height - 0.5} className="usage-axis" />
    </svg>
  );
}

function UsagePanel({ session }: { session: Session }) {
  const [usage, setUsage] = useState<Usage | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    call<Usage>(session, "/api/v1/usage")
      .then(setUsage)
      .catch((e) => setNote(message(e)));
  }, [session]);
  const t = usage?.totals;
  return (
    <>
      <h2>Usage</h2>
      <p>
        The last 30 days: model tokens, model time, chat answers and handoffs, and their cost at
        the configured prices.
      </p>
      {note && <p role="alert">{note}</p>}
      {usage && t && (
        <>
          <TokenChart usage={usage} />
          <table className="usage">
            <tbody>
              <tr>
                <th scope="row">Tokens (prompt / completion)</th>
                <td>
                  {t.prompt_tokens} / {t.completion_tokens}
                </td>
              </tr>
              <tr>
                <th scope="row">Model time</th>
                <td>{(t.model_ms / 1000).toFixed(1)} s</td>
              </tr>
              <tr>
                <th scope="row">Embedding inputs</th>
                <td>{t.embedding_inputs}</td>
              </tr>
              <tr>
                <th scope="row">Answers (answered / suggested / abstained)</th>
                <td>
                  {t.answered} / {t.suggested} / {t.abstained}
                </td>
              </tr>
              <tr>
                <th scope="row">Handoffs</th>
                <td>{t.handoffs}</td>
              </tr>
              <tr>
                <th scope="row">Cost</th>
                <td>{t.cost.toFixed(2)}</td>
              </tr>
              <tr>
                <th scope="row">Stored</th>
                <td>
                  {usage.storage.documents} documents, {usage.storage.chunks} chunks
                </td>
              </tr>
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
