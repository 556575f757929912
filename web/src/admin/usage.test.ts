import { describe, expect, it } from "vitest";
import { daysBetween } from "./AdminView";

describe("the usage chart's days", () => {
  it("lists every day of the range, across a month end", () => {
    expect(daysBetween("2026-01-30", "2026-02-02")).toEqual([
      "2026-01-30",
      "2026-01-31",
      "2026-02-01",
      "2026-02-02",
    ]);
  });

  it("is empty for a reversed range and capped at a year", () => {
    expect(daysBetween("2026-02-02", "2026-02-01")).toEqual([]);
    expect(daysBetween("2020-01-01", "2026-01-01").length).toBe(366);
  });
});
