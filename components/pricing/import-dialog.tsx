"use client";
// Admins import a price list file (pasted or chosen); a bad file is refused with its line and the reason.
import { useState, type ChangeEvent } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Dialog, DialogClose, DialogFooter } from "@/components/ui/dialog";
import { FieldErrorText } from "@/components/ui/field";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { Textarea } from "@/components/ui/textarea";
import { importPriceListAction } from "@/lib/price-lists/actions";
import { VersionFields } from "./effective-fields";

type Props = { teamSlug: string; timeZone: string; defaultLater: string; exportHref: string };

export function ImportDialog({ teamSlug, timeZone, defaultLater, exportHref }: Props) {
  const [open, setOpen] = useState(false);
  const [json, setJson] = useState("");
  const [fileProblem, setFileProblem] = useState<string | undefined>();
  const form = useActionForm(importPriceListAction, {
    onSuccess: () => {
      setOpen(false);
      setJson("");
    },
  });

  // The file is read here and sent as text, so the server sees exactly what the person could also paste.
  const readFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    setFileProblem(undefined);
    if (!file) return;
    try {
      setJson(await file.text());
    } catch {
      setFileProblem("That file could not be read; try pasting its contents instead.");
    }
  };

  return (
    <Dialog
      title="Import a price list"
      description="The file replaces the whole list as a new version. Start from an export, change the figures, and import it back."
      triggerLabel="Import JSON"
      triggerVariant="secondary"
      open={open}
      onOpenChange={setOpen}
      size="lg"
    >
      <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="import-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        {/* No name: the file is not sent itself, only the text it fills in below. */}
        <div className="flex flex-col gap-1.5">
          <label htmlFor={`${teamSlug}-price-list-file`} className="text-sm font-medium text-zinc-900">
            Choose a file
          </label>
          <input
            id={`${teamSlug}-price-list-file`}
            type="file"
            accept="application/json,.json"
            onChange={readFile}
            className="text-sm text-zinc-800 file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-medium"
          />
          {fileProblem && <FieldErrorText id={`${teamSlug}-price-list-file-error`} name="file" message={fileProblem} />}
        </div>
        <Textarea
          label="Price list file"
          name="json"
          rows={12}
          required
          spellCheck={false}
          hint={
            <>
              Or paste it here. <a href={exportHref}>Download the current list</a> to see the format.
            </>
          }
          className="font-mono text-xs"
          value={json}
          onChange={(event) => setJson(event.target.value)}
          error={form.fieldError("json")}
        />
        <VersionFields timeZone={timeZone} defaultLater={defaultLater} value={form.value} fieldError={form.fieldError} />
        <FormError message={form.formError} />
        <DialogFooter>
          <DialogClose />
          <SubmitButton pending={form.pending}>Import as new version</SubmitButton>
        </DialogFooter>
      </form>
    </Dialog>
  );
}
