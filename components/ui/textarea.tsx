// Labelled multi-line text field (prompts, notes, reasons).
import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses, Field } from "./field";
import type { LabelledProps } from "./input";

export type TextareaProps = Omit<ComponentProps<"textarea">, "id" | "name"> & LabelledProps;

export function Textarea({
  label,
  name,
  id,
  hint,
  error,
  hideLabel,
  fieldClassName,
  required,
  rows = 4,
  className,
  ...props
}: TextareaProps) {
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
      {(control) => <textarea rows={rows} {...props} {...control} className={cn(controlClasses, "resize-y", className)} />}
    </Field>
  );
}
