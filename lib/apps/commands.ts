// Writes for apps: make one (its first version a draft, checked against the team's price list in force), audited.
import "server-only";
import { recordAudit } from "@/lib/audit/commands";
import { fieldError } from "@/lib/authz/result";
import type { TeamContext } from "@/lib/authz/team";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import { priceListInForce } from "@/lib/price-lists/queries";
import { findEntry } from "@/lib/pricing/estimate";
import type { PriceList } from "@/lib/pricing/types";
import { appRunCost, defaultValues, valuesProblem, type AppDefinition } from "./rules";
import type { CreateAppInput } from "./schema";

const NAME_TAKEN = "Another app of this team already has this name.";

/** A plan field of lib/recommendations ("finals.modelId", "tools.1.settings.scale") as the definition's ("steps.2.settings.scale"). */
function stepField(field: string): string {
  const finals = /^finals(\.|$)/;
  if (finals.test(field)) return `definition.steps.0${field.slice("finals".length)}`;
  const tool = /^tools\.(\d+)(.*)$/.exec(field);
  if (tool) return `definition.steps.${Number(tool[1]) + 1}${tool[2]}`;
  return "definition.steps";
}

/**
 * Why a definition cannot be an app of this output type by this price list, at its field: the first step makes the
 * outputs (a model of the app's type), the others are tools applied to them, and the default inputs must price.
 */
export function definitionProblem(priceList: PriceList, outputType: string, definition: AppDefinition): { field: string; message: string } | null {
  for (const [index, step] of definition.steps.entries()) {
    const entry = findEntry(priceList, step.modelId);
    if (!entry) return { field: `definition.steps.${index}.modelId`, message: "The team's price list has no such model." };
    if (index === 0 && entry.outputType !== outputType) {
      return { field: "definition.steps.0.modelId", message: `The first step makes the app's outputs: choose a${outputType === "image" ? "n" : ""} ${outputType} model.` };
    }
    if (index > 0 && entry.outputType !== "tool") {
      return { field: `definition.steps.${index}.modelId`, message: "Steps after the first are tools applied to its outputs (a background remover, an upscaler…)." };
    }
  }
  const problem = valuesProblem(definition, defaultValues(definition));
  if (problem) return { field: `definition.inputs.${definition.inputs.findIndex((input) => input.key === problem.field)}.default`, message: problem.message };
  const cost = appRunCost(priceList, definition, defaultValues(definition));
  if (!cost.ok) return { field: stepField(cost.error.field), message: cost.error.message };
  return null;
}

/** A new app, as its author's draft version 1: nobody but its author and the admins can run it until it is published. */
export async function createApp(ctx: TeamContext, input: CreateAppInput, now = appNow()): Promise<{ appId: string; versionId: string }> {
  return db().$transaction(async (tx) => {
    // Names are compared without case; creates of one team take turns on the team row, so each sees the others'.
    await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${ctx.team.id} FOR NO KEY UPDATE`;
    const clash = await tx.app.findFirst({ where: { teamId: ctx.team.id, name: { equals: input.name, mode: "insensitive" } }, select: { id: true } });
    if (clash) throw fieldError("name", NAME_TAKEN, "conflict");
    const { priceList, version } = await priceListInForce(ctx.team.id, now, tx);
    const problem = definitionProblem(priceList, input.outputType, input.definition);
    if (problem) throw fieldError(problem.field, problem.message);
    const app = await tx.app.create({
      data: { teamId: ctx.team.id, name: input.name, description: input.description, outputType: input.outputType, purpose: input.purpose, createdById: ctx.user.id, createdAt: now },
      select: { id: true },
    });
    const draft = await tx.appVersion.create({
      data: { teamId: ctx.team.id, appId: app.id, version: 1, definition: input.definition, authorId: ctx.user.id, createdAt: now },
      select: { id: true },
    });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "app.created",
      targetType: "app",
      targetId: app.id,
      at: now,
      details: { name: input.name, steps: input.definition.steps.length, priceListVersion: version },
    });
    return { appId: app.id, versionId: draft.id };
  });
}
