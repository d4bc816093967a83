// Inputs of the API key forms: make a key (name, scopes, an optional project and last day) and revoke one.
import { z } from "zod";
import { calendarDay } from "@/lib/url-query";
import { API_SCOPES } from "./rules";

export const MAX_KEYS_PER_TEAM = 100;

const scopeList = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.enum(API_SCOPES, { error: "Choose scopes from the list." })).min(1, "Choose at least one scope: a key with none can do nothing."),
);

export const createApiKeySchema = z.object({
  name: z.string({ error: "Name the key." }).trim().min(1, "Name the key, e.g. the script or machine that uses it.").max(80, "Use at most 80 characters."),
  scopes: scopeList.transform((scopes) => [...new Set(scopes)]),
  projectId: z.preprocess((value) => (value === "" ? undefined : value), z.string().max(64).optional()),
  /** The last day the key works, in the team's time zone; empty means until revoked. */
  expiresOn: z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), calendarDay.optional()),
});
export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;

export const revokeApiKeySchema = z.object({ keyId: z.string({ error: "Choose a key." }).min(1, "Choose a key.").max(64) });
