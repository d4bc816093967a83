// The front door: signed-in people go to their teams; everyone else reads what Creditwise is, with the way in.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ButtonLink } from "@/components/ui/button";
import { pageUser } from "@/lib/authz/page";
import { listMyTeams } from "@/lib/teams/queries";

export const metadata: Metadata = {
  title: { absolute: "Creditwise — plan, price and account for your team's AI credits" },
};

const POINTS = [
  {
    title: "Know the price first",
    text: "Every model, tool and setting your team uses sits in one price list. Pick a model and the credits show before anyone presses generate.",
  },
  {
    title: "Try ideas cheaply",
    text: "Work out prompts on a budget model and save the premium one for the approved final: five quick tests and one good final instead of five expensive attempts.",
  },
  {
    title: "Budgets that hold",
    text: "Each project has its budget and each person can have a limit. A run reserves its credits before it starts, so nobody overspends, even all at once.",
  },
  {
    title: "Every credit accounted for",
    text: "Grants, reservations, charges and refunds go into a ledger that is never edited, with who did what, so you can see where the credits went.",
  },
];

export default async function Home() {
  const user = await pageUser();
  if (user) {
    const teams = await listMyTeams(user.id);
    redirect(teams.length === 1 ? `/t/${teams[0].slug}` : "/teams");
  }
  return (
    <div className="flex min-h-dvh flex-col">
      <header className="border-b border-zinc-200 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
          <span className="text-lg font-semibold tracking-tight text-zinc-900">Creditwise</span>
          <nav aria-label="Account" className="flex items-center gap-2 text-sm">
            <ButtonLink href="/sign-in" variant="ghost" size="sm">
              Sign in
            </ButtonLink>
            <ButtonLink href="/sign-up" size="sm">
              Create an account
            </ButtonLink>
          </nav>
        </div>
      </header>
      <main className="mx-auto flex w-full max-w-5xl flex-1 flex-col gap-10 px-4 py-12 sm:py-16" data-testid="landing">
        <section aria-labelledby="landing-title" className="flex max-w-2xl flex-col gap-4">
          <h1 id="landing-title" className="text-3xl font-semibold tracking-tight text-zinc-900 sm:text-4xl">
            Spend your team&apos;s AI credits on purpose
          </h1>
          <p className="text-lg text-zinc-700">
            Creditwise is a shared workspace for creative teams that pay for generated images, video, audio and tools with
            credits. Plan what you need, price it before you generate, keep each project within its budget, and see afterwards
            where the credits went.
          </p>
          <div className="flex flex-wrap gap-3">
            <ButtonLink href="/sign-up">Create an account</ButtonLink>
            <ButtonLink href="/sign-in" variant="secondary">
              Sign in
            </ButtonLink>
          </div>
        </section>
        <ul className="grid gap-4 sm:grid-cols-2">
          {POINTS.map((point) => (
            <li key={point.title} className="rounded-lg border border-zinc-200 bg-white p-5 shadow-sm">
              <h2 className="text-base font-semibold text-zinc-900">{point.title}</h2>
              <p className="mt-1 text-sm text-zinc-700">{point.text}</p>
            </li>
          ))}
        </ul>
        <p className="text-sm text-zinc-600">
          Invited to a team? Open the link from your invitation, or <Link href="/sign-in">sign in</Link> if you already have an
          account.
        </p>
      </main>
    </div>
  );
}
