// Which OAuth sign-in providers the environment switches on (GitHub, Google); off unless both keys are set.
/** Which OAuth providers are switched on by the environment. */
export function oauthProviders(env: NodeJS.ProcessEnv = process.env): ("github" | "google")[] {
  const on: ("github" | "google")[] = [];
  if (env.AUTH_GITHUB_ID && env.AUTH_GITHUB_SECRET) on.push("github");
  if (env.AUTH_GOOGLE_ID && env.AUTH_GOOGLE_SECRET) on.push("google");
  return on;
}
