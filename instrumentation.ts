// Runs once when a server process starts: background work (the outbox) in every app instance, and a graceful stop.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startBackgroundWork } = await import("./lib/jobs/background");
  const { handleShutdownSignals } = await import("./lib/jobs/shutdown");
  startBackgroundWork();
  handleShutdownSignals();
}
