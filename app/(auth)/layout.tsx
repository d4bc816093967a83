// A quiet, centred frame for sign-in, sign-up and invitations.
import Link from "next/link";
import type { ReactNode } from "react";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-screen w-full max-w-md flex-col justify-center gap-6 px-4 py-10">
      <Link href="/" className="text-xl font-semibold tracking-tight text-zinc-900">
        Creditwise
      </Link>
      <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm">{children}</div>
    </main>
  );
}
