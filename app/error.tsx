"use client";
// The apology shown when a page fails unexpectedly; the details stay in the server log. When the database is the
// cause (a restart, a failover: /api/health says so), the page says that and that trying again in a moment will do.
// Try again asks the server for the page again (`retry`), so it recovers once the database is back.
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

type Cause = "checking" | "database" | "other";

const WORDS: Record<Exclude<Cause, "checking">, { title: string; body: string }> = {
  database: {
    title: "The database cannot be reached just now",
    body: "It may be restarting. Wait a few seconds and try again; nothing you saved before is lost.",
  },
  other: {
    title: "Sorry, something went wrong",
    body: "This page could not be shown. Try again, and if it keeps happening, tell your team's admin.",
  },
};

export default function ErrorPage({ retry }: { error: Error & { digest?: string }; retry: () => void }) {
  const [cause, setCause] = useState<Cause>("checking");
  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/health", { cache: "no-store", signal: controller.signal })
      .then((response) => setCause(response.status === 503 ? "database" : "other"))
      .catch(() => setCause("other"));
    return () => controller.abort();
  }, []);
  const words = cause === "checking" ? null : WORDS[cause];
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col justify-center gap-3 px-4">
      <h1 className="text-2xl font-semibold">{words?.title ?? "This page could not be shown"}</h1>
      <p className="min-h-12 text-zinc-700" role="status">
        {words?.body ?? ""}
      </p>
      <div>
        <Button onClick={() => retry()}>Try again</Button>
      </div>
    </main>
  );
}
