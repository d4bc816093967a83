// Runs before every zone-sensitive test file: fails the file unless the process really runs in its project's host zone.
import { assertHostZone } from "./zones";

assertHostZone(process.env.HOST_TIME_ZONE, [Date.UTC(2026, 0, 15, 12), Date.UTC(2026, 6, 15, 12)]);
