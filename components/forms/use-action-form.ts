"use client";
// Binds a form to a server action: pending state, field errors next to their fields, a toast on success, and focus where the answer is.
import { useActionState, useEffect, useId } from "react";
import { useToast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/authz/result";

type Action<T> = (input: FormData) => Promise<ActionResult<T>>;

type FormState<T> = { result: ActionResult<T>; values: Record<string, string> } | null;

const SECRET_FIELD = /password|token|secret/i;

/**
 * Where focus goes once the server has answered, so keyboard and screen-reader users land on the answer
 * instead of <body>: the first field in error (in the form's order), else the form's own error message,
 * else the confirmation (when the form shows one). Otherwise focus stays where it was, on the submit
 * button, which stays focusable while pending.
 */
export function focusAfterAnswer(form: HTMLFormElement | null, confirmation: HTMLElement | null, ok: boolean): HTMLElement | null {
  let target: HTMLElement | null = null;
  if (!ok && form) {
    target = form.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form.querySelector<HTMLElement>("[data-form-error]");
  } else if (ok && confirmation?.isConnected) {
    target = confirmation;
  }
  // Nothing to point at, and focus was lost (an element that held it went away): back to the form's button.
  if (!target && form?.isConnected && (document.activeElement === null || document.activeElement === document.body)) {
    target = form.querySelector<HTMLElement>('[type="submit"]');
  }
  target?.focus();
  return target;
}

export function useActionForm<T>(action: Action<T>, options: { onSuccess?: (data: T) => void; toastOnSuccess?: boolean } = {}) {
  const { toast } = useToast();
  // Ids rather than refs: the form and its confirmation are found in the document once the answer has rendered.
  const id = useId();
  const formId = `${id}form`;
  const confirmationId = `${id}confirmation`;
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
    const form = document.getElementById(formId);
    focusAfterAnswer(form instanceof HTMLFormElement ? form : null, document.getElementById(confirmationId), result.ok);
    // Once per answer, not whenever the callbacks change identity.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  const fieldError = (name: string) => (result && !result.ok ? result.fieldErrors?.[name] : undefined);
  const formError = result && !result.ok && !result.fieldErrors ? result.message : undefined;
  /** The value to show in a field: what was just submitted if the form was refused, else the fallback. */
  const value = (name: string, fallback = "") => state?.values[name] ?? fallback;
  /**
   * `formId` goes on the <form>, so focus can reach its first field in error; `confirmationId` on the element
   * that confirms a success, rendered from `result` (with tabIndex={-1}), so focus can reach it.
   */
  return { result, formAction, pending, fieldError, formError, value, formId, confirmationId };
}
