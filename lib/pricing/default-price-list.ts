// The catalog every new team starts with: the models, tiers and credits of the seed guide.

import type { CatalogEntry, Factor, PriceList, SettingDef, SettingOption } from "./types";

const ratio = (num: number, den = 1): Factor => ({ num, den });
const option = (value: string, label: string, factor: Factor): SettingOption => ({ value, label, factor });

// Factors are relative to each model's own default, so `credits` stays the seed's figure.

const imageResolution = (defaultValue: string, options: SettingOption[]): SettingDef => ({
  key: "resolution",
  label: "Resolution",
  default: defaultValue,
  options,
});

const videoDuration = (defaultValue: string, options: SettingOption[]): SettingDef => ({
  key: "duration",
  label: "Duration",
  default: defaultValue,
  options,
});

const videoResolution = (defaultValue: string, options: SettingOption[]): SettingDef => ({
  key: "resolution",
  label: "Resolution",
  default: defaultValue,
  options,
});

// Speech is billed by script length, in steps, so a short line never costs the same as a chapter.
const scriptLength = (): SettingDef => ({
  key: "characters",
  label: "Script length",
  default: "1000",
  options: [
    option("1000", "up to 1,000 characters", ratio(1)),
    option("2500", "up to 2,500 characters", ratio(5, 2)),
    option("5000", "up to 5,000 characters", ratio(5)),
  ],
});

