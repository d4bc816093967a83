// Approval requests as tests make them: the four answers, and two Flux 2 Pro finals — a premium model, 240 credits at
// the default price list, which the default policy holds back — beside a cheap test it lets through.
import type { CreateRequestInput } from "@/lib/approvals/request-schema";

const YES = { answer: "yes", note: "" } as const;
export const ANSWERS = { qualityNeeded: YES, videoNecessary: { answer: "no", note: "A still will do" }, editInstead: { answer: "no", note: "" }, isFinalVersion: YES } as const;

/** What two Flux 2 Pro finals cost at the default price list. */
export const PREMIUM_FINAL = 240;

export const premiumRun = (projectId: string, quantity = 2) =>
  ({ projectId, modelId: "flux-2-pro", settings: {}, quantity, stage: "final", purpose: "final_delivery", notes: "Hero image" }) as const;

export const premiumRequest = (projectId: string, { quantity = 2, batchItemId }: { quantity?: number; batchItemId?: string } = {}): CreateRequestInput => ({
  ...premiumRun(projectId, quantity),
  answers: ANSWERS,
  batchItemId,
});

/** Five Qwen Image tests: 100 credits, which no rule of the default policy holds back. */
export const cheapTest = (projectId: string) =>
  ({ projectId, modelId: "qwen-image", settings: {}, quantity: 5, stage: "test", purpose: "internal_review", notes: "" }) as const;
