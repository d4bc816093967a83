"use client";
// Uploading a usage file (admins): the file is sent as it is, streamed to the server, which reads it into a draft import to preview.
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { controlClasses, Field } from "@/components/ui/field";
import { MAX_UPLOAD_BYTES } from "@/lib/imports/schema";

type Answer = { next?: string; error?: { message: string; fields?: Record<string, string> } };

export function UploadForm({ teamSlug }: { teamSlug: string }) {
  const router = useRouter();
  const id = useId();
  const [pending, setPending] = useState(false);
  const [fileError, setFileError] = useState<string | undefined>();
  const [formError, setFormError] = useState<string | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const file = new FormData(event.currentTarget).get("file");
    setFileError(undefined);
    setFormError(undefined);
    if (!(file instanceof File) || file.name === "") {
      setFileError("Choose a CSV file to import.");
      return;
    }
    if (file.size === 0) {
      setFileError("This file is empty: its first line must name the columns, and each line after it is a row.");
      return;
    }
    // Said before sending: a server that stops reading a body mid-way is seen by the browser as a broken connection.
    if (file.size > MAX_UPLOAD_BYTES) {
      setFileError(`The file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB; split it and import the parts.`);
      return;
    }
    setPending(true);
    try {
      // The file itself is the body: a server action would stop at 1 MB, and this way the server reads it as it arrives.
      const response = await fetch(`/t/${teamSlug}/usage/import/upload?name=${encodeURIComponent(file.name)}`, {
        method: "POST",
        body: file,
        headers: { "content-type": "text/csv" },
      });
      const answer = (await response.json().catch(() => ({}))) as Answer;
      if (response.ok && answer.next) {
        router.push(answer.next);
        return;
      }
      const message = answer.error?.fields?.file ?? answer.error?.message ?? "The file could not be uploaded. Please try again.";
      if (answer.error?.fields?.file) setFileError(message);
      else setFormError(message);
    } catch {
      setFormError("The file could not be uploaded. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate data-testid="import-upload-form">
      <Field label="CSV file" name="file" id={`${id}file`} error={fileError} hint="The platform's analytics export, or a runs file (see the columns below).">
        {(control) => <input {...control} type="file" accept=".csv,text/csv" className={controlClasses} />}
      </Field>
      <FormError message={formError} />
      <div>
        <SubmitButton pending={pending}>Upload and preview</SubmitButton>
      </div>
    </form>
  );
}
