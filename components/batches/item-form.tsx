"use client";
// Add an item to a batch, or edit one: title, output type, purpose, prompt, its stage plan and the flags the rules read.
// An edit carries the version it was opened at, so a save over someone else's newer change is refused, not lost.
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Checkbox, FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { OUTPUT_TYPE_LABELS } from "@/components/ledger/labels";
import { addItemAction, updateItemAction } from "@/lib/batches/actions";
import { PURPOSE_LABELS } from "@/lib/ledger/schema";
import { OUTPUT_TYPES, type OutputType, type PriceList } from "@/lib/pricing/types";
import { NO_FLAGS, PURPOSES, type ItemFlags, type ItemPlan, type Purpose } from "@/lib/recommendations/types";
import { FLAG_KEYS, FLAG_LABELS } from "./labels";
import { PlanEditor } from "./plan-editor";
import { useKeepOnSubmit } from "@/components/forms/use-keep-on-submit";

export type ItemFormValues = {
  id: string;
  version: number;
  title: string;
  outputType: OutputType;
  purpose: Purpose;
  prompt: string;
  plan: ItemPlan;
  flags: ItemFlags;
};

/** A first plan for a new item of this output type: one final on the first model of that type the team may use. */
export function starterPlan(priceList: PriceList, outputType: OutputType): ItemPlan {
  const entry = priceList.entries.find((candidate) => candidate.enabled && candidate.outputType === outputType);
  if (!entry) return { tests: null, finals: null, tools: [] };
  const settings = Object.fromEntries(entry.settings.map((setting) => [setting.key, setting.default]));
  return { tests: null, finals: { modelId: entry.id, settings, count: 1 }, tools: [] };
}

const ITEM_TYPES = OUTPUT_TYPES.filter((type) => type !== "tool");

export function ItemForm({
  teamSlug,
  batchId,
  priceList,
  item,
  onDone,
}: {
  teamSlug: string;
  batchId: string;
  priceList: PriceList;
  /** The item to edit; absent to add one. */
  item?: ItemFormValues;
  onDone?: () => void;
}) {
  const editing = item !== undefined;
  const form = useActionForm<unknown>(editing ? updateItemAction : addItemAction, {
    onSuccess: () => {
      if (!editing) {
        setOutputType("image");
        setFormKey((key) => key + 1);
      }
      onDone?.();
    },
  });
  const [outputType, setOutputType] = useState<OutputType>(item?.outputType ?? "image");
  // A new plan editor (and, after adding, a blank form) whenever the output type changes: its models are of that type.
  const [formKey, setFormKey] = useState(0);
  const initialPlan = item && item.outputType === outputType ? item.plan : starterPlan(priceList, outputType);
  const flags = item?.flags ?? NO_FLAGS;
  const errors: Record<string, string | undefined> = {};
  if (form.result && !form.result.ok && form.result.fieldErrors) {
    for (const [key, message] of Object.entries(form.result.fieldErrors)) errors[key.replace(/^plan\./, "")] = message;
  }
  const planError = form.fieldError("plan");
  const submit = useKeepOnSubmit(form.formAction);

  return (
    <form
      key={formKey}
      id={form.formId}
      onSubmit={submit}
      className="grid gap-4 sm:grid-cols-2"
      noValidate
      data-testid={editing ? "edit-item-form" : "add-item-form"}
    >
      <input type="hidden" name="teamSlug" value={teamSlug} />
      {editing ? (
        <>
          <input type="hidden" name="itemId" value={item.id} />
          <input type="hidden" name="version" value={item.version} />
        </>
      ) : (
        <input type="hidden" name="batchId" value={batchId} />
      )}
      <Input label="Title" name="title" required defaultValue={form.value("title", item?.title ?? "")} error={form.fieldError("title")} />
      <div className="grid grid-cols-2 gap-3">
        <Select
          label="Output type"
          name="outputType"
          value={outputType}
          onChange={(event) => setOutputType(event.target.value as OutputType)}
          error={form.fieldError("outputType")}
          hint={editing && outputType !== item.outputType ? "The plan starts again with models of this type; saving replaces the current plan." : undefined}
          options={ITEM_TYPES.map((type) => ({ value: type, label: OUTPUT_TYPE_LABELS[type] }))}
        />
        <Select
          label="Purpose"
          name="purpose"
          defaultValue={form.value("purpose", item?.purpose ?? "internal_review")}
          error={form.fieldError("purpose")}
          options={PURPOSES.map((purpose) => ({ value: purpose, label: PURPOSE_LABELS[purpose] }))}
        />
      </div>
      <Textarea
        label="Prompt"
        name="prompt"
        rows={3}
        fieldClassName="sm:col-span-2"
        defaultValue={form.value("prompt", item?.prompt ?? "")}
        error={form.fieldError("prompt")}
        hint="Can wait until the item is about to be generated; the batch reminds you."
      />
      <div className="sm:col-span-2">
        <PlanEditor key={outputType} priceList={priceList} outputType={outputType} initial={initialPlan} errors={errors} />
        {planError && (
          <p className="mt-2 text-sm text-red-800" data-testid="plan-error">
            {planError}
          </p>
        )}
      </div>
      <fieldset className="grid gap-3 sm:col-span-2 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-medium text-zinc-900">What the recommendations should know</legend>
        {FLAG_KEYS.map((key) => (
          <Checkbox
            key={key}
            label={FLAG_LABELS[key].label}
            hint={FLAG_LABELS[key].hint}
            name={`flag.${key}`}
            defaultChecked={form.result && !form.result.ok ? form.value(`flag.${key}`) === "on" : flags[key]}
          />
        ))}
      </fieldset>
      <FormError message={form.formError} className="sm:col-span-2" />
      <div className="sm:col-span-2">
        <SubmitButton pending={form.pending}>{editing ? "Save item" : "Add item"}</SubmitButton>
      </div>
    </form>
  );
}
