// Usage files made to hurt: a quote never closed, a 10 MB cell, millions of columns, NUL bytes, BOMs and mixed line
// ends. Each is refused at the file field with what is wrong (or read as it was meant), leaves no job behind, and the
// heap never grows with the file.
import { beforeAll, expect, it } from "vitest";
import { POST as upload } from "@/app/t/[teamSlug]/usage/import/upload/route";
import { db } from "@/lib/db/client";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, type TeamFixture } from "@/test/fixtures";
import { chunks } from "@/test/imports";
import { contextOf, refused } from "@/test/results";
import { signInAs } from "@/test/session";
import { stageUpload } from "./commands";

const HEADER = "date,user email,model,settings,quantity,credits,stage,outcome,project,prompt,external id";
const MB = 1024 * 1024;

/** `size` bytes of `unit` repeated, 64 KiB at a time, after `head` and before `tail`: never held whole by the test. */
async function* repeated(head: string, unit: string, size: number, tail = "") {
  yield Buffer.from(head);
  const block = Buffer.from(unit.repeat(Math.ceil((64 * 1024) / unit.length)));
  for (let sent = 0; sent < size; sent += block.length) yield block;
  yield Buffer.from(tail);
}

/** The most the heap grew above where it started while `work` ran, sampled every few milliseconds. */
async function heapGrowth(work: () => Promise<unknown>): Promise<number> {
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
  try {
    await work().catch(() => undefined);
  } finally {
    clearInterval(sampler);
  }
  return Math.max(peak, process.memoryUsage().heapUsed) - baseline;
}

describeEachDatabase("usage files made to hurt", (kind) => {
  let fixture: TeamFixture;
  const row = (fixture: TeamFixture, prompt = "A kite") => `2026-11-10T09:05:00Z,${fixture.people.member.email},Qwen Image,resolution=1k,1,20,test,accepted,,${prompt},`;

  beforeAll(async () => {
    fixture = await makeTeam();
  });

  async function refusal(body: AsyncIterable<Uint8Array>): Promise<string> {
    const before = await db().importJob.count({ where: { teamId: fixture.team.id } });
    const error = await refused(stageUpload(contextOf(fixture, "admin"), "hostile.csv", body));
    expect(await db().importJob.count({ where: { teamId: fixture.team.id } }), "no job is left behind").toBe(before);
    return error.fieldErrors?.file ?? error.message;
  }

  it("a quote never closed: refused, naming the last line read before it", async () => {
    expect(await refusal(chunks(`${HEADER}\n${row(fixture)}\n2026-11-10T09:05:00Z,"never closed,x,y\n${row(fixture)}\n`))).toMatch(/quote \("\) opened after line 2 is never closed/);
  });

  // The memory bounds are generous (the process holds a PGlite of its own); what they rule out is holding the file.
  it.runIf(kind === "pglite")("a 10 MB cell: refused as a cell too long, without the heap holding it", async () => {
    let message = "";
    const growth = await heapGrowth(async () => (message = await refusal(repeated(`${HEADER}\n2026-11-10T09:05:00Z,"`, "x", 10 * MB, '"\n'))));
    expect(message).toMatch(/line 2.*longer than/i);
    expect(growth).toBeLessThan(48 * MB);
  });

  it.runIf(kind === "pglite")("a row of millions of columns: refused at its line before the row is built", async () => {
    let message = "";
    const growth = await heapGrowth(async () => (message = await refusal(repeated(`${HEADER}\n`, ",", 8 * MB, "\n"))));
    expect(message).toMatch(/line 2 has more than 1,000 columns/i);
    expect(growth).toBeLessThan(48 * MB);
  });

  it("a header of millions of columns: refused the same way", async () => {
    expect(await refusal(repeated("date,", "a,", 4 * MB, "\n"))).toMatch(/line 1 has more than 1,000 columns/i);
  });

  it("NUL bytes: refused as not a text file, at their line", async () => {
    expect(await refusal(chunks(`${HEADER}\n${row(fixture)}\n${row(fixture, "a\u0000b")}\n`))).toMatch(/line 3.*NUL/i);
  });

  it("a BOM, and line ends of all three kinds mixed: read as the rows they are", async () => {
    const text = `\ufeff${HEADER}\r\n${row(fixture, "one")}\n${row(fixture, "two")}\r\n${row(fixture, "three")}\r${row(fixture, '"four\r\nlines"')}\n`;
    const { jobId, rows } = await stageUpload(contextOf(fixture, "admin"), "mixed.csv", chunks(text));
    expect(rows).toBe(4);
    const staged = await db().importRow.findMany({ where: { jobId }, orderBy: { line: "asc" }, select: { values: true } });
    expect(staged.map((row) => (row.values as { prompt?: string; _unreadable?: string }).prompt)).toEqual(["one", "two", "three", "four\r\nlines"]);
    expect(staged.filter((row) => (row.values as { _unreadable?: string })._unreadable)).toEqual([]);
  });

  it("through the upload route: a 400 with the reason at the file field, never a 500", async () => {
    signInAs(fixture.people.admin);
    try {
      const response = await upload(
        new Request(`http://localhost:3000/t/${fixture.team.slug}/usage/import/upload?name=nul.csv`, { method: "POST", body: `${HEADER}\n${row(fixture, "\u0000")}\n` }),
        { params: Promise.resolve({ teamSlug: fixture.team.slug }) },
      );
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { fields: { file: string } } }).error.fields.file).toMatch(/NUL/);
    } finally {
      signInAs(null);
    }
  });
});
