// The price list in force is read as one row, not the team's whole history, and each version is parsed once per process.
import { expect, it } from "vitest";
import { db } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { DEFAULT_PRICE_LIST } from "@/lib/pricing/default-price-list";
import type { CatalogEntry } from "@/lib/pricing/types";
import { describeEachDatabase } from "@/test/db";
import { makeTeam } from "@/test/fixtures";
import { priceListInForce, type PriceListReader } from "./queries";

const DAY = 24 * 60 * 60 * 1000;

async function storeVersion(teamId: string, version: number, effectiveFrom: Date, fluxCredits: number) {
  const entries = structuredClone(DEFAULT_PRICE_LIST.entries) as CatalogEntry[];
  entries.find((entry) => entry.id === "flux-2-pro")!.credits = fluxCredits;
  await db().priceListVersion.create({
    data: { teamId, version, effectiveFrom, entries: entries as unknown as Prisma.InputJsonArray, changes: [] },
  });
}

/** A reader that notes every query it answers and how many rows each returned. */
function countingReader() {
  const reads: { method: string; rows: number; entries: boolean }[] = [];
  const table = db().priceListVersion;
  const reader = {
    priceListVersion: new Proxy(table, {
      get(target, method: string) {
        const original = (target as unknown as Record<string, unknown>)[method];
        if (typeof original !== "function") return original;
        return async (args: { select?: Record<string, unknown> }) => {
          const result = await (original as (args: unknown) => Promise<unknown>).call(target, args);
          const rows = Array.isArray(result) ? result.length : result ? 1 : 0;
          reads.push({ method, rows, entries: Boolean(args?.select?.entries) });
          return result;
        };
      },
    }),
  } as PriceListReader;
  return { reader, reads };
}

const flux = (list: { priceList: { entries: readonly CatalogEntry[] } }) => list.priceList.entries.find((entry) => entry.id === "flux-2-pro")?.credits;

describeEachDatabase("price list in force", () => {
  it("reads one row to learn which version is in force, however long the history", async () => {
    const { team } = await makeTeam();
    const start = Date.UTC(2026, 0, 1);
    for (let version = 1; version <= 40; version++) await storeVersion(team.id, version, new Date(start + version * DAY), 100 + version);

    const { reader, reads } = countingReader();
    const inForce = await priceListInForce(team.id, new Date(start + 25.5 * DAY), reader);
    expect([inForce.version, flux(inForce)]).toEqual([25, 125]);
    // Every query returned at most one row; only the version not yet kept in memory is read with its entries.
    expect(reads.every((read) => read.rows <= 1)).toBe(true);
    expect(reads.filter((read) => read.entries)).toHaveLength(1);

    // The same version again comes from memory: one single-row query, no entries read, the same frozen object.
    reads.length = 0;
    const again = await priceListInForce(team.id, new Date(start + 25.9 * DAY), reader);
    expect(again).toBe(inForce);
    expect(Object.isFrozen(again.priceList.entries[0])).toBe(true);
    expect(reads).toEqual([{ method: "findFirst", rows: 1, entries: false }]);
  });

  it("takes the higher version when two start at the same instant, and the default before the first", async () => {
    const { team } = await makeTeam();
    const same = new Date("2026-05-01T00:00:00Z");
    await storeVersion(team.id, 1, same, 130);
    await storeVersion(team.id, 3, same, 150);
    await storeVersion(team.id, 2, same, 140);
    const inForce = await priceListInForce(team.id, same);
    expect([inForce.version, flux(inForce)]).toEqual([3, 150]);
    const before = await priceListInForce(team.id, new Date(same.getTime() - 1));
    expect([before.version, flux(before)]).toEqual([0, 120]);
  });

  it("never answers with another team's version", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    await storeVersion(a.team.id, 1, new Date("2026-01-01T00:00:00Z"), 999);
    expect((await priceListInForce(b.team.id, new Date("2027-01-01T00:00:00Z"))).version).toBe(0);
    expect((await priceListInForce(a.team.id, new Date("2027-01-01T00:00:00Z"))).version).toBe(1);
  });
});
