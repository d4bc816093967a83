// The rules over a whole batch: group similar items on one model, and write the prompts still empty. Pure.
import { priceWithAdaptedSettings } from "@/lib/pricing/compare";
import { formatNumber } from "@/lib/format";
import type { CatalogEntry, PriceList } from "@/lib/pricing/types";
import { enabledEntry } from "./catalog";
import { estimateItem, type ItemEstimate } from "./estimate";
import { RULES } from "./explanations";
import { planKey, shortHash, stepKey } from "./key";
import { remember } from "./memo";
import { PURPOSE_WORDS } from "./rules";
import type { Finding, PlannedItem, PlanStep } from "./types";

/** A step's job priced on another model, settings carried over where it offers them; remembered per price list. */
function priceOn(priceList: PriceList, model: CatalogEntry, step: PlanStep, key: string): { credits: number; kept: Record<string, string> } | null {
  return remember(priceList, `on\u0000${model.id}`, key, () => {
    const priced = priceWithAdaptedSettings(model, step.settings ?? {}, step.count);
    return priced.ok ? { credits: priced.estimate.credits, kept: priced.adapted.kept } : null;
  });
}

type Active = { item: PlannedItem; estimate: Extract<ItemEstimate, { ok: true }> };

type Member = Active & { finals: PlanStep; entry: CatalogEntry; stepKey: string };

/**
 * Finals of the same purpose, output type, unit and tier on two or more models → all of them on the one model that
 * is cheapest over the whole group. A saving when it costs less; advice "for a consistent style" when it costs the
 * same; nothing when every single model would cost more than the mix.
 */
export function groupModelsFindings(priceList: PriceList, active: Active[]): Finding[] {
  const groups = new Map<string, Member[]>();
  for (const { item, estimate } of active) {
    const finals = item.plan.finals;
    const entry = finals && enabledEntry(priceList, finals.modelId);
    if (!finals || !entry || entry.tier === null) continue;
    const key = `${item.purpose}\u0000${entry.outputType}\u0000${entry.unit}\u0000${entry.tier}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    // The step's key once per member, not once per member and candidate model.
    group.push({ item, estimate, finals, entry, stepKey: stepKey(finals) });
  }

  const findings: Finding[] = [];
  for (const members of groups.values()) {
    const models: CatalogEntry[] = [];
    for (const member of members) if (!models.includes(member.entry)) models.push(member.entry);
    if (models.length < 2) continue;
    // A group's finding depends on its members' ids, purposes and whole plans (their estimates follow from the plans
    // and the price list): remembered on those, so the batch page and "apply all" work each group out once.
    let signature = "";
    for (const member of members) signature += `${member.item.id}\u0005${member.item.purpose}\u0005${planKey(member.item.plan)}\u0006`;
    const finding = remember(priceList, "group-models", signature, () => groupFinding(priceList, members, models));
    if (finding) findings.push(finding);
  }
  return findings;
}

/** The group's finding, or null when no single model costs the same or less than the mix. */
function groupFinding(priceList: PriceList, members: Member[], models: CatalogEntry[]): Finding | null {
  const current = members.reduce((sum, member) => sum + (member.estimate.finals), 0);
  let best: { entry: CatalogEntry; total: number; steps: PlanStep[] } | null = null;
  for (const model of models) {
    let total = 0;
    const steps: PlanStep[] = [];
    for (const member of members) {
      const priced = priceOn(priceList, model, member.finals, member.stepKey);
      if (priced === null) {
        total = Number.NaN;
        break;
      }
      total += priced.credits;
      steps.push(member.entry === model ? member.finals : { modelId: model.id, settings: { ...priced.kept }, count: member.finals.count });
    }
    if (Number.isNaN(total)) continue;
    if (best === null || total < best.total) best = { entry: model, total, steps };
  }
  if (best === null || best.total > current) return null;

  const changes: { itemId: string; plan: PlannedItem["plan"] }[] = [];
  let before = 0;
  let after = 0;
  let priceable = true;
  members.forEach((member, index) => {
    if (member.entry === best.entry) return;
    const plan = { ...member.item.plan, finals: best.steps[index] };
    const estimate = estimateItem(priceList, plan);
    if (!estimate.ok) priceable = false;
    else after += estimate.credits;
    before += member.estimate.credits;
    changes.push({ itemId: member.item.id, plan });
  });
  if (!priceable || changes.length === 0) return null;
  const saved = before - after;
  const first = members[0];
  const others = models.filter((model) => model !== best.entry).map((model) => model.name);
  return {
    rule: "group-models",
    itemId: null,
    // What the finding is about: which items make their finals on which step; a change to any of them is a new finding.
    key: `group-models:batch:${shortHash(members.map((member) => `${member.item.id}\u0005${member.stepKey}`).join("\u0006"))}`,
    title: saved > 0 ? RULES["group-models"].title : `${RULES["group-models"].title} for a consistent style`,
    changeText: `Finals of ${formatNumber(changes.length)} ${changes.length === 1 ? "item" : "items"}: ${others.join(", ")} → ${best.entry.name}`,
    explanation: `${PURPOSE_WORDS[first.item.purpose]}: ${formatNumber(members.length)} items make their ${first.entry.outputType} finals on ${formatNumber(models.length)} ${first.entry.tier} models. ${RULES["group-models"].explanation}`,
    change: { items: changes },
    before,
    after,
    saved,
    kind: saved > 0 ? "saving" : "advice",
  };
}

/** Items about to be generated (planned or testing) whose prompt is still empty: one piece of advice for the batch. */
export function emptyPromptFindings(active: Active[]): Finding[] {
  const empty = active.filter(({ item }) => (item.status === "planned" || item.status === "testing") && item.prompt.trim() === "");
  if (empty.length === 0) return [];
  const credits = empty.reduce((sum, { estimate }) => sum + estimate.credits, 0);
  const titles = empty.map(({ item }) => item.title);
  return [
    {
      rule: "empty-prompt",
      itemId: null,
      key: `empty-prompt:batch:${shortHash(empty.map(({ item }) => item.id).join("\u0006"))}`,
      title: RULES["empty-prompt"].title,
      changeText: `${formatNumber(empty.length)} ${empty.length === 1 ? "item has" : "items have"} no prompt yet: ${titles.slice(0, 5).join(", ")}${titles.length > 5 ? ", …" : ""}`,
      explanation: RULES["empty-prompt"].explanation,
      change: null,
      before: credits,
      after: credits,
      saved: 0,
      kind: "advice",
    },
  ];
}
