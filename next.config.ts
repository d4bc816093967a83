// Next.js configuration. PGlite loads its .wasm from node_modules at run time,
// so the server bundle must leave it (and the native argon2 binding) external.
import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, securityHeaders } from "./lib/security/headers";

const nextConfig: NextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pglite-prisma-adapter"],
  poweredByHeader: false,
  typedRoutes: false,
  // forbidden(): a page a role may not open answers 403 with app/t/[teamSlug]/forbidden.tsx.
  experimental: { authInterrupts: true },
  async headers() {
    return [
      { source: "/:path*", headers: securityHeaders({ production: process.env.NODE_ENV === "production" }) },
      // Pages get theirs, with a nonce, from proxy.ts.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
    ];
  },
};

export default nextConfig;
