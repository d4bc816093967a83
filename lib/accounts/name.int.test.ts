// Changing one's own name from the account page: validated, trimmed, shown to the team at once, and nobody else's.
import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { listMembers } from "@/lib/teams/queries";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, makeUser } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { changeNameAction } from "./actions";

describeEachDatabase("changing one's name", () => {
  beforeEach(() => signInAs(null));

  it("changes the signed-in person's name, trimmed, and the team sees the new one", async () => {
    const fixture = await makeTeam();
    const member = fixture.people.member;
    signInAs(member);
    const result = await changeNameAction({ name: "  Mia Rivera  " });
    expect(result).toEqual({ ok: true, data: null, message: "Your name has been changed." });
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).name).toBe("Mia Rivera");
    const members = await listMembers(fixture.team.id);
    expect(members.find((membership) => membership.user.id === member.id)?.user.name).toBe("Mia Rivera");
    // Nobody else's name moved.
    const others = await db().user.findMany({ where: { id: { in: [fixture.people.owner.id, fixture.people.admin.id] } }, select: { name: true } });
    expect(others.map((other) => other.name)).not.toContain("Mia Rivera");
  });

  it("refuses an empty or too long name at the field and changes nothing", async () => {
    const person = await makeUser({ name: "Before" });
    signInAs(person);
    for (const [name, message] of [
      ["", "Enter your name."],
      ["   ", "Enter your name."],
      ["x".repeat(101), "Use at most 100 characters."],
      [undefined, "Enter your name."],
    ] as const) {
      const result = await changeNameAction(name === undefined ? {} : { name });
      expect(result).toMatchObject({ ok: false, code: "invalid", fieldErrors: { name: message } });
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: person.id } })).name).toBe("Before");
  });

  it("only ever changes the caller's own account, whatever the form sends", async () => {
    const caller = await makeUser({ name: "Caller" });
    const victim = await makeUser({ name: "Victim" });
    signInAs(caller);
    expect(await changeNameAction({ name: "Changed", userId: victim.id, id: victim.id })).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { id: victim.id } })).name).toBe("Victim");
    expect((await db().user.findUniqueOrThrow({ where: { id: caller.id } })).name).toBe("Changed");
  });

  it("asks a signed-out visitor to sign in", async () => {
    expect(await changeNameAction({ name: "Anyone" })).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});
