// Make an app (members): its steps and inputs, priced and checked while typing; it is saved as the author's draft.
import type { Metadata } from "next";
import Link from "next/link";
import { AppEditor } from "@/components/apps/app-editor";
import { PageHeader } from "@/components/ui/card";
import { requireTeamRole } from "@/lib/authz/page";
import { priceListInForce } from "@/lib/price-lists/queries";
import { defaultSettings } from "@/lib/pricing/estimate";

export const metadata: Metadata = { title: "New app" };

type Props = { params: Promise<{ teamSlug: string }> };

export default async function NewAppPage({ params }: Props) {
  const { teamSlug } = await params;
  const ctx = await requireTeamRole(teamSlug, "member");
  const { priceList, version } = await priceListInForce(ctx.team.id);
  const first = priceList.entries.find((entry) => entry.enabled && entry.outputType === "image");
  return (
    <div className="flex flex-col gap-6">
      <nav aria-label="Breadcrumb" className="-mb-3 text-sm">
        <Link href={`/t/${ctx.team.slug}/apps`}>← Apps</Link>
      </nav>
      <PageHeader title="New app" description="Fix the steps that work, expose only the inputs that matter, and see what a run costs before anyone runs it." />
      <AppEditor
        teamSlug={ctx.team.slug}
        priceList={priceList}
        priceListVersion={version}
        appId={null}
        initial={{
          name: "",
          description: "",
          outputType: "image",
          purpose: "client_draft",
          definition: {
            steps: first ? [{ modelId: first.id, settings: defaultSettings(first) }] : [],
            inputs: [
              { kind: "prompt", key: "prompt", label: "Prompt", default: "", maxLength: 2000 },
              { kind: "outputs", key: "outputs", label: "Outputs", min: 1, max: 4, default: 1 },
            ],
          },
        }}
        saveNote="It is saved as your draft: you and the admins can test it; once it has its accepted test runs, an approver publishes it for the team."
      />
    </div>
  );
}
