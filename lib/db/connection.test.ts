// The embedded database's folder lock: one process per folder, stale locks cleared, a clear message otherwise.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DataDirLockedError, databaseTarget, lockDataDir } from "./connection";

const folder = () => join(mkdtempSync(join(tmpdir(), "cw-lock-")), "pglite");

describe("lockDataDir", () => {
  it("takes the lock with this process's pid and gives it back", () => {
    const dir = folder();
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(`${dir}.lock`)).toBe(false);
  });

  it("refuses a folder another live process holds, naming it", () => {
    const dir = folder();
    lockDataDir(dir)();
    // The parent process is alive for as long as this test runs.
    writeFileSync(`${dir}.lock`, String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(new RegExp(`already open in process ${process.ppid}`));
  });

  it("clears the lock of a process that died", () => {
    const dir = folder();
    lockDataDir(dir)();
    writeFileSync(`${dir}.lock`, "2147483646");
    const release = lockDataDir(dir);
    expect(readFileSync(`${dir}.lock`, "utf8")).toBe(String(process.pid));
    release();
  });
});

describe("databaseTarget", () => {
  it("uses the embedded database unless DATABASE_URL names a PostgreSQL server", () => {
    expect(databaseTarget({ PGLITE_DATA_DIR: "/tmp/x" })).toEqual({ kind: "pglite", dataDir: "/tmp/x" });
    expect(databaseTarget({ DATABASE_URL: "postgresql://u@h/db" })).toEqual({ kind: "postgres", url: "postgresql://u@h/db" });
    expect(() => databaseTarget({ DATABASE_URL: "mysql://u@h/db" })).toThrow(/postgresql/);
  });
});
