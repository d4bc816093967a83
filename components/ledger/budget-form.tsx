"use client";
// A project's budget (admins): credits, period, week start, alert threshold and hard cap; and removing it.
import { useActionForm } from "@/components/forms/use-action-form";
import { ConfirmDialog } from "@/components/ui/dialog";
import { Checkbox, FormError, Input } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { removeBudgetAction, setBudgetAction } from "@/lib/ledger/actions";
import { PeriodFields } from "./period-fields";

export type BudgetValues = { credits: number; period: "lifetime" | "month" | "week"; weekStartsOn: number; alertPercent: number; hardCap: boolean };

export function BudgetForm({ teamSlug, projectId, budget }: { teamSlug: string; projectId: string; budget: BudgetValues | null }) {
  const form = useActionForm(setBudgetAction);
  // After a refused save the form shows what was sent; a checkbox left unticked is simply absent from it.
  const refused = form.result !== null && !form.result.ok;
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col gap-4" noValidate data-testid="budget-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="projectId" value={projectId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Budget in credits"
          name="credits"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          hint="What the project may use in each period."
          defaultValue={form.value("credits", budget ? String(budget.credits) : "")}
          error={form.fieldError("credits")}
        />
        <Input
          label="Alert at (%)"
          name="alertPercent"
          type="number"
          inputMode="numeric"
          min={1}
          max={99}
          step={1}
          hint="The bar turns amber and admins are alerted from here."
          defaultValue={form.value("alertPercent", String(budget?.alertPercent ?? 80))}
          error={form.fieldError("alertPercent")}
        />
      </div>
      <PeriodFields
        period={form.value("period", budget?.period ?? "month")}
        weekStartsOn={form.value("weekStartsOn", String(budget?.weekStartsOn ?? 1))}
        periodError={form.fieldError("period")}
        weekStartsOnError={form.fieldError("weekStartsOn")}
        periodLabel="Budget period"
      />
      <Checkbox
        label="Hard cap"
        name="hardCap"
        hint="Runs that would pass the budget are refused. Without it they are admitted and the admins are alerted."
        defaultChecked={refused ? form.value("hardCap") === "on" : (budget?.hardCap ?? true)}
        error={form.fieldError("hardCap")}
      />
      <FormError message={form.formError ?? form.fieldError("projectId")} />
      <div>
        <SubmitButton pending={form.pending}>{budget ? "Save budget" : "Set budget"}</SubmitButton>
      </div>
    </form>
  );
}

export function RemoveBudgetButton({ teamSlug, projectId, projectName }: { teamSlug: string; projectId: string; projectName: string }) {
  return (
    <ConfirmDialog
      title={`Remove the budget of ${projectName}?`}
      body="Runs on this project are then limited only by the team's credits and any member limits. Its history stays in the ledger."
      triggerLabel="Remove budget"
      triggerSize="sm"
      triggerVariant="ghost"
      confirmLabel="Remove budget"
      tone="danger"
      action={removeBudgetAction}
      hiddenFields={{ teamSlug, projectId }}
    />
  );
}
