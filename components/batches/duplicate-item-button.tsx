"use client";
// Duplicate an item of a batch (plan, flags and prompt; set back to planned, without runs) and open the copy.
import { useRouter } from "next/navigation";
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { duplicateItemAction } from "@/lib/batches/actions";

export function DuplicateItemButton({ teamSlug, itemId, batchHref }: { teamSlug: string; itemId: string; batchHref: string }) {
  const router = useRouter();
  const form = useActionForm(duplicateItemAction, { onSuccess: (data) => router.push(`${batchHref}/items/${data.itemId}`) });
  return (
    <form id={form.formId} action={form.formAction} className="flex flex-col items-end gap-2" data-testid="duplicate-item-form">
      <input type="hidden" name="teamSlug" value={teamSlug} />
      <input type="hidden" name="itemId" value={itemId} />
      <SubmitButton size="sm" variant="secondary" pending={form.pending}>
        Duplicate item
      </SubmitButton>
      <FormError message={form.formError} />
    </form>
  );
}
