// Pricing: the team's price list in force, an estimator, model and plan comparisons; for admins, editing and the version history.
import type { Metadata } from "next";
import { AddEntryDialog } from "@/components/pricing/add-entry-dialog";
import { Catalog } from "@/components/pricing/catalog";
import { CompareModels } from "@/components/pricing/compare-models";
import { CostRanges } from "@/components/pricing/cost-ranges";
import { Estimator } from "@/components/pricing/estimator";
import { ImportDialog } from "@/components/pricing/import-dialog";
import { PlanComparison } from "@/components/pricing/plan-comparison";
import { VersionHistory } from "@/components/pricing/version-history";
import { buttonClasses } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { requireTeam } from "@/lib/authz/page";
import { hasRole } from "@/lib/authz/roles";
import { formatDateTime } from "@/lib/format";
import { latestPriceListVersion, listPriceListVersions, priceListInForce, type PriceListInForce } from "@/lib/price-lists/queries";
import { nextMidnightInputValue } from "@/lib/price-lists/rules";
import { costRanges } from "@/lib/pricing/ranges";

export const metadata: Metadata = { title: "Pricing" };

type Props = { params: Promise<{ teamSlug: string }> };

function inForceText(inForce: PriceListInForce, timeZone: string): string {
  if (inForce.effectiveFrom === null) return "The default price list (version 0) is in force.";
  const by = inForce.createdBy ? `, saved by ${inForce.createdBy.name}` : "";
  return `Price list version ${inForce.version} is in force since ${formatDateTime(inForce.effectiveFrom, timeZone)}${by}.`;
}

export default async function PricingPage({ params }: Props) {
  const ctx = await requireTeam((await params).teamSlug);
  const { team } = ctx;
  const isAdmin = hasRole(ctx.role, "admin");
  // One instant for the whole page, so the list shown, the one marked in force and "scheduled" agree.
  const now = new Date();
  const [inForce, latest, versions] = await Promise.all([
    priceListInForce(team.id, now),
    isAdmin ? latestPriceListVersion(team.id) : null,
    isAdmin ? listPriceListVersions(team.id) : [],
  ]);
  const exportHref = (version?: number) =>
    `/api/v1/teams/${team.slug}/price-list${version === undefined ? "" : `?version=${version}`}`;
  const defaultLater = nextMidnightInputValue(now, team.timeZone);
  // Newest first, so the last one is the next to apply.
  const scheduled = versions.filter((item) => item.effectiveFrom > now);
  const nextScheduled = scheduled.at(-1);

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Pricing"
        description="What every model and tool costs in credits, so a run can be priced before anyone spends."
        actions={
          <a href={exportHref()} download className={buttonClasses({ variant: "secondary" })} data-testid="export-price-list">
            Export JSON
          </a>
        }
      />
      <p className="-mt-3 text-sm text-zinc-700" data-testid="price-list-in-force" data-version={inForce.version}>
        {inForceText(inForce, team.timeZone)}
      </p>
      <nav aria-label="On this page" className="-mt-2 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <a href="#estimate">Estimate a run</a>
        <a href="#compare">Compare models</a>
        <a href="#plans">Compare plans</a>
        <a href="#price-list">Price list</a>
        {isAdmin && <a href="#history">Version history</a>}
      </nav>
      <CostRanges ranges={costRanges(inForce.priceList)} />
      <Card id="estimate" title="Estimate a run" description="Pick a model and its settings; the figure follows as you type.">
        <Estimator teamSlug={team.slug} priceList={inForce.priceList} version={inForce.version} />
      </Card>
      <Card id="compare" title="Compare models" description="The same job priced on every model of one output type, with the best value in each tier marked.">
        <CompareModels priceList={inForce.priceList} />
      </Card>
      <Card
        id="plans"
        title="Compare plans"
        description="Test on a cheap model and keep the premium one for the final: see what that saves against the plan as written."
      >
        <PlanComparison priceList={inForce.priceList} />
      </Card>
      <section id="price-list" aria-labelledby="price-list-title" className="flex flex-col gap-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h2 id="price-list-title" className="text-lg font-semibold text-zinc-900">
              Price list
            </h2>
            <p className="text-sm text-zinc-600">Credits are for one unit at the model&apos;s default settings; each setting multiplies them.</p>
          </div>
          {isAdmin && latest && (
            <div className="flex flex-wrap gap-2" data-testid="price-list-admin">
              <AddEntryDialog teamSlug={team.slug} timeZone={team.timeZone} defaultLater={defaultLater} />
              <ImportDialog teamSlug={team.slug} timeZone={team.timeZone} defaultLater={defaultLater} exportHref={exportHref()} />
            </div>
          )}
        </div>
        {isAdmin && nextScheduled && (
          <p className="rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm text-blue-900" data-testid="scheduled-notice">
            Version {nextScheduled.version} is scheduled to apply from {formatDateTime(nextScheduled.effectiveFrom, team.timeZone)}
            {scheduled.length > 1 ? ` (and ${scheduled.length - 1} more after it)` : ""}. The list below is the one in force now; edits
            build on the latest version, {latest?.version}, and cannot start before it does.
          </p>
        )}
        <Catalog
          priceList={inForce.priceList}
          editing={
            isAdmin && latest
              ? {
                  teamSlug: team.slug,
                  editable: latest.priceList.entries,
                  baseVersion: latest.version,
                  timeZone: team.timeZone,
                  defaultLater,
                }
              : undefined
          }
        />
      </section>
      {isAdmin && (
        <Card
          id="history"
          title="Version history"
          description={`Every saved change, newest first. The version in force at a moment is the latest one that applies from then or earlier. Times in ${team.timeZone}.`}
          flush
        >
          <VersionHistory
            versions={versions}
            inForceVersion={inForce.version}
            now={now}
            timeZone={team.timeZone}
            exportHref={exportHref}
          />
        </Card>
      )}
    </div>
  );
}
