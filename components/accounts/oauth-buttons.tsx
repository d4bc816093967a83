"use client";
// GitHub and Google sign-in buttons, for the providers the environment switches on.
import { useActionForm } from "@/components/forms/use-action-form";
import { FormError } from "@/components/ui/input";
import { SubmitButton } from "@/components/ui/submit-button";
import { oauthSignInAction } from "@/lib/accounts/actions";

const LABELS = { github: "Continue with GitHub", google: "Continue with Google" } as const;

export function OAuthButtons({ providers, next }: { providers: ("github" | "google")[]; next: string }) {
  const form = useActionForm(oauthSignInAction);
  if (providers.length === 0) return null;
  return (
    <div className="flex flex-col gap-2 border-t border-zinc-200 pt-4">
      {providers.map((provider) => (
        <form key={provider} action={form.formAction}>
          <input type="hidden" name="provider" value={provider} />
          <input type="hidden" name="next" value={next} />
          <SubmitButton variant="secondary" className="w-full">
            {LABELS[provider]}
          </SubmitButton>
        </form>
      ))}
      <FormError message={form.formError} />
    </div>
  );
}
