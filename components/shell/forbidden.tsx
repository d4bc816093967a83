// Shown instead of a page the person's role does not open.
import { Card } from "@/components/ui/card";
import { ROLE_LABELS, type Role } from "@/lib/authz/roles";

export function Forbidden({ needed, have }: { needed: Role; have: Role }) {
  return (
    <Card title="You cannot open this page" data-testid="forbidden">
      <p className="text-sm text-zinc-700">
        It needs the {ROLE_LABELS[needed].toLowerCase()} role or higher; you are {ROLE_LABELS[have].toLowerCase()} in this
        team. Ask an admin if you need access.
      </p>
    </Card>
  );
}
