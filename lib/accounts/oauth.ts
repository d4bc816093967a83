// GitHub and Google sign-in: which providers are on, which email address a provider vouches for, and whom an identity signs in.

export const OAUTH_PROVIDERS = ["github", "google"] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

export const OAUTH_PROVIDER_LABELS: Record<OAuthProvider, string> = { github: "GitHub", google: "Google" };

export function isOAuthProvider(value: unknown): value is OAuthProvider {
  return typeof value === "string" && (OAUTH_PROVIDERS as readonly string[]).includes(value);
}

/** Which OAuth providers are switched on by the environment; off unless both keys are set. */
export function oauthProviders(env: Record<string, string | undefined> = process.env): OAuthProvider[] {
  const on: OAuthProvider[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) on.push("github");
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) on.push("google");
  return on;
}

type GitHubEmail = { email?: unknown; primary?: unknown; verified?: unknown };

/**
 * The address the provider says this person has proved they own, lowercased,
 * or null. Google says so in the profile (`email_verified`). GitHub's profile
 * email is whatever the user typed as public and says nothing about
 * verification, so only its email list counts, and there only `verified: true`
 * entries (the primary one first).
 */
export async function verifiedOAuthEmail(
  provider: OAuthProvider,
  { profile, accessToken }: { profile: Record<string, unknown> | undefined | null; accessToken: string | undefined },
  fetchImpl: typeof fetch = fetch,
): Promise<string | null> {
  if (provider === "google") {
    const email = profile?.email;
    return profile?.email_verified === true && typeof email === "string" && email.includes("@") ? email.toLowerCase() : null;
  }
  if (!accessToken) return null;
  let emails: unknown;
  try {
    const response = await fetchImpl("https://api.github.com/user/emails", {
      headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/vnd.github+json", "User-Agent": "creditwise" },
    });
    if (!response.ok) return null;
    emails = await response.json();
  } catch {
    return null;
  }
  if (!Array.isArray(emails)) return null;
  const verified = (emails as GitHubEmail[]).filter(
    (entry): entry is { email: string; primary?: unknown; verified: true } =>
      entry?.verified === true && typeof entry.email === "string" && entry.email.includes("@"),
  );
  const chosen = verified.find((entry) => entry.primary === true) ?? verified[0];
  return chosen ? chosen.email.toLowerCase() : null;
}

export type OAuthRefusal = "unverified_email" | "password_account" | "linked_elsewhere";

export type OAuthFacts = {
  /** The account this provider identity is already linked to. */
  identityOwnerId: string | null;
  /** The person signed in while the identity came back: they are linking it from their account page. */
  signedInUserId: string | null;
  /** The address the provider vouches for (see verifiedOAuthEmail). */
  verifiedEmail: string | null;
  /** The account that has that address, if any. */
  emailAccount: { id: string; hasPassword: boolean } | null;
};

export type OAuthDecision =
  | { kind: "sign-in"; userId: string }
  | { kind: "link"; userId: string }
  | { kind: "create"; email: string }
  | { kind: "refuse"; reason: OAuthRefusal };

/**
 * Whom a GitHub or Google identity signs in. An identity is joined to an
 * existing account only by its owner, signed in and linking it from the
 * account page, or when the account was itself made through a provider that
 * vouched for the same address. Never to an account with a password: anyone
 * could have registered that address, and an automatic link would hand that
 * account to whoever owns the address, or hand the address's owner an account
 * someone else prepared.
 */
export function decideOAuthSignIn(facts: OAuthFacts): OAuthDecision {
  if (facts.signedInUserId) {
    if (facts.identityOwnerId === null) return { kind: "link", userId: facts.signedInUserId };
    if (facts.identityOwnerId === facts.signedInUserId) return { kind: "sign-in", userId: facts.signedInUserId };
    return { kind: "refuse", reason: "linked_elsewhere" };
  }
  if (facts.identityOwnerId) return { kind: "sign-in", userId: facts.identityOwnerId };
  if (!facts.verifiedEmail) return { kind: "refuse", reason: "unverified_email" };
  if (!facts.emailAccount) return { kind: "create", email: facts.verifiedEmail };
  if (facts.emailAccount.hasPassword) return { kind: "refuse", reason: "password_account" };
  return { kind: "link", userId: facts.emailAccount.id };
}

/** What a refused GitHub or Google sign-in (or link) tells the person. */
export function oauthRefusalMessage(reason: string | undefined, provider: string | undefined): string | null {
  const name = isOAuthProvider(provider) ? OAUTH_PROVIDER_LABELS[provider] : "GitHub or Google";
  switch (reason) {
    case "unverified_email":
      return `${name} gave us no verified email address for that account. Verify one there first, or sign in with email and password.`;
    case "password_account":
      return `An account with that email address already exists and has a password. Sign in with the password, then link ${name} from your account page.`;
    case "linked_elsewhere":
      return `That ${name} account is already linked to another Creditwise account. Sign in to that one, or unlink it there first.`;
    case undefined:
    case "":
      return null;
    default:
      // Auth.js's own errors (a cancelled or expired sign-in at the provider) arrive the same way.
      return `Signing in with ${name} did not work. Try again, or sign in with email and password.`;
  }
}
