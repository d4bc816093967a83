// Suggests a team address from its name; pure, used by the create-team form as the person types.
/** A slug suggestion from a team name: "Northwind Studio" → "northwind-studio". */
export function suggestSlug(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
}
