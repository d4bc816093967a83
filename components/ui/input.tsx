// Labelled text-like input and checkbox; re-exports Field and FormError so a form imports from one place.
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { controlClasses, Field, type FieldError } from "./field";

export { Field, FormError, type FieldControlProps, type FieldError } from "./field";

/** Props every labelled control shares. */
export type LabelledProps = {
  label: ReactNode;
  name: string;
  id?: string;
  hint?: ReactNode;
  error?: FieldError;
  hideLabel?: boolean;
  /** Class of the wrapper (label + control + messages); `className` styles the control itself. */
  fieldClassName?: string;
};

/** Text-like inputs (text, email, password, number, search, date, file…); use Checkbox for checkboxes. */
export type InputProps = Omit<ComponentProps<"input">, "id" | "name"> & LabelledProps;

export function Input({ label, name, id, hint, error, hideLabel, fieldClassName, required, className, ...props }: InputProps) {
  return (
    <Field
      label={label}
      name={name}
      id={id}
      hint={hint}
      error={error}
      required={required}
      hideLabel={hideLabel}
      className={fieldClassName}
    >
      {(control) => <input type="text" {...props} {...control} className={cn(controlClasses, className)} />}
    </Field>
  );
}

export type CheckboxProps = Omit<ComponentProps<"input">, "id" | "name" | "type"> & Omit<LabelledProps, "hideLabel">;

/** A checkbox with its label to the right; hint and error sit under it. */
export function Checkbox({ label, name, id, hint, error, fieldClassName, className, required, ...props }: CheckboxProps) {
  return (
    <Field
      label={label}
      name={name}
      id={id}
      hint={hint}
      error={error}
      required={required}
      className={cn("grid grid-cols-[auto_1fr] items-start gap-x-2.5 [&>*]:col-start-2", fieldClassName)}
    >
      {(control) => (
        <input
          type="checkbox"
          {...props}
          {...control}
          className={cn(
            "col-start-1! row-start-1 mt-0.5 size-4 cursor-pointer rounded border-zinc-500 accent-brand-600 disabled:cursor-not-allowed",
            className,
          )}
        />
      )}
    </Field>
  );
}
