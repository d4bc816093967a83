// A team with one row of every kind an input can name — a held run, a batch and its item, an app (published and a
// draft), an approval request, an invitation, a key, a draft import — so the fuzz suite's ids reach real rows, of the
// team called and of another.
import { createApp } from "@/lib/apps/commands";
import { createRequest } from "@/lib/approvals/request-commands";
import { addItem, createBatch } from "@/lib/batches/commands";
import { db } from "@/lib/db/client";
import { stageUpload } from "@/lib/imports/commands";
import { addGrant, admitRun } from "@/lib/ledger/commands";
import { NO_FLAGS } from "@/lib/recommendations";
import { inviteMember } from "@/lib/teams/commands";
import { makeApiKey } from "./api";
import { cheapTest, premiumRequest } from "./approvals";
import { productShotApp, publishedApp } from "./apps";
import { makeTeam, type TeamFixture } from "./fixtures";
import { chunks, sample } from "./imports";
import { contextOf } from "./results";

export type FuzzTeam = TeamFixture & { apiKey: string };

export async function makeFuzzTeam(): Promise<FuzzTeam> {
  const fixture = await makeTeam();
  const admin = contextOf(fixture, "admin");
  const member = contextOf(fixture, "member");
  await addGrant(admin, { amount: 100_000, source: "Top-up", note: "" });
  await publishedApp(fixture);
  await createApp(member, productShotApp("Draft app"));
  const { batchId } = await createBatch(member, { projectId: fixture.projectId, name: "Fuzz batch", notes: "" });
  const plan = { tests: { modelId: "qwen-image", settings: {}, count: 2 }, finals: { modelId: "flux-2-dev", settings: {}, count: 1 }, tools: [] };
  await addItem(member, { batchId, title: "Hero", outputType: "image", purpose: "final_delivery", prompt: "A kite", plan, flags: NO_FLAGS });
  await admitRun(member, cheapTest(fixture.projectId));
  await createRequest(member, premiumRequest(fixture.projectId));
  await inviteMember(admin, { email: `invited-${fixture.team.slug}@example.test`, role: "member" }, "http://localhost:3000");
  await stageUpload(admin, "usage.csv", chunks(sample("runs-sample.csv", fixture)));
  const { secret } = await makeApiKey(fixture);
  return { ...fixture, apiKey: secret };
}

/** Puts the fixture's people back in their roles (an accepted input may have removed one, or changed a role). */
export async function restoreMembers(fixture: TeamFixture): Promise<void> {
  for (const [role, user] of Object.entries(fixture.people)) {
    await db().membership.upsert({
      where: { teamId_userId: { teamId: fixture.team.id, userId: user.id } },
      create: { teamId: fixture.team.id, userId: user.id, role: role as keyof TeamFixture["people"] },
      update: { role: role as keyof TeamFixture["people"] },
    });
  }
}
