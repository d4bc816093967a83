// The public API's reference, read from /api/v1/openapi.json; open to anyone, like the document itself (it holds no team data).
import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "@/components/api/api-reference";

export const metadata: Metadata = { title: "API reference" };

export default function ApiReferencePage() {
  return (
    <div className="flex min-h-dvh flex-col bg-white">
      <header className="border-b border-zinc-200 bg-white">
        <div className="flex flex-wrap items-center justify-between gap-3 px-4 py-3">
          <div className="flex items-baseline gap-3">
            <Link href="/" className="text-lg font-semibold tracking-tight text-zinc-900 no-underline">
              Creditwise
            </Link>
            <span className="text-sm text-zinc-600">API reference</span>
          </div>
          <nav aria-label="API" className="flex items-center gap-4 text-sm">
            <a href="/api/v1/openapi.json">OpenAPI document</a>
          </nav>
        </div>
      </header>
      <main className="flex-1">
        <ApiReference />
      </main>
    </div>
  );
}