const entries: CatalogEntry[] = [
  {
    id: "qwen-image",
    name: "Qwen Image",
    outputType: "image",
    tier: "budget",
    credits: 20,
    unit: "image",
    settings: [imageResolution("1k", [option("1k", "1K", ratio(1)), option("2k", "2K", ratio(3, 2))])],
    useFor: "Prompt tests and rough ideas",
    enabled: true,
  },
  {
    id: "sdxl",
    name: "SDXL",
    outputType: "image",
    tier: "mid",
    credits: 40,
    unit: "image",
    // SDXL is trained at about one megapixel and offers nothing larger.
    settings: [imageResolution("1k", [option("1k", "1K", ratio(1))])],
    useFor: "Everyday images in many established styles",
    enabled: true,
  },
  {
    id: "flux-2-dev",
    name: "Flux 2 Dev",
    outputType: "image",
    tier: "mid",
    credits: 50,
    unit: "image",
    settings: [imageResolution("1k", [option("1k", "1K", ratio(1)), option("2k", "2K", ratio(2))])],
    useFor: "Good-looking images at a moderate price",
    enabled: true,
  },
  {
    id: "flux-2-pro",
    name: "Flux 2 Pro",
    outputType: "image",
    tier: "premium",
    credits: 120,
    unit: "image",
    settings: [imageResolution("1k", [option("1k", "1K", ratio(1)), option("2k", "2K", ratio(2))])],
    useFor: "Approved final images",
    enabled: true,
  },
  {
    id: "nano-banana-pro",
    name: "Nano Banana Pro",
    outputType: "image",
    tier: "premium",
    credits: 600,
    unit: "image",
    // 1K and 2K cost the same on this model; only 4K output is dearer.
    settings: [
      imageResolution("1k", [
        option("1k", "1K", ratio(1)),
        option("2k", "2K", ratio(1)),
        option("4k", "4K", ratio(2)),
      ]),
    ],
    useFor: "Demanding finals: legible text, many references, precise edits",
    enabled: true,
  },
  {
    id: "wan-2-5-fast",
    name: "Wan 2.5 Fast",
    outputType: "video",
    tier: "budget",
    credits: 60,
    unit: "clip",
    settings: [
      videoDuration("5", [option("5", "5 s", ratio(1)), option("10", "10 s", ratio(2))]),
      videoResolution("720p", [
        option("480p", "480p", ratio(1, 2)),
        option("720p", "720p", ratio(1)),
        option("1080p", "1080p", ratio(3, 2)),
      ]),
    ],
    useFor: "Checking a video concept, motion or timing",
    enabled: true,
  },
  {
    id: "seedance-lite",
    name: "Seedance Lite",
    outputType: "video",
    tier: "mid",
    credits: 300,
    unit: "clip",
    settings: [
      videoDuration("5", [option("5", "5 s", ratio(1)), option("10", "10 s", ratio(2))]),
      videoResolution("720p", [
        option("480p", "480p", ratio(1, 2)),
        option("720p", "720p", ratio(1)),
        option("1080p", "1080p", ratio(2)),
      ]),
    ],
    useFor: "Video drafts to show someone",
    enabled: true,
  },
  {
    id: "seedance-fast",
    name: "Seedance Fast",
    outputType: "video",
    tier: "mid",
    credits: 500,
    unit: "clip",
    settings: [
      videoDuration("5", [option("5", "5 s", ratio(1)), option("10", "10 s", ratio(2))]),
      videoResolution("1080p", [
        option("480p", "480p", ratio(1, 4)),
        option("720p", "720p", ratio(1, 2)),
        option("1080p", "1080p", ratio(1)),
      ]),
    ],
    useFor: "Polished video drafts",
    enabled: true,
  },
  {
    id: "veo-3-1",
    name: "Veo 3.1",
    outputType: "video",
    tier: "premium",
    credits: 4000,
    unit: "clip",
    settings: [
      videoDuration("8", [
        option("4", "4 s", ratio(4, 8)),
        option("6", "6 s", ratio(6, 8)),
        option("8", "8 s", ratio(8, 8)),
      ]),
      // 720p and 1080p cost the same on Veo; 4K is the only dearer output.
      videoResolution("1080p", [
        option("720p", "720p", ratio(1)),
        option("1080p", "1080p", ratio(1)),
        option("4k", "4K", ratio(3, 2)),
      ]),
    ],
    useFor: "Approved final video with sound",
    enabled: true,
  },
  {
    id: "sora-2-pro",
    name: "Sora 2 Pro",
    outputType: "video",
    tier: "premium",
    credits: 4000,
    unit: "clip",
    settings: [
      videoDuration("8", [
        option("4", "4 s", ratio(4, 8)),
        option("8", "8 s", ratio(8, 8)),
        option("12", "12 s", ratio(12, 8)),
      ]),
      videoResolution("1080p", [option("720p", "720p", ratio(3, 5)), option("1080p", "1080p", ratio(1))]),
    ],
    useFor: "Final video where only the best quality will do",
    enabled: true,
  },
  {
    id: "speech-turbo",
    name: "Speech Turbo",
    outputType: "audio",
    tier: "budget",
    credits: 8,
    unit: "voiceover",
    settings: [scriptLength()],
    useFor: "Trying out scripts and draft voiceovers",
    enabled: true,
  },
  {
    id: "music-1-5",
    name: "Music 1.5",
    outputType: "audio",
    tier: "mid",
    credits: 48,
    unit: "track",
    settings: [
      {
        key: "duration",
        label: "Duration",
        default: "60",
        options: [
          option("30", "30 s", ratio(1, 2)),
          option("60", "1 min", ratio(1)),
          option("120", "2 min", ratio(2)),
          option("180", "3 min", ratio(3)),
          option("240", "4 min", ratio(4)),
        ],
      },
    ],
    useFor: "Background music",
    enabled: true,
  },
  {
    id: "speech-hd",
    name: "Speech HD",
    outputType: "audio",
    tier: "premium",
    credits: 40,
    unit: "voiceover",
    settings: [scriptLength()],
    useFor: "Voiceovers for final delivery",
    enabled: true,
  },
  {
    id: "bg-remover",
    name: "BG Remover",
    outputType: "tool",
    tier: null,
    credits: 20,
    unit: "image",
    settings: [],
    useFor: "Cutting out a subject; cheap enough to do early",
    enabled: true,
  },
  {
    id: "crystal-upscaler",
    name: "Crystal Upscaler",
    outputType: "tool",
    tier: null,
    credits: 1000,
    unit: "image",
    settings: [
      {
        key: "scale",
        label: "Scale",
        // The guide prices this tool for print finals, which need the full 4× enlargement.
        default: "4x",
        options: [option("2x", "2×", ratio(1, 2)), option("4x", "4×", ratio(1))],
      },
    ],
    useFor: "Print-quality finals only",
    enabled: true,
  },
];

/** Freezes an object and everything in it, so a shared price list cannot be edited in place. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Frozen because server code shares this one object between every team and
 * request: an in-place edit would change everyone's prices. Copy it
 * (structuredClone) to start an editable list.
 */
export const DEFAULT_PRICE_LIST: PriceList = deepFreeze({ entries });
