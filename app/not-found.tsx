// 404: also what anyone outside a team sees at that team's addresses.
import Link from "next/link";
import { connection } from "next/server";

export default async function NotFound() {
  // Rendered per request, like every page: the Content-Security-Policy nonce exists only then.
  await connection();
  return (
    <main className="mx-auto flex min-h-[60vh] max-w-md flex-col justify-center gap-3 px-4" data-testid="not-found">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-zinc-700">There is nothing here, or it belongs to a team you are not in.</p>
      <p>
        <Link href="/">Go to your teams</Link>
      </p>
    </main>
  );
}
