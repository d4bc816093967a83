// Helpers for import tests: the sample files with a fixture team's people, and a file sent in small pieces.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TeamFixture } from "./fixtures";

const fixtures = join(import.meta.dirname, "../e2e/fixtures");

/** A sample file with the demo's people written as the fixture team's. */
export function sample(name: string, fixture: TeamFixture): string {
  return readFileSync(join(fixtures, name), "utf8")
    .replaceAll("member@demo.creditwise.test", fixture.people.member.email)
    .replaceAll("creator@demo.creditwise.test", fixture.people.approver.email)
    .replaceAll("approver@demo.creditwise.test", fixture.people.admin.email)
    .replaceAll("admin@demo.creditwise.test", fixture.people.owner.email);
}

/** A file as small pieces, so rows and quoted cells are split across them as a network would. */
export async function* chunks(text: string, size = 97) {
  for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size));
}
