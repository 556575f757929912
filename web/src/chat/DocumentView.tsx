// A cited source, as a visitor reaches it from a citation link.

import { useEffect, useState } from "react";
import { useParams } from "react-router";
import { request, visitorToken } from "../api/client";
import { applyTheme, loadTheme } from "../theme";

interface SourceDocument {
  id: string;
  title: string;
  source: string;
  text: string;
}

export function DocumentView() {
  const { tenant = "", docId = "" } = useParams();
  const [doc, setDoc] = useState<SourceDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void loadTheme(tenant).then(applyTheme);
    visitorToken(tenant)
      .then((token) => request<SourceDocument>(`/api/v1/documents/${encodeURIComponent(docId)}`, { token }))
      .then(setDoc)
      .catch((e) => setError(e instanceof Error ? e.message : String(e)));
  }, [tenant, docId]);
  if (error) return <main className="doc" role="alert">{error}</main>;
  if (!doc) return <main className="doc">Loading…</main>;
  return (
    <main className="doc">
      <h1>{doc.title}</h1>
      <p className="source">{doc.source}</p>
      <article className="doc-text">{doc.text}</article>
    </main>
  );
}
