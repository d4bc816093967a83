"use client";
// Admins change one model or tool: its credits, tier, status, unit, use, note, minimum charge and setting factors.
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { updatePriceEntryAction } from "@/lib/price-lists/actions";
import { factorFieldName, factorText } from "@/lib/price-lists/rules";
import type { CatalogEntry } from "@/lib/pricing/types";
import { VersionFields } from "./effective-fields";

export type EditEntryDialogProps = {
  teamSlug: string;
  entry: CatalogEntry;
  /** The version the edit builds on (the latest saved, which may not be in force yet). */
  baseVersion: number;
  timeZone: string;
  defaultLater: string;
};

const TIER_OPTIONS = [
  { value: "budget", label: "Budget" },
  { value: "mid", label: "Mid" },
  { value: "premium", label: "Premium" },
];

export function EditEntryDialog({ teamSlug, entry, baseVersion, timeZone, defaultLater }: EditEntryDialogProps) {
  const [open, setOpen] = useState(false);
  const form = useActionForm(updatePriceEntryAction, { onSuccess: () => setOpen(false) });
  const tierOptions = entry.outputType === "tool" ? [...TIER_OPTIONS, { value: "none", label: "No tier" }] : TIER_OPTIONS;
  return (
    <Dialog
      title={`Edit ${entry.name}`}
      description={`Saving makes a new version of the price list, built on version ${baseVersion}.`}
      triggerLabel={
        <>
          Edit<span className="sr-only"> {entry.name}</span>
        </>
      }
      triggerSize="sm"
      triggerVariant="ghost"
      open={open}
      onOpenChange={setOpen}
      size="lg"
    >
      {/* Keyed by version: after a save the fields start again from the new figures. */}
      <form key={baseVersion} id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="edit-entry-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <input type="hidden" name="modelId" value={entry.id} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Input
            label={`Credits per ${entry.unit}`}
            name="credits"
            inputMode="numeric"
            required
            hint="At the default settings."
            defaultValue={form.value("credits", String(entry.credits))}
            error={form.fieldError("credits")}
          />
          <Input
            label="Minimum charge"
            name="minimumCharge"
            inputMode="numeric"
            hint="Credits per unit at least; empty for none."
            defaultValue={form.value("minimumCharge", entry.minimumCharge === undefined ? "" : String(entry.minimumCharge))}
            error={form.fieldError("minimumCharge")}
          />
          <Select
            label="Tier"
            name="tier"
            defaultValue={form.value("tier", entry.tier ?? "none")}
            options={tierOptions}
            error={form.fieldError("tier")}
          />
          <Select
            label="Status"
            name="enabled"
            defaultValue={form.value("enabled", String(entry.enabled))}
            options={[
              { value: "true", label: "Enabled: the team may use it" },
              { value: "false", label: "Disabled: it cannot be estimated or charged" },
            ]}
            error={form.fieldError("enabled")}
          />
          <Input label="Unit" name="unit" required hint="What one is: image, clip, track…" defaultValue={form.value("unit", entry.unit)} error={form.fieldError("unit")} />
        </div>
        <Textarea label="Use it for" name="useFor" rows={2} defaultValue={form.value("useFor", entry.useFor)} error={form.fieldError("useFor")} />
        <Textarea label="Note" name="note" rows={2} hint="Optional; anything the team should know about this price." defaultValue={form.value("note", entry.note ?? "")} error={form.fieldError("note")} />
        {entry.settings.map((setting) => {
          const defaultLabel = setting.options.find((option) => option.value === setting.default)?.label ?? setting.default;
          return (
            <fieldset key={setting.key} className="flex flex-col gap-2 rounded-md border border-zinc-200 p-3">
              <legend className="px-1 text-sm font-medium text-zinc-900">{setting.label} factors</legend>
              <p className="text-sm text-zinc-600">
                The credits above are for {defaultLabel}; each option multiplies them. Write 2, 1.5 or 6/8.
              </p>
              <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
                {setting.options.map((option) => {
                  const name = factorFieldName(setting.key, option.value);
                  return (
                    <Input
                      key={option.value}
                      label={`× for ${option.label}`}
                      name={name}
                      defaultValue={form.value(name, factorText(option.factor))}
                      error={form.fieldError(name)}
                    />
                  );
                })}
              </div>
            </fieldset>
          );
        })}
        <VersionFields timeZone={timeZone} defaultLater={defaultLater} value={form.value} fieldError={form.fieldError} />
        <FormError message={form.formError ?? form.fieldError("modelId")} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending}>Save new version</SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
