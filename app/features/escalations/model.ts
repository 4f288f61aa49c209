/**
 * What the escalation rules are configured with, and the words for severities and rules: shared by
 * the rules (rules.ts), the server code and the pages (nothing here reaches the database).
 */

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const RULES = ["me_too", "urgent_terms", "sentiment", "volume_spike"] as const;
export type RuleName = (typeof RULES)[number];

export const RULE_LABELS: Record<RuleName, string> = {
  me_too: "Many customers say “me too”",
  urgent_terms: "Urgent terms",
  sentiment: "Strongly negative tone",
  volume_spike: "Volume spike in a topic",
};

export type MeTooSettings = { enabled: boolean; threshold: number; severity: Severity };
export type UrgentTermsSettings = { enabled: boolean; terms: string[]; severity: Severity };
export type SentimentSettings = { enabled: boolean; threshold: number; minWords: number; severity: Severity };
export type VolumeSpikeSettings = { enabled: boolean; z: number; minCount: number; trailingWeeks: number; severity: Severity };

export interface EscalationSettings {
  meToo: MeTooSettings;
  urgentTerms: UrgentTermsSettings;
  sentiment: SentimentSettings;
  volumeSpike: VolumeSpikeSettings;
  /** Hours from the escalation to a first internal response, per severity. */
  slaHours: Record<Severity, number>;
}

export const DEFAULT_URGENT_TERMS = ["outage", "down", "security", "breach", "vulnerability", "data loss", "lost data", "legal", "lawsuit", "GDPR"];

export const DEFAULT_ESCALATION_SETTINGS: EscalationSettings = {
  meToo: { enabled: true, threshold: 5, severity: "medium" },
  urgentTerms: { enabled: true, terms: DEFAULT_URGENT_TERMS, severity: "high" },
  sentiment: { enabled: true, threshold: -0.5, minWords: 3, severity: "medium" },
  volumeSpike: { enabled: true, z: 3, minCount: 5, trailingWeeks: 8, severity: "high" },
  slaHours: { critical: 1, high: 4, medium: 24, low: 72 },
};

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function higherSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** One level up, critical staying critical. */
export function raiseSeverity(severity: Severity): Severity {
  return SEVERITIES[Math.min(severityRank(severity) + 1, SEVERITIES.length - 1)]!;
}
