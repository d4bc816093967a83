// Writes for apps: make one (its first version a draft, checked against the team's price list in force), publish a
// version once it has the accepted test runs the team asks for, retire one; each audited.
import "server-only";
import { recordAudit } from "@/lib/audit/commands";
import { DomainError, fieldError } from "@/lib/authz/result";
import { hasRole } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { appNow } from "@/lib/clock";
import { db } from "@/lib/db/client";
import type { TransactionClient } from "@/lib/db/transaction";
import { priceListInForce } from "@/lib/price-lists/queries";
import { insertBatchWithItems } from "@/lib/batches/commands";
import type { ItemFields } from "@/lib/batches/schema";
import { NO_FLAGS } from "@/lib/recommendations/types";
import { appRunCost, defaultValues, definitionProblem, planFor, readValues, valueOf, valuesProblem, type AppDefinition, type InputValues } from "./rules";
import { acceptedTestRuns } from "./queries";
import type { CreateAppInput } from "./schema";

const NAME_TAKEN = "Another app of this team already has this name.";

/**
 * Names are compared without case: the unique index is case-sensitive, so the apps of one team that are made or
 * renamed take turns on the team's row, and each check sees the names the others committed.
 */
async function checkNameFree(tx: TransactionClient, teamId: string, name: string, exceptId?: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM "Team" WHERE "id" = ${teamId} FOR NO KEY UPDATE`;
  const clash = await tx.app.findFirst({
    where: { teamId, name: { equals: name, mode: "insensitive" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (clash) throw fieldError("name", NAME_TAKEN, "conflict");
}

/** A new app, as its author's draft version 1: nobody but its author and the admins can run it until it is published. */
export async function createApp(ctx: TeamContext, input: CreateAppInput, now = appNow()): Promise<{ appId: string; versionId: string }> {
  return db().$transaction(async (tx) => {
    await checkNameFree(tx, ctx.team.id, input.name);
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

/**
 * Publishes a draft once it has the accepted test runs the team asks for (approvers and above): the whole team may run
 * it from then on; the version published before is superseded (its runs keep it).
 */
export async function publishVersion(ctx: TeamContext, versionId: string, now = appNow()): Promise<{ version: number }> {
  if (!hasRole(ctx.role, "approver")) throw new DomainError("forbidden", "Publishing an app needs the approver role or higher.");
  return db().$transaction(async (tx) => {
    const found = await tx.appVersion.findFirst({ where: { id: versionId, teamId: ctx.team.id }, select: { appId: true } });
    if (!found) throw new DomainError("not_found", "That app version does not exist in this team.");
    // The app's row first, as every write of an app takes it (a run shares it): one publish of an app at a time,
    // and a run either comes before this publish or sees it.
    await tx.$queryRaw`SELECT 1 FROM "App" WHERE "id" = ${found.appId} FOR UPDATE`;
    const version = await tx.appVersion.findUniqueOrThrow({
      where: { id: versionId },
      select: { version: true, state: true, app: { select: { id: true, name: true, retiredAt: true } } },
    });
    if (version.app.retiredAt) throw new DomainError("conflict", "This app was retired; it cannot be published.");
    if (version.state !== "draft") throw new DomainError("conflict", `Version ${version.version} is ${version.state === "published" ? "already published" : "superseded by a later one"}.`);
    const team = await tx.team.findUniqueOrThrow({ where: { id: ctx.team.id }, select: { appTestRuns: true } });
    const accepted = (await acceptedTestRuns(ctx.team.id, [versionId], tx)).get(versionId) ?? 0;
    if (accepted < team.appTestRuns) {
      throw new DomainError(
        "conflict",
        `Version ${version.version} has ${accepted} accepted test run${accepted === 1 ? "" : "s"}; the team asks for ${team.appTestRuns} before an app is published.`,
      );
    }
    await tx.appVersion.updateMany({ where: { appId: version.app.id, state: "published" }, data: { state: "superseded" } });
    await tx.appVersion.update({ where: { id: versionId }, data: { state: "published", publishedAt: now, publishedById: ctx.user.id } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "app.published",
      targetType: "app",
      targetId: version.app.id,
      at: now,
      details: { name: version.app.name, version: version.version, acceptedTestRuns: accepted },
    });
    return { version: version.version };
  });
}

/** Retires an app (admins): nobody can start it any more; its runs and versions stay in the history. */
export async function retireApp(ctx: TeamContext, appId: string, now = appNow()): Promise<void> {
  if (!hasRole(ctx.role, "admin")) throw new DomainError("forbidden", "Retiring an app needs the admin role or higher.");
  await db().$transaction(async (tx) => {
    // Locked: of two admins retiring at once, the second is told it was done.
    const [app] = await tx.$queryRaw<{ name: string; retiredAt: Date | null }[]>`
      SELECT "name", "retiredAt" FROM "App" WHERE "id" = ${appId} AND "teamId" = ${ctx.team.id} FOR UPDATE`;
    if (!app) throw new DomainError("not_found", "That app does not exist in this team.");
    if (app.retiredAt) throw new DomainError("conflict", `The app “${app.name}” was already retired.`);
    await tx.app.update({ where: { id: appId }, data: { retiredAt: now, retiredById: ctx.user.id } });
    await recordAudit(tx, { teamId: ctx.team.id, actorId: ctx.user.id, action: "app.retired", targetType: "app", targetId: appId, at: now, details: { name: app.name } });
  });
}

export type RunAppInput = { appId: string; projectId: string; values: InputValues; test: boolean; versionId?: string };

/**
 * Starts an app: a batch in the project with one item per output, the app's steps as each item's plan and the inputs
 * filled in — so runs, approvals and history go as for any batch. A test runs the app's newest draft (its author
 * and the admins only; each accepted output counts toward publishing); otherwise the published version runs.
 */
export async function runApp(ctx: TeamContext, input: RunAppInput, now = appNow(), requestKey?: string): Promise<{ batchId: string; versionId: string; items: number }> {
  return db().$transaction(async (tx) => {
    // A resend of an API request that was done (its answer lost): the batch it made, as it was made.
    if (requestKey) {
      const made = await tx.batch.findUnique({
        where: { teamId_requestKey: { teamId: ctx.team.id, requestKey } },
        select: { id: true, appVersionId: true, _count: { select: { items: true } } },
      });
      if (made?.appVersionId) return { batchId: made.id, versionId: made.appVersionId, items: made._count.items };
    }
    // Under a share lock on the app's row: a retire, a publish or a change of the draft waits for this run, or this
    // run sees what they committed — never a batch of a version that was retired, superseded or changed meanwhile.
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT "id" FROM "App" WHERE "id" = ${input.appId} AND "teamId" = ${ctx.team.id} FOR SHARE`;
    if (!locked) throw new DomainError("not_found", "That app does not exist in this team.");
    const app = await tx.app.findUniqueOrThrow({
      where: { id: locked.id },
      select: { name: true, outputType: true, purpose: true, retiredAt: true, versions: { orderBy: { version: "desc" }, select: { id: true, version: true, state: true, authorId: true, definition: true } } },
    });
    if (app.retiredAt) throw new DomainError("conflict", `The app “${app.name}” was retired; it can no longer be run.`);
    const version = input.test ? app.versions.find((candidate) => candidate.state === "draft") : app.versions.find((candidate) => candidate.state === "published");
    if (!version) {
      throw new DomainError("conflict", input.test ? "This app has no draft to test; edit it to make one." : `The app “${app.name}” is not published yet; it needs its test runs and an approver first.`);
    }
    if (input.test && version.authorId !== ctx.user.id && !hasRole(ctx.role, "admin")) {
      throw new DomainError("forbidden", "Only the draft's author and the team's admins can test it before it is published.");
    }
    if (input.versionId !== undefined && input.versionId !== version.id) {
      throw new DomainError("conflict", `This app changed since you opened it: version ${version.version} is the one to ${input.test ? "test" : "run"} now. Reload the page to see its cost, then try again.`);
    }
    const definition = version.definition as AppDefinition;
    const given = readValues(definition, input.values);
    const problem = valuesProblem(definition, given);
    if (problem) throw fieldError(`values.${problem.field}`, problem.message);
    const values = { ...defaultValues(definition), ...given };
    const { priceList } = await priceListInForce(ctx.team.id, now, tx);
    const cost = appRunCost(priceList, definition, values);
    if (!cost.ok) throw new DomainError("conflict", `This app cannot be priced by the team's price list now: ${cost.error.message} Its author needs to update it.`);
    const promptInput = definition.inputs.find((candidate) => candidate.kind === "prompt");
    const prompt = promptInput ? String(valueOf(values, promptInput)) : "";
    const plan = planFor(definition, values, 1);
    const items = Array.from({ length: cost.outputs }, (_, index) => ({
      title: cost.outputs === 1 ? app.name : `${app.name} ${index + 1}`,
      outputType: app.outputType as "image" | "video" | "audio",
      purpose: app.purpose as ItemFields["purpose"],
      prompt,
      plan: structuredClone(plan),
      flags: NO_FLAGS,
    }));
    const name = `${app.name}${input.test ? " (test)" : ""}`;
    const notes = `Version ${version.version} of the app “${app.name}”.`;
    const { batchId } = await insertBatchWithItems(tx, ctx, { projectId: input.projectId, name, notes, items, app: { versionId: version.id, test: input.test }, requestKey });
    return { batchId, versionId: version.id, items: items.length };
  });
}

