// A form field that carries a structured value as JSON (an editor's hidden field), read by the same schema as the
// object an API or a test sends. Pure.
import { z } from "zod";

/** `schema` over the value, which arrives as JSON text from a form or as the value itself; unreadable text is `message`. */
export function jsonField<S extends z.ZodType>(schema: S, message: string) {
  return z.preprocess((value, ctx) => {
    if (typeof value !== "string") return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    }
  }, schema);
}
