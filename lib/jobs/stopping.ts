// Whether this process is shutting down: long background loops (imports, the outbox) stop between steps once it is.
// Kept on globalThis: route handlers, server actions and the background loop are bundled apart but share one process.
const state = globalThis as typeof globalThis & { __creditwiseStopping?: boolean };

export function isStopping(): boolean {
  return state.__creditwiseStopping === true;
}

export function markStopping(): void {
  state.__creditwiseStopping = true;
}
