// The demo studio's last three months as plain data: grants, budgets, limits and runs with how they settled. Pure and
// deterministic: the same day gives the same history. lib/db/seed.ts plays it through the ledger's own operations.
import { periodAt } from "@/lib/ledger/periods";
import { randomFrom } from "@/lib/random";

export type DemoPerson = "owner" | "admin" | "approver" | "member" | "creator";
export type DemoProject = "spring" | "northwind" | "social" | "catalogue";

export type DemoEvent =
  | { kind: "grant"; at: Date; amount: number; source: "Monthly pool" | "Top-up" | "Promotion"; note: string; expiresAt?: Date }
  | {
      kind: "budget";
      at: Date;
      project: DemoProject;
      credits: number;
      period: "lifetime" | "month" | "week";
      alertPercent: number;
      hardCap: boolean;
    }
  | { kind: "limit"; at: Date; person: DemoPerson; scope: DemoProject | "team"; credits: number; period: "month" | "week" }
  | { kind: "low-balance alert"; at: Date; threshold: number }
  | {
      kind: "run";
      at: Date;
      person: DemoPerson;
      project: DemoProject;
      modelId: string;
      settings: Record<string, string>;
      quantity: number;
      stage: "test" | "draft" | "final";
      purpose: "internal_review" | "client_draft" | "final_delivery" | "social_media" | "print" | "web";
      /** What was asked of the model: the Usage page's Prompt column and the "prompts that work first time" insight read it. */
      prompt: string;
      /** A note of the person's own, mostly none. */
      notes: string;
      /** How it ended; absent: still on hold. `extra` is what the platform charged above the estimate. */
      end?: { at: Date; outcome: "accepted" | "rejected" | "needs_edit"; extra?: number } | { at: Date; failed: true };
    };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Step = Omit<Extract<DemoEvent, { kind: "run" }>, "kind" | "at" | "end" | "person" | "project" | "prompt" | "notes"> & {
  notes?: string;
  outcome?: "accepted" | "rejected" | "needs_edit";
};

