// GitHub and Google sign-in decisions: verified addresses only, and no automatic link to an account with a password.
import { describe, expect, it, vi } from "vitest";
import { decideOAuthSignIn, oauthProviders, oauthRefusalMessage, verifiedOAuthEmail, type OAuthFacts } from "./oauth";

const facts = (overrides: Partial<OAuthFacts>): OAuthFacts => ({
  identityOwnerId: null,
  signedInUserId: null,
  verifiedEmail: "ada@studio.test",
  emailAccount: null,
  ...overrides,
});

describe("decideOAuthSignIn", () => {
  it("signs in the account an identity is linked to", () => {
    expect(decideOAuthSignIn(facts({ identityOwnerId: "u1" }))).toEqual({ kind: "sign-in", userId: "u1" });
    // Even when its address is unverified or now belongs to another account: the link was made on purpose.
    expect(decideOAuthSignIn(facts({ identityOwnerId: "u1", verifiedEmail: null }))).toEqual({ kind: "sign-in", userId: "u1" });
    expect(decideOAuthSignIn(facts({ identityOwnerId: "u1", emailAccount: { id: "u2", hasPassword: true } }))).toEqual({
      kind: "sign-in",
      userId: "u1",
    });
  });

  it("never joins a new identity to an account that has a password, even with a verified address", () => {
    expect(decideOAuthSignIn(facts({ emailAccount: { id: "victim", hasPassword: true } }))).toEqual({ kind: "refuse", reason: "password_account" });
  });

  it("refuses an identity whose provider vouches for no address", () => {
    expect(decideOAuthSignIn(facts({ verifiedEmail: null }))).toEqual({ kind: "refuse", reason: "unverified_email" });
    expect(decideOAuthSignIn(facts({ verifiedEmail: null, emailAccount: null }))).toEqual({ kind: "refuse", reason: "unverified_email" });
  });

  it("creates an account for a verified address nobody has, and joins one made through the other provider", () => {
    expect(decideOAuthSignIn(facts({}))).toEqual({ kind: "create", email: "ada@studio.test" });
    expect(decideOAuthSignIn(facts({ emailAccount: { id: "u3", hasPassword: false } }))).toEqual({ kind: "link", userId: "u3" });
  });

  it("links to the signed-in person, whatever the address, unless the identity is someone else's", () => {
    expect(decideOAuthSignIn(facts({ signedInUserId: "me", verifiedEmail: null }))).toEqual({ kind: "link", userId: "me" });
    expect(decideOAuthSignIn(facts({ signedInUserId: "me", emailAccount: { id: "other", hasPassword: true } }))).toEqual({ kind: "link", userId: "me" });
    expect(decideOAuthSignIn(facts({ signedInUserId: "me", identityOwnerId: "me" }))).toEqual({ kind: "sign-in", userId: "me" });
    expect(decideOAuthSignIn(facts({ signedInUserId: "me", identityOwnerId: "other" }))).toEqual({ kind: "refuse", reason: "linked_elsewhere" });
  });
});

function githubEmails(body: unknown, status = 200) {
  return vi.fn(async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
}

describe("verifiedOAuthEmail", () => {
  it("takes GitHub's primary verified address from its email list, not the profile", async () => {
    const fetchEmails = githubEmails([
      { email: "old@studio.test", primary: false, verified: true },
      { email: "Ada@Studio.test", primary: true, verified: true },
    ]);
    const profile = { email: "victim@studio.test" }; // a public profile email proves nothing
    expect(await verifiedOAuthEmail("github", { profile, accessToken: "gho_token" }, fetchEmails)).toBe("ada@studio.test");
    expect(fetchEmails).toHaveBeenCalledWith("https://api.github.com/user/emails", expect.objectContaining({ headers: expect.objectContaining({ Authorization: "Bearer gho_token" }) }));
  });

  it("uses only GitHub entries with verified: true", async () => {
    const unverifiedPrimary = githubEmails([
      { email: "victim@studio.test", primary: true, verified: false },
      { email: "me@studio.test", primary: false, verified: true },
    ]);
    expect(await verifiedOAuthEmail("github", { profile: {}, accessToken: "t" }, unverifiedPrimary)).toBe("me@studio.test");
    const noneVerified = githubEmails([
      { email: "victim@studio.test", primary: true, verified: false },
      { email: "other@studio.test", primary: false, verified: "true" },
    ]);
    expect(await verifiedOAuthEmail("github", { profile: { email: "victim@studio.test" }, accessToken: "t" }, noneVerified)).toBeNull();
  });

  it("trusts nothing when GitHub's list cannot be read", async () => {
    expect(await verifiedOAuthEmail("github", { profile: { email: "a@b.test" }, accessToken: "t" }, githubEmails({ message: "Bad credentials" }, 401))).toBeNull();
    expect(await verifiedOAuthEmail("github", { profile: {}, accessToken: "t" }, githubEmails({ not: "a list" }))).toBeNull();
    const failing = vi.fn(async () => {
      throw new Error("network down");
    }) as unknown as typeof fetch;
    expect(await verifiedOAuthEmail("github", { profile: {}, accessToken: "t" }, failing)).toBeNull();
    expect(await verifiedOAuthEmail("github", { profile: {}, accessToken: undefined }, githubEmails([]))).toBeNull();
  });

  it("takes Google's address only when Google marks it verified", async () => {
    const noFetch = vi.fn() as unknown as typeof fetch;
    expect(await verifiedOAuthEmail("google", { profile: { email: "Ada@Studio.test", email_verified: true }, accessToken: "t" }, noFetch)).toBe("ada@studio.test");
    expect(await verifiedOAuthEmail("google", { profile: { email: "ada@studio.test", email_verified: false }, accessToken: "t" }, noFetch)).toBeNull();
    expect(await verifiedOAuthEmail("google", { profile: { email: "ada@studio.test", email_verified: "true" }, accessToken: "t" }, noFetch)).toBeNull();
    expect(await verifiedOAuthEmail("google", { profile: { email_verified: true }, accessToken: "t" }, noFetch)).toBeNull();
    expect(noFetch).not.toHaveBeenCalled();
  });
});

describe("oauthProviders and messages", () => {
  it("switches a provider on only with both of its keys", () => {
    expect(oauthProviders({})).toEqual([]);
    expect(oauthProviders({ AUTH_GITHUB_ID: "id" })).toEqual([]);
    expect(oauthProviders({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "s", AUTH_GOOGLE_ID: "g", AUTH_GOOGLE_SECRET: "s" })).toEqual(["github", "google"]);
  });

  it("explains each refusal, naming the provider", () => {
    expect(oauthRefusalMessage("password_account", "github")).toMatch(/Sign in with the password, then link GitHub from your account page/);
    expect(oauthRefusalMessage("unverified_email", "google")).toMatch(/^Google gave us no verified email/);
    expect(oauthRefusalMessage("linked_elsewhere", "evil")).toMatch(/GitHub or Google/);
    expect(oauthRefusalMessage("OAuthCallbackError", "github")).toBe("Signing in with GitHub did not work. Try again, or sign in with email and password.");
    expect(oauthRefusalMessage("", "github")).toBeNull();
    expect(oauthRefusalMessage(undefined, undefined)).toBeNull();
  });
});
