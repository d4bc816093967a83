// Each rule with the seed guide's figures, from the default price list and from a team's own prices.
import { describe, expect, it } from "vitest";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import { wholePercent } from "@/lib/pricing/plans";
import { applyAllSavings, applyFinding, batchFindings, itemFindings, runFindings, type Finding, type RuleId } from "./index";
import { plan, plannedItem, step, withEntry } from "./test-items";

const list = DEFAULT_PRICE_LIST;

function only(findings: Finding[], rule: RuleId): Finding {
  const matching = findings.filter((finding) => finding.rule === rule);
  expect(matching).toHaveLength(1);
  return matching[0];
}

const seedItem = plannedItem({ id: "hero", plan: plan(step("flux-2-pro", 5), null) });

describe("test cheap, finalize premium", () => {
  it("turns the seed's five Flux 2 Pro iterations into five Qwen Image tests and one Flux 2 Pro final: 600 → 220, 380 saved (63 %)", () => {
    const findings = itemFindings(list, seedItem);
    expect(findings.map((finding) => finding.rule)).toEqual(["test-cheap"]);
    const finding = findings[0];
    expect(finding).toMatchObject({ itemId: "hero", kind: "saving", before: 600, after: 220, saved: 380 });
    expect(wholePercent(finding.saved, finding.before)).toBe(63);
    expect(finding.change).toEqual({ items: [{ itemId: "hero", plan: plan(step("qwen-image", 5), step("flux-2-pro", 1)) }] });
    expect(finding.changeText).toBe("Tests: Flux 2 Pro → Qwen Image; add 1 final on Flux 2 Pro");
    expect(finding.key).toMatch(/^test-cheap:hero:[0-9a-z]+$/);
  });

  it("takes its figures from the team's prices: Qwen Image at 25 credits gives 245, saving 355", () => {
    const finding = only(itemFindings(withEntry(list, "qwen-image", { credits: 25 }), seedItem), "test-cheap");
    expect(finding).toMatchObject({ before: 600, after: 245, saved: 355 });
  });

  it("keeps the finals as planned and carries settings the budget model offers", () => {
    const item = plannedItem({ plan: plan(step("flux-2-pro", 4, { resolution: "2k" }), step("flux-2-pro", 1, { resolution: "2k" })) });
    const finding = only(itemFindings(list, item), "test-cheap");
    // 4 × 240 + 240 = 1,200 → 4 × 30 (Qwen 2K) + 240 = 360.
    expect(finding).toMatchObject({ before: 1200, after: 360, saved: 840 });
    expect(finding.change?.items[0].plan.finals).toEqual(step("flux-2-pro", 1, { resolution: "2k" }));
  });

  it("skips tests already on budget, no cheaper budget model, a disabled one, and a single run a final would only add to", () => {
    expect(itemFindings(list, plannedItem({ plan: plan(step("qwen-image", 5), step("flux-2-pro", 1)) }))).toEqual([]);
    expect(itemFindings(withEntry(list, "qwen-image", { enabled: false }), seedItem)).toEqual([]);
    expect(itemFindings(withEntry(list, "qwen-image", { credits: 200 }), seedItem)).toEqual([]);
    expect(itemFindings(list, plannedItem({ plan: plan(step("flux-2-pro", 1), null) }))).toEqual([]);
  });

  it("finds nothing for items that are done or dropped", () => {
    expect(itemFindings(list, { ...seedItem, status: "done" })).toEqual([]);
    expect(itemFindings(list, { ...seedItem, status: "dropped" })).toEqual([]);
    expect(batchFindings(list, [{ ...seedItem, status: "dropped" }])).toEqual([]);
  });
});

