import { eq } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { siteSettings } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError } from "#app/lib/errors.ts";
import type { EscalationSettings } from "./model.ts";
import { EscalationSettingsSchema, readEscalationSettings } from "./settings-form.ts";

/** The escalation rules' settings (site_settings "forum_escalation"); defaults in model.ts. */
const KEY = "forum_escalation";

export async function escalationSettings(db: Db | Tx): Promise<EscalationSettings> {
  const [row] = await db.select({ value: siteSettings.value }).from(siteSettings).where(eq(siteSettings.key, KEY));
  return readEscalationSettings(row?.value);
}

/** Admins only; the form has validated the values, the stored shape is checked again here. */
export async function saveEscalationSettings(db: Db | Tx, actor: Actor, settings: EscalationSettings): Promise<EscalationSettings> {
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt) throw new ForbiddenError("Only admins change the escalation rules.");
  const value = EscalationSettingsSchema.parse(settings);
  await db
    .insert(siteSettings)
    .values({ key: KEY, value, updatedById: actor.id })
    .onConflictDoUpdate({ target: siteSettings.key, set: { value, updatedById: actor.id, updatedAt: new Date() } });
  return value;
}
