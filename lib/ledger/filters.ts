// Filters of credit pages read from the URL: the ledger's and a project's runs, and the fields Usage will share. Pure.
import { z } from "zod";
import { readUrlFilter, type UrlFilter, type UrlQuery } from "@/lib/url-query";
import { LEDGER_KINDS, RUN_STATES } from "./kinds";

/** The team's projects and people, so an id from elsewhere is refused rather than shown as "no match". */
export type TeamDirectory = { projects: ReadonlySet<string>; people: ReadonlySet<string> };

// "2026-02-31" has the right shape but is no day; the calendar must give the same date back.
function isCalendarDay(date: string): boolean {
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date;
}

/** A calendar day as a date input sends it, read later in the team's time zone. */
export const dayField = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date like 2026-12-31.")
  .refine(isCalendarDay, { error: (issue) => `${String(issue.input)} is not a day in the calendar.` })
  .optional();

export const projectField = (team: Pick<TeamDirectory, "projects">) =>
  z.string().refine((id) => team.projects.has(id), "That project is not in this team.").optional();

export const personField = (team: Pick<TeamDirectory, "people">) =>
  z.string().refine((id) => team.people.has(id), "That person is not in this team.").optional();

/** A from–to range of days: the end may not come before the start. */
export function checkDayRange(range: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (range.from && range.to && range.from > range.to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "The end date is before the start date." });
  }
}

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
