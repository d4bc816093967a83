// Demo data: a studio with one person in each role, four projects, and three months of history played through the
// ledger's own operations (so `npm run ledger:verify` is clean), so a fresh copy shows credits, budgets and runs at once.
import { hashPassword } from "@/lib/accounts/password";
import { createApp, publishVersion, runApp } from "@/lib/apps/commands";
import { createAppSchema } from "@/lib/apps/schema";
import { addItem, createBatch, recordItemRun } from "@/lib/batches/commands";
import type { ItemFields } from "@/lib/batches/schema";
import { NO_FLAGS } from "@/lib/recommendations/types";
import type { TeamContext } from "@/lib/authz/team";
import { setLowBalanceThreshold, setMemberLimit, setProjectBudget } from "@/lib/ledger/budgets";
import { addGrant, newId, runOperationsInOrder, settleRun, type RunOperation } from "@/lib/ledger/commands";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { estimateRun } from "@/lib/pricing/estimate";
import { db } from "./client";
import { demoHistory, type DemoEvent, type DemoPerson, type DemoProject } from "./demo-history";

export const DEMO_PASSWORD = "creditwise-demo";
export const DEMO_TEAM = { slug: "demo-studio", name: "Demo Studio", timeZone: "Europe/Berlin" };

export const DEMO_PEOPLE = [
  { key: "owner", email: "owner@demo.creditwise.test", name: "Ada Owner", role: "owner" },
  { key: "admin", email: "admin@demo.creditwise.test", name: "Sam Admin", role: "admin" },
  { key: "approver", email: "approver@demo.creditwise.test", name: "Alex Approver", role: "approver" },
  { key: "member", email: "member@demo.creditwise.test", name: "Mia Member", role: "member" },
  { key: "creator", email: "creator@demo.creditwise.test", name: "Jo Creator", role: "member" },
  { key: "viewer", email: "viewer@demo.creditwise.test", name: "Vic Viewer", role: "viewer" },
] as const;

const DEMO_PROJECTS: { key: DemoProject; name: string; description: string }[] = [
  { key: "spring", name: "Spring campaign", description: "Key visuals and a 15 s teaser for the spring launch." },
  { key: "northwind", name: "Northwind client work", description: "Product stills and voiceovers for Northwind." },
  { key: "social", name: "Social content", description: "Weekly posts: images and short clips." },
  { key: "catalogue", name: "Print catalogue", description: "Cut-out product shots for the printed catalogue." },
];

export type SeedOutcome = { created: boolean; reason?: string; runs?: number };

/**
 * Creates the demo team unless it exists; with `onlyIfEmpty`, unless anyone has signed up at all.
 * Works on the process's database (lib/db/client), as the ledger's operations do.
 */
