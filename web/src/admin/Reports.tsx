// Reports for admins: totals over a date range, ticket and chat volume by day or week as
// charts, per-queue and per-agent tables, satisfaction and the top knowledge gaps, with a
// CSV export of what is shown. Loaded on demand: the charting library stays out of the
// chat widget's bundle.

import { useCallback, useEffect, useState } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { call, type Session } from "../api/client";
import type { Schema } from "../api/types";
import { bucketsCsv, breakdownCsv, duration, percent, shiftDays } from "./report";

type Summary = Schema<"ReportSummary">;
type Series = Schema<"Timeseries">;
type Table = Schema<"Breakdown">;

function download(name: string, csv: string) {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="figure">
      <span className="figure-value" data-figure={label}>
        {value}
      </span>
      <span className="figure-label">{label}</span>
    </div>
  );
}

export default function Reports({ session }: { session: Session }) {
  const [to, setTo] = useState(() => new Date().toISOString().slice(0, 10));
  const [from, setFrom] = useState(() => shiftDays(new Date().toISOString().slice(0, 10), -29));
  const [group, setGroup] = useState<"day" | "week">("day");
  const [by, setBy] = useState<"queue" | "agent">("queue");
  const [summary, setSummary] = useState<Summary | null>(null);
  const [series, setSeries] = useState<Series | null>(null);
  const [table, setTable] = useState<Table | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const range = `from=${from}&to=${to}`;
    try {
      const [s, t, b] = await Promise.all([
        call<Summary>(session, `/api/v1/reports/summary?${range}`),
        call<Series>(session, `/api/v1/reports/timeseries?${range}&group=${group}`),
        call<Table>(session, `/api/v1/reports/breakdown?${range}&by=${by}`),
      ]);
      setSummary(s);
      setSeries(t);
      setTable(b);
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }, [session, from, to, group, by]);

  useEffect(() => void load(), [load]);

  return (
    <div className="reports">
      <form className="report-range" onSubmit={(e) => e.preventDefault()} aria-label="Date range">
        <label>
          From
          <input type="date" value={from} max={to} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} min={from} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label>
          Group by
          <select value={group} onChange={(e) => setGroup(e.target.value as "day" | "week")}>
            <option value="day">day</option>
            <option value="week">week</option>
          </select>
        </label>
        <button
          type="button"
          disabled={!series}
          onClick={() => series && download(`helpdesk-${from}-${to}-by-${group}.csv`, bucketsCsv(series.buckets))}
        >
          Export CSV
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      {summary && (
        <div className="figures" aria-label="Totals">
          <Figure label="Tickets created" value={String(summary.tickets_created)} />
          <Figure label="Tickets solved" value={String(summary.tickets_solved)} />
          <Figure label="Backlog" value={String(summary.backlog)} />
          <Figure label="First response (median)" value={duration(summary.first_response_p50_seconds)} />
          <Figure label="First response (p90)" value={duration(summary.first_response_p90_seconds)} />
          <Figure label="Resolution (median)" value={duration(summary.resolution_p50_seconds)} />
          <Figure label="SLA attainment" value={percent(summary.sla_attainment)} />
          <Figure label="Deflection" value={percent(summary.deflection_rate)} />
          <Figure label="CSAT" value={`${percent(summary.csat)} (${summary.csat_responses})`} />
        </div>
      )}
      {summary?.business_hours && <p className="hint">Times count business hours only.</p>}
      {series && (
        <>
          <h3>Tickets</h3>
          <ResponsiveContainer width="100%" height={240}>
            <ComposedChart data={series.buckets}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="start" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="tickets_created" name="created" fill="#2563eb" />
              <Bar dataKey="tickets_solved" name="solved" fill="#16a34a" />
              <Line dataKey="backlog" name="backlog" stroke="#7c3aed" />
            </ComposedChart>
          </ResponsiveContainer>
          <h3>Chats</h3>
          <ResponsiveContainer width="100%" height={240}>
            <BarChart data={series.buckets}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="start" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Bar dataKey="deflected" name="answered by the bot" stackId="c" fill="#16a34a" />
              <Bar dataKey="handed_off" name="handed off" stackId="c" fill="#f59e0b" />
            </BarChart>
          </ResponsiveContainer>
          <h3>Satisfaction and response time</h3>
          <ResponsiveContainer width="100%" height={240}>
            <LineChart data={series.buckets}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="start" />
              <YAxis yAxisId="n" allowDecimals={false} />
              <YAxis yAxisId="s" orientation="right" />
              <Tooltip />
              <Legend />
              <Line yAxisId="n" dataKey="csat_good" name="good ratings" stroke="#16a34a" />
              <Line yAxisId="n" dataKey="csat_bad" name="bad ratings" stroke="#dc2626" />
              <Line yAxisId="s" dataKey="first_response_p50_seconds" name="first response, median (s)" stroke="#2563eb" />
            </LineChart>
          </ResponsiveContainer>
        </>
      )}
      {table && (
        <>
          <h3>
            Per{" "}
            <select aria-label="Break down by" value={by} onChange={(e) => setBy(e.target.value as "queue" | "agent")}>
              <option value="queue">queue</option>
              <option value="agent">agent</option>
            </select>{" "}
            <button type="button" onClick={() => download(`helpdesk-${from}-${to}-by-${by}.csv`, breakdownCsv(table))}>
              Export CSV
            </button>
          </h3>
          <table aria-label={`Per ${by}`}>
            <thead>
              <tr>
                <th scope="col">{by === "queue" ? "Queue" : "Agent"}</th>
                <th scope="col">Created</th>
                <th scope="col">Solved</th>
                <th scope="col">Open</th>
                <th scope="col">First response (median)</th>
                <th scope="col">Resolution (median)</th>
                <th scope="col">CSAT</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={r.key ?? "none"}>
                  <td>{r.name ?? r.key ?? (by === "agent" ? "unassigned" : "—")}</td>
                  <td>{r.tickets_created}</td>
                  <td>{r.tickets_solved}</td>
                  <td>{r.open}</td>
                  <td>{duration(r.first_response_p50_seconds)}</td>
                  <td>{duration(r.resolution_p50_seconds)}</td>
                  <td>{percent(r.csat_good + r.csat_bad > 0 ? r.csat_good / (r.csat_good + r.csat_bad) : null)}</td>
                </tr>
              ))}
              {table.rows.length === 0 && (
                <tr>
                  <td colSpan={7}>No tickets in this range.</td>
                </tr>
              )}
            </tbody>
          </table>
        </>
      )}
      {summary && (
        <>
          <h3>Top knowledge gaps</h3>
          <ol className="report-gaps">
            {summary.knowledge_gaps.map((g) => (
              <li key={g.question}>
                {g.question} <span className="count">×{g.count}</span>
              </li>
            ))}
            {summary.knowledge_gaps.length === 0 && <li>None in this range.</li>}
          </ol>
        </>
      )}
    </div>
  );
}
