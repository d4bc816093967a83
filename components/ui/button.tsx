// Buttons and button-styled links for every page; server-compatible (no hooks), pending state comes from a prop.
import Link from "next/link";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export type ButtonVariant = "primary" | "secondary" | "danger" | "ghost";
export type ButtonSize = "sm" | "md";

// wrap-normal: a label breaks between words only, even where the page lets long typed words break anywhere.
const base =
  "inline-flex items-center justify-center gap-2 rounded-md text-center font-medium leading-tight transition-colors select-none wrap-normal " +
  "disabled:cursor-not-allowed disabled:opacity-60 aria-disabled:cursor-not-allowed aria-disabled:opacity-60";

const variants: Record<ButtonVariant, string> = {
  primary: "bg-brand-600 text-white shadow-sm hover:bg-brand-700 active:bg-brand-800 disabled:hover:bg-brand-600",
  secondary:
    "border border-zinc-300 bg-white text-zinc-900 shadow-sm hover:bg-zinc-50 active:bg-zinc-100 disabled:hover:bg-white",
  danger: "bg-red-700 text-white shadow-sm hover:bg-red-800 active:bg-red-900 disabled:hover:bg-red-700",
  ghost: "text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900 active:bg-zinc-200 disabled:hover:bg-transparent",
};

const sizes: Record<ButtonSize, string> = {
  sm: "min-h-8 px-3 py-1 text-sm",
  md: "min-h-10 px-4 py-2 text-sm",
};

/** Class names of a button, for elements that must look like one (e.g. a <summary> or <label>). */
export function buttonClasses({
  variant = "primary",
  size = "md",
  className,
}: { variant?: ButtonVariant; size?: ButtonSize; className?: string } = {}): string {
  return cn(base, variants[variant], sizes[size], className);
}

export type ButtonProps = ComponentProps<"button"> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
  /**
   * While true the button ignores clicks and shows a spinner (and `pendingLabel`, if given). It stays
   * focusable (aria-disabled, not disabled), so focus is not thrown to <body> while a form is submitted.
   */
  pending?: boolean;
  pendingLabel?: ReactNode;
};

export function Button({
  variant = "primary",
  size = "md",
  pending = false,
  pendingLabel,
  type = "button",
  disabled,
  className,
  children,
  onClick,
  ...props
}: ButtonProps) {
  return (
    <button
      // Default "button" so a Cancel inside a form never submits it; pass type="submit" to submit.
      type={type}
      disabled={disabled}
      aria-disabled={pending || undefined}
      // A pending submit button must not submit again (Enter in a field clicks it too).
      onClick={pending ? (event) => event.preventDefault() : onClick}
      aria-busy={pending || undefined}
      data-pending={pending ? "" : undefined}
      className={buttonClasses({ variant, size, className })}
      {...props}
    >
      {pending && <Spinner />}
      {pending && pendingLabel !== undefined ? pendingLabel : children}
    </button>
  );
}

export type ButtonLinkProps = ComponentProps<typeof Link> & {
  variant?: ButtonVariant;
  size?: ButtonSize;
};

export function ButtonLink({ variant = "primary", size = "md", className, ...props }: ButtonLinkProps) {
  return <Link className={buttonClasses({ variant, size, className: cn("no-underline", className) })} {...props} />;
}

function Spinner() {
  return (
    <span
      aria-hidden="true"
      className="inline-block size-3.5 shrink-0 rounded-full border-2 border-current border-r-transparent opacity-80 motion-safe:animate-spin"
    />
  );
}
