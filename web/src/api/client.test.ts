import { describe, expect, it } from "vitest";
import { ApiError, describeProblem, type Problem } from "./client";

describe("problem bodies", () => {
  it("name each invalid field, as the server lists them (an array)", () => {
    const problem: Problem = {
      status: 422,
      title: "Unprocessable Entity",
      detail: "the request is invalid",
      code: "validation_failed",
      errors: [
        { field: "email", code: "invalid", message: "not an e-mail address" },
        { field: "password", code: "too_short", message: "at least 12 characters" },
      ],
    };
    expect(new ApiError(problem).message).toBe(
      "the request is invalid (email: not an e-mail address; password: at least 12 characters)",
    );
  });

  it("fall back to the title, then the status", () => {
    expect(describeProblem({ status: 503, title: "Service Unavailable" })).toBe("Service Unavailable");
    expect(describeProblem({ status: 500, title: "" })).toBe("HTTP 500");
  });
});
