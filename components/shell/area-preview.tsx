// Team areas that are not built yet: each says plainly what it will hold, so no link leads nowhere.
import { Card, PageHeader } from "@/components/ui/card";
import { requireTeam } from "@/lib/authz/page";

const AREAS = {
  usage: {
    title: "Usage",
    summary: "Where the team's credits went, and what to learn from it.",
    points: [
      "Filter runs by project, member, model, stage, outcome and date.",
      "Totals and charts over time; the ledger with the balance after each entry.",
      "CSV export of exactly what the filter shows, and import of the platform's usage export.",
    ],
  },
} as const;

export type PreviewArea = keyof typeof AREAS;

/** The page component of an area still to come; members only, like every team page. */
export function areaPreviewPage(area: PreviewArea) {
  const { title, summary, points } = AREAS[area];
  return async function AreaPreviewPage({ params }: { params: Promise<{ teamSlug: string }> }) {
    await requireTeam((await params).teamSlug);
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title={title} description={summary} />
        <Card title="What this area will hold">
          <ul className="list-disc space-y-1.5 pl-5 text-sm text-zinc-700">
            {points.map((point) => (
              <li key={point}>{point}</li>
            ))}
          </ul>
        </Card>
      </div>
    );
  };
}
