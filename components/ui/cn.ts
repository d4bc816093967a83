// Joins conditional class names; a tiny stand-in for clsx (no dependency, no Tailwind conflict merging).
export type ClassValue = string | 0 | false | null | undefined;

export function cn(...classes: ClassValue[]): string {
  return classes.filter((c): c is string => typeof c === "string" && c.length > 0).join(" ");
}
