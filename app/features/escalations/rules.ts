import Sentiment from "sentiment";
import type { MeTooSettings, SentimentSettings, UrgentTermsSettings, VolumeSpikeSettings } from "./model.ts";

/**
 * The escalation rules as pure functions (issue 20): each takes what it looks at and its own
 * settings, and says whether it fired and why. `rules.server.ts` gathers the facts (the thread's
 * text, its "me too" count, the weekly counts of its topics) and writes the escalation.
 */

// ---------------------------------------------------------------- me too

/** Fires at `threshold` customers; at twice the threshold the escalation is one level more severe. */
export function meTooRule(count: number, settings: MeTooSettings): { fired: boolean; raise: boolean } {
  const fired = settings.enabled && count >= settings.threshold;
  return { fired, raise: fired && count >= 2 * settings.threshold };
}

// ---------------------------------------------------------------- urgent terms

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The listed terms the text holds as whole words or phrases, in any case, each once, in the list's
 * order ("down" is not found in "download", "data loss" is found across a line break). Letters and
 * digits of any script count as word characters, so the edges hold for "Ausfall" or "障害" too.
 */
export function urgentTermsRule(text: string, settings: UrgentTermsSettings): string[] {
  if (!settings.enabled || !text) return [];
  const found: string[] = [];
  for (const term of settings.terms) {
    const words = term.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${words.map(escapeRegExp).join("\\s+")}(?![\\p{L}\\p{N}_])`, "iu");
    if (pattern.test(text) && !found.some((f) => f.toLowerCase() === term.toLowerCase())) found.push(term);
  }
  return found;
}

// ---------------------------------------------------------------- sentiment

const analyzer = new Sentiment();

/**
 * The AFINN score of the post's own text (title and body) per word (`comparative`), firing at or
 * below the threshold when at least `minWords` words carried a score: one angry word in a short
 * line is not "strongly negative". Nothing of it is stored but the reason in words, and nothing is
 * ever scored per person.
 */
export function sentimentRule(text: string, settings: SentimentSettings): { fired: boolean; comparative: number; scoredWords: number } {
  if (!settings.enabled || !text.trim()) return { fired: false, comparative: 0, scoredWords: 0 };
  const result = analyzer.analyze(text);
  const comparative = Number.isFinite(result.comparative) ? result.comparative : 0;
  return { fired: result.words.length >= settings.minWords && comparative <= settings.threshold, comparative, scoredWords: result.words.length };
}

// ---------------------------------------------------------------- volume spike

/**
 * This week's count of new customer questions in a topic against the trailing weeks' (oldest
 * first; missing weeks are zeros): z = (this week − mean) / max(standard deviation, 1). The floor
 * of 1 is how zero variance is handled: a topic that had no questions for weeks and gets 5 has
 * z = 5, while one that had exactly 5 every week and gets 6 has z = 1, not infinity. It fires at
 * z ≥ the setting with at least `minCount` questions this week.
 */
export function volumeSpikeRule(thisWeek: number, trailingWeeks: readonly number[], settings: VolumeSpikeSettings): { fired: boolean; z: number; mean: number } {
  const z = zScore(thisWeek, trailingWeeks);
  const mean = trailingWeeks.length === 0 ? 0 : trailingWeeks.reduce((a, b) => a + b, 0) / trailingWeeks.length;
  return { fired: settings.enabled && thisWeek >= settings.minCount && z >= settings.z, z, mean };
}

export function zScore(value: number, series: readonly number[]): number {
  const n = series.length;
  const mean = n === 0 ? 0 : series.reduce((a, b) => a + b, 0) / n;
  const variance = n === 0 ? 0 : series.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
  return (value - mean) / Math.max(Math.sqrt(variance), 1);
}

// ---------------------------------------------------------------- weeks

const DAY = 86_400_000;

/** The Monday 00:00 UTC that starts the ISO week of `date` (PostgreSQL's date_trunc('week') in UTC). */
export function weekStart(date: Date): Date {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  return new Date(midnight - sinceMonday * DAY);
}

export function addWeeks(date: Date, weeks: number): Date {
  return new Date(date.getTime() + weeks * 7 * DAY);
}

/** "2025-03-03", the key a week's counts are read and shown under. */
export function weekKey(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------- words

export function plainCount(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function round1(n: number): string {
  return (Math.round(n * 10) / 10).toLocaleString("en");
}
