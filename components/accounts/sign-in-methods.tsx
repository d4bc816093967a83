"use client";
// How the person signs in: their password, linked GitHub / Google accounts with unlink, and buttons to link more.
import { useActionForm } from "@/components/forms/use-action-form";
import { ConfirmDialog } from "@/components/ui/dialog";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { linkOAuthAction, unlinkOAuthAction } from "@/lib/accounts/actions";
import { OAUTH_PROVIDER_LABELS, type OAuthProvider } from "@/lib/accounts/oauth";

type Identity = { provider: OAuthProvider; providerAccountId: string; linkedOn: string };

export function SignInMethods({
  hasPassword,
  identities,
  available,
}: {
  hasPassword: boolean;
  identities: Identity[];
  /** Providers switched on for this workspace and not linked yet. */
  available: OAuthProvider[];
}) {
  const link = useActionForm(linkOAuthAction);
  const ways = identities.length + (hasPassword ? 1 : 0);
  return (
    <div className="flex flex-col gap-4">
      <ul className="flex flex-col divide-y divide-zinc-100 text-sm" data-testid="sign-in-methods">
        <li className="flex items-center justify-between gap-3 py-2">
          <span>Email and password</span>
          <span className="text-zinc-600">{hasPassword ? "Set" : "None: you sign in with the accounts below"}</span>
        </li>
        {identities.map((identity) => {
          const label = OAUTH_PROVIDER_LABELS[identity.provider];
          return (
            <li key={`${identity.provider}:${identity.providerAccountId}`} className="flex items-center justify-between gap-3 py-2" data-testid="linked-identity">
              <span>
                {label} <span className="text-zinc-500">· linked {identity.linkedOn}</span>
              </span>
              {ways > 1 ? (
                <ConfirmDialog
                  title={`Unlink ${label}?`}
                  body={`You will no longer be able to sign in with this ${label} account. You can link it again later.`}
                  triggerLabel="Unlink"
                  triggerVariant="ghost"
                  triggerSize="sm"
                  confirmLabel={`Unlink ${label}`}
                  tone="danger"
                  action={unlinkOAuthAction}
                  hiddenFields={{ provider: identity.provider, providerAccountId: identity.providerAccountId }}
                />
              ) : (
                <span className="text-zinc-500">Your only way to sign in</span>
              )}
            </li>
          );
        })}
      </ul>
      {available.length > 0 && (
        <div className="flex flex-wrap gap-2">
          {available.map((provider) => (
            <form key={provider} action={link.formAction}>
              <input type="hidden" name="provider" value={provider} />
              <SubmitButton variant="secondary" size="sm">
                Link {OAUTH_PROVIDER_LABELS[provider]}
              </SubmitButton>
            </form>
          ))}
        </div>
      )}
      <FormError message={link.formError} />
    </div>
  );
}
