// Sign in with email and password, or with GitHub / Google when configured.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/accounts/sign-in-form";
import { OAuthButtons } from "@/components/accounts/oauth-buttons";
import { pageUser } from "@/lib/authz/page";
import { safeNextPath } from "@/lib/accounts/schema";
import { oauthProviders, oauthRefusalMessage } from "@/lib/accounts/oauth";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string; error?: string; provider?: string; "signed-up"?: string }> };

export default async function SignInPage({ searchParams }: Props) {
  const { next, error, provider, "signed-up": signedUp } = await searchParams;
  const destination = safeNextPath(next);
  if (await pageUser()) redirect(destination);
  const refusal = oauthRefusalMessage(error, provider);
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold">Sign in</h1>
      {signedUp === "1" && (
        // The same words whether the email was new or already had an account: sign-up tells no one which.
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="signed-up">
          Thanks for signing up. Sign in with the email and password you just chose. If that email already had an account,
          nothing about it has changed: use its own password.
        </p>
      )}
      {refusal && (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="oauth-refusal">
          {refusal}
        </p>
      )}
      <SignInForm next={destination === "/" ? undefined : destination} />
      <OAuthButtons providers={oauthProviders()} next={destination} />
      <p className="text-sm text-zinc-600">
        New here?{" "}
        <Link className="font-medium" href={next ? `/sign-up?next=${encodeURIComponent(destination)}` : "/sign-up"}>
          Create an account
        </Link>
      </p>
    </div>
  );
}
