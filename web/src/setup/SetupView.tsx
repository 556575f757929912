// First run: on a fresh install with no organisation, the home page creates the first one
// and its admin, then sends the admin to sign in. The server closes this once any tenant
// exists (setup_closed); further tenants come from an operator.

import { useState, type FormEvent } from "react";
import { useNavigate } from "react-router";
import { request } from "../api/client";

/** A URL-safe address from an organisation's name: `Acme Corp.` → `acme-corp`. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

export function SetupView() {
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const tenant = slugEdited ? slug : slugOf(name);
    try {
      await request("/api/v1/setup", {
        method: "POST",
        json: {
          name,
          slug: tenant,
          admin: {
            email: String(form.get("email")).trim(),
            display_name: String(form.get("display_name")).trim(),
            password: String(form.get("password")),
          },
        },
      });
      navigate(`/login?tenant=${encodeURIComponent(tenant)}&next=/admin`);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login setup">
      <form className="stack" onSubmit={submit} aria-label="Set up your help desk">
        <h1>Set up your help desk</h1>
        <p>
          Nothing is set up yet. Create your organisation and its first administrator; you can add agents, documents
          and settings once you are signed in.
        </p>
        <label>
          Organisation name
          <input name="name" value={name} required maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Address (used in links such as /chat/<strong>{slugEdited ? slug : slugOf(name) || "your-org"}</strong>)
          <input
            name="slug"
            value={slugEdited ? slug : slugOf(name)}
            required
            pattern="[a-z0-9][a-z0-9\-]{1,39}"
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.target.value);
            }}
          />
        </label>
        <label>
          Your name <input name="display_name" autoComplete="name" required />
        </label>
        <label>
          E-mail <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password (12 characters or more)
          <input name="password" type="password" autoComplete="new-password" minLength={12} required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create organisation"}
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    </main>
  );
}
