// Regenerates lib/api/client/schema.ts, the typed client's types, from the API's OpenAPI document.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { clientTypesSource } from "@/lib/api/client/generate";

const target = join(import.meta.dirname, "..", "lib", "api", "client", "schema.ts");
writeFileSync(target, await clientTypesSource());
console.log(`Wrote ${target}`);
