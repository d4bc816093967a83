// The signed-in person's account: who they are, their name, how they sign in (password, GitHub, Google), and their password.
import type { Metadata } from "next";
import { ChangeNameForm } from "@/components/accounts/change-name-form";
import { ChangePasswordForm } from "@/components/accounts/change-password-form";
import { SignInMethods } from "@/components/accounts/sign-in-methods";
import { Card, PageHeader } from "@/components/ui/card";
import { OAUTH_PROVIDER_LABELS, isOAuthProvider, oauthProviders, oauthRefusalMessage } from "@/lib/accounts/oauth";
import { signInMethods } from "@/lib/accounts/queries";
import { requireUser } from "@/lib/authz/page";
import { formatDate } from "@/lib/format";

export const metadata: Metadata = { title: "Account" };

type Props = { searchParams: Promise<{ provider?: string; linked?: string; error?: string }> };

export default async function AccountPage({ searchParams }: Props) {
  const user = await requireUser();
  const { provider, linked, error } = await searchParams;
  const methods = await signInMethods(user.id);
  const linkedProviders = new Set(methods.identities.map((identity) => identity.provider));
  const refusal = oauthRefusalMessage(error, provider);
  return (
    <div className="flex max-w-xl flex-col gap-6">
      <PageHeader title="Account" description={<span className="wrap-anywhere">{`${user.name} · ${user.email}`}</span>} />
      <Card title="Your name">
        <ChangeNameForm name={user.name} />
      </Card>
      <Card title="How you sign in">
        {linked === "1" && isOAuthProvider(provider) && linkedProviders.has(provider) && (
          <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
            {OAUTH_PROVIDER_LABELS[provider]} is linked: you can now sign in with it too.
          </p>
        )}
        {refusal && (
          <p role="alert" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {refusal}
          </p>
        )}
        <SignInMethods
          hasPassword={methods.hasPassword}
          identities={methods.identities.map((identity) => ({
            provider: identity.provider,
            providerAccountId: identity.providerAccountId,
            linkedOn: formatDate(identity.linkedAt, "UTC"),
          }))}
          available={oauthProviders().filter((provider) => !linkedProviders.has(provider))}
        />
      </Card>
      {methods.hasPassword && (
        <Card title="Change password" description="Every other place you are signed in is signed out; this one stays.">
          <ChangePasswordForm />
        </Card>
      )}
    </div>
  );
}
