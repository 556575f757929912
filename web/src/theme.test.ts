import { describe, expect, it } from "vitest";
import { contrastText } from "./theme";

describe("contrastText", () => {
  it("picks dark text on light colours and light text on dark ones", () => {
    expect(contrastText("#ffffff")).toBe("#111111");
    expect(contrastText("#ffd54f")).toBe("#111111");
    expect(contrastText("#1f4e8c")).toBe("#ffffff");
    expect(contrastText("not a colour")).toBe("#ffffff");
  });
});
