// Builders of planned items for the engine's tests and benchmark: short to write, every field filled in. Pure.
import type { PriceList } from "@/lib/pricing/types";
import { NO_FLAGS, type ItemFlags, type ItemPlan, type PlannedItem, type PlanStep } from "./types";

export function step(modelId: string, count: number, settings: Record<string, string> = {}): PlanStep {
  return { modelId, settings, count };
}

export function plan(tests: PlanStep | null, finals: PlanStep | null, tools: PlanStep[] = []): ItemPlan {
  return { tests, finals, tools };
}

export function plannedItem(
  fields: Partial<Omit<PlannedItem, "flags">> & { plan: ItemPlan; flags?: Partial<ItemFlags> },
): PlannedItem {
  return {
    id: fields.id ?? "item",
    title: fields.title ?? "An asset",
    outputType: fields.outputType ?? "image",
    purpose: fields.purpose ?? "final_delivery",
    prompt: fields.prompt ?? "A red bicycle against a white wall",
    status: fields.status ?? "planned",
    plan: fields.plan,
    flags: { ...NO_FLAGS, ...fields.flags },
  };
}

/** The list with one entry's fields replaced: how a team's own prices are simulated. */
export function withEntry(priceList: PriceList, id: string, change: Partial<PriceList["entries"][number]>): PriceList {
  return { entries: priceList.entries.map((entry) => (entry.id === id ? { ...entry, ...change } : entry)) };
}
