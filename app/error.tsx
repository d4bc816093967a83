"use client";
// The apology shown when a page fails unexpectedly; the details stay in the server log.
import { Button } from "@/components/ui/button";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col justify-center gap-3 px-4">
      <h1 className="text-2xl font-semibold">Sorry, something went wrong</h1>
      <p className="text-zinc-700">This page could not be shown. Try again, and if it keeps happening, tell your team&apos;s admin.</p>
      <div>
        <Button onClick={reset}>Try again</Button>
      </div>
    </main>
  );
}
