"use client";
// Modal dialogs on the native <dialog> element (focus trap, Escape and top layer come from the browser) and a confirm flow for server actions.
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  useTransition,
  type ReactNode,
} from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonProps, type ButtonSize, type ButtonVariant } from "./button";
import { cn } from "./cn";
import { FormError } from "./field";

type DialogContextValue = { close: () => void };

const DialogContext = createContext<DialogContextValue | null>(null);

/** Inside a Dialog: `close()` closes it (e.g. after a client-side save). */
export function useDialog(): DialogContextValue {
  const value = useContext(DialogContext);
  if (!value) throw new Error("useDialog must be used inside <Dialog>.");
  return value;
}

export type DialogProps = {
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons at the bottom, right-aligned (stacked on narrow screens). */
  footer?: ReactNode;
  /** Renders a Button that opens the dialog; focus returns to it on close. */
  triggerLabel?: ReactNode;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  triggerClassName?: string;
  /** Controlled mode (from a client component). Leave both out to let the trigger drive it. */
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
  defaultOpen?: boolean;
  size?: "sm" | "md" | "lg";
  className?: string;
};

const widths = { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl" };

export function Dialog({
  title,
  description,
  children,
  footer,
  triggerLabel,
  triggerVariant = "secondary",
  triggerSize = "md",
  triggerClassName,
  open,
  onOpenChange,
  defaultOpen = false,
  size = "md",
  className,
}: DialogProps) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(defaultOpen);
  const controlled = open !== undefined;
  const isOpen = controlled ? open : uncontrolledOpen;

  const dialogRef = useRef<HTMLDialogElement>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  const setOpen = useCallback(
    (next: boolean) => {
      if (!controlled) setUncontrolledOpen(next);
      onOpenChange?.(next);
    },
    [controlled, onOpenChange],
  );

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) {
      returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    } else if (!isOpen && dialog.open) {
      dialog.close();
    }
  }, [isOpen]);

  // Fires for Escape, dialog.close() and <form method="dialog"> alike, so state and focus stay in step.
  const handleClose = () => {
    if (isOpen) setOpen(false);
    const target = returnFocusTo.current;
    returnFocusTo.current = null;
    if (target?.isConnected) target.focus();
  };

  const close = useCallback(() => setOpen(false), [setOpen]);

  return (
    <>
      {triggerLabel !== undefined && (
        <Button
          variant={triggerVariant}
          size={triggerSize}
          className={triggerClassName}
          aria-haspopup="dialog"
          onClick={() => setOpen(true)}
        >
          {triggerLabel}
        </Button>
      )}
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        aria-describedby={description ? descriptionId : undefined}
        onClose={handleClose}
        // Never put a display utility here: it would override the browser's `dialog:not([open]) { display: none }`.
        className={cn(
          // text-left: a dialog opened from a right-aligned table cell (a row's Remove) would inherit its alignment.
          "m-auto w-[calc(100%-2rem)] rounded-lg bg-white p-0 text-left text-zinc-900 shadow-xl backdrop:bg-zinc-950/50",
          widths[size],
          className,
        )}
      >
        <DialogContext.Provider value={{ close }}>
          <div className="flex flex-col gap-4 p-5 sm:p-6">
            <div className="flex items-start justify-between gap-4">
              <div className="min-w-0">
                <h2 id={titleId} className="text-lg font-semibold text-zinc-900">
                  {title}
                </h2>
                {description && (
                  <p id={descriptionId} className="mt-1 text-sm text-zinc-600">
                    {description}
                  </p>
                )}
              </div>
              <button
                type="button"
                onClick={close}
                aria-label="Close"
                className="-mt-1 -mr-2 inline-flex size-8 shrink-0 items-center justify-center rounded-md text-xl leading-none text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"
              >
                <span aria-hidden="true">×</span>
              </button>
            </div>
            {children}
            {footer && <DialogFooter>{footer}</DialogFooter>}
          </div>
        </DialogContext.Provider>
      </dialog>
    </>
  );
}

/** Bottom row of a dialog's buttons; use it inside a form in the dialog so the submit button belongs to the form. */
export function DialogFooter({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn("flex flex-col-reverse gap-2 sm:flex-row sm:justify-end", className)}>{children}</div>;
}

