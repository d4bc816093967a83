"use client";
// The app page's confirmations: publish a draft (approvers), retire the app (admins); and the team's rule for how many
// accepted test runs publishing needs (admins).
import { useActionForm } from "@/components/forms/use-action-form";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { useToast } from "@/components/ui/toast";
import { publishVersionAction, retireAppAction, setAppTestRunsAction } from "@/lib/apps/actions";
import type { ActionResult } from "@/lib/authz/result";

/** Runs an action from a confirmation and says what happened once the dialog closes. */
function useToasted<T>(action: (formData: FormData) => Promise<ActionResult<T>>) {
  const { toast } = useToast();
  return async (formData: FormData) => {
    const result = await action(formData);
    if (result.ok && result.message) toast(result.message, { tone: "success" });
    return result;
  };
}

export function PublishButton({ teamSlug, versionId, version, name, replaces }: { teamSlug: string; versionId: string; version: number; name: string; replaces: number | null }) {
  const action = useToasted(publishVersionAction);
  return (
    <ConfirmDialog
      title={`Publish version ${version} of “${name}”?`}
      body={
        <p>
          Every member of the team can run it from then on, for any project.
          {replaces !== null && ` It replaces version ${replaces}; runs made with that version keep it.`}
        </p>
      }
      triggerLabel={`Publish version ${version}`}
      triggerSize="sm"
      triggerVariant="primary"
      confirmLabel="Publish"
      action={action}
      hiddenFields={{ teamSlug, versionId }}
    />
  );
}

export function RetireButton({ teamSlug, appId, name }: { teamSlug: string; appId: string; name: string }) {
  const action = useToasted(retireAppAction);
  return (
    <ConfirmDialog
      title={`Retire “${name}”?`}
      body={
        <p>
          Nobody can start it any more, nor change it. Batches it already made stay as they are, and their items can still be run; its versions and runs
          stay in the history. This cannot be undone.
        </p>
      }
      triggerLabel="Retire"
      triggerSize="sm"
      triggerVariant="ghost"
      confirmLabel="Retire app"
      tone="danger"
      action={action}
      hiddenFields={{ teamSlug, appId }}
    />
  );
}

export function TestRunsForm({ teamSlug, appTestRuns }: { teamSlug: string; appTestRuns: number }) {
  const form = useActionForm(setAppTestRunsAction);
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-wrap items-end gap-3" noValidate data-testid="test-runs-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <Input
        label="Accepted test runs before an app is published"
        name="appTestRuns"
        inputMode="numeric"
        defaultValue={form.value("appTestRuns", String(appTestRuns))}
        error={form.fieldError("appTestRuns")}
        hint="0 lets an approver publish an untested app."
        fieldClassName="max-w-xs"
      />
      <FormError message={form.formError} />
      <SubmitButton pending={form.pending} variant="secondary">
        Save
      </SubmitButton>
    </form>
  );
}
