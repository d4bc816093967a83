// Create a team: name, address and time zone.
import type { Metadata } from "next";
import { CreateTeamForm } from "@/components/teams/create-team-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/authz/page";
import { timeZoneOptions } from "@/lib/teams/time-zones";

export const metadata: Metadata = { title: "Create a team" };

export default async function NewTeamPage() {
  await requireUser();
  return (
    <div className="flex max-w-xl flex-col gap-6">
      <PageHeader title="Create a team" description="You will be its owner. Invite your colleagues next." />
      <Card>
        <CreateTeamForm timeZones={timeZoneOptions(Intl.supportedValuesOf("timeZone"))} />
      </Card>
    </div>
  );
}
