import { describe, expect, it } from "vitest";
import { breakdownCsv, bucketsCsv, duration, percent, shiftDays } from "./report";

/** A per-agent row of the breakdown, named `name`, with a negative count that must stay a number. */
const agentRow = (name: string) => ({
  key: "u1",
  name,
  tickets_created: -1,
  tickets_solved: 0,
  open: 0,
  first_response_p50_seconds: null,
  resolution_p50_seconds: null,
  csat_good: 0,
  csat_bad: 0,
});

describe("report figures", () => {
  it("read durations in a sensible unit", () => {
    expect(duration(null)).toBe("—");
    expect(duration(42)).toBe("42 s");
    expect(duration(600)).toBe("10 min");
    expect(duration(5 * 3600)).toBe("5.0 h");
    expect(duration(3 * 86400)).toBe("3.0 d");
    expect(percent(0.857)).toBe("86%");
    expect(percent(undefined)).toBe("—");
  });

  it("shift dates across months", () => {
    expect(shiftDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(shiftDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  it("export CSV with quoting", () => {
    const text = bucketsCsv([
      {
        start: "2026-11-29",
        tickets_created: 3,
        tickets_solved: 1,
        backlog: 2,
        first_response_p50_seconds: 12.5,
        resolution_p50_seconds: null,
        chats: 2,
        deflected: 1,
        handed_off: 1,
        csat_good: 1,
        csat_bad: 0,
      },
    ]);
    expect(text.split("\r\n")[1]).toBe("2026-11-29,3,1,2,12.5,,2,1,1,1,0");
    const table = breakdownCsv({
      from: "2026-11-01",
      to: "2026-11-29",
      by: "queue",
      rows: [
        {
          key: 'billing, "EU"',
          tickets_created: 1,
          tickets_solved: 0,
          open: 1,
          first_response_p50_seconds: null,
          resolution_p50_seconds: null,
          csat_good: 0,
          csat_bad: 0,
        },
      ],
    });
    expect(table.split("\r\n")[1]).toBe('"billing, ""EU""",1,0,1,,,0,0');
  });

  it("export names that look like formulas as text", () => {
    const table = breakdownCsv({
      from: "2026-11-01",
      to: "2026-11-29",
      by: "agent",
      rows: [agentRow("=HYPERLINK(\"http://x.example\",\"a\")"), agentRow("@SUM(A1)"), agentRow("+1"), agentRow("-cmd"), agentRow("Ann Lee")],
    });
    expect(table.split("\r\n").slice(1, 6)).toEqual([
      '"\'=HYPERLINK(""http://x.example"",""a"")",-1,0,0,,,0,0',
      "'@SUM(A1),-1,0,0,,,0,0",
      "'+1,-1,0,0,,,0,0",
      "'-cmd,-1,0,0,,,0,0",
      "Ann Lee,-1,0,0,,,0,0",
    ]);
  });
});
