// Every server action and route handler of the app, found by itself: the authorization matrix and the fuzz suite both
// start from these lists, so a new action or handler is tested by both or fails both.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

const root = join(import.meta.dirname, "..");
// A domain may split its actions by subject (lib/approvals/request-actions.ts); "use server" files are found either way.
export const actionModules = import.meta.glob(["/lib/**/actions.ts", "/lib/**/*-actions.ts", "/app/**/actions.ts", "/app/**/*-actions.ts"]);
export const routeModules = import.meta.glob(["/app/**/route.ts"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (["node_modules", ".next", "generated", ".data"].includes(entry)) return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(entry) ? [path] : [];
  });
}

/** Every file that starts with "use server", as "/lib/…/actions.ts" (to check the globs above miss none). */
export function useServerFiles(): string[] {
  return sourceFiles(root)
    .filter((path) => /^\s*(\/\/[^\n]*\n\s*)*["']use server["']/.test(readFileSync(path, "utf8")))
    .map((path) => `/${relative(root, path)}`);
}

export type Discovered = { key: string; file: string; name: string; value: unknown };

/** Every exported function of every action file, keyed "lib/…/actions.ts#nameAction". */
export async function discoverActions(): Promise<Discovered[]> {
  const found: Discovered[] = [];
  for (const [path, load] of Object.entries(actionModules)) {
    const exported = (await load()) as Record<string, unknown>;
    for (const [name, value] of Object.entries(exported)) if (typeof value === "function") found.push({ key: `${path.slice(1)}#${name}`, file: path.slice(1), name, value });
  }
  return found;
}

/** Every method of every route file, keyed "app/…/route.ts#GET". */
export async function discoverRoutes(): Promise<Discovered[]> {
  const found: Discovered[] = [];
  for (const [path, load] of Object.entries(routeModules)) {
    const exported = (await load()) as Record<string, unknown>;
    for (const method of HTTP_METHODS) if (typeof exported[method] === "function") found.push({ key: `${path.slice(1)}#${method}`, file: path.slice(1), name: method, value: exported[method] });
  }
  return found;
}
