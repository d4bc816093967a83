"use client";
// Short, self-dismissing notifications ("Batch queued") in a polite live region at the top edge, and FlashToast for messages passed by a server redirect.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { cn } from "./cn";

export type ToastTone = "neutral" | "success" | "error";

export type ToastOptions = {
  tone?: ToastTone;
  /** Milliseconds before it goes away on its own; paused while hovered or focused. */
  durationMs?: number;
};

type ToastItem = { id: number; message: string; tone: ToastTone; durationMs: number };

type ToastContextValue = {
  /** Shows a message and returns its id. */
  toast: (message: string, options?: ToastOptions) => number;
  dismiss: (id: number) => void;
};

const ToastContext = createContext<ToastContextValue | null>(null);

const DEFAULT_DURATION_MS = 5000;
const MAX_VISIBLE = 4;
/** How far into the window a stack of toasts may reach from its edge. */
const TOAST_REACH_PX = 200;

export type ToastEdge = "top" | "bottom";

/**
 * The edge toasts appear at: the top, unless the control in use (the button just pressed, the field being
 * typed in) is within reach of it, in which case the bottom, when that is clear of it. So a toast never
 * lands on what the person is working with.
 */
export function toastEdge(inUse: { top: number; bottom: number } | null, viewportHeight: number, reach = TOAST_REACH_PX): ToastEdge {
  if (!inUse || inUse.top >= reach) return "top";
  return viewportHeight - inUse.bottom >= reach ? "bottom" : "top";
}

export function useToast(): ToastContextValue {
  const value = useContext(ToastContext);
  if (!value) throw new Error("useToast must be used inside <ToastProvider>.");
  return value;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const [edge, setEdge] = useState<ToastEdge>("top");
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => {
    setToasts((current) => current.filter((t) => t.id !== id));
  }, []);

  const toast = useCallback((message: string, options: ToastOptions = {}) => {
    const id = nextId.current++;
    const item: ToastItem = {
      id,
      message,
      tone: options.tone ?? "neutral",
      durationMs: options.durationMs ?? DEFAULT_DURATION_MS,
    };
    const inUse = document.activeElement && document.activeElement !== document.body ? document.activeElement.getBoundingClientRect() : null;
    setEdge(toastEdge(inUse, window.innerHeight));
    setToasts((current) => [...current, item].slice(-MAX_VISIBLE));
    return id;
  }, []);

  const value = useMemo(() => ({ toast, dismiss }), [toast, dismiss]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      {/* Always in the DOM, so screen readers are already listening when a message is added. At an edge, away
          from the control in use: a toast must never sit on the button just pressed (nor under the pointer that
          pressed it, where hovering would keep it from leaving). */}
      <div
        aria-live="polite"
        aria-relevant="additions text"
        data-testid="toasts"
        data-edge={edge}
        className={cn(
          "pointer-events-none fixed inset-x-0 z-50 flex flex-col items-center gap-2 p-2 sm:p-3",
          edge === "top" ? "top-0" : "bottom-0",
        )}
      >
        {toasts.map((t) => (
          <Toast key={t.id} item={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

const toneClasses: Record<ToastTone, string> = {
  neutral: "border-zinc-200 bg-white text-zinc-900",
  success: "border-green-200 bg-green-50 text-green-900",
  error: "border-red-200 bg-red-50 text-red-900",
};

function Toast({ item, onDismiss }: { item: ToastItem; onDismiss: (id: number) => void }) {
  const [hovered, setHovered] = useState(false);
  const [focused, setFocused] = useState(false);
  const paused = hovered || focused;

  useEffect(() => {
    if (paused) return;
    const timer = window.setTimeout(() => onDismiss(item.id), item.durationMs);
    return () => window.clearTimeout(timer);
  }, [paused, item.id, item.durationMs, onDismiss]);

  return (
    <div
      data-testid="toast"
      data-tone={item.tone}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setFocused(true)}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) setFocused(false);
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") onDismiss(item.id);
      }}
      className={cn(
        "pointer-events-auto flex w-full max-w-sm items-start gap-3 rounded-lg border px-4 py-3 text-sm shadow-lg",
        toneClasses[item.tone],
      )}
    >
      <p className="min-w-0 flex-1 break-words">{item.message}</p>
      <button
        type="button"
        onClick={() => onDismiss(item.id)}
        aria-label="Dismiss notification"
        className="-my-1 -mr-2 inline-flex size-7 shrink-0 items-center justify-center rounded-md text-lg leading-none opacity-70 hover:bg-black/5 hover:opacity-100"
      >
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}

export type FlashToastProps = {
  /** The message to show once; nothing happens when empty. */
  message?: string | null;
  tone?: ToastTone;
  /** A search parameter to drop from the URL after showing (e.g. "flash"), so a reload does not repeat it. */
  clearParam?: string;
};

/**
 * Shows `message` as a toast once after it arrives, e.g. from `?flash=…` set by a server redirect.
 * It shows again only when the message changes; give it a `key` to force a repeat of the same text.
 */
export function FlashToast({ message, tone = "success", clearParam }: FlashToastProps) {
  const { toast } = useToast();
  const shown = useRef<string | null>(null);

  useEffect(() => {
    if (!message || shown.current === message) return;
    shown.current = message;
    toast(message, { tone });
    if (clearParam) {
      const url = new URL(window.location.href);
      if (url.searchParams.has(clearParam)) {
        url.searchParams.delete(clearParam);
        window.history.replaceState(null, "", url);
      }
    }
  }, [message, tone, clearParam, toast]);

  return null;
}
