"use client";
// Binds a form to a server action: pending state, field errors next to their fields, a toast on success.
import { useActionState, useEffect } from "react";
import { useToast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/authz/result";

type Action<T> = (input: FormData) => Promise<ActionResult<T>>;

type FormState<T> = { result: ActionResult<T>; values: Record<string, string> } | null;

const SECRET_FIELD = /password|token|secret/i;

export function useActionForm<T>(action: Action<T>, options: { onSuccess?: (data: T) => void; toastOnSuccess?: boolean } = {}) {
  const { toast } = useToast();
  const [state, formAction, pending] = useActionState<FormState<T>, FormData>(async (_previous, formData) => {
    const result = await action(formData);
    // React resets a form after its action; echo the entries back as defaults so a
    // refused form keeps what the person typed (never their passwords).
    const values: Record<string, string> = {};
    if (!result.ok) {
      for (const [key, value] of formData) {
        if (typeof value === "string" && !SECRET_FIELD.test(key)) values[key] = value;
      }
    }
    return { result, values };
  }, null);
  const { onSuccess, toastOnSuccess = true } = options;
  const result = state?.result ?? null;

  useEffect(() => {
    if (!result) return;
    if (result.ok) {
      if (toastOnSuccess && result.message) toast(result.message, { tone: "success" });
      onSuccess?.(result.data);
    } else if (result.code === "unexpected") {
      toast(result.message, { tone: "error" });
    }
    // Once per answer, not whenever the callbacks change identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  const fieldError = (name: string) => (result && !result.ok ? result.fieldErrors?.[name] : undefined);
  const formError = result && !result.ok && !result.fieldErrors ? result.message : undefined;
  /** The value to show in a field: what was just submitted if the form was refused, else the fallback. */
  const value = (name: string, fallback = "") => state?.values[name] ?? fallback;
  return { result, formAction, pending, fieldError, formError, value };
}
