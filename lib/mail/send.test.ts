// SMTP connections carry timeouts shorter than the outbox's claim, unless the URL sets its own.
import { describe, expect, it } from "vitest";
import { withTimeouts } from "./send";

describe("withTimeouts", () => {
  it("adds connection, greeting and socket timeouts to the SMTP URL, keeping what it says", () => {
    const url = new URL(withTimeouts("smtps://user:p%40ss@smtp.example.com:465?socketTimeout=5000"));
    expect(url.username).toBe("user");
    expect(url.password).toBe("p%40ss");
    expect(Object.fromEntries(url.searchParams)).toEqual({ socketTimeout: "5000", connectionTimeout: "30000", greetingTimeout: "30000" });
  });
});
