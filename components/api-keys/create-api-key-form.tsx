"use client";
// Make a team API key (admins): name, scopes, an optional project and last day; the secret is shown here once.
import { useId, useRef, useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Checkbox, FormError, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { SubmitButton } from "@/components/ui/submit-button";
import { createApiKeyAction } from "@/lib/api-keys/actions";

type Option = { value: string; label: string };
type Created = { id: string; name: string; secret: string; shown: string };

export function CreateApiKeyForm({
  teamSlug,
  scopes,
  projects,
  today,
  timeZone,
}: {
  teamSlug: string;
  /** Every scope with its label in words. */
  scopes: Option[];
  /** The team's projects that are not archived. */
  projects: Option[];
  /** Today in the team's time zone ("YYYY-MM-DD"), the earliest last day the date picker offers. */
  today: string;
  timeZone: string;
}) {
  // React resets a form after its action; a refused one must come back with the scopes that were ticked. The form's
  // own echo (useActionForm's `value`) keeps one value per field, so the ticked scopes are kept here.
  const [submittedScopes, setSubmittedScopes] = useState<string[]>([]);
  // A secret not yet put away stays on screen while the next key's form is refused: it could not be shown again.
  const [kept, setKept] = useState<Created | null>(null);
  // The confirmation below holds the secret and says more than a toast would.
  const form = useActionForm(
    async (formData: FormData) => {
      setSubmittedScopes(formData.getAll("scopes").map(String));
      return createApiKeyAction(formData);
    },
    { toastOnSuccess: false, onSuccess: setKept },
  );
  const created = form.result?.ok ? form.result.data : kept;
  const ticked = form.result && !form.result.ok ? submittedScopes : [];
  // Zod names an unknown scope by its place in the list ("scopes.1"); the group shows it all the same.
  const scopesError =
    form.fieldError("scopes") ?? Object.entries(form.result && !form.result.ok ? (form.result.fieldErrors ?? {}) : {}).find(([key]) => key.startsWith("scopes."))?.[1];
  return (
    <div className="flex flex-col gap-4">
      <form id={form.formId} action={form.formAction} className="flex flex-col gap-5" noValidate data-testid="create-api-key-form">
        <input type="hidden" name="teamSlug" value={teamSlug} />
        <Input
          label="Name"
          name="name"
          required
          maxLength={80}
          hint="What will use it, so you know which key to revoke later: “Render farm”, “Nightly batch script”."
          defaultValue={form.value("name")}
          error={form.fieldError("name")}
          fieldClassName="max-w-xl"
        />
        <ScopeGroup options={scopes} ticked={ticked} error={scopesError} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Select
            label="Project"
            name="projectId"
            hint="Limit the key to one project's runs, or let it use any project."
            defaultValue={form.value("projectId")}
            options={[{ value: "", label: "Any project" }, ...projects]}
            error={form.fieldError("projectId")}
          />
          <Input
            label="Last day"
            name="expiresOn"
            type="date"
            min={today}
            hint={`Optional. The key stops working when this day ends (${timeZone}); empty keeps it until revoked.`}
            defaultValue={form.value("expiresOn")}
            error={form.fieldError("expiresOn")}
          />
        </div>
        <FormError message={form.formError} />
        <div>
          <SubmitButton pending={form.pending} pendingLabel="Creating…">
            Create key
          </SubmitButton>
        </div>
      </form>
      {created && (
        <ApiKeyCreated
          key={created.id}
          id={form.confirmationId}
          created={created}
          // Focus goes back to the form rather than to the page's start when the secret goes away.
          onDone={() => {
            setKept(null);
            document.getElementById(form.formId)?.querySelector<HTMLElement>("input[name=name]")?.focus();
          }}
        />
      )}
    </div>
  );
}

function ScopeGroup({ options, ticked, error }: { options: Option[]; ticked: string[]; error?: string }) {
  const hintId = useId();
  const errorId = useId();
  return (
    // A group in error takes focus after a refused submit, as a single field in error does (see useActionForm).
    <fieldset
      className="flex flex-col gap-2"
      data-testid="api-key-scopes"
      aria-invalid={error ? true : undefined}
      aria-describedby={[error ? errorId : null, hintId].filter(Boolean).join(" ")}
      tabIndex={error ? -1 : undefined}
    >
      <legend className="text-sm font-medium text-zinc-900">
        Scopes
        <span aria-hidden="true" className="text-red-700">
          {" "}
          *
        </span>
      </legend>
      <p id={hintId} className="text-sm text-zinc-600">
        What the key may do. Choose only what its script needs; a key acts as a member at most.
      </p>
      <div className="grid gap-x-6 gap-y-2 md:grid-cols-2">
        {options.map((option) => (
          <Checkbox
            key={option.value}
            name="scopes"
            value={option.value}
            label={
              <>
                {option.label} <code className="text-xs font-normal text-zinc-500">{option.value}</code>
              </>
            }
            defaultChecked={ticked.includes(option.value)}
          />
        ))}
      </div>
      {error && (
        <p id={errorId} role="status" data-testid="error-scopes" className="flex items-start gap-1 text-sm text-red-700">
          <span aria-hidden="true">⚠</span>
          <span>{error}</span>
        </p>
      )}
    </fieldset>
  );
}

/** The new key's secret, this once: focused when it appears, gone after a reload or "Done". */
function ApiKeyCreated({ id, created, onDone }: { id: string; created: Created; onDone: () => void }) {
  const secretField = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<"idle" | "copied" | "selected">("idle");
  const [hidden, setHidden] = useState(false);
  if (hidden) return null;
  return (
    <div id={id} tabIndex={-1} className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="api-key-created">
      <p className="wrap-anywhere font-medium text-zinc-900">API key “{created.name}” created. Copy it now: it will not be shown again.</p>
      <p className="text-zinc-700">
        Creditwise keeps only a fingerprint of it, so nobody can show it to you later. Put it where the script reads its secrets and send it as{" "}
        <code className="text-xs">Authorization: Bearer …</code>. Lost it? Revoke it and make a new one.
      </p>
      <div className="flex flex-wrap items-center gap-2">
        <input
          ref={secretField}
          readOnly
          aria-label="API key secret"
          value={created.secret}
          data-testid="api-key-secret"
          spellCheck={false}
          autoComplete="off"
          className="min-w-0 flex-1 rounded-md border border-zinc-300 bg-white px-2 py-1 font-mono text-xs"
          onFocus={(event) => event.currentTarget.select()}
        />
        <Button
          size="sm"
          variant="secondary"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(created.secret);
              setCopy("copied");
            } catch {
              // No clipboard (a page served over plain HTTP, or permission refused): select it for the person to copy.
              secretField.current?.select();
              setCopy("selected");
            }
          }}
        >
          {copy === "copied" ? "Copied" : "Copy"}
        </Button>
        <Button
          size="sm"
          variant="ghost"
          onClick={() => {
            setHidden(true);
            onDone();
          }}
        >
          Done
        </Button>
      </div>
      {copy === "selected" && <p className="text-zinc-700">This browser would not copy it for us: it is selected, press Ctrl+C (⌘C on a Mac).</p>}
    </div>
  );
}
