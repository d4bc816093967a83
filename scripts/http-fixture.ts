// The team `npm run bench:http` reads: eleven people in every role, eight projects with budgets, ten thousand runs over
// ninety days played through the ledger's own operations (so verifyLedger is clean), and approval requests waiting.
// Seeded, so two benchmarks read the same history.
import { hashPassword } from "@/lib/accounts/password";
import type { Role } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import { createRequest } from "@/lib/approvals/request-commands";
import { db } from "@/lib/db/client";
import { setLowBalanceThreshold, setMemberLimit, setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant, newId, runOperationsInOrder, type RunOperation } from "@/lib/ledger/commands";
import { periodAt } from "@/lib/ledger/periods";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { estimateRun } from "@/lib/pricing/estimate";
import { randomFrom } from "@/lib/random";
import { ANSWERS } from "@/test/approvals";

export const FIXTURE_PASSWORD = "bench-http-password";
const TEAM = { slug: "bench-studio", name: "Bench Studio", timeZone: "Europe/Berlin" };
const DAY = 86_400_000;
const DAYS = 90;
const STILL_HELD = 20;
const WAITING_REQUESTS = 40;

const PEOPLE: { key: string; role: Role }[] = [
  { key: "owner", role: "owner" },
  { key: "admin", role: "admin" },
  { key: "approver-1", role: "approver" },
  { key: "approver-2", role: "approver" },
  ...Array.from({ length: 6 }, (_, i) => ({ key: `member-${i + 1}`, role: "member" as Role })),
  { key: "viewer", role: "viewer" },
];

const PROJECTS: { name: string; budget: { credits: number; period: "month" | "week" | "lifetime"; hardCap: boolean } }[] = [
  { name: "Spring campaign", budget: { credits: 3_000_000, period: "month", hardCap: true } },
  { name: "Northwind client work", budget: { credits: 20_000_000, period: "lifetime", hardCap: true } },
  { name: "Social content", budget: { credits: 1_000_000, period: "week", hardCap: false } },
  { name: "Print catalogue", budget: { credits: 3_000_000, period: "month", hardCap: true } },
  { name: "Brand refresh", budget: { credits: 3_000_000, period: "month", hardCap: true } },
  { name: "Product launch video", budget: { credits: 5_000_000, period: "month", hardCap: true } },
  { name: "Podcast audio", budget: { credits: 2_000_000, period: "month", hardCap: false } },
  { name: "Internal experiments", budget: { credits: 1_000_000, period: "month", hardCap: true } },
];

/** What studios run, with how often: tests on budget models, drafts, premium finals, video, audio and tools. */
const KINDS: { weight: number; modelId: string; settings?: Record<string, string>; stage: "test" | "draft" | "final"; purpose: RunOperationPurpose }[] = [
  { weight: 30, modelId: "qwen-image", stage: "test", purpose: "internal_review" },
  { weight: 8, modelId: "sdxl", stage: "test", purpose: "internal_review" },
  { weight: 10, modelId: "flux-2-dev", stage: "draft", purpose: "client_draft" },
  { weight: 8, modelId: "flux-2-pro", stage: "final", purpose: "final_delivery" },
  { weight: 3, modelId: "flux-2-pro", stage: "test", purpose: "internal_review" },
  { weight: 3, modelId: "nano-banana-pro", stage: "final", purpose: "print" },
  { weight: 8, modelId: "wan-2-5-fast", stage: "test", purpose: "internal_review" },
  { weight: 4, modelId: "seedance-lite", stage: "final", purpose: "social_media" },
  { weight: 3, modelId: "seedance-fast", stage: "draft", purpose: "client_draft" },
  { weight: 2, modelId: "veo-3-1", settings: { duration: "6" }, stage: "final", purpose: "final_delivery" },
  { weight: 6, modelId: "speech-turbo", stage: "draft", purpose: "client_draft" },
  { weight: 3, modelId: "speech-hd", stage: "final", purpose: "final_delivery" },
  { weight: 3, modelId: "music-1-5", stage: "final", purpose: "final_delivery" },
  { weight: 5, modelId: "bg-remover", stage: "final", purpose: "web" },
  { weight: 4, modelId: "crystal-upscaler", stage: "final", purpose: "print" },
];
type RunOperationPurpose = "internal_review" | "client_draft" | "final_delivery" | "social_media" | "print" | "web";

export type HttpFixture = {
  team: { id: string; slug: string; name: string };
  people: Record<string, TeamContext & { email: string }>;
  projects: { id: string; name: string }[];
  runs: number;
  waiting: number;
};

