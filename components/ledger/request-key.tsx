"use client";
// One idempotency key per form: a retried or double-sent request carries the same key, so the ledger charges it once.
import { useCallback, useRef } from "react";

/** A random key; randomUUID needs a secure context, so plain-HTTP deployments fall back to getRandomValues. */
export function newRequestKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * The hidden `idempotencyKey` field of a form and `renew()` for after a completed answer.
 * The key is written into the field when it mounts, not rendered, so server and browser HTML agree.
 */
export function useRequestKey() {
  const input = useRef<HTMLInputElement | null>(null);
  const ref = useCallback((element: HTMLInputElement | null) => {
    input.current = element;
    if (element && !element.value) element.value = newRequestKey();
  }, []);
  const renew = useCallback(() => {
    if (input.current) input.current.value = newRequestKey();
  }, []);
  const field = <input type="hidden" name="idempotencyKey" ref={ref} data-testid="request-key" />;
  return { field, renew };
}
