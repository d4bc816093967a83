// Colours of chart series: distinct from each other for common colour blindness (Okabe–Ito), the last one for "Other".
export const SERIES_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"] as const;
export const OTHER_COLOR = "#A1A1AA";