export type SaveDraftInput = { appId: string; name: string; description: string; definition: AppDefinition };

/**
 * Saves a change to an app. A draft nobody has tested yet is changed in place (by its author or an admin); otherwise
 * the change is a new draft version — its test runs start from nought, and the published version stays in use
 * until the new one is published. Runs keep the version they used.
 */
export async function saveDraft(ctx: TeamContext, input: SaveDraftInput, now = appNow()): Promise<{ versionId: string; version: number }> {
  return db().$transaction(async (tx) => {
    const [app] = await tx.$queryRaw<{ id: string; name: string; description: string; outputType: string; retiredAt: Date | null }[]>`
      SELECT "id", "name", "description", "outputType", "retiredAt" FROM "App" WHERE "id" = ${input.appId} AND "teamId" = ${ctx.team.id} FOR UPDATE`;
    if (!app) throw new DomainError("not_found", "That app does not exist in this team.");
    if (app.retiredAt) throw new DomainError("conflict", "This app was retired; it can no longer be changed.");
    // The team finds a published app by its name and description, which no draft versions: changing them is an
    // approver's call, like publishing.
    const renamed = input.name !== app.name || input.description !== app.description;
    if (renamed && !hasRole(ctx.role, "approver") && (await tx.appVersion.count({ where: { appId: app.id, state: "published" } })) > 0) {
      throw fieldError(input.name !== app.name ? "name" : "description", "The team runs this app by its name and description: changing them needs an approver. Change its steps and inputs as a draft.", "forbidden");
    }
    await checkNameFree(tx, ctx.team.id, input.name, app.id);
    const { priceList } = await priceListInForce(ctx.team.id, now, tx);
    const problem = definitionProblem(priceList, app.outputType, input.definition);
    if (problem) throw fieldError(problem.field, problem.message);
    const latest = await tx.appVersion.findFirstOrThrow({
      where: { appId: app.id },
      orderBy: { version: "desc" },
      select: { id: true, version: true, state: true, authorId: true, _count: { select: { batches: { where: { appTest: true } } } } },
    });
    if (latest.state === "draft" && latest.authorId !== ctx.user.id && !hasRole(ctx.role, "admin")) {
      throw new DomainError("forbidden", "Only the draft's author and the team's admins can change it.");
    }
    await tx.app.update({ where: { id: app.id }, data: { name: input.name, description: input.description } });
    let saved: { id: string; version: number };
    if (latest.state === "draft" && latest._count.batches === 0) {
      saved = await tx.appVersion.update({ where: { id: latest.id }, data: { definition: input.definition }, select: { id: true, version: true } });
    } else {
      // A tested draft is set aside (superseded): the new one is tested afresh.
      if (latest.state === "draft") await tx.appVersion.update({ where: { id: latest.id }, data: { state: "superseded" } });
      saved = await tx.appVersion.create({
        data: { teamId: ctx.team.id, appId: app.id, version: latest.version + 1, definition: input.definition, authorId: ctx.user.id, createdAt: now },
        select: { id: true, version: true },
      });
    }
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "app.changed",
      targetType: "app",
      targetId: app.id,
      at: now,
      details: { name: input.name, version: saved.version, steps: input.definition.steps.length, ...(input.name !== app.name ? { from: app.name } : {}) },
    });
    return { versionId: saved.id, version: saved.version };
  });
}

/** How many accepted test runs a new or changed app needs before it is published (admins); audited. */
export async function setAppTestRuns(ctx: TeamContext, appTestRuns: number, now = appNow()): Promise<void> {
  if (!hasRole(ctx.role, "admin")) throw new DomainError("forbidden", "Changing what publishing an app needs takes the admin role or higher.");
  await db().$transaction(async (tx) => {
    const [before] = await tx.$queryRaw<{ appTestRuns: number }[]>`SELECT "appTestRuns" FROM "Team" WHERE "id" = ${ctx.team.id} FOR NO KEY UPDATE`;
    if (!before || before.appTestRuns === appTestRuns) return;
    await tx.team.update({ where: { id: ctx.team.id }, data: { appTestRuns } });
    await recordAudit(tx, {
      teamId: ctx.team.id,
      actorId: ctx.user.id,
      action: "app.test_runs_set",
      targetType: "team",
      targetId: ctx.team.id,
      at: now,
      details: { before: before.appTestRuns, after: appTestRuns },
    });
  });
}
