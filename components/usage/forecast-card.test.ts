import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { forecast } from "@/lib/recommendations/history";
import { ForecastLines } from "./forecast-card";

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&#x27;|&apos;/g, "'");

function lines(budgets: Parameters<typeof forecast>[0]["budgets"], available = 10_000, trailing = 2_800) {
  const input = { today: "2026-12-06", available, trailing, periodKey: "2026-12", periodLabel: "December 2026", periodLastDay: "2026-12-31", budgets };
  return text(renderToStaticMarkup(createElement(ForecastLines, { forecast: forecast(input) })));
}

const budget = { projectId: "p", projectName: "Print catalogue", credits: 25_000, used: 1_080, periodKey: "2026-12", periodLabel: "December 2026", periodLastDay: "2026-12-31", trailing: 280 };

describe("the forecast in words", () => {
  it("gives no date past the period for a budget that starts again, and says it lasts", () => {
    const said = lines([budget]);
    expect(said).toContain("Print catalogue: 23,920 credits left of 25,000 in December 2026");
    expect(said).toContain("Lasts to the end of December 2026 at 10 credits a day.");
    expect(said).not.toMatch(/2027/);
  });

  it("warns when a lifetime budget runs out soon, and says how far over a used-up one is", () => {
    const lifetime = { ...budget, projectName: "Northwind", credits: 3_500, used: 3_320, periodKey: "lifetime", periodLabel: "whole life", periodLastDay: null };
    expect(lines([lifetime])).toMatch(/Runs out on 24 Dec 2026 at 10 credits a day\. In 18 days/);
    expect(lines([{ ...lifetime, used: 4_960 }])).toContain("Northwind: 1,460 credits over 3,500 (whole life)Nothing is left: 1,460 credits over. Used up");
  });

  it("says the team's credits are used up rather than that a negative amount runs out", () => {
    expect(lines([], -500)).toContain("Nothing is left: 500 credits over. Used up");
  });
});
