"use client";
// Admins add a custom model or tool to the team's price list.
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { addPriceEntryAction } from "@/lib/price-lists/actions";
import { OUTPUT_TYPES } from "@/lib/pricing/types";
import { OUTPUT_TYPE_LABELS } from "./labels";
import { VersionFields } from "./effective-fields";

type Props = { teamSlug: string; timeZone: string; defaultLater: string };

export function AddEntryDialog({ teamSlug, timeZone, defaultLater }: Props) {
  const [open, setOpen] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const form = useActionForm(addPriceEntryAction, {
    onSuccess: () => {
      setOpen(false);
      setFormKey((key) => key + 1);
    },
  });
  return (
    <Dialog
      title="Add a model or tool"
      description="For a model the platform added, or a tool your team uses. It starts without settings; import a file to give it some."
      triggerLabel="Add a model or tool"
      triggerVariant="secondary"
      open={open}
      onOpenChange={setOpen}
      size="lg"
    >
      <form key={formKey} id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="add-entry-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Input label="Name" name="name" required defaultValue={form.value("name")} error={form.fieldError("name")} />
          <Input
            label="Id"
            name="id"
            hint="Lowercase, with hyphens; made from the name if left empty."
            defaultValue={form.value("id")}
            error={form.fieldError("id")}
          />
          <Select
            label="Output type"
            name="outputType"
            required
            placeholder="Choose…"
            defaultValue={form.value("outputType") || undefined}
            options={OUTPUT_TYPES.map((type) => ({ value: type, label: OUTPUT_TYPE_LABELS[type] }))}
            error={form.fieldError("outputType")}
          />
          <Select
            label="Tier"
            name="tier"
            required
            placeholder="Choose…"
            defaultValue={form.value("tier") || undefined}
            options={[
              { value: "budget", label: "Budget" },
              { value: "mid", label: "Mid" },
              { value: "premium", label: "Premium" },
              { value: "none", label: "No tier (tools only)" },
            ]}
            error={form.fieldError("tier")}
          />
          <Input label="Credits per unit" name="credits" inputMode="numeric" required defaultValue={form.value("credits")} error={form.fieldError("credits")} />
          <Input label="Unit" name="unit" required hint="image, clip, track, voiceover…" defaultValue={form.value("unit")} error={form.fieldError("unit")} />
          <Input
            label="Minimum charge"
            name="minimumCharge"
            inputMode="numeric"
            hint="Optional, in credits per unit."
            defaultValue={form.value("minimumCharge")}
            error={form.fieldError("minimumCharge")}
          />
        </div>
        <Textarea label="Use it for" name="useFor" rows={2} defaultValue={form.value("useFor")} error={form.fieldError("useFor")} />
        <Textarea label="Note" name="note" rows={2} hint="Optional." defaultValue={form.value("note")} error={form.fieldError("note")} />
        <VersionFields timeZone={timeZone} defaultLater={defaultLater} value={form.value} fieldError={form.fieldError} />
        <FormError message={form.formError} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending}>Add and save new version</SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
