// Effective dates of price lists on the team's clock at and around every clock change, whatever zone the host runs in.
import { describe, expect, it } from "vitest";
import { dayBegun, firstInstantOf, transitions, wallClock } from "@/test/zones";
import { localInputValue, nextMidnightInputValue, resolveEffectiveFrom } from "./rules";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const FROM = Date.UTC(2020, 0, 1);
const TO = Date.UTC(2036, 0, 1);
const HOST = process.env.HOST_TIME_ZONE ?? "";
const LONG_AGO = new Date(0);

// Clocks changing at 01:00 UTC, at midnight (Havana, Santiago), by half an hour (Lord Howe) and by two hours (Troll).
const TEAM_ZONES = ["Europe/Berlin", "America/New_York", "America/Havana", "America/Santiago", "Australia/Lord_Howe", "Antarctica/Troll", "Asia/Kolkata"];

const inputText = (wall: number) => new Date(Math.floor(wall / MINUTE_MS) * MINUTE_MS).toISOString().slice(0, 16);

describe("effective dates", () => {
  it("take the first run of a wall time the clocks run twice", () => {
    // Berlin runs 02:00–03:00 twice on 25 October 2026: first at UTC+2, then at UTC+1.
    expect(resolveEffectiveFrom({ effective: "later", effectiveAt: "2026-10-25T02:30" }, "Europe/Berlin", LONG_AGO)).toEqual({
      ok: true,
      value: new Date("2026-10-25T00:30:00Z"),
    });
  });

  it("refuse a day the calendar does not have, as a missing date", () => {
    for (const effectiveAt of ["2026-02-30T10:00", "2026-04-01T24:00", "2026-13-01T00:00"]) {
      expect(resolveEffectiveFrom({ effective: "later", effectiveAt }, "Europe/Berlin", LONG_AGO)).toMatchObject({
        ok: false,
        field: "effectiveAt",
        message: expect.stringContaining("Enter the date and time"),
      });
    }
  });

  it.each(TEAM_ZONES)("read and show %s's wall clock at every change of it and of the host's", (zone) => {
    const changes = transitions(zone, FROM - 5 * DAY_MS, TO + 5 * DAY_MS);
    const own = changes.filter((t) => t.at >= FROM && t.at < TO);
    const hostChanges = HOST ? transitions(HOST, FROM, TO) : [];
    const problems: string[] = [];
    let checked = 0;
    const dayStarts = new Map<number, number>();
    const startOf = (day: number, near: number) => {
      if (!dayStarts.has(day)) dayStarts.set(day, firstInstantOf(zone, day, near, changes));
      return dayStarts.get(day)!;
    };

    // A zone without changes, in a host without any, gets the turn of each UTC year instead.
    const anchors = [...own, ...hostChanges].map((t) => t.at);
    if (anchors.length === 0) anchors.push(...Array.from({ length: 16 }, (_, i) => Date.UTC(2020 + i, 0, 1)));
    for (const anchor of anchors) {
      for (const at of [-HOUR_MS, -MINUTE_MS, -1, 0, 1, MINUTE_MS, HOUR_MS].map((d) => anchor + d)) {
        checked++;
        const where = `${zone} at ${new Date(at).toISOString()}`;
        const wall = wallClock(zone, at);
        const text = localInputValue(new Date(at), zone);
        if (text !== inputText(wall)) problems.push(`${where}: shows ${text}, expected ${inputText(wall)}`);

        // The minute read back is the first instant showing it: this run's, unless the clocks already showed it before falling back.
        let expected = at - (wall - Math.floor(wall / MINUTE_MS) * MINUTE_MS);
        for (const t of changes) {
          const repeat = (t.before - t.after) * MINUTE_MS;
          if (repeat > 0 && t.at <= expected && expected < t.at + repeat) expected -= repeat;
        }
        const read = resolveEffectiveFrom({ effective: "later", effectiveAt: text }, zone, LONG_AGO);
        if (!read.ok || read.value.getTime() !== expected) {
          problems.push(`${where}: reads ${text} as ${read.ok ? read.value.toISOString() : read.message}, expected ${new Date(expected).toISOString()}`);
        }

        const day = dayBegun(zone, at, changes);
        const tomorrow = inputText(wallClock(zone, startOf(day + 1, at + DAY_MS)));
        const offered = nextMidnightInputValue(new Date(at), zone);
        if (offered !== tomorrow) problems.push(`${where}: offers ${offered} as the next midnight, expected ${tomorrow}`);
      }
    }

    // The minute that would follow the last one before a spring-forward is skipped.
    for (const change of own.filter((t) => t.after > t.before)) {
      checked++;
      const skipped = inputText(wallClock(zone, change.at - 1) + 1);
      const read = resolveEffectiveFrom({ effective: "later", effectiveAt: skipped }, zone, LONG_AGO);
      if (read.ok || !read.message.includes("does not exist")) problems.push(`${zone}: ${skipped} is skipped but was accepted`);
    }

    expect(checked).toBeGreaterThan(0);
    expect({ zone, host: HOST, failed: problems.length, of: checked, first: problems.slice(0, 12) }).toEqual({
      zone,
      host: HOST,
      failed: 0,
      of: checked,
      first: [],
    });
  });
});
