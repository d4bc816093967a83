import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { errorText, FormError } from "./field";
import { Input } from "./input";
import { Select } from "./select";
import { Textarea } from "./textarea";

const html = (element: Parameters<typeof renderToStaticMarkup>[0]) => renderToStaticMarkup(element);

describe("errorText", () => {
  it("accepts a message, a zod-style list, or nothing", () => {
    expect(errorText("Required")).toBe("Required");
    expect(errorText(["Too short", "Must be unique"])).toBe("Too short Must be unique");
    expect(errorText([])).toBeUndefined();
    expect(errorText("  ")).toBeUndefined();
    expect(errorText(null)).toBeUndefined();
  });
});

describe("labelled controls", () => {
  it("ties the label to the control and describes it by its hint", () => {
    const out = html(createElement(Input, { label: "Team name", name: "name", id: "team-name", hint: "Shown to members" }));
    expect(out).toContain('<label for="team-name"');
    expect(out).toContain('id="team-name"');
    expect(out).toContain('name="name"');
    expect(out).toContain('aria-describedby="team-name-hint"');
    expect(out).not.toContain("aria-invalid=");
    expect(out).not.toContain("error-name");
  });

  it("marks an invalid control and points it at a status message under it", () => {
    const out = html(createElement(Input, { label: "Email", name: "email", id: "email", hint: "Work address", error: "Enter an email" }));
    expect(out).toContain('aria-invalid="true"');
    expect(out).toContain('aria-describedby="email-error email-hint"');
    expect(out).toMatch(/<p id="email-error" role="status" data-testid="error-email"[^>]*>.*Enter an email/);
    expect(out).not.toContain('role="alert"');
    expect(out.indexOf("<input")).toBeLessThan(out.indexOf('id="email-error"'));
  });

  it("generates an id when none is given", () => {
    const out = html(createElement(Textarea, { label: "Prompt", name: "prompt" }));
    const id = /<textarea[^>]* id="([^"]+)"/.exec(out)?.[1];
    expect(id).toBeTruthy();
    expect(out).toContain(`for="${id}"`);
  });

  it("renders select options from a list, with a placeholder chosen by default", () => {
    const out = html(
      createElement(Select, {
        label: "Model",
        name: "model",
        placeholder: "Choose a model…",
        options: ["fast", { value: "hq", label: "High quality", disabled: true }],
        error: ["Pick a model"],
      }),
    );
    expect(out).toContain('<option value="" selected="">Choose a model…</option>');
    expect(out).toContain('<option value="fast">fast</option>');
    expect(out).toContain('<option value="hq" disabled="">High quality</option>');
    expect(out).toContain('data-testid="error-model"');
  });
});

describe("FormError", () => {
  it("renders nothing without a message and a status block with one", () => {
    expect(html(createElement(FormError, { message: null }))).toBe("");
    const out = html(createElement(FormError, { message: "Could not save." }));
    expect(out).toContain('role="status"');
    expect(out).toContain('data-testid="form-error"');
  });
});
