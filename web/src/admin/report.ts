// The reports page's pure parts: how figures read, and the CSV it exports.

import type { Schema } from "../api/types";

type Bucket = Schema<"Bucket">;
type Table = Schema<"Breakdown">;

/** `YYYY-MM-DD` moved by `days`. */
export function shiftDays(day: string, days: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** Seconds as the largest sensible unit: `45 s`, `12 min`, `3.5 h`, `2.1 d`. */
export function duration(seconds: number | null | undefined): string {
  if (seconds == null) return "—";
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 36 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export function percent(share: number | null | undefined): string {
  return share == null ? "—" : `${Math.round(share * 100)}%`;
}

/**
 * One CSV field: quoted when it holds a comma, a quote or a line break. A name is typed by
 * people (an agent's name, an identity provider's claim), and a spreadsheet runs a cell
 * that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula, so such
 * text gets a leading apostrophe (OWASP's advice for CSV injection); numbers stay numbers.
 */
function field(value: unknown): string {
  let text = value == null ? "" : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((row) => row.map(field).join(",")).join("\r\n") + "\r\n";
}

export function bucketsCsv(buckets: Bucket[]): string {
  const columns: (keyof Bucket)[] = [
    "start",
    "tickets_created",
    "tickets_solved",
    "backlog",
    "first_response_p50_seconds",
    "resolution_p50_seconds",
    "chats",
    "deflected",
    "handed_off",
    "csat_good",
    "csat_bad",
  ];
  return csv(
    columns,
    buckets.map((b) => columns.map((c) => b[c])),
  );
}

export function breakdownCsv(table: Table): string {
  return csv(
    [table.by, "tickets_created", "tickets_solved", "open", "first_response_p50_seconds", "resolution_p50_seconds", "csat_good", "csat_bad"],
    table.rows.map((r) => [
      r.name ?? r.key ?? "",
      r.tickets_created,
      r.tickets_solved,
      r.open,
      r.first_response_p50_seconds,
      r.resolution_p50_seconds,
      r.csat_good,
      r.csat_bad,
    ]),
  );
}