describe("match quality to purpose", () => {
  it("moves a premium final for internal review… via over-engineered, which says it once", () => {
    const item = plannedItem({ purpose: "internal_review", plan: plan(step("flux-2-pro", 3), step("flux-2-pro", 1)) });
    const findings = itemFindings(list, item);
    expect(findings.map((finding) => finding.rule)).toEqual(["over-engineered"]);
    expect(findings[0]).toMatchObject({ before: 480, after: 80, saved: 400 });
  });

  it("moves a premium final for a client draft to the cheapest mid-tier model of its kind", () => {
    const item = plannedItem({ purpose: "client_draft", plan: plan(null, step("flux-2-pro", 2)) });
    const finding = only(itemFindings(list, item), "match-purpose");
    expect(finding).toMatchObject({ before: 240, after: 80, saved: 160, changeText: "Finals: Flux 2 Pro → SDXL" });
    // With SDXL off, Flux 2 Dev is the cheapest mid-tier image model left.
    expect(only(itemFindings(withEntry(list, "sdxl", { enabled: false }), item), "match-purpose")).toMatchObject({ after: 100 });
  });

  it("falls back to a lower tier when the price list has no model of that kind in the purpose's tier", () => {
    // Music 1.5 is the only mid-tier audio model, and it makes tracks, not voiceovers.
    const item = plannedItem({ outputType: "audio", purpose: "client_draft", plan: plan(null, step("speech-hd", 1)) });
    expect(only(itemFindings(list, item), "match-purpose")).toMatchObject({ before: 40, after: 8, changeText: "Finals: Speech HD → Speech Turbo" });
  });

  it("leaves premium alone for final delivery, print and social media", () => {
    for (const purpose of ["final_delivery", "social_media"] as const) {
      expect(itemFindings(list, plannedItem({ purpose, plan: plan(null, step("flux-2-pro", 1)) }))).toEqual([]);
    }
  });

  it("warns that print has no upscale, with the cost of the cheapest enabled upscaler, as a quality finding", () => {
    const item = plannedItem({ purpose: "print", plan: plan(step("qwen-image", 4), step("flux-2-pro", 1)) });
    const finding = only(itemFindings(list, item), "print-upscale");
    expect(finding).toMatchObject({ kind: "quality", before: 200, after: 1200, saved: -1000 });
    expect(finding.change?.items[0].plan.tools).toEqual([step("crystal-upscaler", 1)]);
    expect(itemFindings(list, { ...item, plan: { ...item.plan, tools: [step("crystal-upscaler", 1)] } })).toEqual([]);
    expect(itemFindings(withEntry(list, "crystal-upscaler", { enabled: false }), item)).toEqual([]);
  });
});

describe("don't over-engineer", () => {
  it("gives the seed's three swaps for checks made for internal review, from the price list", () => {
    const cases = [
      { outputType: "image", modelId: "flux-2-pro", to: "qwen-image", before: 120, after: 20 },
      { outputType: "video", modelId: "veo-3-1", to: "wan-2-5-fast", before: 4000, after: 60 },
      { outputType: "audio", modelId: "speech-hd", to: "speech-turbo", before: 40, after: 8 },
    ] as const;
    for (const { outputType, modelId, to, before, after } of cases) {
      const item = plannedItem({ outputType, purpose: "internal_review", plan: plan(step(modelId, 1), null) });
      const finding = only(itemFindings(list, item), "over-engineered");
      expect(finding).toMatchObject({ before, after, saved: before - after });
      expect(finding.change?.items[0].plan.tests?.modelId).toBe(to);
      expect(finding.change?.items[0].plan.finals).toBeNull();
    }
    const cheaperWan = withEntry(list, "wan-2-5-fast", { credits: 50 });
    const veo = plannedItem({ outputType: "video", purpose: "internal_review", plan: plan(step("veo-3-1", 1), null) });
    expect(only(itemFindings(cheaperWan, veo), "over-engineered")).toMatchObject({ after: 50, saved: 3950 });
  });

  it("takes the budget model's standard output for settings left at the premium model's defaults, and keeps what was chosen", () => {
    // The plan editor fills in every default: Veo's 8 s at 1080p is what it was left at, not a request for 1080p on Wan.
    const asLeft = plannedItem({ outputType: "video", purpose: "internal_review", plan: plan(null, step("veo-3-1", 1, { duration: "8", resolution: "1080p" })) });
    const finding = only(itemFindings(list, asLeft), "over-engineered");
    expect(finding).toMatchObject({ before: 4000, after: 60, saved: 3940 });
    expect(finding.change?.items[0].plan.finals).toEqual({ modelId: "wan-2-5-fast", settings: {}, count: 1 });
    // 720p chosen on purpose (Veo's default is 1080p) stays 720p on Wan.
    const chosen = plannedItem({ outputType: "video", purpose: "internal_review", plan: plan(null, step("veo-3-1", 1, { duration: "4", resolution: "720p" })) });
    expect(only(itemFindings(list, chosen), "over-engineered").change?.items[0].plan.finals?.settings).toEqual({ resolution: "720p" });
  });
});

