"use client";
// Leave a team, after confirming.
import { ConfirmDialog } from "@/components/ui/dialog";
import { leaveTeamAction } from "@/lib/teams/actions";

export function LeaveTeamButton({ teamSlug, teamName }: { teamSlug: string; teamName: string }) {
  return (
    <ConfirmDialog
      title={`Leave ${teamName}?`}
      body="You will lose access to its projects and history. An admin can invite you again."
      triggerLabel="Leave"
      triggerVariant="ghost"
      triggerSize="sm"
      confirmLabel="Leave team"
      tone="danger"
      action={leaveTeamAction}
      hiddenFields={{ teamSlug }}
    />
  );
}
