// Label, hint and error wiring shared by every form control (Input, Select, Textarea, Checkbox) and the form-level error.
import { useId, type ReactNode } from "react";
import { cn } from "./cn";

/** A field error as it comes from a server action: one message, several (zod), or none. */
export type FieldError = string | readonly string[] | null | undefined;

/** Props a Field hands to its control so the label, hint and error are announced with it. */
export type FieldControlProps = {
  id: string;
  name: string;
  required?: boolean;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
};

export type FieldProps = {
  label: ReactNode;
  name: string;
  /** Defaults to a generated id; pass one when a test or a `form` attribute needs it. */
  id?: string;
  hint?: ReactNode;
  error?: FieldError;
  required?: boolean;
  /** Keep the label for screen readers only (e.g. a search box whose purpose is obvious). */
  hideLabel?: boolean;
  className?: string;
  children: (control: FieldControlProps) => ReactNode;
};

export function errorText(error: FieldError): string | undefined {
  if (error == null) return undefined;
  const text = typeof error === "string" ? error : error.filter(Boolean).join(" ");
  return text.trim() === "" ? undefined : text;
}

export function Field({ label, name, id, hint, error, required, hideLabel, className, children }: FieldProps) {
  const generatedId = useId();
  const controlId = id ?? `${name}-${generatedId}`;
  const hintId = `${controlId}-hint`;
  const errorId = `${controlId}-error`;
  const message = errorText(error);
  const describedBy = [message ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ");

  return (
    <div className={cn("flex flex-col gap-1.5", className)}>
      <label htmlFor={controlId} className={cn("text-sm font-medium text-zinc-900", hideLabel && "sr-only")}>
        {label}
        {required && (
          <span aria-hidden="true" className="text-red-700">
            {" "}
            *
          </span>
        )}
      </label>
      {hint && (
        <p id={hintId} className="text-sm text-zinc-600">
          {hint}
        </p>
      )}
      {children({
        id: controlId,
        name,
        required,
        "aria-invalid": message ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {message && <FieldErrorText id={errorId} name={name} message={message} />}
    </div>
  );
}

/** The message under a control. role="status" because Next's route announcer already owns role="alert". */
export function FieldErrorText({ id, name, message }: { id: string; name: string; message: string }) {
  return (
    <p id={id} role="status" data-testid={`error-${name}`} className="flex items-start gap-1 text-sm text-red-700">
      <span aria-hidden="true">⚠</span>
      <span>{message}</span>
    </p>
  );
}

/** Shared look of text-like controls. */
export const controlClasses =
  "block w-full rounded-md border border-zinc-500 bg-white px-3 py-2 text-base text-zinc-900 shadow-sm sm:text-sm " +
  "placeholder:text-zinc-500 focus-visible:border-brand-600 " +
  "disabled:cursor-not-allowed disabled:bg-zinc-100 disabled:text-zinc-600 " +
  "aria-invalid:border-red-700 aria-invalid:bg-red-50/40";

export type FormErrorProps = {
  /** A message for the whole form (e.g. "Could not save. Try again."); nothing renders when empty. */
  message?: string | null;
  className?: string;
};

/** A form-level message, above or below the submit button. */
export function FormError({ message, className }: FormErrorProps) {
  if (!message) return null;
  return (
    <div
      role="status"
      data-testid="form-error"
      // Focus moves here after a refused submit that no single field explains (see useActionForm).
      data-form-error=""
      tabIndex={-1}
      className={cn("rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800", className)}
    >
      {message}
    </div>
  );
}
