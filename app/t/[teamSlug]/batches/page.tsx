// The team's batches: each with its project, due date, progress, credits planned and spent, and what its findings
// could save; members start new ones here.
import type { Metadata } from "next";
import Link from "next/link";
import { CreateBatchForm } from "@/components/batches/create-batch-form";
import { Card, PageHeader } from "@/components/ui/card";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { listBatches } from "@/lib/batches/queries";
import { formatDay, formatNumber } from "@/lib/format";
import { listProjects } from "@/lib/projects/queries";

export const metadata: Metadata = { title: "Batches" };

type Props = { params: Promise<{ teamSlug: string }> };

export default async function BatchesPage({ params }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeam(teamSlug);
  const { team } = ctx;
  const canEdit = hasRole(ctx.role, "member");
  const [batches, projects] = await Promise.all([listBatches(team.id), canEdit ? listProjects(team.id) : []]);
  const base = `/t/${team.slug}/batches`;
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Batches"
        description="Plan every asset of a campaign before anyone generates: each item's tests, finals and tools, priced with the team's prices, with what a better plan would save."
        actions={
          <Link href={`/t/${team.slug}/recommendations`} className="text-sm">
            All recommendations
          </Link>
        }
      />
      {canEdit &&
        (projects.length > 0 ? (
          <Card title="New batch">
            <CreateBatchForm teamSlug={team.slug} projects={projects.map((project) => ({ id: project.id, name: project.name }))} />
          </Card>
        ) : (
          <EmptyState title="No project to plan in" text="A batch belongs to a project; an admin creates projects under Projects." />
        ))}
      {batches.length === 0 ? (
        <EmptyState title="No batches yet" text={canEdit ? "Create the first one above." : "Members of the team plan batches."} />
      ) : (
        <Table caption="Batches">
          <THead>
            <TR>
              <TH>Batch</TH>
              <TH className="max-sm:hidden">Due</TH>
              <TH numeric>Done</TH>
              <TH numeric>Planned</TH>
              <TH numeric className="max-sm:hidden">
                Spent
              </TH>
              <TH numeric className="max-sm:hidden">
                Could save
              </TH>
            </TR>
          </THead>
          <TBody>
            {batches.map((batch) => (
              <TR key={batch.id} data-testid="batch-row">
                <TD wrap className="min-w-40">
                  <Link href={`${base}/${batch.id}`} className="font-medium">
                    {batch.name}
                  </Link>
                  <span className="block text-zinc-600">{batch.projectName}</span>
                </TD>
                <TD className="whitespace-nowrap max-sm:hidden">{batch.dueDate ? formatDay(batch.dueDate) : "—"}</TD>
                <TD numeric>
                  {formatNumber(batch.doneCount)} / {formatNumber(batch.itemCount)}
                </TD>
                <TD numeric data-testid="batch-planned">
                  {formatNumber(batch.planned)}
                </TD>
                <TD numeric className="max-sm:hidden">
                  {formatNumber(batch.spent)}
                </TD>
                <TD numeric className="max-sm:hidden">
                  {batch.openFindingsSaved > 0 ? formatNumber(batch.openFindingsSaved) : "—"}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
