// The app the tests build: generate on Flux 2 Dev at 2K → remove the background → upscale ×2 for print (620 credits
// an output at the default price list).
import type { AppStep } from "@/lib/apps/rules";

export const PRODUCT_SHOT_STEPS: AppStep[] = [
  { modelId: "flux-2-dev", settings: { resolution: "2k" } },
  { modelId: "bg-remover", settings: {} },
  { modelId: "crystal-upscaler", settings: { scale: "2x" } },
];
