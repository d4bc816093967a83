"use client";
// A running import's progress bar: rows done, rows per second and time left, read again every second until it is done.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ImportProgress } from "@/lib/imports/queries";

const POLL_MS = 1_000;

function duration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const number = (value: number) => value.toLocaleString("en-US");

export function ImportProgressBar({ teamSlug, jobId, initial }: { teamSlug: string; jobId: string; initial: ImportProgress }) {
  const router = useRouter();
  const [progress, setProgress] = useState(initial);

  useEffect(() => {
    if (progress.status === "done") return;
    const timer = setTimeout(async () => {
      try {
        const response = await fetch(`/t/${teamSlug}/usage/import/${jobId}/progress`, { cache: "no-store" });
        if (!response.ok) return;
        const next = (await response.json()) as ImportProgress;
        setProgress(next);
        // The report is the page's to show: read it again once the last row is done.
        if (next.status === "done") router.refresh();
      } catch {
        // The next round asks again.
        setProgress((current) => ({ ...current }));
      }
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [progress, teamSlug, jobId, router]);

  const percent = progress.totalRows === 0 ? 100 : Math.floor((progress.doneRows / progress.totalRows) * 100);
  return (
    <div className="flex flex-col gap-2" data-testid="import-progress" data-status={progress.status}>
      <div
        role="progressbar"
        aria-label="Rows imported"
        aria-valuemin={0}
        aria-valuemax={progress.totalRows}
        aria-valuenow={progress.doneRows}
        aria-valuetext={`${number(progress.doneRows)} of ${number(progress.totalRows)} rows`}
        className="h-3 w-full overflow-hidden rounded-full bg-zinc-200"
      >
        <div className="h-full rounded-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-zinc-700" aria-live="polite">
        <span data-testid="import-rows-done">
          {number(progress.doneRows)} of {number(progress.totalRows)} rows
        </span>
        {progress.rowsPerSecond !== null && <> · {number(Math.round(progress.rowsPerSecond))} rows per second</>}
        {progress.status === "done"
          ? " · done"
          : progress.secondsLeft !== null
            ? ` · about ${duration(progress.secondsLeft)} left`
            : " · starting…"}
      </p>
    </div>
  );
}
