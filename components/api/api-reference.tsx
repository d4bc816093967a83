"use client";
// The API reference (Scalar) over this app's own OpenAPI document, with nothing fetched from the internet.
import "@scalar/api-reference-react/style.css";
import type { AnyApiReferenceConfiguration } from "@scalar/api-reference-react";
import dynamic from "next/dynamic";

// Scalar is a Vue app that mounts in the browser; rendered on the server it would be an empty box at best.
const ApiReferenceReact = dynamic(() => import("@scalar/api-reference-react").then((module) => module.ApiReferenceReact), {
  ssr: false,
  loading: () => (
    <p className="px-4 py-10 text-center text-sm text-zinc-600" role="status">
      Loading the API reference…
    </p>
  ),
});

// One object for the page's life: Scalar reconfigures itself whenever it gets a new one.
const CONFIGURATION: AnyApiReferenceConfiguration = {
  url: "/api/v1/openapi.json",
  // Offline and private: no web fonts, no telemetry, no Ask-AI agent or MCP (both talk to Scalar's servers), no developer
  // toolbar (it offers to upload the document to Scalar), and no request client (it would offer Scalar's proxy).
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  mcp: { disabled: true },
  showDeveloperTools: "never",
  hideClientButton: true,
  hideTestRequestButton: true,
  documentDownloadType: "json",
  // The app is light; a dark reference inside it would look like another site.
  forceDarkModeState: "light",
  hideDarkModeToggle: true,
  theme: "default",
  defaultOpenAllTags: true,
};

export function ApiReference() {
  return (
    <div data-testid="api-reference">
      <ApiReferenceReact configuration={CONFIGURATION} />
    </div>
  );
}
