// Labelled native <select>, from an `options` list or <option> children.
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";
import { controlClasses, Field } from "./field";
import type { LabelledProps } from "./input";

export type SelectOption = { value: string; label: ReactNode; disabled?: boolean } | string;

export type SelectProps = Omit<ComponentProps<"select">, "id" | "name"> &
  LabelledProps & {
    options?: readonly SelectOption[];
    /** A first, empty choice ("Choose a model…"); with `required` the browser refuses to submit it. */
    placeholder?: string;
  };

export function Select({
  label,
  name,
  id,
  hint,
  error,
  hideLabel,
  fieldClassName,
  required,
  options,
  placeholder,
  className,
  children,
  ...props
}: SelectProps) {
  // Without a value the placeholder is what shows, rather than the first real option.
  const defaultValue =
    props.value === undefined && props.defaultValue === undefined && placeholder !== undefined && !props.multiple
      ? ""
      : props.defaultValue;

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
      {(control) => (
        <select
          // React applies a select's defaultValue only when it mounts, and resets a form to it after every
          // action: a new default (what a refused form echoes back) needs a fresh element to take hold.
          key={props.value === undefined ? String(defaultValue ?? "") : undefined}
          {...props}
          defaultValue={defaultValue}
          {...control}
          className={cn(controlClasses, "pr-8", className)}
        >
          {placeholder !== undefined && <option value="">{placeholder}</option>}
          {options?.map((option) =>
            typeof option === "string" ? (
              <option key={option} value={option}>
                {option}
              </option>
            ) : (
              <option key={option.value} value={option.value} disabled={option.disabled}>
                {option.label}
              </option>
            ),
          )}
          {children}
        </select>
      )}
    </Field>
  );
}
