// `npm run db:seed`: adds the demo team to the configured database (embedded or DATABASE_URL).
import { closeDatabase } from "@/lib/db/client";
import { demoSignInText, seedDemo } from "@/lib/db/seed";

const onlyIfEmpty = process.argv.includes("--if-empty");

try {
  const outcome = await seedDemo({ onlyIfEmpty });
  if (outcome.created) {
    console.log(demoSignInText(process.env.APP_URL ?? `http://localhost:${process.env.PORT ?? 3000}`));
  } else if (!onlyIfEmpty) {
    console.log(`No demo data added: ${outcome.reason}.`);
  }
  await closeDatabase();
  process.exit(0);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
