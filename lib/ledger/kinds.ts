// The kinds of ledger entry and the states of a run, as the database names them; pure, for server and browser.
export const LEDGER_KINDS = ["grant", "hold", "release", "charge", "refund", "adjustment", "expiry"] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const RUN_STATES = ["held", "settled", "released", "failed"] as const;
export type RunState = (typeof RUN_STATES)[number];
