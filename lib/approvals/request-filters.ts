// The Approvals page's view and filter read from its URL: which tab, and state, project, requester and days. Pure.
import { z } from "zod";
import { checkDayRange, dayField, firstValue, personField, projectField, readUrlFilter, type TeamDirectory, type UrlFilter, type UrlQuery } from "@/lib/url-query";
import { REQUEST_STATES } from "./requests";

/** "waiting": what I may decide; "mine": what I asked for; "all": every request of the team (admins). */
export const REQUEST_VIEWS = ["waiting", "mine", "all"] as const;
export type RequestView = (typeof REQUEST_VIEWS)[number];

export const requestFilterSchema = (team: TeamDirectory) =>
  z
    .object({
      state: z.enum(REQUEST_STATES, { error: (issue) => `“${String(issue.input)}” is not a state a request can be in.` }).optional(),
      projectId: projectField(team),
      requesterId: personField(team),
      from: dayField,
      to: dayField,
    })
    .superRefine(checkDayRange);

export type RequestFilter = z.output<ReturnType<typeof requestFilterSchema>>;

/** The filter from the URL: bad values get a message at their field and are left out. */
export function readRequestFilter(query: UrlQuery, team: TeamDirectory): UrlFilter<RequestFilter> {
  return readUrlFilter(requestFilterSchema(team), query);
}

/** The tab from the URL; anything else is the default tab, "Waiting for me". */
export function readRequestView(query: UrlQuery): RequestView {
  const view = firstValue(query.view);
  return (REQUEST_VIEWS as readonly string[]).includes(view) ? (view as RequestView) : "waiting";
}
