// describeAuditEntry: the sentence the audit log page shows for each entry.
import { describe, expect, it } from "vitest";
import { describeAuditEntry } from "./describe";

describe("describeAuditEntry", () => {
  it("writes a sentence for each known action from its details", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["team.created", { name: "Northwind", slug: "northwind" }, "Created the team “Northwind”"],
      ["team.updated", { before: {}, after: {} }, "Changed the team's settings"],
      ["import.started", { fileName: "usage.csv", layout: "platform", rows: 12000 }, "Started importing “usage.csv” (12,000 rows)"],
      [
        "import.finished",
        { fileName: "usage.csv", rows: 4, imported: 1, present: 1, skipped: 1, refused: 1 },
        "Finished importing “usage.csv”: 1 run imported, 1 already present, 1 skipped, 1 refused",
      ],
      ["invitation.created", { email: "ada@example.test", role: "member" }, "Invited ada@example.test as member"],
      ["invitation.revoked", { email: "ada@example.test" }, "Withdrew the invitation of ada@example.test"],
      ["invitation.accepted", { email: "ada@example.test", role: "viewer" }, "ada@example.test accepted the invitation as viewer"],
      ["member.role_changed", { email: "ada@example.test", from: "member", to: "approver" }, "Changed ada@example.test from member to approver"],
      ["member.removed", { email: "ada@example.test", role: "admin" }, "Removed ada@example.test (admin)"],
      ["member.left", { email: "ada@example.test", role: "viewer" }, "ada@example.test left the team"],
      ["project.created", { name: "Spring" }, "Created project “Spring”"],
      ["project.renamed", { from: "Spring", to: "Summer" }, "Renamed project “Spring” to “Summer”"],
      ["project.archived", { name: "Spring" }, "Archived project “Spring”"],
      ["project.restored", { name: "Spring" }, "Restored project “Spring”"],
      ["price_list.saved", { version: 2, changes: ["Flux 2 Pro: 120 → 150 credits"] }, "Saved price list version 2: Flux 2 Pro: 120 → 150 credits"],
      [
        "price_list.imported",
        { version: 3, scheduled: true, changes: ["SDXL: 40 → 45 credits", "Disabled Sora 2 Pro", "Added custom tool Denoiser (tool, 30 credits)"] },
        "Imported price list version 3 (scheduled): SDXL: 40 → 45 credits, and 2 more changes",
      ],
      [
        "approval_policy.saved",
        { version: 2, changes: ["Requests left undecided lapse after 14 days (was 7)"] },
        "Saved approval policy version 2: Requests left undecided lapse after 14 days (was 7)",
      ],
      [
        "approval_policy.saved",
        { version: 3, changes: ["Moved “Large” from position 2 to 1", "Removed “Premium”: premium runs → 1 approval by an approver or above, valid 48 hours"] },
        "Saved approval policy version 3: Moved “Large” from position 2 to 1, and 1 more change",
      ],
      [
        "approval.requested",
        { modelId: "veo-3-1", quantity: 1, stage: "final", estimate: 4000, rule: "Runs on a premium model" },
        "Asked for approval of 1 × veo-3-1 (final) for 4,000 credits under “Runs on a premium model”",
      ],
      ["approval.decided", { decision: "reject", comment: "Use the draft", outcome: "rejected" }, "Rejected an approval request: “Use the draft”"],
      ["approval.decided", { decision: "approve", comment: "", outcome: "pending" }, "Approved an approval request"],
      ["approval.held", { runId: "r1", estimate: 4000 }, "Held 4,000 credits for an approved request"],
      ["approval.expired", { runId: "r1", estimate: 4000, released: true }, "An approval expired unused; its hold of 4,000 credits was released"],
      ["approval.expired", { runId: "r1", estimate: 4000, released: false }, "An approval expired unused; its hold had already ended"],
      ["approval.used", { runId: "r1", estimate: 240 }, "Ran an approved request on its hold of 240 credits"],
      ["approval.settled", { runId: "r1", estimate: 4000, actual: 3800 }, "Settled the run of an approved request at 3,800 credits (it held 4,000 credits)"],
      ["approval.released", { runId: "r1", estimate: 4000, failed: true }, "Released the hold of an approved request (the run failed)"],
      [
        "approval.requested",
        { modelId: "veo-3-1", modelName: "Veo 3.1", quantity: 1, stage: "final", estimate: 4000, rule: "Runs on a premium model" },
        "Asked for approval of 1 × Veo 3.1 (final) for 4,000 credits under “Runs on a premium model”",
      ],
      ["batch.created", { name: "Spring assets", projectId: "p1" }, "Created batch “Spring assets”"],
      ["batch.updated", { from: "Spring", to: "Spring assets" }, "Renamed batch “Spring” to “Spring assets”"],
      ["batch.updated", { from: "Spring", to: "Spring" }, "Changed the details of batch “Spring”"],
      ["batch.duplicated", { name: "Spring (copy)", items: 6 }, "Duplicated a batch as “Spring (copy)” (6 items)"],
      ["batch.item_added", { title: "Hero" }, "Added item “Hero” to a batch"],
      ["batch.item_added", { title: "Hero (copy)", copiedFrom: "i1" }, "Duplicated an item as “Hero (copy)”"],
      ["batch.item_updated", { title: "Hero" }, "Changed the plan of item “Hero”"],
      ["batch.items_pasted", { format: "csv", items: 12 }, "Pasted 12 items into a batch"],
      ["batch.item_status", { from: "ready_for_final", to: "done" }, "Moved an item from ready for final to done"],
      ["batch.item_answered", { answers: {} }, "Answered the questions before an item's final"],
      [
        "batch.finding_applied",
        { change: "tests: Flux 2 Pro → Qwen Image", saved: 380 },
        "Applied a finding, tests: Flux 2 Pro → Qwen Image: saves 380 credits",
      ],
      ["batch.finding_dismissed", { rule: "test-cheap", reason: "The client asked for it" }, "Dismissed a finding (test-cheap): The client asked for it"],
      ["batch.finding_restored", { rule: "test-cheap", reason: "The client asked for it" }, "Took back the dismissal of a finding (test-cheap)"],
      [
        "api_key.created",
        { name: "Render farm", shown: "cwk_AbCdEfGh", scopes: ["estimate", "runs:write"], projectId: null, expiresAt: null },
        "Made the API key “Render farm” (cwk_AbCdEfGh…) with the scopes estimate, runs:write",
      ],
      [
        "api_key.created",
        { name: "Spring bot", shown: "cwk_AbCdEfGh", scopes: ["usage:read"], projectId: "p1", expiresAt: "2026-12-31T23:00:00.000Z" },
        "Made the API key “Spring bot” (cwk_AbCdEfGh…) with the scopes usage:read, limited to one project",
      ],
      ["api_key.revoked", { name: "Render farm", shown: "cwk_AbCdEfGh" }, "Revoked the API key “Render farm” (cwk_AbCdEfGh…)"],
    ];
    for (const [action, details, sentence] of cases) expect(describeAuditEntry({ action, details }), action).toBe(sentence);
  });

  it("writes credits as the ledger does: grouped, with a true minus sign and the direction of a correction", () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ["credits.granted", { amount: 10000, source: "Top-up", expiresAt: null }, "Added 10,000 credits (Top-up)"],
      ["credits.adjusted", { amount: -250, reason: "Platform refund counted twice" }, "Adjusted the balance by −250 credits: Platform refund counted twice"],
      ["credits.adjusted", { amount: 1, reason: "Rounding" }, "Adjusted the balance by +1 credit: Rounding"],
      ["credits.refunded", { credits: 1200, reason: "Failed upscale" }, "Recorded a refund of 1,200 credits: Failed upscale"],
      ["credits.low_balance_alert", { threshold: 5000 }, "Set the low-balance alert to 5,000 credits"],
      ["credits.low_balance_alert", { threshold: null }, "Turned the low-balance alert off"],
      ["budget.set", { project: "Spring", before: null, after: { credits: 25000, period: "month" } }, "Set the budget of “Spring” to 25,000 credits"],
      ["budget.removed", { project: "Spring", credits: 25000 }, "Removed the budget of “Spring”"],
      ["limit.set", { email: "ada@example.test", scope: "team", credits: 1500, period: "week" }, "Set a limit of 1,500 credits for ada@example.test"],
      ["invitation.replaced", { email: "ada@example.test" }, "Invited ada@example.test again; the earlier link no longer works"],
    ];
    for (const [action, details, sentence] of cases) expect(describeAuditEntry({ action, details }), action).toBe(sentence);
    expect(describeAuditEntry({ action: "credits.granted", details: { amount: "lots" } })).toBe("Added ? credits (?)");
  });

  it("shows a number as written and a missing or non-text detail as a question mark", () => {
    expect(describeAuditEntry({ action: "project.created", details: { name: 42 } })).toBe("Created project “42”");
    expect(describeAuditEntry({ action: "invitation.created", details: { email: { nested: true } } })).toBe("Invited ? as ?");
  });

  it("survives details that are not an object", () => {
    expect(describeAuditEntry({ action: "member.left", details: null })).toBe("? left the team");
    expect(describeAuditEntry({ action: "project.archived", details: "Spring" })).toBe("Archived project “?”");
    expect(describeAuditEntry({ action: "team.updated", details: undefined })).toBe("Changed the team's settings");
  });

  it("falls back to the action's name for an action it does not know", () => {
    expect(describeAuditEntry({ action: "ledger.granted", details: { credits: 500 } })).toBe("ledger.granted");
    expect(describeAuditEntry({ action: "constructor", details: {} })).toBe("constructor");
    expect(describeAuditEntry({ action: "toString", details: {} })).toBe("toString");
  });
});
