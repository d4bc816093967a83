// The contract between the API's code and its document: one route per operation at the operation's path, the typed
// client generated from today's document, and a checker that fails a test on any answer the document does not describe.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkContract } from "@/test/api";
import type { ApiRouteHandler } from "@/lib/authz/api";
import { clientTypesSource } from "./client/generate";
import { openApiDocument } from "./openapi";
import { API_OPERATIONS } from "./operations";

const routeModules = import.meta.glob<Record<string, unknown>>("/app/api/v1/teams/**/route.ts");

/** `app/api/v1/teams/[teamSlug]/runs/[runId]/settle/route.ts` → `/teams/{teamSlug}/runs/{runId}/settle` */
function operationPath(file: string): string {
  return file
    .replace(/^\/app\/api\/v1/, "")
    .replace(/\/route\.ts$/, "")
    .replace(/\[(\w+)\]/g, "{$1}");
}

describe("the API's contract", () => {
  it("serves every operation from the route file at its path, and nothing else", async () => {
    const served: string[] = [];
    for (const [file, load] of Object.entries(routeModules)) {
      const exported = await load();
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const handler = exported[method] as ApiRouteHandler | undefined;
        if (!handler) continue;
        expect(handler.operation, `${file}#${method} is not an apiRoute`).toBeDefined();
        expect(handler.operation.method).toBe(method.toLowerCase());
        expect(handler.operation.path).toBe(operationPath(file));
        expect(API_OPERATIONS, `${handler.operation.operationId} is missing from API_OPERATIONS`).toContain(handler.operation);
        served.push(handler.operation.operationId);
      }
    }
    expect(served.sort()).toEqual(API_OPERATIONS.map((operation) => operation.operationId).sort());
    expect(new Set(served).size).toBe(served.length);
  });

  it("generates a document with every operation, its scope, and problem details for its errors", () => {
    const document = JSON.parse(JSON.stringify(openApiDocument()));
    expect(document.openapi).toBe("3.1.0");
    for (const operation of API_OPERATIONS) {
      const described = document.paths[operation.path]?.[operation.method];
      expect(described?.operationId, operation.operationId).toBe(operation.operationId);
      expect(described["x-creditwise-scope"]).toBe(operation.scope);
      expect(described.responses["401"].content["application/problem+json"].schema.$ref).toBe("#/components/schemas/Problem");
      for (const status of Object.keys(operation.responses)) expect(described.responses[status].content["application/json"].schema).toBeDefined();
    }
  });

  it("keeps the typed client's types generated from today's document (npm run api:generate)", async () => {
    const committed = readFileSync(join(import.meta.dirname, "client", "schema.ts"), "utf8");
    expect(committed === (await clientTypesSource()), "lib/api/client/schema.ts is stale: run npm run api:generate").toBe(true);
  });

  describe("the checker the API tests run on every answer", () => {
    const url = "http://localhost:3000/api/v1/teams/acme/runs";
    const post = () => new Request(url, { method: "POST" });
    const json = (body: unknown, status: number, type = "application/json") => new Response(JSON.stringify(body), { status, headers: { "content-type": type } });
    const admitted = {
      decision: "admitted",
      estimate: 100,
      priceListVersion: 1,
      run: { id: "run_1", state: "held", held: 100 },
      links: { settle: "/s", release: "/r" },
    };

    it("passes an answer as described", async () => {
      await expect(checkContract(post(), json(admitted, 201))).resolves.toBeUndefined();
    });

    it("fails a body that drifted from its schema", async () => {
      await expect(checkContract(post(), json({ ...admitted, estimate: "100" }, 201))).rejects.toThrow(/does not match its schema/);
      const { links: _links, ...withoutLinks } = admitted;
      void _links;
      await expect(checkContract(post(), json(withoutLinks, 201))).rejects.toThrow(/links/);
    });

    it("fails a status or a content type the document does not list", async () => {
      await expect(checkContract(post(), json(admitted, 202))).rejects.toThrow(/does not list/);
      await expect(checkContract(post(), json(admitted, 201, "text/plain"))).rejects.toThrow(/answered text\/plain/);
      await expect(checkContract(post(), json({ error: "nope" }, 409, "application/problem+json"))).rejects.toThrow(/does not match/);
    });

    it("fails an answer from a path the document does not have", async () => {
      await expect(checkContract(new Request("http://localhost:3000/api/v1/teams/acme/nothing"), json({}, 200))).rejects.toThrow(/not in the OpenAPI document/);
    });
  });
});