/** The kinds of work a studio does, as the runs each takes; some are the wasteful patterns the guide warns about. */
const JOBS: { weight: number; projects: DemoProject[]; steps: (random: () => number) => Step[] }[] = [
  {
    // The guide's way: prompt tests on Qwen Image, one final on Flux 2 Pro.
    weight: 8,
    projects: ["spring", "northwind", "social", "catalogue"],
    steps: (random) => [
      ...repeat(2 + Math.floor(random() * 4), () => image("qwen-image", "test", "internal_review", random() < 0.6 ? "accepted" : "rejected")),
      image("flux-2-pro", "final", "final_delivery", random() < 0.9 ? "accepted" : "needs_edit"),
    ],
  },
  {
    // Good-quality drafts for a client on Flux 2 Dev.
    weight: 4,
    projects: ["northwind", "spring"],
    steps: (random) => [
      image("qwen-image", "test", "internal_review", "accepted"),
      { ...image("flux-2-dev", "draft", "client_draft", random() < 0.8 ? "accepted" : "rejected"), quantity: 2 },
    ],
  },
  {
    // Waste: prompt tests on a premium model.
    weight: 2,
    projects: ["spring", "social"],
    steps: (random) => [
      ...repeat(3 + Math.floor(random() * 3), () => image("flux-2-pro", "test", "internal_review", random() < 0.5 ? "accepted" : "rejected")),
      image("flux-2-pro", "final", "final_delivery", "accepted"),
    ],
  },
  {
    // Print: a Nano Banana Pro final, cut out and upscaled.
    weight: 2,
    projects: ["catalogue"],
    steps: (random) => [
      ...repeat(3, () => image("qwen-image", "test", "internal_review", random() < 0.7 ? "accepted" : "rejected")),
      image("nano-banana-pro", "final", "print", random() < 0.8 ? "accepted" : "rejected"),
      { modelId: "bg-remover", settings: {}, quantity: 1, stage: "final", purpose: "print", outcome: "accepted" },
      { modelId: "crystal-upscaler", settings: {}, quantity: 1, stage: "final", purpose: "print", outcome: "accepted" },
    ],
  },
  {
    // Waste: an upscale of an image that only goes on the web.
    weight: 1,
    projects: ["social"],
    steps: () => [
      image("flux-2-dev", "final", "social_media", "accepted"),
      { modelId: "crystal-upscaler", settings: { scale: "2x" }, quantity: 1, stage: "final", purpose: "web", outcome: "accepted", notes: "Upscaled for the website" },
    ],
  },
  {
    // Video the guide's way: tests on Wan Fast, a Seedance draft, a Veo final.
    weight: 2,
    projects: ["spring", "northwind"],
    steps: (random) => [
      ...repeat(2 + Math.floor(random() * 3), () => video("wan-2-5-fast", "test", "internal_review", random() < 0.6 ? "accepted" : "rejected")),
      video("seedance-fast", "draft", "client_draft", "accepted"),
      { ...video("veo-3-1", "final", "final_delivery", random() < 0.85 ? "accepted" : "rejected"), settings: { duration: "6" } },
    ],
  },
  {
    // Short clips for social on Seedance Lite.
    weight: 2,
    projects: ["social"],
    steps: (random) => [
      video("wan-2-5-fast", "test", "internal_review", "accepted"),
      video("seedance-lite", "final", "social_media", random() < 0.8 ? "accepted" : "needs_edit"),
    ],
  },
  {
    // Waste: iterating on a premium video model.
    weight: 1,
    projects: ["spring"],
    steps: (random) => [
      ...repeat(2, () => ({ ...video("veo-3-1", "test", "internal_review", random() < 0.5 ? "accepted" : "rejected"), settings: { duration: "4" } })),
    ],
  },
  {
    // Voiceovers: drafts on Speech Turbo, the final on Speech HD; music for the background.
    weight: 3,
    projects: ["northwind", "spring", "social"],
    steps: (random) => [
      ...repeat(1 + Math.floor(random() * 3), () => audio("speech-turbo", "draft", "client_draft", "accepted")),
      audio("speech-hd", "final", "final_delivery", "accepted"),
      ...(random() < 0.5 ? [audio("music-1-5", "final", "final_delivery", "accepted")] : []),
    ],
  },
  {
    // Waste: draft voiceovers on the HD voice.
    weight: 1,
    projects: ["northwind"],
    steps: () => repeat(3, () => audio("speech-hd", "draft", "client_draft", "accepted")),
  },
];

function repeat<T>(times: number, make: () => T): T[] {
  return Array.from({ length: times }, make);
}

function image(modelId: string, stage: Step["stage"], purpose: Step["purpose"], outcome: Step["outcome"]): Step {
  return { modelId, settings: {}, quantity: 1, stage, purpose, outcome };
}

function video(modelId: string, stage: Step["stage"], purpose: Step["purpose"], outcome: Step["outcome"]): Step {
  return { modelId, settings: {}, quantity: 1, stage, purpose, outcome };
}

function audio(modelId: string, stage: Step["stage"], purpose: Step["purpose"], outcome: Step["outcome"]): Step {
  return { modelId, settings: {}, quantity: 1, stage, purpose, outcome };
}

const CREATORS: DemoPerson[] = ["member", "member", "creator", "creator", "approver", "admin", "owner"];

const PROMPTS: Record<DemoProject, string[]> = {
  spring: ["Cherry blossoms over a city rooftop at dawn, soft pastel light", "Product on a linen table, spring flowers, morning sun"],
  northwind: ["Northwind espresso machine, studio packshot, white seamless", "Barista pouring latte art, shallow depth of field"],
  social: ["Flat-lay of the week's new arrivals, bold colours", "Looping clip of confetti over the logo"],
  catalogue: ["Ceramic vase, catalogue cut-out, even light", "Oak chair, three-quarter view, print resolution"],
};

/** Midnight UTC of the day `days` before `now`. */
function dayStart(now: Date, days: number): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - days * DAY);
}

function firstOfMonth(at: Date, monthsBack: number): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() - monthsBack, 1, 6));
}

/**
 * About three months of a studio's work ending just before `now`: a monthly pool each month (expiring at
 * the month's end), a top-up that expires, four budgets (one near its cap), two member limits, and runs by
 * every creator — tests on budget models, finals on premium ones, some waste, a few failures, and the
 * last few still on hold.
 */
