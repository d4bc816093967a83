// Page scaffolding: a titled section (Card) and the page's h1 row (PageHeader); server-compatible.
import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "./cn";

export type CardProps = Omit<ComponentProps<"section">, "title"> & {
  title?: ReactNode;
  description?: ReactNode;
  /** Buttons or links on the right of the title. */
  actions?: ReactNode;
  /** Heading level of the title; 2 under a PageHeader, 3 for a card inside a card. */
  headingLevel?: 2 | 3;
  /** No body padding, for a Table or list that runs edge to edge. */
  flush?: boolean;
};

export function Card({
  title,
  description,
  actions,
  headingLevel = 2,
  flush = false,
  className,
  children,
  ...props
}: CardProps) {
  const titleId = useId();
  const Heading = headingLevel === 3 ? "h3" : "h2";
  const hasHeader = Boolean(title || description || actions);

  return (
    <section
      aria-labelledby={title ? titleId : undefined}
      className={cn("rounded-lg border border-zinc-200 bg-white shadow-sm", className)}
      {...props}
    >
      {hasHeader && (
        <div
          className={cn(
            "flex flex-wrap items-start justify-between gap-3 px-4 py-4 sm:px-5",
            children != null && "border-b border-zinc-200",
          )}
        >
          <div className="min-w-0">
            {title && (
              <Heading id={titleId} className="text-base font-semibold text-zinc-900">
                {title}
              </Heading>
            )}
            {description && <p className="mt-0.5 text-sm text-zinc-600">{description}</p>}
          </div>
          {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
        </div>
      )}
      {children != null && <div className={cn(!flush && "px-4 py-4 sm:px-5")}>{children}</div>}
    </section>
  );
}

export type PageHeaderProps = {
  title: ReactNode;
  description?: ReactNode;
  actions?: ReactNode;
  className?: string;
};

export function PageHeader({ title, description, actions, className }: PageHeaderProps) {
  return (
    <header className={cn("flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between", className)}>
      <div className="min-w-0">
        <h1 className="text-2xl font-semibold tracking-tight text-balance text-zinc-900">{title}</h1>
        {description && <p className="mt-1 max-w-prose text-sm text-zinc-600">{description}</p>}
      </div>
      {actions && <div className="flex shrink-0 flex-wrap items-center gap-2">{actions}</div>}
    </header>
  );
}
