// The API's app answers: the catalog's rows (lib/apps listApps), one app (getApp, priced step by step with the price
// list in force), and the batch a run made.
import "server-only";
import type { z } from "zod";
import { appCostRange, appRunCost, defaultValues, type AppDefinition, type AppInput } from "@/lib/apps/rules";
import type { AppDetail, AppSummary } from "@/lib/apps/queries";
import type { ApiContext } from "@/lib/authz/api";
import type { PriceListInForce } from "@/lib/price-lists/queries";
import type { StepEstimate } from "@/lib/recommendations/estimate";
import type { StoredAnswer } from "./idempotency";
import type { appAnswer, appInput, appSummaryAnswer } from "./operations/apps";
import { apiBase } from "./runs";

type AppBody = z.output<typeof appAnswer>;

function appLinks(ctx: ApiContext, appId: string) {
  return { self: `${apiBase(ctx)}/apps/${appId}`, run: `${apiBase(ctx)}/apps/${appId}/runs` };
}

/** An input as the API answers it: only its own fields, so a definition's stray keys never reach an answer. */
function inputAnswer(input: AppInput): z.output<typeof appInput> {
  const { key, label } = input;
  switch (input.kind) {
    case "prompt":
      return { kind: "prompt", key, label, default: input.default, maxLength: input.maxLength };
    case "setting":
      return { kind: "setting", key, label, step: input.step, setting: input.setting, options: [...input.options], default: input.default };
    case "outputs":
      return { kind: "outputs", key, label, min: input.min, max: input.max, default: input.default };
  }
}

function appUseAnswer(use: AppSummary["use"]): AppBody["use"] {
  return { ...use, lastUsedAt: use.lastUsedAt?.toISOString() ?? null };
}

const versionRef = (version: { id: string; version: number } | null) => version && { id: version.id, version: version.version };

export function appListRow(ctx: ApiContext, app: AppSummary): z.output<typeof appSummaryAnswer> {
  return {
    id: app.id,
    name: app.name,
    description: app.description,
    outputType: app.outputType as AppBody["outputType"],
    purpose: app.purpose as AppBody["purpose"],
    retired: app.retired,
    published: versionRef(app.published),
    draft: versionRef(app.draft),
    inputs: app.inputs.map(inputAnswer),
    use: appUseAnswer(app.use),
    cost: app.cost,
    links: appLinks(ctx, app.id),
  };
}

/** A priced step of the plan an app run makes, as the app's own step: finals are step 0, tool i is step i + 1. */
function stepCostAnswer(step: StepEstimate): NonNullable<AppBody["cost"]>["steps"][number] {
  const { stage: _stage, index, ...rest } = step;
  void _stage;
  return { step: step.stage === "tools" ? index + 1 : 0, ...rest };
}

/** What a run of this definition costs with its default inputs, step by step, and its range; null when it cannot be priced. */
function costAnswer(inForce: PriceListInForce, definition: AppDefinition): AppBody["cost"] {
  const perRun = appRunCost(inForce.priceList, definition, defaultValues(definition));
  const range = appCostRange(inForce.priceList, definition);
  if (!perRun.ok || !range.ok) return null;
  return {
    priceListVersion: inForce.version,
    perRun: perRun.credits,
    perOutput: perRun.perOutput,
    outputs: perRun.outputs,
    min: range.min,
    max: range.max,
    steps: perRun.steps.map(stepCostAnswer),
  };
}

export function appDetailAnswer(ctx: ApiContext, found: AppDetail, inForce: PriceListInForce): AppBody {
  const { app, published, draft } = found;
  const inUse = published ?? draft;
  const definitionOf = (version: { definition: AppDefinition }) => ({
    steps: version.definition.steps.map((step) => ({ modelId: step.modelId, settings: { ...step.settings } })),
    inputs: version.definition.inputs.map(inputAnswer),
  });
  return {
    id: app.id,
    name: app.name,
    description: app.description,
    outputType: app.outputType as AppBody["outputType"],
    purpose: app.purpose,
    retired: app.retiredAt !== null,
    published: versionRef(published),
    draft: versionRef(draft),
    createdAt: app.createdAt.toISOString(),
    createdBy: app.createdBy,
    retiredAt: app.retiredAt?.toISOString() ?? null,
    requiredTestRuns: found.requiredTestRuns,
    ...(inUse ? definitionOf(inUse) : { steps: [], inputs: [] }),
    cost: inUse ? costAnswer(inForce, inUse.definition) : null,
    versions: found.versions.map((version) => ({
      id: version.id,
      version: version.version,
      state: version.state,
      author: version.author,
      createdAt: version.createdAt.toISOString(),
      publishedAt: version.publishedAt?.toISOString() ?? null,
      publishedBy: version.publishedBy,
      acceptedTestRuns: version.acceptedTestRuns,
      ...definitionOf(version),
    })),
    batches: found.batches.map((batch) => ({
      id: batch.id,
      name: batch.name,
      version: batch.version,
      test: batch.test,
      project: { id: batch.projectId, name: batch.projectName },
      createdAt: batch.createdAt.toISOString(),
      createdBy: batch.createdBy,
      items: batch.items,
      runs: batch.runs,
      accepted: batch.accepted,
      spent: batch.spent,
      links: { self: `${apiBase(ctx)}/batches/${batch.id}`, page: `/t/${ctx.team.slug}/batches/${batch.id}` },
    })),
    use: appUseAnswer(found.use),
    links: appLinks(ctx, app.id),
  };
}

export function appRunAnswer(ctx: ApiContext, started: { batchId: string; versionId: string; items: number }, test: boolean): StoredAnswer {
  return {
    status: 201,
    body: {
      batchId: started.batchId,
      versionId: started.versionId,
      test,
      items: started.items,
      links: { batch: `${apiBase(ctx)}/batches/${started.batchId}`, page: `/t/${ctx.team.slug}/batches/${started.batchId}` },
    },
  };
}