export function demoHistory(now: Date, { seed = 20_261_129, timeZone = "Europe/Berlin" } = {}): DemoEvent[] {
  const random = randomFrom(seed);
  const start = dayStart(now, 91);
  const events: DemoEvent[] = [];

  for (let back = 3; back >= 0; back--) {
    const first = firstOfMonth(now, back);
    if (first.getTime() < start.getTime() - 20 * DAY || first >= now) continue;
    const at = first < start ? new Date(start.getTime() + 6 * HOUR) : first;
    // The pool is the month's: what is left goes at midnight when the next month starts in the studio's zone.
    events.push({ kind: "grant", at, amount: 40_000, source: "Monthly pool", note: "", expiresAt: periodAt(first, { period: "month", timeZone }).end! });
  }
  events.push({
    kind: "grant",
    at: new Date(start.getTime() + 30 * DAY + 10 * HOUR),
    amount: 20_000,
    source: "Top-up",
    note: "For the spring launch",
    expiresAt: new Date(now.getTime() + 45 * DAY),
  });

  const setup = new Date(start.getTime() + 7 * HOUR);
  events.push(
    { kind: "budget", at: setup, project: "spring", credits: 30_000, period: "month", alertPercent: 80, hardCap: true },
    { kind: "budget", at: setup, project: "northwind", credits: 90_000, period: "lifetime", alertPercent: 80, hardCap: true },
    { kind: "budget", at: setup, project: "social", credits: 3_000, period: "week", alertPercent: 75, hardCap: false },
    { kind: "budget", at: setup, project: "catalogue", credits: 25_000, period: "month", alertPercent: 90, hardCap: true },
    { kind: "limit", at: setup, person: "member", scope: "team", credits: 15_000, period: "month" },
    { kind: "limit", at: setup, person: "creator", scope: "social", credits: 1_500, period: "week" },
    { kind: "low-balance alert", at: setup, threshold: 15_000 },
  );

  const totalWeight = JOBS.reduce((sum, job) => sum + job.weight, 0);
  const pickJob = () => {
    let roll = random() * totalWeight;
    for (const job of JOBS) if ((roll -= job.weight) < 0) return job;
    return JOBS[0];
  };
  const runs: Extract<DemoEvent, { kind: "run" }>[] = [];
  for (let day = 0; day <= 91; day++) {
    const date = new Date(start.getTime() + day * DAY);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    // Busier towards the spring launch at the end.
    const jobs = 1 + Math.floor(random() * 2) + (day > 60 ? 1 : 0);
    for (let j = 0; j < jobs; j++) {
      const job = pickJob();
      const project = job.projects[Math.floor(random() * job.projects.length)];
      const person = CREATORS[Math.floor(random() * CREATORS.length)];
      const prompt = PROMPTS[project][Math.floor(random() * PROMPTS[project].length)];
      // Working hours in Berlin, roughly 08:00 to 17:00 UTC.
      let at = new Date(date.getTime() + (8 + random() * 7) * HOUR);
      for (const step of job.steps(random)) {
        at = new Date(at.getTime() + (3 + random() * 20) * 60_000);
        const endAt = new Date(at.getTime() + (1 + random() * 4) * 60_000);
        const roll = random();
        const end =
          roll < 0.04
            ? ({ at: endAt, failed: true } as const)
            : { at: endAt, outcome: step.outcome ?? "accepted", ...(roll > 0.985 ? { extra: Math.ceil(random() * 3) * 10 } : {}) };
        runs.push({
          kind: "run",
          at,
          person,
          project,
          modelId: step.modelId,
          settings: step.settings,
          quantity: step.quantity,
          stage: step.stage,
          purpose: step.purpose,
          prompt,
          notes: step.notes ?? "",
          end,
        });
      }
    }
  }
  // Nothing in the future; the last few runs of the history are still on hold.
  const past = runs.filter((run) => run.at.getTime() < now.getTime() - 30 * 60_000);
  for (const run of past.slice(-4)) delete run.end;
  for (const run of past) if (run.end && run.end.at >= now) delete run.end;
  return [...events, ...past].sort((a, b) => a.at.getTime() - b.at.getTime());
}
