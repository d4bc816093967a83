// The approval policy through its server action: the default as version 0, saves as new versions with an audited diff,
// refusals at the field that write nothing, and who may save.
import { beforeEach, expect, it } from "vitest";
import { db } from "@/lib/db/client";
import { describeEachDatabase } from "@/test/db";
import { makeTeam, makeUser, type TeamFixture } from "@/test/fixtures";
import { signInAs } from "@/test/session";
import { savePolicyAction } from "./actions";
import { DEFAULT_POLICY, type ApprovalPolicy, type PolicyRule } from "./policy";
import { policyHistory, policyInForce } from "./queries";
import { expectOk, expectFailure } from "@/test/results";

/** Everything a save writes, to show that a refused one wrote nothing. */
async function snapshot(teamId: string) {
  const [versions, audit] = await Promise.all([
    db().approvalPolicyVersion.findMany({ where: { teamId }, orderBy: { version: "asc" } }),
    db().auditLog.count({ where: { teamId } }),
  ]);
  return { versions, audit };
}

const finalVideo: PolicyRule = {
  id: "final-video",
  name: "Final videos",
  when: { stages: ["final"], outputTypes: ["video"] },
  require: { kind: "approval", approvals: 2, approvers: { kind: "role" }, validHours: 24 },
};

describeEachDatabase("approval policy", () => {
  let fixture: TeamFixture;
  let slug: string;

  const save = (policy: unknown) => savePolicyAction({ teamSlug: slug, policy: typeof policy === "string" ? policy : JSON.stringify(policy) });

  beforeEach(async () => {
    signInAs(null);
    fixture = await makeTeam();
    slug = fixture.team.slug;
  });

  it("gives a team with no saved version the default policy as version 0", async () => {
    const inForce = await policyInForce(fixture.team.id);
    expect(inForce).toEqual({ version: 0, policy: DEFAULT_POLICY, createdAt: null, createdBy: null });
    expect(await policyHistory(fixture.team.id)).toEqual([]);
  });

  it("saves a change as version 1, audited with the diff in names; the next save is version 2", async () => {
    signInAs(fixture.people.admin);
    const projectName = (await db().project.findUniqueOrThrow({ where: { id: fixture.projectId } })).name;
    const policy: ApprovalPolicy = {
      rules: [
        { ...finalVideo, when: { ...finalVideo.when, projectIds: [fixture.projectId] } },
        ...DEFAULT_POLICY.rules,
      ],
      pendingDays: 7,
    };
    const saved = expectOk(await save(policy));
    expect(saved.version).toBe(1);
    expect(saved.changes).toEqual([
      `Added rule 1, “Final videos”: final video runs in ${projectName} → 2 approvals by two different approvers or above, valid 24 hours`,
    ]);

    const inForce = await policyInForce(fixture.team.id);
    expect(inForce).toMatchObject({ version: 1, policy, createdBy: { name: fixture.people.admin.name } });
    const audit = await db().auditLog.findFirstOrThrow({ where: { teamId: fixture.team.id, action: "approval_policy.saved" } });
    expect(audit).toMatchObject({ actorId: fixture.people.admin.id, targetType: "approval_policy_version", details: { version: 1, changes: saved.changes } });

    // Named approvers, by name in the diff; the rule moves down and the waiting time changes.
    const named: ApprovalPolicy = {
      rules: [
        DEFAULT_POLICY.rules[0],
        { ...policy.rules[0], require: { kind: "approval", approvals: 1, approvers: { kind: "people", userIds: [fixture.people.approver.id] }, validHours: 24 } },
        DEFAULT_POLICY.rules[1],
      ],
      pendingDays: 14,
    };
    const second = expectOk(await save(named));
    expect(second.version).toBe(2);
    expect(second.changes.join("\n")).toContain(`1 approval by ${fixture.people.approver.name}, valid 24 hours`);
    expect(second.changes).toContain("Requests left undecided lapse after 14 days (was 7)");
    expect((await policyInForce(fixture.team.id)).policy).toEqual(named);

    // Version 1 is kept as it was: requests made under it keep reading it.
    const first = await db().approvalPolicyVersion.findUniqueOrThrow({ where: { teamId_version: { teamId: fixture.team.id, version: 1 } } });
    expect(first.rules).toEqual(policy.rules);
    const history = await policyHistory(fixture.team.id);
    expect(history.map((item) => item.version)).toEqual([2, 1]);
    expect(history[1].changes).toEqual(saved.changes);
  });

  it("reads the editor's form: empty conditions are absent, the threshold as typed, counts as text", async () => {
    signInAs(fixture.people.owner);
    const posted = {
      rules: [
        {
          id: "r1",
          name: "  Big drafts  ",
          when: { tiers: [], stages: ["draft", "draft"], outputTypes: [], minEstimate: "2,500", projectIds: [], requesterRoles: ["member"] },
          require: { kind: "approval", approvals: "1", approvers: { kind: "role" }, validHours: "48" },
        },
        { id: "r2", name: "Everything else", when: { minEstimate: "" }, require: { kind: "none" } },
      ],
      pendingDays: "7",
    };
    expectOk(await save(posted));
    expect((await policyInForce(fixture.team.id)).policy).toEqual({
      rules: [
        {
          id: "r1",
          name: "Big drafts",
          when: { stages: ["draft"], minEstimate: 2500, requesterRoles: ["member"] },
          require: { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: 48 },
        },
        { id: "r2", name: "Everything else", when: {}, require: { kind: "none" } },
      ],
      pendingDays: 7,
    });
  });

  it("refuses a save that changes nothing, and writes nothing", async () => {
    signInAs(fixture.people.admin);
    const before = await snapshot(fixture.team.id);
    const refused = expectFailure(await save(DEFAULT_POLICY), "invalid");
    expect(refused.message).toMatch(/^Nothing changed/);
    expect(await snapshot(fixture.team.id)).toEqual(before);

    expectOk(await save({ ...DEFAULT_POLICY, pendingDays: 3 }));
    const after = await snapshot(fixture.team.id);
    expectFailure(await save({ ...DEFAULT_POLICY, pendingDays: "3" }), "invalid");
    expect(await snapshot(fixture.team.id)).toEqual(after);
  });

  it("refuses bad input at its field and writes nothing", async () => {
    signInAs(fixture.people.admin);
    const other = await makeTeam();
    const stranger = await makeUser();
    const before = await snapshot(fixture.team.id);
    const withRule = (rule: Record<string, unknown>) => ({ rules: [{ ...finalVideo, ...rule }], pendingDays: 7 });

    const cases: [unknown, string][] = [
      [withRule({ name: "   " }), "rules.0.name"],
      [withRule({ name: "x".repeat(101) }), "rules.0.name"],
      [withRule({ when: { minEstimate: "1e3" } }), "rules.0.when.minEstimate"],
      [withRule({ when: { minEstimate: "0" } }), "rules.0.when.minEstimate"],
      [withRule({ when: { minEstimate: "1,000,000,001" } }), "rules.0.when.minEstimate"],
      [withRule({ when: { tiers: ["luxury"] } }), "rules.0.when.tiers.0"],
      [withRule({ when: { requesterRoles: ["boss"] } }), "rules.0.when.requesterRoles.0"],
      [withRule({ require: { kind: "approval", approvals: 3, approvers: { kind: "role" }, validHours: 48 } }), "rules.0.require.approvals"],
      [withRule({ require: { kind: "approval", approvals: 1, approvers: { kind: "role" }, validHours: "721" } }), "rules.0.require.validHours"],
      [
        withRule({ require: { kind: "approval", approvals: 2, approvers: { kind: "people", userIds: [fixture.people.approver.id] }, validHours: 48 } }),
        "rules.0.require.approvers.userIds",
      ],
      [{ rules: [finalVideo], pendingDays: "91" }, "pendingDays"],
      [{ rules: [finalVideo, { ...finalVideo, name: "Again" }], pendingDays: 7 }, "rules.1.id"],
      [{ rules: Array.from({ length: 51 }, (_, i) => ({ ...finalVideo, id: `r${i}` })), pendingDays: 7 }, "rules"],
      [withRule({ when: { projectIds: [other.projectId] } }), "rules.0.when.projectIds"],
      [
        withRule({ require: { kind: "approval", approvals: 1, approvers: { kind: "people", userIds: [stranger.id] }, validHours: 48 } }),
        "rules.0.require.approvers.userIds",
      ],
      [
        withRule({ require: { kind: "approval", approvals: 1, approvers: { kind: "people", userIds: [other.people.approver.id] }, validHours: 48 } }),
        "rules.0.require.approvers.userIds",
      ],
      // A viewer of this team reads requests but never decides them.
      [
        withRule({ require: { kind: "approval", approvals: 1, approvers: { kind: "people", userIds: [fixture.people.viewer.id] }, validHours: 48 } }),
        "rules.0.require.approvers.userIds",
      ],
    ];
    for (const [policy, field] of cases) {
      const refused = expectFailure(await save(policy), "invalid");
      expect(Object.keys(refused.fieldErrors ?? {}), JSON.stringify(policy).slice(0, 200)).toContain(field);
    }
    expect(expectFailure(await save("{not json"), "invalid").fieldErrors).toHaveProperty("form");
    expect(await snapshot(fixture.team.id)).toEqual(before);
  });

  it("lets only admins and owners save", async () => {
    const before = await snapshot(fixture.team.id);
    for (const who of ["approver", "member", "viewer"] as const) {
      signInAs(fixture.people[who]);
      expectFailure(await save({ ...DEFAULT_POLICY, pendingDays: 2 }), "forbidden");
    }
    signInAs(fixture.outsider);
    expectFailure(await save({ ...DEFAULT_POLICY, pendingDays: 2 }), "not_found");
    expect(await snapshot(fixture.team.id)).toEqual(before);
    signInAs(fixture.people.owner);
    expect(expectOk(await save({ ...DEFAULT_POLICY, pendingDays: 2 })).version).toBe(1);
  });
});