describe("avoid unnecessary steps", () => {
  const upscaled = plan(null, step("flux-2-pro", 1), [step("bg-remover", 1), step("crystal-upscaler", 1)]);

  it("drops an upscale for web-only use, web or social media, and before edits", () => {
    for (const item of [
      plannedItem({ plan: upscaled, flags: { webOnly: true } }),
      plannedItem({ plan: upscaled, purpose: "web" }),
      plannedItem({ plan: upscaled, purpose: "social_media" }),
    ]) {
      const finding = only(itemFindings(list, item), "upscale-web");
      expect(finding).toMatchObject({ before: 1140, after: 140, saved: 1000 });
      expect(finding.change?.items[0].plan.tools).toEqual([step("bg-remover", 1)]);
    }
    const edited = only(itemFindings(list, plannedItem({ plan: upscaled, flags: { willBeEdited: true } })), "upscale-before-edit");
    expect(edited).toMatchObject({ saved: 1000 });
    // Both reasons at once: one finding, since both make the same change.
    const both = itemFindings(list, plannedItem({ plan: upscaled, purpose: "web", flags: { willBeEdited: true } }));
    expect(both.map((finding) => finding.rule)).toEqual(["upscale-web"]);
  });

  it("turns a video that a still would do into an image item: the only rule that changes the output type", () => {
    const item = plannedItem({
      outputType: "video",
      purpose: "social_media",
      flags: { stillWouldDo: true },
      plan: plan(step("wan-2-5-fast", 3), step("veo-3-1", 1)),
    });
    const finding = only(itemFindings(list, item), "still-would-do");
    // 3 × 60 + 4,000 → 3 × Qwen Image 20 + Flux 2 Pro 120.
    expect(finding).toMatchObject({ before: 4180, after: 180, saved: 4000 });
    expect(finding.change?.items[0]).toEqual({ itemId: "item", outputType: "image", plan: plan(step("qwen-image", 3), step("flux-2-pro", 1)) });
    const mid = { ...item, plan: plan(null, step("seedance-lite", 1)) };
    expect(only(itemFindings(list, mid), "still-would-do").change?.items[0].plan.finals?.modelId).toBe("sdxl");
    expect(itemFindings(list, { ...item, flags: { ...item.flags, stillWouldDo: false } })).toEqual([]);
  });

  it("moves background music off a premium audio model onto the music model, and says so when that costs more", () => {
    const item = plannedItem({ outputType: "audio", flags: { backgroundMusic: true }, plan: plan(null, step("speech-hd", 1)) });
    // Speech HD 40 → Music 1.5 48 (a minute of music): the right model, 8 credits dearer, so a quality finding.
    expect(only(itemFindings(list, item), "background-music")).toMatchObject({ kind: "quality", before: 40, after: 48, saved: -8 });
    const premiumMusic = { entries: [...list.entries, { ...list.entries.find((e) => e.id === "music-1-5")!, id: "music-pro", name: "Music Pro", tier: "premium" as const, credits: 300 }] };
    const onPremium = { ...item, plan: plan(null, step("music-pro", 1)) };
    expect(only(itemFindings(premiumMusic, onPremium), "background-music")).toMatchObject({ kind: "saving", before: 300, after: 48, saved: 252 });
    const noMusic = withEntry(list, "music-1-5", { enabled: false });
    expect(itemFindings(noMusic, item).filter((finding) => finding.rule === "background-music")).toEqual([]);
  });

  it("moves iterations off premium video onto the budget video model, named for video", () => {
    const item = plannedItem({ outputType: "video", plan: plan(step("veo-3-1", 3), step("veo-3-1", 1)) });
    const findings = itemFindings(list, item);
    // The same change as test cheap: one finding, under the more specific name.
    expect(findings.map((finding) => finding.rule)).toEqual(["premium-video-iterations"]);
    expect(findings[0]).toMatchObject({ before: 16000, after: 4180, saved: 11820 });
    expect(itemFindings(list, { ...item, plan: plan(step("veo-3-1", 1), step("veo-3-1", 1)) }).map((f) => f.rule)).toEqual(["test-cheap"]);
  });

  it("drops the test iterations of an item that edits an existing output; advice when there are none", () => {
    const item = plannedItem({ flags: { editExisting: true }, plan: plan(step("qwen-image", 3), step("flux-2-pro", 1)) });
    expect(only(itemFindings(list, item), "edit-not-regenerate")).toMatchObject({ kind: "saving", before: 180, after: 120, saved: 60 });
    const finalOnly = only(itemFindings(list, { ...item, plan: plan(null, step("flux-2-pro", 1)) }), "edit-not-regenerate");
    expect(finalOnly).toMatchObject({ kind: "advice", change: null, before: 120, after: 120, saved: 0 });
  });
});

