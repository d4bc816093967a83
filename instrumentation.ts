// Runs once when a server process starts: background work (the outbox) in every app instance.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundWork } = await import("./lib/jobs/background");
  startBackgroundWork();
}
