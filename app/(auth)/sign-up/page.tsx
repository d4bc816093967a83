// Create an account.
import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/accounts/sign-up-form";
import { pageUser } from "@/lib/authz/page";
import { safeNextPath, signInPath } from "@/lib/accounts/schema";

export const metadata: Metadata = { title: "Create an account" };

type Props = { searchParams: Promise<{ next?: string }> };

export default async function SignUpPage({ searchParams }: Props) {
  const { next } = await searchParams;
  const destination = safeNextPath(next);
  if (await pageUser()) redirect(destination);
  return (
    <div className="flex flex-col gap-5">
      <h1 className="text-2xl font-semibold">Create your account</h1>
      <SignUpForm next={destination === "/" ? undefined : destination} />
      <p className="text-sm text-zinc-600">
        Already have an account?{" "}
        <Link className="font-medium" href={signInPath(destination)}>
          Sign in
        </Link>
      </p>
    </div>
  );
}
