// The signed-in person's account: who they are, their name and their password.
import type { Metadata } from "next";
import { ChangeNameForm } from "@/components/accounts/change-name-form";
import { ChangePasswordForm } from "@/components/accounts/change-password-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/authz/page";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requireUser("/account");
  return (
    <div className="flex max-w-xl flex-col gap-6">
      <PageHeader title="Account" description={<span className="wrap-anywhere">{`${user.name} · ${user.email}`}</span>} />
      <Card title="Your name">
        <ChangeNameForm name={user.name} />
      </Card>
      <Card title="Change password">
        <ChangePasswordForm />
      </Card>
    </div>
  );
}
