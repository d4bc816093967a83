"use client";
// The apology shown when a page fails unexpectedly; the details stay in the server log. When the database is the
// cause (a restart, a failover: /api/health says so), the page says that and that trying again in a moment will do.
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const [databaseDown, setDatabaseDown] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    fetch("/api/health", { cache: "no-store", signal: controller.signal })
      .then((response) => setDatabaseDown(response.status === 503))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col justify-center gap-3 px-4">
      <h1 className="text-2xl font-semibold">{databaseDown ? "The database cannot be reached just now" : "Sorry, something went wrong"}</h1>
      <p className="text-zinc-700" role="status">
        {databaseDown
          ? "It may be restarting. Wait a few seconds and try again; nothing you saved before is lost."
          : "This page could not be shown. Try again, and if it keeps happening, tell your team's admin."}
      </p>
      <div>
        <Button onClick={reset}>Try again</Button>
      </div>
    </main>
  );
}
