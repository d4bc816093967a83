// Data tables (runs, ledger entries, members) that scroll sideways on narrow screens, and the empty state shown instead of rows.
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export type TableProps = ComponentProps<"table"> & {
  /** Names the table for screen readers; also makes the scroll area a focusable, named region. */
  caption?: string;
  captionVisible?: boolean;
  wrapperClassName?: string;
};

export function Table({ caption, captionVisible = false, wrapperClassName, className, children, ...props }: TableProps) {
  return (
    <div
      // Focusable when named, so keyboard users can scroll a wide table sideways.
      role={caption ? "region" : undefined}
      aria-label={caption}
      tabIndex={caption ? 0 : undefined}
      className={cn("scroll-shadows w-full overflow-x-auto", wrapperClassName)}
    >
      <table className={cn("w-full border-collapse text-left text-sm", className)} {...props}>
        {caption && (
          <caption
            className={cn(captionVisible ? "px-3 py-2 text-left text-sm font-medium text-zinc-900" : "sr-only")}
          >
            {caption}
          </caption>
        )}
        {children}
      </table>
    </div>
  );
}

export function THead({ className, ...props }: ComponentProps<"thead">) {
  return <thead className={cn("border-b border-zinc-200 bg-zinc-50", className)} {...props} />;
}

export function TBody({ className, ...props }: ComponentProps<"tbody">) {
  return <tbody className={cn("divide-y divide-zinc-200", className)} {...props} />;
}

export function TR({ className, ...props }: ComponentProps<"tr">) {
  return <tr className={cn("align-middle", className)} {...props} />;
}

type CellAlign = { /** Right-aligned, tabular digits: credits, counts, money. */ numeric?: boolean };

type CellText = {
  /**
   * Text a person typed (names, notes, reasons, descriptions): it may break inside a word, so one long
   * word cannot widen the table. Give the cell a min-width so short words are not squeezed.
   */
  wrap?: boolean;
};

export function TH({ scope = "col", numeric, className, ...props }: ComponentProps<"th"> & CellAlign) {
  return (
    <th
      scope={scope}
      className={cn(
        "px-3 py-2.5 text-xs font-semibold whitespace-nowrap text-zinc-700",
        numeric ? "text-right" : "text-left",
        className,
      )}
      {...props}
    />
  );
}

export function TD({ numeric, wrap, className, ...props }: ComponentProps<"td"> & CellAlign & CellText) {
  return <td className={cn("px-3 py-2.5 text-zinc-800", numeric && "text-right tabular-nums", wrap && "wrap-anywhere", className)} {...props} />;
}

export type EmptyStateProps = {
  title: ReactNode;
  text?: ReactNode;
  /** A next step, e.g. <ButtonLink href="…">New batch</ButtonLink>. */
  action?: ReactNode;
  className?: string;
};

export function EmptyState({ title, text, action, className }: EmptyStateProps) {
  return (
    <div data-testid="empty-state" className={cn("flex flex-col items-center gap-1 px-4 py-10 text-center", className)}>
      <p className="text-sm font-semibold text-zinc-900">{title}</p>
      {text && <p className="max-w-prose text-sm text-zinc-600">{text}</p>}
      {action && <div className="mt-3">{action}</div>}
    </div>
  );
}
