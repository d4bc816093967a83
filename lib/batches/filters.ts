// The Recommendations page's filter read from its URL: a project of the team and a rule. Pure.
import { z } from "zod";
import { RULE_IDS } from "@/lib/recommendations/types";
import { projectField, readUrlFilter, type TeamDirectory, type UrlFilter, type UrlQuery } from "@/lib/url-query";

export const findingFilterSchema = (team: Pick<TeamDirectory, "projects">) =>
  z.object({
    projectId: projectField(team),
    rule: z.enum(RULE_IDS, { error: (issue) => `“${String(issue.input)}” is not one of the rules.` }).optional(),
  });

export type FindingFilter = z.output<ReturnType<typeof findingFilterSchema>>;

export function readFindingFilter(query: UrlQuery, team: Pick<TeamDirectory, "projects">): UrlFilter<FindingFilter> {
  return readUrlFilter(findingFilterSchema(team), query);
}
