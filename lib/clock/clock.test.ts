import { mkdtempSync, writeFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appNow } from "./index";

const HOUR = 3_600_000;

describe("appNow", () => {
  afterEach(() => {
    delete process.env.CREDITWISE_CLOCK_FILE;
  });

  it("is the machine's time without a clock file", () => {
    const before = Date.now();
    const now = appNow().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("adds the file's offset and follows the file when it changes", () => {
    const file = join(mkdtempSync(join(tmpdir(), "clock-")), "offset");
    writeFileSync(file, String(49 * HOUR));
    process.env.CREDITWISE_CLOCK_FILE = file;
    expect(appNow().getTime() - Date.now()).toBeGreaterThan(48 * HOUR);
    writeFileSync(file, String(2 * HOUR));
    // A later modification time, as a second write would have on a coarse file system.
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    const ahead = appNow().getTime() - Date.now();
    expect(ahead).toBeGreaterThan(HOUR);
    expect(ahead).toBeLessThan(3 * HOUR);
  });

  it("ignores a missing or unreadable file", () => {
    process.env.CREDITWISE_CLOCK_FILE = "/nonexistent/clock";
    expect(Math.abs(appNow().getTime() - Date.now())).toBeLessThan(1_000);
    const file = join(mkdtempSync(join(tmpdir(), "clock-")), "offset");
    writeFileSync(file, "soon");
    process.env.CREDITWISE_CLOCK_FILE = file;
    expect(Math.abs(appNow().getTime() - Date.now())).toBeLessThan(1_000);
  });
});
