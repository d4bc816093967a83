// Every operation of the public API, in the order the reference shows them. A route file under app/api/v1 serves each.
import type { ApiOperation } from "../operation";
import { getApproval, requestApproval } from "./approvals";
import { getApp, listApps, runApp } from "./apps";
import { getBatch, listBatches } from "./batches";
import { estimateRun, getPriceList } from "./pricing";
import { listProjects } from "./projects";
import { admitRun, releaseRun, settleRun } from "./runs";
import { getUsageSummary, listLedgerEntries, listRuns, recordUsage } from "./usage";

export const API_OPERATIONS: readonly ApiOperation[] = [
  getPriceList,
  estimateRun,
  listProjects,
  admitRun,
  settleRun,
  releaseRun,
  requestApproval,
  getApproval,
  recordUsage,
  listRuns,
  listLedgerEntries,
  getUsageSummary,
  listBatches,
  getBatch,
  listApps,
  getApp,
  runApp,
];
