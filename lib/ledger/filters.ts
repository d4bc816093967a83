// Filters of credit pages read from the URL: the ledger's and a project's runs. Pure.
import { z } from "zod";
import { checkDayRange, dayField, personField, projectField, readUrlFilter, type TeamDirectory, type UrlFilter, type UrlQuery } from "@/lib/url-query";
import { LEDGER_KINDS, RUN_STATES } from "./kinds";

export const ledgerFilterSchema = (team: TeamDirectory) =>
  z
    .object({
      projectId: projectField(team),
      actorId: personField(team),
      kind: z.enum(LEDGER_KINDS, { error: (issue) => `“${String(issue.input)}” is not a kind of ledger entry.` }).optional(),
      from: dayField,
      to: dayField,
    })
    .superRefine(checkDayRange);

export type LedgerFilter = z.output<ReturnType<typeof ledgerFilterSchema>>;

/** The ledger filter of the Credits page from its URL: bad values get a message at their field and are left out. */
export function readLedgerFilter(query: UrlQuery, team: TeamDirectory): UrlFilter<LedgerFilter> {
  return readUrlFilter(ledgerFilterSchema(team), query);
}

export const runFilterSchema = (team: Pick<TeamDirectory, "people">) =>
  z.object({
    state: z.enum(RUN_STATES, { error: (issue) => `“${String(issue.input)}” is not a run state.` }).optional(),
    member: personField(team),
  });

export type RunListFilter = z.output<ReturnType<typeof runFilterSchema>>;

/** The runs filter of a project page from its URL. */
export function readRunFilter(query: UrlQuery, team: Pick<TeamDirectory, "people">): UrlFilter<RunListFilter> {
  return readUrlFilter(runFilterSchema(team), query);
}
