"use client";
// Add many items at once: one prompt per line, or CSV with the documented columns. A bad line names its number and adds nothing.
import { useState, type FormEvent } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { OUTPUT_TYPE_LABELS } from "@/components/ledger/labels";
import { FormError } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { pasteItemsAction } from "@/lib/batches/actions";
import { PASTE_COLUMNS, pasteSizeProblem } from "@/lib/batches/schema";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import { OUTPUT_TYPES, type OutputType, type PriceList } from "@/lib/pricing/types";
import { PURPOSES } from "@/lib/recommendations/types";
import { starterPlan } from "./item-form";
import { PlanEditor } from "./plan-editor";
import { useKeepOnSubmit } from "@/components/forms/use-keep-on-submit";

const CSV_COLUMNS = PASTE_COLUMNS.join(", ");

export function PasteItemsForm({ teamSlug, batchId, priceList }: { teamSlug: string; batchId: string; priceList: PriceList }) {
  // After items are added, a fresh form (empty text, the plan drawn again); the chosen format and output type stay.
  const [formKey, setFormKey] = useState(0);
  const form = useActionForm(pasteItemsAction, { onSuccess: () => setFormKey((key) => key + 1) });
  const send = useKeepOnSubmit(form.formAction);
  // A paste over what one request takes would fail before the server could say why: said here, and not sent.
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    const text = new FormData(event.currentTarget).get("text");
    const problem = typeof text === "string" ? pasteSizeProblem(text) : null;
    setTooLarge(problem);
    if (!problem) return send(event);
    event.preventDefault();
    event.currentTarget.querySelector<HTMLElement>('[name="text"]')?.focus();
  };
  const [format, setFormat] = useState<"lines" | "csv">("lines");
  const [outputType, setOutputType] = useState<OutputType>("image");
  const textError = tooLarge ?? form.fieldError("text");
  return (
    <form key={formKey} id={form.formId} onSubmit={submit} className="flex flex-col gap-4" noValidate data-testid="paste-items-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="batchId" value={batchId} />
      <Select
        label="What you paste"
        name="format"
        value={format}
        onChange={(event) => setFormat(event.target.value as "lines" | "csv")}
        fieldClassName="sm:w-72"
        options={[
          { value: "lines", label: "One prompt per line" },
          { value: "csv", label: "CSV with a header row" },
        ]}
      />
      <Textarea
        label={format === "lines" ? "Prompts" : "CSV"}
        name="text"
        rows={6}
        className="font-mono text-sm"
        defaultValue={form.value("text")}
        error={textError}
        hint={
          format === "lines"
            ? "Each line becomes an item with the plan below; its first words become the title."
            : `Columns: ${CSV_COLUMNS}. Models by their id in the price list; tools and flags joined with "+" (flags: web_only, will_be_edited, still_would_do, background_music, edit_existing). Empty cells take the plan below.`
        }
      />
      <details className="rounded-md border border-zinc-200 p-3" open={format === "lines"}>
        <summary className="cursor-pointer text-sm font-medium text-zinc-900">Plan and purpose for every pasted item</summary>
        <div className="mt-3 flex flex-col gap-3">
          <div className="grid gap-3 sm:grid-cols-2">
            <Select
              label="Output type"
              name="outputType"
              value={outputType}
              onChange={(event) => setOutputType(event.target.value as OutputType)}
              options={OUTPUT_TYPES.filter((type) => type !== "tool").map((type) => ({ value: type, label: OUTPUT_TYPE_LABELS[type] }))}
            />
            <Select
              label="Purpose"
              name="purpose"
              defaultValue={form.value("purpose", "internal_review")}
              options={PURPOSES.map((purpose) => ({ value: purpose, label: PURPOSE_LABELS[purpose] }))}
            />
          </div>
          <PlanEditor key={outputType} priceList={priceList} outputType={outputType} initial={starterPlan(priceList, outputType)} />
        </div>
      </details>
      <FormError message={form.formError} />
      <div>
        <SubmitButton pending={form.pending}>Add these items</SubmitButton>
      </div>
    </form>
  );
}
