// Each rule's title and why it matters, in the product's own words, for findings and the Recommendations page. Pure.
import type { RuleId } from "./types";

export const RULES: Record<RuleId, { title: string; explanation: string }> = {
  "test-cheap": {
    title: "Test cheap, finalize premium",
    explanation:
      "Test iterations only have to show whether the prompt works, and a budget model shows that. Keep the premium model for the final that is delivered.",
  },
  "match-purpose": {
    title: "Match quality to purpose",
    explanation:
      "Spend on quality only where the asset goes needs it: budget for internal review, mid-tier for a client draft, premium for final delivery and print, mid or premium for social media.",
  },
  "print-upscale": {
    title: "Print needs an upscale",
    explanation:
      "Print shows every pixel, so a print final is normally upscaled after it is approved. This costs more; it is a quality warning, not a saving.",
  },
  "over-engineered": {
    title: "Don't over-engineer a check",
    explanation:
      "A quick test, a concept check or a draft voiceover for the team's own review answers its question just as well on the budget model of the same kind, for a fraction of the credits.",
  },
  "upscale-web": {
    title: "No upscale for the web",
    explanation: "Screens show far fewer pixels than an upscaler makes: for web or social use the upscale is paid for and never seen.",
  },
  "upscale-before-edit": {
    title: "Upscale after the edits",
    explanation: "An image that will still be edited changes again; upscale the edited version once, at the end.",
  },
  "still-would-do": {
    title: "A still image would do",
    explanation: "Where a still image works, an image model of the same quality costs a fraction of a video clip.",
  },
  "background-music": {
    title: "Use the music model for background music",
    explanation: "Background music sits under everything else; the price list's music model is made for it, and a premium audio model adds nothing anyone will hear.",
  },
  "premium-video-iterations": {
    title: "Don't iterate on premium video",
    explanation:
      "One premium clip costs as much as many budget clips. Check motion and timing on the budget video model, and render only the final on premium.",
  },
  "edit-not-regenerate": {
    title: "Edit instead of regenerating",
    explanation:
      "When an existing output only needs changes, editing it is cheaper than searching for a new one: test iterations are not needed, and the final run is the edit.",
  },
  "group-models": {
    title: "Group similar items on one model",
    explanation:
      "Items with the same purpose spread over several models of the same tier look less alike and each needs its own prompt tests. One model for all of them keeps the style consistent and the tests few.",
  },
  "empty-prompt": {
    title: "Write the prompts first",
    explanation: "A missing or rough prompt wastes credits on any model. Write and refine every prompt before anything is generated.",
  },
};
