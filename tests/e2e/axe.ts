import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/**
 * axe-core for a journey's page, set up to cost less without checking less:
 * - `resultTypes: ["violations"]`: axe still runs every rule on every node, but builds the
 *   selectors and details only for the violations, which is all the journeys assert on; for the
 *   passes (most of a long page) it keeps one node per rule.
 * - legacy mode: axe runs once in the page (and its same-origin frames) instead of in each frame
 *   and then again in a blank page opened to merge the results. Commons pages have no
 *   cross-origin frames, the one thing the newer way adds.
 */
export function axeBuilder(page: Page): AxeBuilder {
  return new AxeBuilder({ page }).options({ resultTypes: ["violations"] }).setLegacyMode(true);
}