export async function seedDemo({ onlyIfEmpty = false, now = new Date() } = {}): Promise<SeedOutcome> {
  const client = db();
  if (onlyIfEmpty && (await client.user.count()) > 0) return { created: false, reason: "the database already has accounts" };
  if (await client.team.findUnique({ where: { slug: DEMO_TEAM.slug }, select: { id: true } })) {
    return { created: false, reason: `the team ${DEMO_TEAM.slug} already exists` };
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const history = demoHistory(now, { timeZone: DEMO_TEAM.timeZone });
  // The studio and its projects date from the start of their history, not from the moment it was made.
  const founded = new Date(history[0].at.getTime() - 60 * 60_000);
  const { people, projects } = await client.$transaction(async (tx) => {
    const team = await tx.team.create({ data: { ...DEMO_TEAM, createdAt: founded }, select: { id: true, slug: true, name: true, timeZone: true } });
    const people = {} as Record<(typeof DEMO_PEOPLE)[number]["key"], TeamContext>;
    for (const person of DEMO_PEOPLE) {
      const user = await tx.user.upsert({
        where: { email: person.email },
        update: {},
        create: { email: person.email, name: person.name, passwordHash },
        select: { id: true, email: true, name: true },
      });
      await tx.membership.create({ data: { teamId: team.id, userId: user.id, role: person.role, createdAt: founded } });
      people[person.key] = { user, team, role: person.role };
    }
    const projects = {} as Record<DemoProject, string>;
    for (const { key, ...project } of DEMO_PROJECTS) {
      projects[key] = (
        await tx.project.create({ data: { ...project, teamId: team.id, createdById: people.owner.user.id, createdAt: founded }, select: { id: true } })
      ).id;
    }
    await tx.auditLog.create({
      data: { teamId: team.id, actorId: people.owner.user.id, action: "team.created", details: { name: DEMO_TEAM.name, demo: true }, createdAt: founded },
    });
    return { people, projects };
  });
  const runs = await playHistory(history, people, projects, now);
  await trimNorthwindBudget(people.admin, projects.northwind, now);
  await seedApp(people.creator, people.approver, projects.catalogue);
  await seedBatch(people.member, projects.spring, now);
  return { created: true, runs };
}

/**
 * The admin trims Northwind's lifetime budget to what its runs came to, so it stands at about 88 %: one budget past
 * its alert and short of its cap, whatever day the demo is made (what the ledger refused in the history, for a
 * member's limit, is not counted: the figure comes from the runs as they were recorded).
 */
async function trimNorthwindBudget(admin: TeamContext, projectId: string, now: Date) {
  const runs = await db().run.findMany({ where: { teamId: admin.team.id, projectId }, select: { state: true, estimate: true, actual: true, refunded: true } });
  const used = runs.reduce((sum, run) => sum + (run.state === "held" ? run.estimate : run.state === "settled" ? (run.actual ?? 0) - run.refunded : 0), 0);
  const credits = Math.max(1_000, Math.ceil(used / 0.88 / 1_000) * 1_000);
  await setProjectBudget(admin, { projectId, credits, period: "lifetime", alertPercent: 80, hardCap: true, weekStartsOn: 1 }, new Date(now.getTime() - 10 * 60_000));
}

const step = (modelId: string, count: number) => ({ modelId, settings: {}, count });

/**
 * Six assets of the spring launch as a first plan would have them, with the waste the seed guide warns
 * about, so the batch page and the Recommendations page have findings to show: premium tests, a concept
 * check on premium video, a draft voiceover on the premium voice, a print final without an upscale, an
 * upscale for web-only use, and a video where a still would do.
 */
const SPRING_ITEMS: ItemFields[] = [
  { title: "Hero key visual", outputType: "image", purpose: "final_delivery", prompt: "A kite festival on a spring meadow, morning light, wide shot", plan: { tests: step("flux-2-pro", 5), finals: step("flux-2-pro", 1), tools: [] }, flags: NO_FLAGS },
  { title: "Teaser concept check", outputType: "video", purpose: "internal_review", prompt: "Kites rising one after another, 15 seconds, handheld feel", plan: { tests: step("veo-3-1", 2), finals: null, tools: [] }, flags: NO_FLAGS },
  { title: "Draft voiceover", outputType: "audio", purpose: "internal_review", prompt: "Warm voice: “Spring is in the air. So are we.”", plan: { tests: null, finals: step("speech-hd", 1), tools: [] }, flags: NO_FLAGS },
  { title: "Print poster A2", outputType: "image", purpose: "print", prompt: "Poster: one red kite against a pale blue sky, space for a headline", plan: { tests: step("qwen-image", 4), finals: step("flux-2-pro", 1), tools: [] }, flags: NO_FLAGS },
  { title: "Web banner", outputType: "image", purpose: "web", prompt: "Wide banner of kites over the city skyline", plan: { tests: step("qwen-image", 3), finals: step("flux-2-dev", 1), tools: [step("crystal-upscaler", 1)] }, flags: { ...NO_FLAGS, webOnly: true } },
  { title: "Social post loop", outputType: "video", purpose: "social_media", prompt: "A kite tail fluttering, seamless loop", plan: { tests: step("seedance-fast", 3), finals: step("seedance-fast", 1), tools: [] }, flags: { ...NO_FLAGS, stillWouldDo: true } },
];

/**
 * "Catalogue cut-out", an app the team can run at once: a member made it (Flux 2 Dev at 2K → remove the background →
 * upscale ×2 for print), tested it with three outputs whose finals went through the ledger and were accepted, and the
 * approver published it.
 */
async function seedApp(creator: TeamContext, approver: TeamContext, projectId: string) {
  const app = createAppSchema.parse({
    name: "Catalogue cut-out",
    description: "A product on its own, background removed and upscaled for the printed catalogue. Write what the product is; choose how many variants.",
    outputType: "image",
    purpose: "print",
    definition: {
      steps: [
        { modelId: "flux-2-dev", settings: { resolution: "2k" } },
        { modelId: "bg-remover", settings: {} },
        { modelId: "crystal-upscaler", settings: { scale: "2x" } },
      ],
      inputs: [
        { kind: "prompt", key: "prompt", label: "What the product is", default: "Ceramic vase, catalogue cut-out, even light", maxLength: 1000 },
        { kind: "outputs", key: "variants", label: "Variants", min: 1, max: 4, default: 2 },
      ],
    },
  });
  const { appId, versionId } = await createApp(creator, app);
  const { batchId } = await runApp(creator, { appId, projectId, values: { variants: 3 }, test: true });
  const items = await db().batchItem.findMany({ where: { batchId }, orderBy: { position: "asc" }, select: { id: true } });
  for (const item of items) {
    const admitted = await recordItemRun(creator, { itemId: item.id, stage: "final", quantity: 1, notes: "" });
    if (admitted.status !== "admitted") throw new Error(`A test run of the demo app was not admitted (${admitted.status}).`);
    await settleRun(creator, { runId: admitted.runId, actual: admitted.estimate, outcome: "accepted" });
  }
  await publishVersion(approver, versionId);
}

/** The "Launch assets" batch of the spring campaign, due in two weeks, planned by a member through the batch commands. */
async function seedBatch(member: TeamContext, projectId: string, now: Date) {
  const due = new Date(now.getTime() + 14 * 24 * 60 * 60_000).toISOString().slice(0, 10);
  const { batchId } = await createBatch(member, { projectId, name: "Launch assets", dueDate: due, notes: "Key visual, teaser, voiceover, poster, banner and a social loop for the launch." });
  for (const item of SPRING_ITEMS) await addItem(member, { batchId, ...item });
}

/**
 * Plays the history in order through the ledger's operations: grants, budgets and limits one by one,
 * and the runs between them in order, many to a round trip. A run the ledger refuses (a budget's hard
 * cap, a member's limit) is left out, as it would have been, and so is what would have ended it.
 */
async function playHistory(
  history: DemoEvent[],
  people: Record<DemoPerson | "viewer", TeamContext>,
  projects: Record<DemoProject, string>,
  now: Date,
): Promise<number> {
  const admin = people.admin;
  const teamId = admin.team.id;
  type Timed = { at: Date; operation: RunOperation };
  const endings: Timed[] = [];
  let pending: RunOperation[] = [];
  let admitted = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const answers = await runOperationsInOrder(teamId, pending);
    admitted += answers.filter((answer) => answer.ok && answer.admission?.status === "admitted").length;
    pending = [];
  };
  const queueEndingsUntil = (until: Date) => {
    endings.sort((a, b) => a.at.getTime() - b.at.getTime());
    while (endings.length > 0 && endings[0].at <= until) pending.push(endings.shift()!.operation);
  };
  for (const event of history) {
    queueEndingsUntil(event.at);
    if (event.kind === "run") {
      const ctx = people[event.person];
      const runId = newId("run");
      pending.push({
        op: "admit",
        ctx,
        at: event.at,
        runId,
        request: { projectId: projects[event.project], modelId: event.modelId, settings: event.settings, quantity: event.quantity, stage: event.stage, purpose: event.purpose, prompt: event.prompt, notes: event.notes },
      });
      const end = event.end;
      if (!end) continue;
      // An ending of a run that was refused answers "does not exist" and changes nothing.
      endings.push({
        at: end.at,
        operation:
          "failed" in end
            ? { op: "release", ctx, at: end.at, input: { runId, failed: true, reason: "The platform reported a failed generation" } }
            : { op: "settle", ctx, at: end.at, input: { runId, actual: estimateOf(event) + (end.extra ?? 0), outcome: end.outcome } },
      });
      continue;
    }
    await flush();
    if (event.kind === "grant") {
      await addGrant(admin, { amount: event.amount, source: event.source, note: event.note, expiresAt: event.expiresAt }, event.at);
    } else if (event.kind === "budget") {
      const { project, credits, period, alertPercent, hardCap, at } = event;
      await setProjectBudget(admin, { projectId: projects[project], credits, period, alertPercent, hardCap, weekStartsOn: 1 }, at);
    } else if (event.kind === "low-balance alert") {
      await setLowBalanceThreshold(admin, event.threshold, event.at);
    } else {
      await setMemberLimit(
        admin,
        { userId: people[event.person].user.id, scope: event.scope === "team" ? "team" : projects[event.scope], credits: event.credits, period: event.period, weekStartsOn: 1 },
        event.at,
      );
    }
  }
  queueEndingsUntil(now);
  await flush();
  return admitted;
}

/** What a run of the history costs on the default price list: the platform charged the estimate. */
function estimateOf(run: { modelId: string; settings: Record<string, string>; quantity: number }): number {
  const estimate = estimateRun(DEFAULT_PRICE_LIST, run);
  if (!estimate.ok) throw new Error(`Demo history prices ${run.modelId}: ${estimate.error.message}`);
  return estimate.credits;
}

export function demoSignInText(baseUrl: string): string {
  const lines = [
    `Demo team "${DEMO_TEAM.name}" is ready at ${baseUrl}/t/${DEMO_TEAM.slug}`,
    `Sign in with any of these (password: ${DEMO_PASSWORD}):`,
    ...DEMO_PEOPLE.map((person) => `  ${person.role.padEnd(9)} ${person.email}`),
  ];
  return lines.join("\n");
}
