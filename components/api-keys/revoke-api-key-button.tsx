"use client";
// Revoke one API key, after a confirm step (admins).
import { ConfirmDialog } from "@/components/ui/dialog";
import { revokeApiKeyAction } from "@/lib/api-keys/actions";

export function RevokeApiKeyButton({ teamSlug, keyId, name, shown }: { teamSlug: string; keyId: string; name: string; shown: string }) {
  return (
    <ConfirmDialog
      title={`Revoke “${name}”?`}
      body={
        <p className="wrap-anywhere">
          The key <code className="text-xs">{shown}…</code> stops working at once: its next request is refused. This cannot be undone; the
          script that used it needs a new key. Runs it already made stay in the ledger.
        </p>
      }
      triggerLabel={
        <>
          Revoke<span className="sr-only"> {name}</span>
        </>
      }
      triggerSize="sm"
      triggerVariant="ghost"
      confirmLabel="Revoke key"
      tone="danger"
      action={revokeApiKeyAction}
      hiddenFields={{ teamSlug, keyId }}
    />
  );
}
