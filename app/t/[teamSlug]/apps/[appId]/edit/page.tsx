// Change an app (members): starts from its newest version; saving makes a draft — in place while nobody has tested it,
// else a new version — and the published version keeps running until the new one is published.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AppEditor } from "@/components/apps/app-editor";
import { EmptyState } from "@/components/ui/table";
import { PageHeader } from "@/components/ui/card";
import { getApp } from "@/lib/apps/queries";
import { APP_OUTPUT_TYPES } from "@/lib/apps/schema";
import { requireTeamRole } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { priceListInForce } from "@/lib/price-lists/queries";

export const metadata: Metadata = { title: "Change app" };

type Props = { params: Promise<{ teamSlug: string; appId: string }> };

export default async function EditAppPage({ params }: Props) {
  const { teamSlug, appId } = await params;
  const ctx = await requireTeamRole(teamSlug, "member");
  const [found, inForce] = await Promise.all([getApp(ctx.team.id, appId), priceListInForce(ctx.team.id)]);
  if (!found) notFound();
  const { app, draft, published } = found;
  const back = (
    <nav aria-label="Breadcrumb" className="-mb-3 text-sm">
      <Link href={`/t/${ctx.team.slug}/apps/${app.id}`}>← {app.name}</Link>
    </nav>
  );
  if (app.retiredAt) {
    return (
      <div className="flex flex-col gap-6">
        {back}
        <EmptyState title="This app was retired" text="A retired app cannot be changed. Make a new app instead." />
      </div>
    );
  }
  const newest = found.versions[0];
  const othersDraft = draft !== null && draft.author.id !== ctx.user.id && !hasRole(ctx.role, "admin");
  if (draft && othersDraft) {
    return (
      <div className="flex flex-col gap-6">
        {back}
        <EmptyState title={`${draft.author.name} is working on draft version ${draft.version}`} text="Only a draft's author and the team's admins can change it; ask them, or an admin." />
      </div>
    );
  }
  const saveNote =
    newest.state === "draft" && newest.testBatches === 0
      ? `Saving changes draft version ${newest.version}.`
      : `Saving makes draft version ${newest.version + 1}: it is tested afresh${published ? `, and version ${published.version} stays in use until it is published` : ""}.`;
  return (
    <div className="flex flex-col gap-6">
      {back}
      <PageHeader title={`Change “${app.name}”`} description={`From version ${newest.version}${newest.state === "draft" ? " (draft)" : newest.state === "published" ? " (published)" : ""}.`} />
      <AppEditor
        teamSlug={ctx.team.slug}
        priceList={inForce.priceList}
        priceListVersion={inForce.version}
        appId={app.id}
        initial={{
          name: app.name,
          description: app.description,
          outputType: APP_OUTPUT_TYPES.includes(app.outputType as (typeof APP_OUTPUT_TYPES)[number]) ? (app.outputType as (typeof APP_OUTPUT_TYPES)[number]) : "image",
          purpose: app.purpose,
          definition: newest.definition,
        }}
        saveNote={saveNote}
      />
    </div>
  );
}
