// Reading answers in tests: an action's result expected to succeed or fail, a command expected to refuse, and the
// context a command runs in for one person of a fixture team.
import { expect } from "vitest";
import type { ActionResult } from "@/lib/authz/result";
import { DomainError } from "@/lib/authz/result";
import type { Role } from "@/lib/authz/roles";
import type { TeamContext } from "@/lib/authz/team";
import type { TeamFixture } from "./fixtures";

export function expectOk<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`expected success: ${JSON.stringify(result)}`);
  return result.data;
}

export function expectFailure<T>(result: ActionResult<T>, code: string) {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: false, code });
  if (result.ok) throw new Error("unreachable");
  return result;
}

/** The domain error a command refused with (the test fails if it did not refuse). */
export async function refused(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

export function contextOf(fixture: TeamFixture, role: Role): TeamContext {
  return { user: fixture.people[role], team: fixture.team, role };
}
