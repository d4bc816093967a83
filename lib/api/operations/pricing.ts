// The API's price list and estimate: the same lib/pricing answer, with its breakdown, as the app shows.
import { z } from "zod";
import { OUTPUT_TYPES, TIERS } from "@/lib/pricing/types";
import { defineOperation } from "../operation";
import { credits, modelId, quantity, settings } from "./common";

export const estimateBody = z
  .strictObject({
    modelId,
    settings: settings.optional(),
    quantity,
  })
  .meta({ id: "EstimateRequest" });

export const estimateAnswer = z
  .object({
    priceListVersion: z.number().int().meta({ description: "The version of the team's price list the figure comes from." }),
    modelId: z.string(),
    credits: credits("What the run costs in credits."),
    perUnit: credits("What one output costs."),
    quantity: z.number().int(),
    settings: z.record(z.string(), z.string()).meta({ description: "Every setting the price used, defaults filled in." }),
    breakdown: z.string().meta({ description: "How the figure was worked out, in words." }),
  })
  .meta({ id: "Estimate" });

export const estimateRun = defineOperation({
  operationId: "estimateRun",
  readOnly: true,
  method: "post",
  path: "/teams/{teamSlug}/estimate",
  tag: "Pricing",
  summary: "Estimate a run",
  description: "Prices a run with the team's price list in force now — the same figure and breakdown the app shows. Nothing is held or written.",
  role: "viewer",
  scope: "estimate",
  body: estimateBody,
  responses: { 200: { description: "The estimate.", schema: estimateAnswer } },
});

const priceListEntry = z
  .object({
    id: z.string(),
    name: z.string(),
    outputType: z.enum(OUTPUT_TYPES),
    tier: z.enum(TIERS).nullable().meta({ description: "budget, mid or premium; null for a tool." }),
    credits: z.number().int(),
    unit: z.string(),
    minimumCharge: z.number().int().optional(),
  })
  .catchall(z.unknown());

export const priceListAnswer = z
  .object({
    format: z.literal("creditwise.price-list"),
    version: z.number().int().meta({ description: "The file format's version." }),
    entries: z.array(priceListEntry),
  })
  .meta({ id: "PriceList", description: "The price list file, as the Prices page exports and imports it." });

export const getPriceList = defineOperation({
  operationId: "getPriceList",
  method: "get",
  path: "/teams/{teamSlug}/price-list",
  tag: "Pricing",
  summary: "Read the price list",
  description:
    "The price list in force now, or version `version`, as a file the Prices page can import. The version is in the `X-Price-List-Version` header.",
  role: "viewer",
  scope: "estimate",
  query: z.object({
    version: z
      .string()
      .regex(/^\d{1,9}$/, "Give a version number, such as 3.")
      .transform(Number)
      .optional()
      .meta({ description: "A version number; the one in force when left out." }),
  }),
  responses: { 200: { description: "The price list.", schema: priceListAnswer } },
});
