// The signed-in person's account: who they are, and their password.
import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/accounts/change-password-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/authz/page";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser();
  return (
    <div className="flex max-w-xl flex-col gap-6">
      <PageHeader title="Account" description={`${user.name} · ${user.email}`} />
      <Card title="Change password">
        <ChangePasswordForm />
      </Card>
    </div>
  );
}
