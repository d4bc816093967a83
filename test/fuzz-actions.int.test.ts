// Every server action, found by itself, sent random and hostile inputs — as objects and as forms — by a person its
// access allows: none answers an unexpected error or throws, and after every refusal the database is as it was.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { isHTTPAccessFallbackError } from "next/dist/client/components/http-access-fallback/http-access-fallback";
import { isRedirectError } from "next/dist/client/components/redirect-error";
import type { ServerAction } from "@/lib/authz/action";
import { describeEachDatabase } from "./db";
import { discoverActions } from "./discovery";
import { DatabaseWatch, describeValue, hostileInput, hostileValue, idPool, inputSchemaOf, toFormData, type IdPool } from "./fuzz";
import { makeFuzzTeam, restoreMembers, type FuzzTeam } from "./fuzz-team";
import { signInAs } from "./session";

/** Inputs per action and database: ~25 ms each on PGlite with the snapshot, so the whole suite stays near 15 s a database. */
const RUNS = 24;
const SEED = 20261208;

/**
 * Actions given fewer inputs, with why: each input that passes the schema costs an argon2 hash (~100 ms), and what
 * they refuse is checked in their own tests.
 */
const FEWER_RUNS: Record<string, number> = {
  "lib/accounts/actions.ts#signUpAction": 10,
  "lib/accounts/actions.ts#signInAction": 10,
  "lib/accounts/actions.ts#changePasswordAction": 10,
};

const ACTIONS = await discoverActions();

describe("the fuzz suite's actions", () => {
  it("are every exported action, each made by publicAction, userAction or teamAction (its access and input schema on it)", () => {
    expect(ACTIONS.length).toBeGreaterThan(50);
    for (const { key, value } of ACTIONS) {
      const action = value as Partial<ServerAction<unknown>>;
      expect(action.access, `${key} declares no access: make it with the wrappers of lib/authz/action.ts`).toBeDefined();
      expect(action.schema, `${key} keeps no input schema: make it with the wrappers of lib/authz/action.ts`).toBeDefined();
    }
    for (const key of Object.keys(FEWER_RUNS)) expect(ACTIONS.map((action) => action.key)).toContain(key);
  });
});

type Outcome = "accepted" | "refused";

/** What an action did with an input; an unexpected error, a throw or no result at all fails the property. */
async function call(action: ServerAction<unknown>, payload: unknown): Promise<Outcome> {
  try {
    const result = await action(payload as never);
    if (!result || typeof result !== "object" || typeof result.ok !== "boolean") throw new Error(`answered ${describeValue(result)}, not a result`);
    if (result.ok) return "accepted";
    if (result.code === "unexpected") throw new Error(`answered an unexpected error: ${result.message}`);
    expect(result.message, "a refusal says why").toMatch(/\S/);
    for (const message of Object.values(result.fieldErrors ?? {})) expect(typeof message).toBe("string");
    return "refused";
  } catch (error) {
    // redirect() is how an action that succeeded sends the person on; notFound() and its kind refuse.
    if (isRedirectError(error)) return "accepted";
    if (isHTTPAccessFallbackError(error)) return "refused";
    throw error;
  }
}

describeEachDatabase("every server action under hostile input", () => {
  let own: FuzzTeam;
  let other: FuzzTeam;
  let pool: IdPool;

  beforeAll(async () => {
    own = await makeFuzzTeam();
    other = await makeFuzzTeam();
    pool = await idPool();
  });

  ACTIONS.forEach(({ key, value }, index) => {
    const action = value as ServerAction<unknown>;
    it(`${key}: never an unexpected error, and a refusal changes nothing`, async () => {
      await restoreMembers(own);
      const { access } = action;
      signInAs(access.kind === "public" ? null : access.kind === "user" ? own.people.member : own.people[access.role]);
      const schema = inputSchemaOf(action.schema);
      const slug = fc.oneof({ weight: 8, arbitrary: fc.constant(own.team.slug) }, fc.constant(other.team.slug), hostileValue);
      const watch = new DatabaseWatch();
      await watch.start();
      // FUZZ_STATS=1 prints how each kind of input fared, to see that plausible ones do get accepted.
      const tally: Record<string, number> = {};
      await fc.assert(
        fc.asyncProperty(hostileInput(schema, pool), slug, fc.boolean(), async ({ how, input }, teamSlug, asForm) => {
          const object = input && typeof input === "object" && !Array.isArray(input) && !(input instanceof Map || input instanceof Set || input instanceof Blob || ArrayBuffer.isView(input));
          const withTeam = access.kind === "team" && object ? { ...(input as Record<string, unknown>), teamSlug } : input;
          const payload = asForm ? toFormData(withTeam) : withTeam;
          const what = `${how} ${asForm ? "form" : "object"}: ${describeValue(payload)}`;
          let outcome: Outcome;
          try {
            outcome = await call(action, payload);
          } catch (error) {
            throw new Error(`${key} with ${what}\nfailed: ${(error as Error).stack ?? String(error)}`);
          }
          tally[`${how}:${outcome}`] = (tally[`${how}:${outcome}`] ?? 0) + 1;
          const changes = await watch.changesAfter(outcome);
          expect(changes, `${key} refused ${what}\nand yet changed:\n  ${changes.join("\n  ")}`).toEqual([]);
        }),
        { numRuns: FEWER_RUNS[key] ?? RUNS, seed: SEED + index, endOnFailure: true },
      );
      signInAs(null);
      if (process.env.FUZZ_STATS) console.log(`${key} ${JSON.stringify(tally)}`);
    });
  });
});
