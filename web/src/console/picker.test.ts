import { describe, expect, it } from "vitest";
import { matching } from "./Picker";

describe("the picker's search", () => {
  const items = [
    { haystack: "greeting hi {{requester.name}}" },
    { haystack: "sso password reset: reply and solve your sso password is reset" },
    { haystack: "escalate to billing" },
  ];

  it("keeps items holding every word, in their order", () => {
    expect(matching(items, "")).toHaveLength(3);
    expect(matching(items, "SSO reset")).toEqual([items[1]]);
    expect(matching(items, "  bill  ")).toEqual([items[2]]);
    expect(matching(items, "sso billing")).toEqual([]);
  });
});
