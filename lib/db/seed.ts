// Demo data: a team with one member of each role and a few projects, so a fresh copy is usable at once.
import { hashPassword } from "@/lib/accounts/password";
import type { Db } from "./client";

export const DEMO_PASSWORD = "creditwise-demo";
export const DEMO_TEAM = { slug: "demo-studio", name: "Demo Studio", timeZone: "Europe/Berlin" };

export const DEMO_PEOPLE = [
  { email: "owner@demo.creditwise.test", name: "Ada Owner", role: "owner" },
  { email: "admin@demo.creditwise.test", name: "Sam Admin", role: "admin" },
  { email: "approver@demo.creditwise.test", name: "Alex Approver", role: "approver" },
  { email: "member@demo.creditwise.test", name: "Mia Member", role: "member" },
  { email: "viewer@demo.creditwise.test", name: "Vic Viewer", role: "viewer" },
] as const;

const DEMO_PROJECTS = [
  { name: "Spring campaign", description: "Key visuals and a 15 s teaser for the spring launch." },
  { name: "Northwind client work", description: "Product stills and voiceovers for Northwind." },
  { name: "Social content", description: "Weekly posts: images and short clips." },
];

export type SeedOutcome = { created: boolean; reason?: string };

/** Creates the demo team unless it exists; with `onlyIfEmpty`, unless anyone has signed up at all. */
export async function seedDemo(client: Db, { onlyIfEmpty = false } = {}): Promise<SeedOutcome> {
  if (onlyIfEmpty && (await client.user.count()) > 0) return { created: false, reason: "the database already has accounts" };
  if (await client.team.findUnique({ where: { slug: DEMO_TEAM.slug }, select: { id: true } })) {
    return { created: false, reason: `the team ${DEMO_TEAM.slug} already exists` };
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await client.$transaction(async (tx) => {
    const team = await tx.team.create({ data: DEMO_TEAM });
    for (const person of DEMO_PEOPLE) {
      const user = await tx.user.upsert({
        where: { email: person.email },
        update: {},
        create: { email: person.email, name: person.name, passwordHash },
      });
      await tx.membership.create({ data: { teamId: team.id, userId: user.id, role: person.role } });
    }
    const owner = await tx.user.findUniqueOrThrow({ where: { email: DEMO_PEOPLE[0].email } });
    for (const project of DEMO_PROJECTS) {
      await tx.project.create({ data: { ...project, teamId: team.id, createdById: owner.id } });
    }
    await tx.auditLog.create({
      data: { teamId: team.id, actorId: owner.id, action: "team.created", details: { name: DEMO_TEAM.name, demo: true } },
    });
  });
  return { created: true };
}

export function demoSignInText(baseUrl: string): string {
  const lines = [
    `Demo team "${DEMO_TEAM.name}" is ready at ${baseUrl}/t/${DEMO_TEAM.slug}`,
    `Sign in with any of these (password: ${DEMO_PASSWORD}):`,
    ...DEMO_PEOPLE.map((person) => `  ${person.role.padEnd(9)} ${person.email}`),
  ];
  return lines.join("\n");
}
