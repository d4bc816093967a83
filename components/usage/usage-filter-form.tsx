// The Usage filter as a GET form (works without script): days, project, member, model, type, tier, stage, outcome, batch; the chart and table view ride along.
import { ChoiceFilter, FilterButtons, RefusedFiltersNote } from "@/components/ui/filter-form";
import { Select } from "@/components/ui/select";
import { OUTCOME_LABELS, STAGE_LABELS } from "@/lib/ledger/schema";
import { OUTPUT_TYPES, TIERS } from "@/lib/pricing/types";
import { DaysFields } from "./days-fields";
import { NO_OUTCOME, OUTCOME_CHOICES, viewSearch, type UsageFilter, type UsageFilterInput, type UsageView } from "@/lib/usage/filters";
import { RUN_STAGES } from "@/lib/ledger/schema";

type Choice = { id: string; name: string };

export const OUTPUT_TYPE_LABELS: Record<(typeof OUTPUT_TYPES)[number], string> = { image: "Image", video: "Video", audio: "Audio", tool: "Tool" };
export const TIER_LABELS: Record<(typeof TIERS)[number], string> = { budget: "Budget", mid: "Mid", premium: "Premium" };
export const OUTCOME_CHOICE_LABELS: Record<(typeof OUTCOME_CHOICES)[number], string> = { ...OUTCOME_LABELS, [NO_OUTCOME]: "No outcome yet" };

type Props = {
  action: string;
  values: Record<keyof UsageFilterInput, string>;
  errors: Partial<Record<keyof UsageFilterInput, string>>;
  usage: UsageFilter;
  view: UsageView;
  choices: { projects: Choice[]; people: Choice[]; models: Choice[]; batches: Choice[] };
  filtered: boolean;
};

export function UsageFilterForm({ action, values, errors, usage, view, choices, filtered }: Props) {
  const refused = Object.keys(errors).length > 0;
  return (
    <form method="get" action={action} className="flex flex-col gap-3" data-testid="usage-filters">
      {viewSearch(view).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <DaysFields
          range={usage.range}
          from={values.from || (usage.range === "custom" ? usage.from : "")}
          to={values.to || (usage.range === "custom" ? usage.to : "")}
          errors={errors}
        />
        <ChoiceFilter label="Project" name="project" anyLabel="Every project" choices={choices.projects} value={values.project} error={errors.project} />
        <ChoiceFilter label="Member" name="member" anyLabel="Everyone" choices={choices.people} value={values.member} error={errors.member} />
        <ChoiceFilter label="Model" name="model" anyLabel="Every model" choices={choices.models} value={values.model} error={errors.model} />
        <Select
          label="Output type"
          name="type"
          defaultValue={values.type}
          error={errors.type}
          options={[{ value: "", label: "Every type" }, ...OUTPUT_TYPES.map((value) => ({ value, label: OUTPUT_TYPE_LABELS[value] }))]}
        />
        <Select label="Tier" name="tier" defaultValue={values.tier} error={errors.tier} options={[{ value: "", label: "Every tier" }, ...TIERS.map((value) => ({ value, label: TIER_LABELS[value] }))]} />
        <Select
          label="Stage"
          name="stage"
          defaultValue={values.stage}
          error={errors.stage}
          options={[{ value: "", label: "Every stage" }, ...RUN_STAGES.map((value) => ({ value, label: STAGE_LABELS[value] }))]}
        />
        <Select
          label="Outcome"
          name="outcome"
          defaultValue={values.outcome}
          error={errors.outcome}
          options={[{ value: "", label: "Any outcome" }, ...OUTCOME_CHOICES.map((value) => ({ value, label: OUTCOME_CHOICE_LABELS[value] }))]}
        />
        <ChoiceFilter label="Batch" name="batch" anyLabel="Any batch" choices={choices.batches} value={values.batch} error={errors.batch} />
      </div>
      <FilterButtons clearHref={action} showClear={filtered || refused} />
      <RefusedFiltersNote show={refused} />
    </form>
  );
}
