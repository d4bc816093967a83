// Shown, with status 403, instead of a team page the person's role does not open.
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { ROLE_LABELS, type Role } from "@/lib/authz/roles";

export function Forbidden({ team }: { team?: { slug: string; role: Role } }) {
  return (
    <Card title="You cannot open this page" data-testid="forbidden">
      <p className="text-sm text-zinc-700">
        {team
          ? `It needs a higher role than yours: you are ${ROLE_LABELS[team.role].toLowerCase()} in this team.`
          : "It needs a higher role than yours in this team."}{" "}
        Ask an admin if you need access.
      </p>
      {team && (
        <p className="mt-3 text-sm">
          <Link href={`/t/${team.slug}`}>Back to the team&apos;s overview</Link>
        </p>
      )}
    </Card>
  );
}