/** A button that closes the surrounding Dialog ("Cancel"). */
export function DialogClose({ variant = "secondary", onClick, children = "Cancel", ...props }: ButtonProps) {
  const { close } = useDialog();
  return (
    <Button
      variant={variant}
      onClick={(event) => {
        onClick?.(event);
        if (!event.defaultPrevented) close();
      }}
      {...props}
    >
      {children}
    </Button>
  );
}

/** What a server action may return; `{ ok: false, message }` keeps the dialog open and shows the message. */
type ActionFailure = { ok: false; error?: unknown; message?: unknown };

function failureMessage(result: unknown): string | null {
  if (typeof result !== "object" || result === null) return null;
  if (!("ok" in result) || (result as ActionFailure).ok !== false) return null;
  // Our actions answer { ok: false, message }; other callers may pass { error }.
  const { message } = result as ActionFailure;
  if (typeof message === "string" && message) return message;
  const error = (result as ActionFailure).error;
  if (typeof error === "string" && error) return error;
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    return error.message;
  }
  return "That did not work. Please try again.";
}

export type ConfirmDialogProps = Omit<DialogProps, "children" | "footer" | "description"> & {
  /** The question or consequence, e.g. "Its 12 runs stay in the ledger." */
  body?: ReactNode;
  confirmLabel?: ReactNode;
  pendingLabel?: ReactNode;
  cancelLabel?: ReactNode;
  /** "danger" for destructive actions. */
  tone?: "primary" | "danger";
  /**
   * A server action run by the confirm button as a form submit. It receives the hidden fields and any
   * fields passed as children. Returning `{ ok: false, error }` shows the error and keeps the dialog open;
   * anything else closes it.
   */
  action?: (formData: FormData) => unknown;
  /** Sent with `action`, e.g. `{ runId: run.id }`. */
  hiddenFields?: Record<string, string | number>;
  /** Extra form fields shown above the buttons (e.g. a reason Textarea); only with `action`. */
  children?: ReactNode;
  /** Client-side alternative to `action`; the dialog closes when it resolves. */
  onConfirm?: () => void | Promise<void>;
};

export function ConfirmDialog({
  body,
  confirmLabel = "Confirm",
  pendingLabel,
  cancelLabel = "Cancel",
  tone = "primary",
  action,
  hiddenFields,
  children,
  onConfirm,
  open,
  onOpenChange,
  defaultOpen = false,
  ...dialogProps
}: ConfirmDialogProps) {
  const [uncontrolledOpen, setUncontrolledOpen] = useState(defaultOpen);
  const isOpen = open ?? uncontrolledOpen;
  const [error, setError] = useState<string | null>(null);
  const [confirming, startConfirming] = useTransition();

  const setOpen = (next: boolean) => {
    if (next) setError(null);
    if (open === undefined) setUncontrolledOpen(next);
    onOpenChange?.(next);
  };

  const formAction = async (formData: FormData) => {
    if (!action) return;
    setError(null);
    const message = failureMessage(await action(formData));
    if (message) setError(message);
    else setOpen(false);
  };

  const confirmClientSide = () =>
    startConfirming(async () => {
      await onConfirm?.();
      setOpen(false);
    });

  const buttons = (
    <DialogFooter>
      <DialogClose>{cancelLabel}</DialogClose>
      {action ? (
        <ConfirmSubmit tone={tone} pendingLabel={pendingLabel}>
          {confirmLabel}
        </ConfirmSubmit>
      ) : (
        <Button
          variant={tone}
          pending={confirming}
          pendingLabel={pendingLabel}
          onClick={confirmClientSide}
          data-testid="confirm-button"
        >
          {confirmLabel}
        </Button>
      )}
    </DialogFooter>
  );

  return (
    <Dialog {...dialogProps} open={isOpen} onOpenChange={setOpen} size={dialogProps.size ?? "sm"}>
      {body && <div className="text-sm text-zinc-700">{body}</div>}
      {action ? (
        <form action={formAction} className="flex flex-col gap-4">
          {hiddenFields &&
            Object.entries(hiddenFields).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={String(value)} />
            ))}
          {children}
          <FormError message={error} />
          {buttons}
        </form>
      ) : (
        buttons
      )}
    </Dialog>
  );
}

function ConfirmSubmit({
  tone,
  pendingLabel,
  children,
}: {
  tone: "primary" | "danger";
  pendingLabel?: ReactNode;
  children: ReactNode;
}) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={tone} pending={pending} pendingLabel={pendingLabel} data-testid="confirm-button">
      {children}
    </Button>
  );
}
