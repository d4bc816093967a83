"use client";
// When a new price list version starts (now, or a moment on the team's clock) and a note on why; part of every form that saves one.
import { useId, useState } from "react";
import { FieldErrorText } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export type VersionFieldsProps = {
  timeZone: string;
  /** datetime-local value offered for "later": the team's next midnight. */
  defaultLater: string;
  /** What was submitted last time the form was refused, if anything. */
  value: (name: string, fallback?: string) => string;
  fieldError: (name: string) => string | undefined;
};

export function VersionFields({ timeZone, defaultLater, value, fieldError }: VersionFieldsProps) {
  // Uncontrolled radios: React resets a form after its action, and echoes what was sent as the defaults.
  const submitted = value("effective", "now") === "later" ? "later" : "now";
  const [when, setWhen] = useState(submitted);
  const id = useId();
  const effectiveError = fieldError("effective");
  return (
    <>
      <fieldset className="flex flex-col gap-2" aria-describedby={effectiveError ? `${id}-error` : undefined}>
        <legend className="mb-1 text-sm font-medium text-zinc-900">New prices apply</legend>
        <label className="flex items-center gap-2 text-sm text-zinc-800">
          <input
            type="radio"
            name="effective"
            value="now"
            defaultChecked={submitted === "now"}
            onChange={() => setWhen("now")}
            className="size-4 accent-brand-600"
          />
          Now
        </label>
        <label className="flex items-center gap-2 text-sm text-zinc-800">
          <input
            type="radio"
            name="effective"
            value="later"
            defaultChecked={submitted === "later"}
            onChange={() => setWhen("later")}
            className="size-4 accent-brand-600"
          />
          From a later moment
        </label>
        {effectiveError && <FieldErrorText id={`${id}-error`} name="effective" message={effectiveError} />}
      </fieldset>
      {when === "later" && (
        <Input
          label="Starting at"
          name="effectiveAt"
          type="datetime-local"
          hint={`On the team's clock (${timeZone}). Runs before then keep the current prices.`}
          defaultValue={value("effectiveAt", defaultLater)}
          error={fieldError("effectiveAt")}
        />
      )}
      <Input
        label="Reason for the change"
        name="versionNote"
        hint="Optional; shown in the version history, e.g. “platform price update, May”."
        defaultValue={value("versionNote")}
        error={fieldError("versionNote")}
      />
    </>
  );
}
