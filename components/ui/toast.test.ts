// Where toasts appear: never on the control in use.
import { describe, expect, it } from "vitest";
import { toastEdge } from "./toast";

describe("toastEdge", () => {
  it("uses the top edge when nothing is in use, or the control in use is further down", () => {
    expect(toastEdge(null, 800)).toBe("top");
    expect(toastEdge({ top: 480, bottom: 520 }, 800)).toBe("top");
    expect(toastEdge({ top: 200, bottom: 240 }, 800)).toBe("top");
  });

  it("moves to the bottom edge when the control in use is near the top", () => {
    expect(toastEdge({ top: 20, bottom: 60 }, 800)).toBe("bottom");
    expect(toastEdge({ top: 199, bottom: 239 }, 800)).toBe("bottom");
  });

  it("stays at the top when the control fills the window and neither edge is clear", () => {
    expect(toastEdge({ top: 10, bottom: 790 }, 800)).toBe("top");
  });
});
