// Team settings (admins): the team itself, members and roles, invitations, the approval policy, API keys, and the way to the audit log.
import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeyList } from "@/components/api-keys/api-key-list";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { PolicyEditor } from "@/components/approvals/policy-editor";
import { InviteForm, RevokeInvitationButton } from "@/components/teams/invite-form";
import { MemberRoleForm, RemoveMemberButton } from "@/components/teams/member-controls";
import { TeamSettingsForm } from "@/components/teams/team-settings-form";
import { Badge } from "@/components/ui/badge";
import { Card, PageHeader } from "@/components/ui/card";
import { TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { listApiKeys } from "@/lib/api-keys/queries";
import { API_SCOPES, SCOPE_LABELS } from "@/lib/api-keys/rules";
import { policyHistory, policyInForce, policyNames } from "@/lib/approvals/queries";
import { requireTeamRole } from "@/lib/authz/page";
import { ROLE_LABELS, assignableRoles } from "@/lib/authz/roles";
import { appNow } from "@/lib/clock";
import { formatDate, formatDateTime } from "@/lib/format";
import { listProjects } from "@/lib/projects/queries";
import { listInvitations, listMembers } from "@/lib/teams/queries";
import { timeZoneOptions } from "@/lib/teams/time-zones";
import { todayIn } from "@/lib/usage/filters";

export const metadata: Metadata = { title: "Settings" };

type Props = { params: Promise<{ teamSlug: string }> };

const STATE_TONES = { pending: "blue", accepted: "green", expired: "amber", revoked: "neutral" } as const;

export default async function SettingsPage({ params }: Props) {
  const ctx = await requireTeamRole((await params).teamSlug, "admin");
  const [members, invitations, policy, names, apiKeys, projects] = await Promise.all([
    listMembers(ctx.team.id),
    listInvitations(ctx.team.id),
    policyInForce(ctx.team.id),
    policyNames(ctx.team.id),
    listApiKeys(ctx.team.id),
    listProjects(ctx.team.id),
  ]);
  const now = appNow();
  const history = await policyHistory(ctx.team.id, { projects: names.projectNames, people: names.peopleNames });
  const roles = assignableRoles(ctx.role);
  const slug = ctx.team.slug;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Settings"
        description="The team, its people and what they may do."
        actions={
          <>
            <Link href="#api-keys">API keys</Link>
            <Link href={`/t/${slug}/settings/audit`}>Audit log</Link>
          </>
        }
      />
      <Card title="Team">
        <TeamSettingsForm team={ctx.team} timeZones={timeZoneOptions(Intl.supportedValuesOf("timeZone"), ctx.team.timeZone)} />
      </Card>
      <Card title="Members" description="Owners and admins manage people; only owners manage owners." flush>
        <Table caption="Members">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Email</TH>
              <TH>Role</TH>
              <TH className="text-right">Remove</TH>
            </TR>
          </THead>
          <TBody>
            {members.map((membership) => {
              const member = {
                membershipId: membership.id,
                name: membership.user.name,
                email: membership.user.email,
                role: membership.role,
                isSelf: membership.user.id === ctx.user.id,
              };
              const manageable = membership.role !== "owner" || ctx.role === "owner";
              return (
                <TR key={membership.id} data-testid="member-row">
                  <TD wrap className="min-w-32 font-medium">
                    {member.name} {member.isSelf && <Badge>You</Badge>}
                  </TD>
                  <TD wrap className="min-w-56">{member.email}</TD>
                  <TD className="min-w-48">
                    {manageable ? (
                      <MemberRoleForm teamSlug={slug} member={member} roles={roles} />
                    ) : (
                      ROLE_LABELS[membership.role]
                    )}
                  </TD>
                  <TD className="text-right">{manageable && !member.isSelf && <RemoveMemberButton teamSlug={slug} member={member} />}</TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      </Card>
      <Card title="Invite someone" description="They get a link to join with the role you choose.">
        <InviteForm teamSlug={slug} roles={roles} />
      </Card>
      <Card
        title="Approval policy"
        description={
          policy.version === 0
            ? "The default policy: no one has changed it yet. Requests keep the version they were made under."
            : `Version ${policy.version}, saved ${formatDateTime(policy.createdAt!, ctx.team.timeZone)} by ${policy.createdBy?.name ?? "someone no longer here"}. Requests keep the version they were made under.`
        }
      >
        <PolicyEditor
          teamSlug={slug}
          initial={policy.policy}
          projects={names.projects.map((project) => ({ id: project.id, name: project.name, archived: project.archivedAt !== null }))}
          // Viewers read requests but never decide them, so a rule cannot name them.
          members={names.members.filter((member) => member.role !== "viewer").map((member) => ({ id: member.id, name: member.name, role: member.role }))}
        />
      </Card>
      <Card title="Approval policy history" flush>
        {history.length === 0 ? (
          <p className="px-5 py-4 text-sm text-zinc-600">No saved versions: the team uses the default policy (version 0).</p>
        ) : (
          <Table caption="Approval policy versions">
            <THead>
              <TR>
                <TH numeric>Version</TH>
                <TH>Saved by</TH>
                <TH>When</TH>
                <TH>What changed</TH>
              </TR>
            </THead>
            <TBody>
              {history.map((item) => (
                <TR key={item.version} data-testid="policy-version-row">
                  <TD numeric>{item.version}</TD>
                  <TD wrap className="min-w-32">{item.createdBy?.name ?? "Someone no longer here"}</TD>
                  <TD>{formatDateTime(item.createdAt, ctx.team.timeZone)}</TD>
                  <TD wrap className="min-w-96">
                    <ul className="list-disc pl-4">
                      {item.changes.map((line, index) => (
                        <li key={index}>{line}</li>
                      ))}
                    </ul>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <Card title="Invitations" flush>
        {invitations.length === 0 ? (
          <p className="px-5 py-4 text-sm text-zinc-600">No invitations yet.</p>
        ) : (
          <Table caption="Invitations">
            <THead>
              <TR>
                <TH>Email</TH>
                <TH>Role</TH>
                <TH>State</TH>
                <TH>Invited by</TH>
                <TH>Expires</TH>
                <TH className="text-right">Withdraw</TH>
              </TR>
            </THead>
            <TBody>
              {invitations.map((invitation) => (
                <TR key={invitation.id} data-testid="invitation-row">
                  <TD wrap className="min-w-56">{invitation.email}</TD>
                  <TD>{ROLE_LABELS[invitation.role]}</TD>
                  <TD>
                    <Badge tone={STATE_TONES[invitation.state]}>{invitation.state}</Badge>
                  </TD>
                  <TD wrap className="min-w-32">{invitation.invitedBy.name}</TD>
                  <TD>{formatDate(invitation.expiresAt, ctx.team.timeZone)}</TD>
                  <TD className="text-right">
                    {invitation.state === "pending" && (
                      <RevokeInvitationButton teamSlug={slug} invitationId={invitation.id} email={invitation.email} />
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      <Card
        id="api-keys"
        title="API keys"
        description="Scripts and platforms use a key to estimate, admit, settle and record runs through the API. A key acts as a member at most, never above the person who made it."
        actions={<Link href="/docs/api">API reference</Link>}
        flush
      >
        <ApiKeyList teamSlug={slug} keys={apiKeys} timeZone={ctx.team.timeZone} now={now} />
      </Card>
      <Card title="Make an API key" description="The key is shown once, right after you make it; Creditwise keeps only a fingerprint of it.">
        <CreateApiKeyForm
          teamSlug={slug}
          scopes={API_SCOPES.map((scope) => ({ value: scope, label: SCOPE_LABELS[scope] }))}
          projects={projects.map((project) => ({ value: project.id, label: project.name }))}
          today={todayIn(ctx.team.timeZone, now)}
          timeZone={ctx.team.timeZone}
        />
      </Card>
    </div>
  );
}
