// The typed Creditwise API client: openapi-fetch over the types generated from the OpenAPI document.
// Used by the API tests and scripts/example-client.ts; any script can copy this folder.
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./schema";

export type { paths, components } from "./schema";
export type CreditwiseClient = Client<paths>;

export type ClientOptions = {
  /** Where Creditwise runs, e.g. http://localhost:3000 */
  origin: string;
  /** A team API key (cwk_…). */
  apiKey?: string;
  /** Another fetch (tests call the handlers in-process). */
  fetch?: (request: Request) => Promise<Response>;
  headers?: Record<string, string>;
};

export function createCreditwiseClient({ origin, apiKey, fetch, headers }: ClientOptions): CreditwiseClient {
  return createClient<paths>({
    baseUrl: `${origin.replace(/\/$/, "")}/api/v1`,
    headers: { ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}), ...headers },
    ...(fetch ? { fetch } : {}),
  });
}
