"use client";
// Keeps keyboard focus on the page when the row that held it goes away (a finding applied or dismissed, a hold
// settled or released): focus moves to the next row, else the previous one, else the card's heading, else the page's
// heading, instead of falling back to the start of the document.
import { useEffect, useRef, type ReactNode } from "react";

type Remembered = { row: Element; next: Element | null; previous: Element | null; heading: Element | null };

function focusable(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element.isConnected;
}

function land(target: HTMLElement) {
  if (!target.hasAttribute("tabindex") && !target.matches("a[href], button, input, select, textarea")) target.setAttribute("tabindex", "-1");
  target.focus();
}

export function FocusKeeper({ children, className }: { children: ReactNode; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const keeper = ref.current;
    if (!keeper) return;
    let remembered: Remembered | null = null;
    const onFocusIn = (event: FocusEvent) => {
      const row = event.target instanceof Element ? event.target.closest("li") : null;
      if (!row || !keeper.contains(row)) return;
      remembered = { row, next: row.nextElementSibling, previous: row.previousElementSibling, heading: row.closest("section")?.querySelector("h2, h3") ?? null };
    };
    const observer = new MutationObserver(() => {
      if (!remembered || remembered.row.isConnected) return;
      const { next, previous, heading } = remembered;
      remembered = null;
      const active = document.activeElement;
      if (active && active !== document.body) return;
      const target = [next, previous, heading, document.querySelector("main h1")].find(focusable);
      if (target) land(target);
    });
    keeper.addEventListener("focusin", onFocusIn);
    observer.observe(document.body, { childList: true, subtree: true });
    return () => {
      keeper.removeEventListener("focusin", onFocusIn);
      observer.disconnect();
    };
  }, []);
  return (
    <div ref={ref} className={className}>
      {children}
    </div>
  );
}
