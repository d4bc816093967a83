// Turns an audit entry into a sentence for the audit log page; pure.
import { formatCredits, formatNumber, formatSignedNumber } from "@/lib/format";

type Entry = { action: string; details: unknown };

function text(details: Record<string, unknown>, key: string): string {
  const value = details[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : "?";
}

// Figures read the same here as in the ledger: "10,000 credits", "−250 credits".
function credits(details: Record<string, unknown>, key: string): string {
  const value = details[key];
  return typeof value === "number" && Number.isFinite(value) ? formatCredits(value) : "? credits";
}

function signedCredits(details: Record<string, unknown>, key: string): string {
  const value = details[key];
  if (typeof value !== "number" || !Number.isFinite(value)) return "? credits";
  return `${formatSignedNumber(value)} ${Math.abs(value) === 1 ? "credit" : "credits"}`;
}

// "1 row", "12,000 rows".
function count(details: Record<string, unknown>, key: string, noun: string): string {
  const value = details[key];
  if (typeof value !== "number" || !Number.isFinite(value)) return `? ${noun}s`;
  return `${formatNumber(value)} ${value === 1 ? noun : `${noun}s`}`;
}

function record(details: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = details[key];
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function lines(details: Record<string, unknown>, key: string): string[] {
  const value = details[key];
  return Array.isArray(value) ? value.filter((line): line is string => typeof line === "string") : [];
}

// "Saved price list version 3 (scheduled): Flux 2 Pro: 120 → 150 credits, and 2 more changes"
function priceListSentence(verb: string, details: Record<string, unknown>): string {
  const changes = lines(details, "changes");
  const scheduled = details.scheduled === true ? " (scheduled)" : "";
  const more = changes.length > 1 ? `, and ${changes.length - 1} more ${changes.length === 2 ? "change" : "changes"}` : "";
  return `${verb} price list version ${text(details, "version")}${scheduled}${changes.length ? `: ${changes[0]}${more}` : ""}`;
}

// "Saved approval policy version 2: Added rule 3, …, and 1 more change"
function policySentence(details: Record<string, unknown>): string {
  const changes = lines(details, "changes");
  const more = changes.length > 1 ? `, and ${changes.length - 1} more ${changes.length === 2 ? "change" : "changes"}` : "";
  return `Saved approval policy version ${text(details, "version")}${changes.length ? `: ${changes[0]}${more}` : ""}`;
}

const SENTENCES: Record<string, (d: Record<string, unknown>) => string> = {
  "team.created": (d) => `Created the team “${text(d, "name")}”`,
  "team.updated": () => "Changed the team's settings",
  "invitation.created": (d) => `Invited ${text(d, "email")} as ${text(d, "role")}`,
  "invitation.revoked": (d) => `Withdrew the invitation of ${text(d, "email")}`,
  "invitation.replaced": (d) => `Invited ${text(d, "email")} again; the earlier link no longer works`,
  "invitation.accepted": (d) => `${text(d, "email")} accepted the invitation as ${text(d, "role")}`,
  "member.role_changed": (d) => `Changed ${text(d, "email")} from ${text(d, "from")} to ${text(d, "to")}`,
  "member.removed": (d) => `Removed ${text(d, "email")} (${text(d, "role")})`,
  "member.left": (d) => `${text(d, "email")} left the team`,
  "project.created": (d) => `Created project “${text(d, "name")}”`,
  "project.renamed": (d) => `Renamed project “${text(d, "from")}” to “${text(d, "to")}”`,
  "project.archived": (d) => `Archived project “${text(d, "name")}”`,
  "project.restored": (d) => `Restored project “${text(d, "name")}”`,
  "credits.granted": (d) => `Added ${credits(d, "amount")} (${text(d, "source")})`,
  "credits.adjusted": (d) => `Adjusted the balance by ${signedCredits(d, "amount")}: ${text(d, "reason")}`,
  "credits.refunded": (d) => `Recorded a refund of ${credits(d, "credits")}: ${text(d, "reason")}`,
  "credits.low_balance_alert": (d) =>
    d.threshold === null ? "Turned the low-balance alert off" : `Set the low-balance alert to ${credits(d, "threshold")}`,
  "budget.set": (d) => {
    const after = record(d, "after");
    return `Set the budget of “${text(d, "project")}”${typeof after.credits === "number" ? ` to ${credits(after, "credits")}` : ""}`;
  },
  "budget.removed": (d) => `Removed the budget of “${text(d, "project")}”`,
  "limit.set": (d) =>
    typeof d.credits === "number" ? `Set a limit of ${credits(d, "credits")} for ${text(d, "email")}` : `Set a credit limit for ${text(d, "email")}`,
  "limit.removed": (d) => `Removed a credit limit of ${text(d, "email")}`,
  "price_list.saved": (d) => priceListSentence("Saved", d),
  "price_list.imported": (d) => priceListSentence("Imported", d),
  "approval_policy.saved": policySentence,
  "approval.requested": (d) =>
    `Asked for approval of ${text(d, "quantity")} × ${typeof d.modelName === "string" ? d.modelName : text(d, "modelId")} (${text(d, "stage")}) for ${credits(d, "estimate")} under “${text(d, "rule")}”`,
  "approval.decided": (d) => `${d.decision === "reject" ? "Rejected" : "Approved"} an approval request${typeof d.comment === "string" && d.comment ? `: “${d.comment}”` : ""}`,
  "approval.approved": () => "An approval request got the approvals it needed",
  "approval.held": (d) => `Held ${credits(d, "estimate")} for an approved request`,
  "approval.rejected": () => "An approval request was rejected, which ends it",
  "approval.withdrawn": () => "Withdrew an approval request",
  "approval.lapsed": () => "An approval request lapsed: nobody decided it in time",
  "approval.expired": (d) =>
    d.released === false ? "An approval expired unused; its hold had already ended" : `An approval expired unused; its hold of ${credits(d, "estimate")} was released`,
  "approval.used": (d) => `Ran an approved request on its hold of ${credits(d, "estimate")}`,
  "approval.settled": (d) => `Settled the run of an approved request at ${credits(d, "actual")} (it held ${credits(d, "estimate")})`,
  "approval.released": (d) => `Released the hold of an approved request (${d.failed === true ? "the run failed" : "it did not happen"})`,
  "batch.created": (d) => `Created batch “${text(d, "name")}”`,
  "batch.updated": (d) => (d.from === d.to ? `Changed the details of batch “${text(d, "to")}”` : `Renamed batch “${text(d, "from")}” to “${text(d, "to")}”`),
  "batch.duplicated": (d) => `Duplicated a batch as “${text(d, "name")}” (${text(d, "items")} items)`,
  "batch.item_added": (d) => (typeof d.copiedFrom === "string" ? `Duplicated an item as “${text(d, "title")}”` : `Added item “${text(d, "title")}” to a batch`),
  "batch.item_updated": (d) => `Changed the plan of item “${text(d, "title")}”`,
  "batch.items_pasted": (d) => `Pasted ${text(d, "items")} items into a batch`,
  "batch.item_status": (d) => `Moved an item from ${statusWord(d.from)} to ${statusWord(d.to)}`,
  "batch.item_answered": () => "Answered the questions before an item's final",
  "batch.finding_applied": (d) =>
    typeof d.saved === "number" && d.saved > 0
      ? `Applied a finding, ${text(d, "change")}: saves ${credits(d, "saved")}`
      : `Applied a finding, ${text(d, "change")}`,
  "batch.finding_dismissed": (d) => `Dismissed a finding (${text(d, "rule")}): ${text(d, "reason")}`,
  "import.started": (d) => `Started importing “${text(d, "fileName")}” (${count(d, "rows", "row")})`,
  "import.finished": (d) =>
    `Finished importing “${text(d, "fileName")}”: ${count(d, "imported", "run")} imported, ${text(d, "present")} already present, ${text(d, "skipped")} skipped, ${text(d, "refused")} refused`,
  "batch.finding_restored": (d) => `Took back the dismissal of a finding (${text(d, "rule")})`,
  "api_key.created": (d) => {
    const scopes = lines(d, "scopes");
    return `Made the API key “${text(d, "name")}” (${text(d, "shown")}…)${scopes.length ? ` with the scopes ${scopes.join(", ")}` : ""}${typeof d.projectId === "string" ? ", limited to one project" : ""}`;
  },
  "api_key.revoked": (d) => `Revoked the API key “${text(d, "name")}” (${text(d, "shown")}…)`,
  "app.created": (d) => `Made the app “${text(d, "name")}”, a draft of ${text(d, "steps")} steps`,
  "app.published": (d) => `Published version ${text(d, "version")} of the app “${text(d, "name")}” after ${text(d, "acceptedTestRuns")} accepted test runs`,
  "app.retired": (d) => `Retired the app “${text(d, "name")}”`,
  "app.changed": (d) => `Changed the app “${text(d, "name")}”: draft version ${text(d, "version")}, ${text(d, "steps")} steps`,
  "app.test_runs_set": (d) => `Set the accepted test runs an app needs before it is published from ${text(d, "before")} to ${text(d, "after")}`,
};

function statusWord(value: unknown): string {
  return typeof value === "string" ? value.replaceAll("_", " ") : "?";
}

export function describeAuditEntry(entry: Entry): string {
  const details = entry.details && typeof entry.details === "object" ? (entry.details as Record<string, unknown>) : {};
  // Own keys only: "constructor" or "toString" must not find Object.prototype's functions.
  return Object.hasOwn(SENTENCES, entry.action) ? SENTENCES[entry.action](details) : entry.action;
}
