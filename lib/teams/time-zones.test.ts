// The time zone list of team forms and the zone preselected for a browser.
import { describe, expect, it } from "vitest";
import { preferredTimeZone, timeZoneOptions, UTC } from "./time-zones";

// Node lists some zones under their older names (Asia/Calcutta, Europe/Kiev), as its ICU data does.
const supported = ["Africa/Abidjan", "America/New_York", "Asia/Calcutta", "Europe/Berlin", "Europe/Kiev"];

describe("timeZoneOptions", () => {
  it("offers UTC first and plainly, then the runtime's zones in order", () => {
    const options = timeZoneOptions(["Europe/Berlin", "Africa/Abidjan", "Etc/UTC", "America/New_York"]);
    expect(options).toEqual([
      { value: "UTC", label: "UTC — Coordinated Universal Time" },
      { value: "Africa/Abidjan", label: "Africa/Abidjan" },
      { value: "America/New_York", label: "America/New York" },
      { value: "Europe/Berlin", label: "Europe/Berlin" },
    ]);
  });

  it("keeps the team's current zone even when the list lacks it", () => {
    expect(timeZoneOptions(supported, "Asia/Kolkata").map((option) => option.value)).toContain("Asia/Kolkata");
    expect(timeZoneOptions(supported, "UTC").filter((option) => option.value === "UTC")).toHaveLength(1);
  });

  it("lists the runtime's own zones", () => {
    const options = timeZoneOptions(Intl.supportedValuesOf("timeZone"));
    expect(options[0].value).toBe(UTC);
    expect(options.map((option) => option.value)).toContain("Europe/Berlin");
  });
});

describe("preferredTimeZone", () => {
  const options = timeZoneOptions(supported);

  it("preselects the browser's zone, never the first of the list", () => {
    expect(preferredTimeZone("Europe/Berlin", options)).toBe("Europe/Berlin");
    expect(preferredTimeZone("America/New_York", options)).toBe("America/New_York");
  });

  it("reads every name of UTC as UTC", () => {
    for (const zone of ["UTC", "Etc/UTC", "Etc/GMT", "GMT"]) expect(preferredTimeZone(zone, options)).toBe("UTC");
  });

  it("maps another name of a zone to the list's name, and falls back to UTC for an unknown or missing zone", () => {
    expect(preferredTimeZone("Asia/Kolkata", options)).toBe("Asia/Calcutta");
    expect(preferredTimeZone("Europe/Kyiv", options)).toBe("Europe/Kiev");
    expect(preferredTimeZone("Mars/Olympus_Mons", options)).toBe("UTC");
    expect(preferredTimeZone(null, options)).toBe("UTC");
    expect(preferredTimeZone("", options)).toBe("UTC");
  });
});
