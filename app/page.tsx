// The front door: signed-in people go to their teams, everyone else to sign-in.
import { redirect } from "next/navigation";
import { pageUser } from "@/lib/authz/page";
import { listMyTeams } from "@/lib/teams/queries";

export default async function Home() {
  const user = await pageUser();
  if (!user) redirect("/sign-in");
  const teams = await listMyTeams(user.id);
  redirect(teams.length === 1 ? `/t/${teams[0].slug}` : "/teams");
}
