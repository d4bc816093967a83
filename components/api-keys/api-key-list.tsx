// The team's API keys as a table (admins): what each may do, who made it, when and from where it was last used, until when it works.
import { Badge } from "@/components/ui/badge";
import { EmptyState, TBody, TD, TH, THead, TR, Table } from "@/components/ui/table";
import type { ApiKeyListItem } from "@/lib/api-keys/queries";
import { SCOPE_LABELS, apiKeyState, type ApiKeyState, type ApiScope } from "@/lib/api-keys/rules";
import { formatDate, formatDateTime } from "@/lib/format";
import { RevokeApiKeyButton } from "./revoke-api-key-button";

const STATE_BADGES = {
  active: { tone: "green", label: "Active" },
  expired: { tone: "amber", label: "Expired" },
  revoked: { tone: "neutral", label: "Revoked" },
} as const;

function scopeLabel(scope: string): string {
  return Object.hasOwn(SCOPE_LABELS, scope) ? SCOPE_LABELS[scope as ApiScope] : scope;
}

/** An IPv4 address as people write it, not in the IPv6 form a dual-stack server reports it in ("::ffff:203.0.113.7"). */
function readableAddress(address: string): string {
  return address.replace(/^::ffff:(?=\d{1,3}(\.\d{1,3}){3}$)/i, "");
}

/** When the key ended, or until when it works. */
function stateDetail(key: ApiKeyListItem, state: ApiKeyState, timeZone: string): string {
  if (state === "revoked") return `on ${formatDate(key.revokedAt!, timeZone)}`;
  if (!key.expiresAt) return "until revoked";
  // Stored as the instant the last day ends; a millisecond before is still that last day.
  const lastDay = formatDate(new Date(key.expiresAt.getTime() - 1), timeZone);
  return state === "expired" ? `at the end of ${lastDay}` : `until the end of ${lastDay}`;
}

export function ApiKeyList({ teamSlug, keys, timeZone, now }: { teamSlug: string; keys: ApiKeyListItem[]; timeZone: string; now: Date }) {
  if (keys.length === 0) {
    return (
      <EmptyState
        title="No API keys yet"
        text="Make one below for a script or a platform that should ask Creditwise before it spends credits, and report what it spent."
      />
    );
  }
  return (
    // relative: the screen-reader-only labels (absolutely placed) stay inside the table's scroll area instead of
    // widening the page on a phone.
    <Table caption="API keys" wrapperClassName="relative">
      <THead>
        <TR>
          <TH>Name</TH>
          <TH>Scopes</TH>
          <TH>Project</TH>
          <TH>Created</TH>
          <TH>Last used</TH>
          <TH>State</TH>
          <TH className="text-right">
            <span className="sr-only">Revoke</span>
          </TH>
        </TR>
      </THead>
      <TBody>
        {keys.map((key) => {
          const state = apiKeyState(key, now);
          const badge = STATE_BADGES[state];
          return (
            <TR key={key.id} data-testid="api-key-row" data-state={state} className={state === "active" ? undefined : "text-zinc-600"}>
              <TD wrap className="min-w-40 align-top">
                <span className="font-medium">{key.name}</span>
                <code className="mt-0.5 block text-xs text-zinc-600" data-testid="api-key-shown">
                  {key.shown}…
                </code>
              </TD>
              <TD className="min-w-56 align-top">
                <ul className="flex flex-col gap-0.5" aria-label={`Scopes of ${key.name}`}>
                  {key.scopes.map((scope) => (
                    <li key={scope} title={scope}>
                      {scopeLabel(scope)}
                    </li>
                  ))}
                </ul>
              </TD>
              <TD wrap className="min-w-32 align-top">
                {key.project ? key.project.name : <span className="text-zinc-600">Any project</span>}
              </TD>
              <TD className="min-w-32 align-top">
                <span className="whitespace-nowrap">{formatDate(key.createdAt, timeZone)}</span>
                <span className="block text-xs wrap-anywhere text-zinc-600">by {key.createdBy.name}</span>
              </TD>
              <TD className="min-w-36 align-top" data-testid="api-key-last-used">
                {key.lastUsedAt ? (
                  <>
                    <span className="whitespace-nowrap">{formatDateTime(key.lastUsedAt, timeZone)}</span>
                    {/* The address is what the request's X-Forwarded-For said: any text, so it may break anywhere. */}
                    {key.lastUsedAddress && <span className="block text-xs wrap-anywhere text-zinc-600">from {readableAddress(key.lastUsedAddress)}</span>}
                  </>
                ) : (
                  <span className="text-zinc-600">Never</span>
                )}
              </TD>
              <TD className="align-top whitespace-nowrap">
                <Badge tone={badge.tone}>{badge.label}</Badge>
                <span className="mt-0.5 block text-xs text-zinc-600" data-testid="api-key-until">
                  {stateDetail(key, state, timeZone)}
                </span>
              </TD>
              <TD className="text-right align-top">
                {state !== "revoked" && <RevokeApiKeyButton teamSlug={teamSlug} keyId={key.id} name={key.name} shown={key.shown} />}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
