// Next.js configuration. PGlite loads its .wasm from node_modules at run time,
// so the server bundle must leave it (and the native argon2 binding) external.
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pglite-prisma-adapter"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
