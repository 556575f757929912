import { useEffect, useState, type ReactNode } from "react";
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { AdminView } from "./admin/AdminView";
import { call, loadSession, request, signOut, type Session } from "./api/client";
import type { User } from "./api/types";
import { ChatView } from "./chat/ChatView";
import { DocumentView } from "./chat/DocumentView";
import { ConsoleView } from "./console/ConsoleView";
import { LoginView } from "./login/LoginView";
import { RateView } from "./rate/RateView";
import { SetupView } from "./setup/SetupView";
import { applyTheme, loadTheme } from "./theme";

function Staff({
  session,
  admin,
  onSignOut,
  children,
}: {
  session: Session | null;
  admin?: boolean;
  onSignOut: () => void;
  children: (session: Session, me: User) => ReactNode;
}) {
  const location = useLocation();
  const [me, setMe] = useState<User | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!session) return;
    void loadTheme(session.tenant).then(applyTheme);
    call<User>(session, "/api/v1/me")
      .then(setMe)
      .catch(() => setFailed(true));
  }, [session]);
  if (!session || failed) {
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  }
  if (!me) return <p>Loading…</p>;
  if (me.role === "customer" || (admin && me.role !== "admin")) {
    return <p role="alert">This page is for {admin ? "administrators" : "staff"}.</p>;
  }
  return (
    <>
      <nav className="topbar" aria-label="Main">
        <Link to="/console">Tickets</Link>
        {me.role === "admin" && <Link to="/admin">Admin</Link>}
        <span className="who">
          {me.display_name} · {session.tenant}
        </span>
        <button type="button" onClick={onSignOut}>
          Sign out
        </button>
      </nav>
      {children(session, me)}
    </>
  );
}

/** The home page: the first-run setup on a fresh install, else the ways in. */
function Home() {
  const [open, setOpen] = useState<boolean | null>(null);
  const [slug, setSlug] = useState("");
  const navigate = useNavigate();
  useEffect(() => {
    request<{ open: boolean }>("/api/v1/setup")
      .then((s) => setOpen(s.open))
      .catch(() => setOpen(false));
  }, []);
  if (open === null) return <main className="home" aria-busy="true" />;
  if (open) return <SetupView />;
  return (
    <main className="home">
      <h1>Help desk</h1>
      <ul>
        <li>
          <Link to="/console">Agent console</Link>
        </li>
        <li>
          <Link to="/admin">Admin</Link>
        </li>
      </ul>
      <form
        className="stack"
        aria-label="Open a help chat"
        onSubmit={(e) => {
          e.preventDefault();
          if (slug.trim()) navigate(`/chat/${encodeURIComponent(slug.trim())}`);
        }}
      >
        <label>
          Organisation (its address, e.g. <code>acme</code>)
          <input value={slug} onChange={(e) => setSlug(e.target.value)} required />
        </label>
        <button type="submit">Open its help chat</button>
      </form>
    </main>
  );
}

export function App() {
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const out = () => {
    if (session) void signOut(session);
    setSession(null);
  };
  return (
    <Routes>
      <Route path="/" element={<Home />} />
      <Route path="/chat/:tenant" element={<ChatView />} />
      <Route path="/kb/:tenant/:docId" element={<DocumentView />} />
      <Route path="/login" element={<LoginView onSignedIn={setSession} />} />
      <Route path="/rate" element={<RateView />} />
      <Route
        path="/console"
        element={<Staff session={session} onSignOut={out}>{(s, me) => <ConsoleView session={s} me={me} />}</Staff>}
      />
      <Route
        path="/console/tickets/:id"
        element={<Staff session={session} onSignOut={out}>{(s, me) => <ConsoleView session={s} me={me} />}</Staff>}
      />
      <Route
        path="/admin"
        element={<Staff session={session} admin onSignOut={out}>{(s) => <AdminView session={s} />}</Staff>}
      />
      <Route path="*" element={<p role="alert">No such page. <Link to="/">Home</Link></p>} />
    </Routes>
  );
}
