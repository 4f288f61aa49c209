import { z } from "zod";
import { DEFAULT_ESCALATION_SETTINGS, type EscalationSettings, SEVERITIES, type Severity } from "./model.ts";

/**
 * Admin → Forum's form and the stored settings (site_settings "forum_escalation"). The stored
 * value is read field by field against `EscalationSettingsSchema`, each rule falling back to its
 * default when missing or unreadable; the form is flat (one field per number, a checkbox per rule,
 * the urgent terms one a line) and is turned into the same shape.
 */

export const MAX_TERMS = 100;
export const TERM_MAX_LENGTH = 60;

const severity = z.enum(SEVERITIES);

export const EscalationSettingsSchema = z.object({
  meToo: z.object({ enabled: z.boolean(), threshold: z.number().int().min(2).max(10_000), severity }),
  urgentTerms: z.object({ enabled: z.boolean(), terms: z.array(z.string().min(1).max(TERM_MAX_LENGTH)).max(MAX_TERMS), severity }),
  sentiment: z.object({ enabled: z.boolean(), threshold: z.number().min(-5).max(0), minWords: z.number().int().min(1).max(100), severity }),
  volumeSpike: z.object({ enabled: z.boolean(), z: z.number().min(1).max(20), minCount: z.number().int().min(1).max(10_000), trailingWeeks: z.number().int().min(2).max(52), severity }),
  slaHours: z.object({
    critical: z.number().int().min(1).max(8760),
    high: z.number().int().min(1).max(8760),
    medium: z.number().int().min(1).max(8760),
    low: z.number().int().min(1).max(8760),
  }),
}) satisfies z.ZodType<EscalationSettings>;

const number = (label: string, min: number, max: number, options: { whole?: boolean } = {}) =>
  z
    .string({ error: `${label} is required.` })
    .trim()
    .min(1, `${label} is required.`)
    .regex(options.whole ? /^-?\d{1,6}$/ : /^-?\d{1,6}(\.\d{1,3})?$/, options.whole ? `${label} must be a whole number.` : `${label} must be a number, like 3 or -0.5.`)
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `${label} must be at least ${min.toLocaleString("en")}.`)
        .max(max, `${label} must be at most ${max.toLocaleString("en")}.`),
    );

const checkbox = z
  .string()
  .optional()
  .transform((value) => value !== undefined && value !== "");
const severityField = z.enum(SEVERITIES, { error: "Choose a severity." });

/** The urgent terms' textarea: one a line, trimmed, blank lines dropped, each once (any case). */
const termsField = z
  .string({ error: "Enter one term a line." })
  .transform((text) => {
    const seen = new Set<string>();
    const terms: string[] = [];
    for (const line of text.split(/\r?\n/)) {
      const term = line.trim().replace(/\s+/g, " ");
      if (term && !seen.has(term.toLowerCase())) {
        seen.add(term.toLowerCase());
        terms.push(term);
      }
    }
    return terms;
  })
  .superRefine((terms, ctx) => {
    if (terms.length > MAX_TERMS) ctx.addIssue({ code: "custom", message: `At most ${MAX_TERMS} terms.` });
    const long = terms.find((t) => t.length > TERM_MAX_LENGTH);
    if (long !== undefined) ctx.addIssue({ code: "custom", message: `“${long.slice(0, 40)}…” is longer than ${TERM_MAX_LENGTH} characters.` });
  });

export const EscalationFormSchema = z
  .object({
    meToo_enabled: checkbox,
    meToo_threshold: number("The “me too” threshold", 2, 10_000, { whole: true }),
    meToo_severity: severityField,
    urgent_enabled: checkbox,
    urgent_terms: termsField,
    urgent_severity: severityField,
    sentiment_enabled: checkbox,
    sentiment_threshold: number("The sentiment threshold", -5, 0),
    sentiment_minWords: number("The number of scored words", 1, 100, { whole: true }),
    sentiment_severity: severityField,
    spike_enabled: checkbox,
    spike_z: number("The z-score", 1, 20),
    spike_minCount: number("The minimum count", 1, 10_000, { whole: true }),
    spike_trailingWeeks: number("The trailing weeks", 2, 52, { whole: true }),
    spike_severity: severityField,
    sla_critical: number("The SLA for critical", 1, 8760, { whole: true }),
    sla_high: number("The SLA for high", 1, 8760, { whole: true }),
    sla_medium: number("The SLA for medium", 1, 8760, { whole: true }),
    sla_low: number("The SLA for low", 1, 8760, { whole: true }),
  })
  .transform((v): EscalationSettings => ({
    meToo: { enabled: v.meToo_enabled, threshold: v.meToo_threshold, severity: v.meToo_severity },
    urgentTerms: { enabled: v.urgent_enabled, terms: v.urgent_terms, severity: v.urgent_severity },
    sentiment: { enabled: v.sentiment_enabled, threshold: v.sentiment_threshold, minWords: v.sentiment_minWords, severity: v.sentiment_severity },
    volumeSpike: { enabled: v.spike_enabled, z: v.spike_z, minCount: v.spike_minCount, trailingWeeks: v.spike_trailingWeeks, severity: v.spike_severity },
    slaHours: { critical: v.sla_critical, high: v.sla_high, medium: v.sla_medium, low: v.sla_low },
  }));

/** The form's values for settings in force (a checkbox is "on" or absent). */
export function escalationFormValues(s: EscalationSettings): Record<string, string> {
  const on = (b: boolean) => (b ? "on" : "");
  return {
    meToo_enabled: on(s.meToo.enabled),
    meToo_threshold: String(s.meToo.threshold),
    meToo_severity: s.meToo.severity,
    urgent_enabled: on(s.urgentTerms.enabled),
    urgent_terms: s.urgentTerms.terms.join("\n"),
    urgent_severity: s.urgentTerms.severity,
    sentiment_enabled: on(s.sentiment.enabled),
    sentiment_threshold: String(s.sentiment.threshold),
    sentiment_minWords: String(s.sentiment.minWords),
    sentiment_severity: s.sentiment.severity,
    spike_enabled: on(s.volumeSpike.enabled),
    spike_z: String(s.volumeSpike.z),
    spike_minCount: String(s.volumeSpike.minCount),
    spike_trailingWeeks: String(s.volumeSpike.trailingWeeks),
    spike_severity: s.volumeSpike.severity,
    sla_critical: String(s.slaHours.critical),
    sla_high: String(s.slaHours.high),
    sla_medium: String(s.slaHours.medium),
    sla_low: String(s.slaHours.low),
  };
}

/** Each part of the stored value on its own: a bad or missing part takes its default, the rest stay. */
export function readEscalationSettings(stored: unknown): EscalationSettings {
  const value = (stored ?? {}) as Record<string, unknown>;
  const part = <K extends keyof EscalationSettings>(key: K): EscalationSettings[K] => {
    const parsed = EscalationSettingsSchema.shape[key].safeParse(value[key]);
    return (parsed.success ? parsed.data : DEFAULT_ESCALATION_SETTINGS[key]) as EscalationSettings[K];
  };
  return { meToo: part("meToo"), urgentTerms: part("urgentTerms"), sentiment: part("sentiment"), volumeSpike: part("volumeSpike"), slaHours: part("slaHours") };
}

export const SEVERITY_LABELS: Record<Severity, string> = { low: "Low", medium: "Medium", high: "High", critical: "Critical" };