describe("batch efficiently", () => {
  it("groups finals of one purpose on the mid-tier image model cheapest over the group", () => {
    const items = [
      plannedItem({ id: "a", purpose: "client_draft", plan: plan(null, step("flux-2-dev", 2)) }),
      plannedItem({ id: "b", purpose: "client_draft", plan: plan(null, step("sdxl", 1)) }),
      plannedItem({ id: "c", purpose: "final_delivery", plan: plan(null, step("flux-2-dev", 1)) }),
    ];
    const finding = only(batchFindings(list, items), "group-models");
    expect(finding).toMatchObject({ itemId: null, kind: "saving", before: 100, after: 80, saved: 20, changeText: "Finals of 1 item: Flux 2 Dev → SDXL" });
    expect(applyFinding(items, finding).map((item) => item.plan.finals?.modelId)).toEqual(["sdxl", "sdxl", "flux-2-dev"]);
  });

  it("advises one model for a consistent style when grouping costs the same", () => {
    const same = withEntry(list, "sdxl", { credits: 50 });
    const items = [
      plannedItem({ id: "a", purpose: "client_draft", plan: plan(null, step("flux-2-dev", 1)) }),
      plannedItem({ id: "b", purpose: "client_draft", plan: plan(null, step("sdxl", 1)) }),
    ];
    expect(only(batchFindings(same, items), "group-models")).toMatchObject({ kind: "advice", saved: 0, title: "Group similar items on one model for a consistent style" });
  });

  it("lists items about to be generated with an empty prompt, as advice with their credits", () => {
    const items = [
      plannedItem({ id: "a", prompt: "  ", plan: plan(step("qwen-image", 2), null) }),
      plannedItem({ id: "b", prompt: "", status: "ready_for_final", plan: plan(step("qwen-image", 2), null) }),
      plannedItem({ id: "c", prompt: "", status: "testing", plan: plan(null, step("flux-2-pro", 1)) }),
    ];
    expect(only(batchFindings(list, items), "empty-prompt")).toMatchObject({ itemId: null, kind: "advice", change: null, before: 160, after: 160, saved: 0 });
  });
});

describe("a batch", () => {
  it("lists savings first, largest first, and applying all of them counts each credit once", () => {
    const items = [
      seedItem,
      plannedItem({ id: "veo", outputType: "video", purpose: "internal_review", plan: plan(step("veo-3-1", 1), null) }),
      plannedItem({ id: "voice", outputType: "audio", purpose: "internal_review", plan: plan(step("speech-hd", 1), null) }),
      plannedItem({ id: "poster", purpose: "print", plan: plan(step("flux-2-pro", 2), step("flux-2-pro", 1)) }),
    ];
    const findings = batchFindings(list, items);
    expect(findings.map((finding) => [finding.rule, finding.itemId, finding.saved])).toEqual([
      ["over-engineered", "veo", 3940],
      ["test-cheap", "hero", 380],
      ["test-cheap", "poster", 200],
      ["over-engineered", "voice", 32],
      ["print-upscale", "poster", -1000],
    ]);
    const all = applyAllSavings(list, items);
    expect(all).toMatchObject({ before: 4600 + 360 - 0 + 40, after: 220 + 60 + 8 + 160, saved: 4552 });
    expect(all.applied.map((finding) => finding.rule)).toEqual(["test-cheap", "over-engineered", "over-engineered", "test-cheap"]);
  });
});

describe("a single run", () => {
  it("says test cheap for a premium test run, with the run's own figures and no final added", () => {
    const [finding] = runFindings(list, { modelId: "flux-2-pro", settings: {}, quantity: 5, stage: "test", purpose: "final_delivery", outputType: "image" });
    expect(finding).toMatchObject({ rule: "test-cheap", itemId: null, before: 600, after: 100, saved: 500 });
    expect(finding.key).toMatch(/^test-cheap:run:/);
    expect(finding.change?.items[0].plan.tests?.modelId).toBe("qwen-image");
  });

  it("says match purpose for a final above its purpose's tier, and nothing for one that fits", () => {
    const [finding] = runFindings(list, { modelId: "nano-banana-pro", settings: {}, quantity: 1, stage: "final", purpose: "client_draft", outputType: "image" });
    expect(finding).toMatchObject({ rule: "match-purpose", before: 600, after: 40, saved: 560 });
    expect(runFindings(list, { modelId: "flux-2-pro", settings: {}, quantity: 1, stage: "final", purpose: "final_delivery", outputType: "image" })).toEqual([]);
    expect(runFindings(list, { modelId: "nope", settings: {}, quantity: 1, stage: "final", purpose: "final_delivery", outputType: "image" })).toEqual([]);
  });
});
