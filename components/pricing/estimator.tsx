"use client";
// Live estimate of one run while the person types, checked by the server against the price list in force.
import { useEffect, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { ActionResult } from "@/lib/authz/result";
import { estimateRunAction } from "@/lib/price-lists/actions";
import type { ServerEstimate } from "@/lib/price-lists/queries";
import { defaultSettings, estimateRun, findEntry } from "@/lib/pricing/estimate";
import { formatCredits } from "@/lib/format";
import type { PriceList } from "@/lib/pricing/types";
import { ModelOptions } from "./model-options";
import { tierLabel } from "./labels";
import { parseQuantity } from "./quantity";

type ServerCheck = { key: string; result: ActionResult<ServerEstimate> };

// Long enough that typing "120" asks once, short enough that the answer follows the figure.
const CHECK_DELAY_MS = 300;

export function Estimator({ teamSlug, priceList, version }: { teamSlug: string; priceList: PriceList; version: number }) {
  const [modelId, setModelId] = useState(() => priceList.entries.find((entry) => entry.enabled)?.id ?? "");
  const [settings, setSettings] = useState<Record<string, string>>(() => {
    const entry = findEntry(priceList, modelId);
    return entry ? defaultSettings(entry) : {};
  });
  const [quantity, setQuantity] = useState("1");
  const [check, setCheck] = useState<ServerCheck | null>(null);

  const entry = findEntry(priceList, modelId);
  const estimate = useMemo(
    () => estimateRun(priceList, { modelId, settings, quantity: parseQuantity(quantity) }),
    [priceList, modelId, settings, quantity],
  );
  // The version is part of the key: when a new one comes into force the page's figures change, and so must the check.
  const key = JSON.stringify([version, modelId, settings, quantity]);
  const pricedHere = estimate.ok;

  useEffect(() => {
    // A run the browser already refuses has nothing for the server to confirm.
    if (!pricedHere) return;
    let current = true;
    const requestKey = JSON.stringify([version, modelId, settings, quantity]);
    const timer = window.setTimeout(async () => {
      let result: ActionResult<ServerEstimate>;
      try {
        result = await estimateRunAction({ teamSlug, modelId, settings, quantity: parseQuantity(quantity) });
      } catch {
        result = { ok: false, code: "unexpected", message: "The server could not be reached." };
      }
      if (current) setCheck({ key: requestKey, result });
    }, CHECK_DELAY_MS);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [teamSlug, version, modelId, settings, quantity, pricedHere]);

  const chooseModel = (id: string) => {
    setModelId(id);
    const chosen = findEntry(priceList, id);
    setSettings(chosen ? defaultSettings(chosen) : {});
  };

  const errorFor = (field: string) => (!estimate.ok && estimate.error.field === field ? estimate.error.message : undefined);

  return (
    <div className="grid gap-6 md:grid-cols-2" data-testid="estimator">
      <div className="flex flex-col gap-4">
        <Select label="Model" name="modelId" value={modelId} onChange={(event) => chooseModel(event.target.value)} error={errorFor("modelId")}>
          <ModelOptions entries={priceList.entries} />
        </Select>
        {entry?.settings.map((setting) => (
          <Select
            key={setting.key}
            label={setting.label}
            name={`settings.${setting.key}`}
            value={settings[setting.key] ?? setting.default}
            onChange={(event) => setSettings({ ...settings, [setting.key]: event.target.value })}
            options={setting.options.map((option) => ({ value: option.value, label: option.label }))}
            error={errorFor(`settings.${setting.key}`)}
          />
        ))}
        <Input
          label={entry ? `How many (${entry.unit}s)` : "How many"}
          name="quantity"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          value={quantity}
          onChange={(event) => setQuantity(event.target.value)}
          error={errorFor("quantity")}
        />
      </div>
      <div className="flex flex-col gap-3 rounded-lg bg-zinc-50 p-4" aria-live="polite" data-testid="estimate-result">
        {entry && (
          <p className="flex flex-wrap items-center gap-2 text-sm text-zinc-700">
            <Badge tone={entry.tier === "premium" ? "amber" : entry.tier === "budget" ? "green" : "neutral"}>{tierLabel(entry.tier)}</Badge>
            {entry.useFor && <span>Use it for: {entry.useFor}</span>}
          </p>
        )}
        {estimate.ok ? (
          <>
            <p className="text-3xl font-semibold text-zinc-900 tabular-nums" data-testid="estimate-credits">
              {formatCredits(estimate.credits)}
            </p>
            {estimate.quantity > 1 && (
              <p className="text-sm text-zinc-600">
                {formatCredits(estimate.perUnit)} per {estimate.entry.unit}
              </p>
            )}
            <p className="text-sm break-words text-zinc-800" data-testid="estimate-breakdown">
              {estimate.breakdown}
            </p>
            <ServerLine check={check} currentKey={key} credits={estimate.credits} version={version} />
          </>
        ) : (
          <p className="text-sm text-zinc-700">No estimate yet: {estimate.error.message}</p>
        )}
      </div>
    </div>
  );
}

function ServerLine({ check, currentKey, credits, version }: { check: ServerCheck | null; currentKey: string; credits: number; version: number }) {
  if (!check || check.key !== currentKey) {
    return (
      <p className="text-sm text-zinc-600" data-testid="estimate-server" data-state="checking">
        Checking on the server…
      </p>
    );
  }
  const { result } = check;
  if (result.ok && result.data.credits === credits && result.data.version === version) {
    return (
      <p className="text-sm text-green-800" data-testid="estimate-server" data-state="confirmed">
        ✓ Checked on the server against price list v{result.data.version}.
      </p>
    );
  }
  // The page's copy of the price list is older than the server's: a new version came into force meanwhile.
  const message = result.ok
    ? `The server prices this at ${formatCredits(result.data.credits)} with price list v${result.data.version}; reload the page for the current prices.`
    : result.code === "invalid" && result.fieldErrors?.quantity
      ? // Past what one run may cost: the same on any price list, so reloading would not help.
        `The server refuses this run: ${result.message}`
      : result.code === "invalid"
        ? `The server's price list refuses this run: ${result.message} Reload the page for the current prices.`
      : "The server could not check this estimate just now.";
  return (
    <p className="text-sm text-amber-800" data-testid="estimate-server" data-state="differs">
      {message}
    </p>
  );
}