/** Makes the team with `runs` runs over the last ninety days up to `now`; returns who is in it and what was made. */
export async function makeHttpFixture(runs: number, now = new Date()): Promise<HttpFixture> {
  const random = randomFrom(20_261_208);
  const start = new Date(now.getTime() - DAYS * DAY);
  const passwordHash = await hashPassword(FIXTURE_PASSWORD);
  const team = await db().team.create({ data: { ...TEAM, createdAt: start }, select: { id: true, slug: true, name: true, timeZone: true } });
  const people: HttpFixture["people"] = {};
  for (const { key, role } of PEOPLE) {
    const email = `${key}@bench.creditwise.test`;
    const user = await db().user.create({ data: { email, name: `Bench ${key}`, passwordHash }, select: { id: true, email: true, name: true } });
    await db().membership.create({ data: { teamId: team.id, userId: user.id, role, createdAt: start } });
    people[key] = { user, team, role, email };
  }
  const owner = people.owner;
  const projects: HttpFixture["projects"] = [];
  for (const { name } of PROJECTS) {
    projects.push(await db().project.create({ data: { teamId: team.id, name, createdById: owner.user.id, createdAt: start }, select: { id: true, name: true } }));
  }

  // Credits: a large top-up that lasts, and a monthly pool that expires at each month's end (expiry in the ledger too).
  const setup = new Date(start.getTime() + 60_000);
  await addGrant(owner, { amount: 60_000_000, source: "Top-up", note: "Bench credits" }, setup);
  await setLowBalanceThreshold(owner, 1_000_000, setup);
  for (const [i, project] of projects.entries()) {
    const { credits, period, hardCap } = PROJECTS[i].budget;
    await setProjectBudget(owner, { projectId: project.id, credits, period, alertPercent: 80, hardCap, weekStartsOn: 1 }, setup);
  }
  await setMemberLimit(owner, { userId: people["member-1"].user.id, scope: "team", credits: 3_000_000, period: "month", weekStartsOn: 1 }, setup);
  await setMemberLimit(owner, { userId: people["member-2"].user.id, scope: projects[2].id, credits: 500_000, period: "week", weekStartsOn: 1 }, setup);
  const pools: Date[] = [];
  for (let month = periodAt(start, { period: "month", timeZone: TEAM.timeZone }); month.start! < now; month = periodAt(month.end!, { period: "month", timeZone: TEAM.timeZone })) {
    pools.push(month.start! < start ? new Date(setup.getTime() + 60_000) : month.start!);
  }

  // The runs: random moments over the ninety days, each ending a few minutes later (4 % failed, a few over their
  // estimate), the last STILL_HELD still on hold.
  const creators = Object.values(people).filter((person) => person.role !== "viewer");
  const totalWeight = KINDS.reduce((sum, kind) => sum + kind.weight, 0);
  const pickKind = () => {
    let roll = random() * totalWeight;
    for (const kind of KINDS) if ((roll -= kind.weight) < 0) return kind;
    return KINDS[0];
  };
  const span = now.getTime() - 3_600_000 - (setup.getTime() + 120_000);
  const moments = Array.from({ length: runs }, () => setup.getTime() + 120_000 + random() * span).sort((a, b) => a - b);
  type Timed = { at: Date; operation: RunOperation };
  const timeline: Timed[] = [];
  moments.forEach((moment, i) => {
    const kind = pickKind();
    const ctx = creators[Math.floor(random() * creators.length)];
    const quantity = 1 + Math.floor(random() * 4);
    const at = new Date(moment);
    const runId = newId("run");
    const request = {
      projectId: projects[Math.floor(random() * projects.length)].id,
      modelId: kind.modelId,
      settings: kind.settings ?? {},
      quantity,
      stage: kind.stage,
      purpose: kind.purpose,
      prompt: `Bench prompt ${1 + Math.floor(random() * 400)}`,
      notes: "",
    };
    timeline.push({ at, operation: { op: "admit", ctx, at, runId, request } });
    if (i >= runs - STILL_HELD) return;
    const endAt = new Date(moment + (1 + random() * 4) * 60_000);
    const roll = random();
    const estimate = estimateRun(DEFAULT_PRICE_LIST, request);
    if (!estimate.ok) throw new Error(`The bench fixture prices ${kind.modelId}: ${estimate.error.message}`);
    const outcome = roll < 0.7 ? "accepted" : roll < 0.9 ? "rejected" : "needs_edit";
    timeline.push({
      at: endAt,
      operation:
        roll < 0.04
          ? { op: "release", ctx, at: endAt, input: { runId, failed: true, reason: "The platform reported a failed generation" } }
          : { op: "settle", ctx, at: endAt, input: { runId, actual: estimate.credits + (roll > 0.985 ? 10 : 0), outcome } },
    });
  });
  timeline.sort((a, b) => a.at.getTime() - b.at.getTime());

  // Played in order, a thousand operations to a round trip; each monthly pool is granted at its moment between them.
  let admitted = 0;
  let pending: RunOperation[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    const answers = await runOperationsInOrder(team.id, pending);
    admitted += answers.filter((answer) => answer.ok && answer.admission?.status === "admitted").length;
    pending = [];
  };
  for (const { at, operation } of timeline) {
    while (pools.length > 0 && pools[0] <= at) {
      await flush();
      const grantAt = pools.shift()!;
      await addGrant(owner, { amount: 500_000, source: "Monthly pool", note: "", expiresAt: periodAt(grantAt, { period: "month", timeZone: TEAM.timeZone }).end! }, grantAt);
    }
    pending.push(operation);
    if (pending.length >= 1_000) await flush();
  }
  await flush();

  // Premium finals waiting for a decision, asked by the members (today, so none has lapsed).
  const members = creators.filter((person) => person.role === "member");
  for (let i = 0; i < WAITING_REQUESTS; i++) {
    await createRequest(
      members[i % members.length],
      { projectId: projects[i % projects.length].id, modelId: "flux-2-pro", settings: {}, quantity: 1 + (i % 3), stage: "final", purpose: "final_delivery", notes: "", answers: ANSWERS },
      new Date(now.getTime() - (WAITING_REQUESTS - i) * 60_000),
    );
  }
  return { team, people, projects, runs: admitted, waiting: WAITING_REQUESTS };
}
