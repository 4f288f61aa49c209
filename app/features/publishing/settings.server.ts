import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { siteSettings } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError } from "#app/lib/errors.ts";
import { isHostPattern, parseCidr } from "./scan.ts";

/**
 * What the confidentiality scan counts as internal beyond what it always knows (site_settings key
 * "publishing"): host name patterns and IP ranges. The defaults are the suffixes no public name
 * can end in; the company's own domain is not among them, because its public website lives there
 * too: an admin adds "intranet.northwind.com" or "*.corp.northwind.com" by name. The private
 * address ranges are always internal and need no setting (scan.ts).
 */
export interface PublishingSettings {
  /** "*.corp" (any name under corp), "intranet.northwind.com" (that name), "localhost". Lower case. */
  internalHosts: string[];
  /** CIDR ranges ("203.0.113.0/24") or single addresses, beyond the private ranges. */
  internalIpRanges: string[];
}

export const DEFAULT_PUBLISHING_SETTINGS: PublishingSettings = {
  internalHosts: ["*.internal", "*.corp", "*.lan", "*.local", "*.intranet", "localhost"],
  internalIpRanges: [],
};

const KEY = "publishing";
export const MAX_PATTERNS = 200;

/** A textarea (one entry a line) or a list: trimmed, blank lines dropped, lower-cased, each once. */
const entries = z
  .union([z.string(), z.array(z.string())], { error: "Enter one entry a line." })
  .transform((value) => [...new Set((Array.isArray(value) ? value : value.split(/\r?\n/)).map((line) => line.trim().toLowerCase()).filter(Boolean))]);

export const PublishingSettingsSchema = z.object({
  internalHosts: entries.superRefine((hosts, ctx) => {
    if (hosts.length > MAX_PATTERNS) ctx.addIssue({ code: "custom", message: `At most ${MAX_PATTERNS} host patterns.` });
    const bad = hosts.find((host) => !isHostPattern(host));
    if (bad !== undefined) {
      ctx.addIssue({ code: "custom", message: `“${clip(bad)}” is not a host pattern: write a name like intranet.northwind.com, or *.corp for every name under corp.` });
    }
  }),
  internalIpRanges: entries.superRefine((ranges, ctx) => {
    if (ranges.length > MAX_PATTERNS) ctx.addIssue({ code: "custom", message: `At most ${MAX_PATTERNS} IP ranges.` });
    for (const value of ranges) {
      const range = parseCidr(value);
      if (!range) {
        ctx.addIssue({ code: "custom", message: `“${clip(value)}” is not an IP range: write one like 10.20.0.0/16 or 2001:db8::/32, or a single address.` });
        return;
      }
      // Wider than this, a range takes in much of the public internet: every address in it would be flagged.
      const widest = range.bytes.length === 4 ? 8 : 16;
      if (range.prefix < widest) {
        ctx.addIssue({ code: "custom", message: `“${clip(value)}” is wider than a /${widest}: it would flag public addresses too.` });
        return;
      }
    }
  }),
});
export type PublishingSettingsInput = z.input<typeof PublishingSettingsSchema>;

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** The settings as stored, each field falling back to its default when missing or unreadable. */
export async function publishingSettings(db: Db | Tx): Promise<PublishingSettings> {
  const [row] = await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, KEY));
  const stored = (row?.value ?? {}) as Record<string, unknown>;
  const field = <K extends keyof PublishingSettings>(key: K): PublishingSettings[K] => {
    const parsed = PublishingSettingsSchema.shape[key].safeParse(stored[key]);
    return parsed.success ? parsed.data : DEFAULT_PUBLISHING_SETTINGS[key];
  };
  return { internalHosts: field("internalHosts"), internalIpRanges: field("internalIpRanges") };
}

function requireAdmin(actor: Actor): void {
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt) throw new ForbiddenError("Only admins change what the confidentiality scan counts as internal.");
}

/**
 * Stores new settings (admins only). Entries come as a textarea's text, one a line, or as lists; a
 * bad entry is an InputError on its field ("internalHosts", "internalIpRanges") naming it.
 */
export async function savePublishingSettings(db: Db | Tx, actor: Actor, input: PublishingSettingsInput): Promise<PublishingSettings> {
  requireAdmin(actor);
  const parsed = PublishingSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
    throw new InputError("Check the patterns and ranges.", fieldErrors);
  }
  const value: PublishingSettings = parsed.data;
  await db
    .insert(siteSettings)
    .values({ key: KEY, value, updatedById: actor.id })
    .onConflictDoUpdate({ target: siteSettings.key, set: { value, updatedById: actor.id, updatedAt: new Date() } });
  return value;
}
