import { useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { signIn, type Session } from "../api/client";

export function LoginView({ onSignedIn }: { onSignedIn: (s: Session) => void }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const session = await signIn(
        String(form.get("tenant")).trim(),
        String(form.get("email")).trim(),
        String(form.get("password")),
      );
      onSignedIn(session);
      navigate(params.get("next") ?? "/console");
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="stack" onSubmit={submit} aria-label="Sign in">
        <h1>Sign in</h1>
        <label>
          Organisation <input name="tenant" autoComplete="organization" defaultValue={params.get("tenant") ?? ""} required />
        </label>
        <label>
          E-mail <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          Password <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        {error && <p role="alert">{error}</p>}
      </form>
    </main>
  );
}
