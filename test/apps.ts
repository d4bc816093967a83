// The app the tests build: generate on Flux 2 Dev at 2K → remove the background → upscale ×2 for print (620 credits
// an output at the default price list), and the same app made and published in a fixture's team.
import { createApp, publishVersion, runApp } from "@/lib/apps/commands";
import type { AppInput, AppStep } from "@/lib/apps/rules";
import { createAppSchema, type CreateAppInput } from "@/lib/apps/schema";
import { db } from "@/lib/db/client";
import type { TeamFixture } from "./fixtures";

export const PRODUCT_SHOT_STEPS: AppStep[] = [
  { modelId: "flux-2-dev", settings: { resolution: "2k" } },
  { modelId: "bg-remover", settings: {} },
  { modelId: "crystal-upscaler", settings: { scale: "2x" } },
];

/** A prompt, and one to four variants (two unless chosen). */
export const PRODUCT_SHOT_INPUTS: AppInput[] = [
  { kind: "prompt", key: "prompt", label: "Prompt", default: "A red kite on white", maxLength: 2000 },
  { kind: "outputs", key: "variants", label: "Variants", min: 1, max: 4, default: 2 },
];

export function productShotApp(name = "Product shot", inputs: AppInput[] = PRODUCT_SHOT_INPUTS): CreateAppInput {
  return createAppSchema.parse({
    name,
    description: "A cut-out product image ready for print",
    outputType: "image",
    purpose: "print",
    definition: { steps: PRODUCT_SHOT_STEPS, inputs },
  });
}

/**
 * The product-shot app made by the fixture's member and published by its approver, the team asking for no accepted
 * test runs first (as a team that publishes on an approver's word would).
 */
export async function publishedApp(fixture: TeamFixture, app: CreateAppInput = productShotApp()): Promise<{ appId: string; versionId: string }> {
  const member = { user: fixture.people.member, team: fixture.team, role: "member" as const };
  const created = await createApp(member, app);
  await db().team.update({ where: { id: fixture.team.id }, data: { appTestRuns: 0 } });
  await publishVersion({ user: fixture.people.approver, team: fixture.team, role: "approver" }, created.versionId);
  return created;
}

/** The member's draft of the product shot and a one-output test batch of it, with its item. */
export async function appTestItem(fixture: TeamFixture) {
  const member = { user: fixture.people.member, team: fixture.team, role: "member" as const };
  const { appId, versionId } = await createApp(member, productShotApp());
  const { batchId } = await runApp(member, { appId, projectId: fixture.projectId, values: { variants: 1 }, test: true });
  const [item] = await db().batchItem.findMany({ where: { batchId } });
  return { appId, versionId, batchId, item };
}
