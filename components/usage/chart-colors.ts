// Colours of chart series: distinct from each other for common colour blindness (Okabe–Ito), the last one for "Other".
// Output types and stages have colours of their own, so a filter never repaints them.
export const SERIES_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"] as const;
export const OTHER_COLOR = "#A1A1AA";

const TYPE_COLORS: Record<string, string> = { image: "#E69F00", video: "#0072B2", audio: "#CC79A7", tool: "#009E73" };
const STAGE_COLORS: Record<string, string> = { test: "#56B4E9", draft: "#E69F00", final: "#D55E00" };

export const typeColor = (type: string) => TYPE_COLORS[type] ?? OTHER_COLOR;
export const stageColor = (stage: string) => STAGE_COLORS[stage] ?? OTHER_COLOR;
