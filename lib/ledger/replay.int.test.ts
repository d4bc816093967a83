// A resend is answered as the first request was even when the price list changed in between: the key remembers what
// was asked, not what it cost then (a lost answer must never leave a hold nobody knows about).
import { beforeAll, expect, it } from "vitest";
import type { TeamContext } from "@/lib/authz/team";
import { db } from "@/lib/db/client";
import { updatePriceEntry } from "@/lib/price-lists/commands";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, withoutApprovals, type TeamFixture } from "@/test/fixtures";
import { contextOf } from "@/test/results";
import { addGrant, admitRun } from "./commands";

describeEachDatabase("resending an admission", () => {
  let fixture: TeamFixture;
  let admin: TeamContext;
  let member: TeamContext;

  beforeAll(async () => {
    fixture = await makeTeam();
    await withoutApprovals(fixture.team.id);
    admin = contextOf(fixture, "admin");
    member = contextOf(fixture, "member");
    await addGrant(admin, { amount: 10_000, source: "Top-up", note: "" });
  });

  it("after a price change gets the first answer, and holds nothing more", async () => {
    const request = { projectId: fixture.projectId, modelId: "qwen-image", settings: {}, quantity: 5, stage: "test", purpose: "internal_review", notes: "", idempotencyKey: "resend-after-price-change" } as const;
    const first = await admitRun(member, request);
    expect(first).toMatchObject({ status: "admitted", estimate: 100 });
    await updatePriceEntry(admin, { modelId: "qwen-image", credits: 30 }, { effective: { effective: "now" }, note: "" });
    const resent = await admitRun(member, request);
    expect(resent).toMatchObject({ status: "admitted", estimate: 100, replayed: true });
    expect(resent.status === "admitted" && first.status === "admitted" && resent.runId === first.runId).toBe(true);
    expect(await db().run.count({ where: { teamId: fixture.team.id } })).toBe(1);
    // The same key with another request is still refused.
    await expect(admitRun(member, { ...request, quantity: 6 })).rejects.toThrow(/already used for a different request/);
  });
});
