import { data } from "react-router";
import type { Db } from "#db/client.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm } from "#app/lib/forms.ts";
import { AddMemberSchema, MemberRoleSchema, MemberSchema } from "./space-schema.ts";
import { addSpaceMember, removeSpaceMember, setSpaceMemberRole } from "./spaces.server.ts";
import type { Actor, Space } from "./visibility.server.ts";

export const MEMBER_INTENTS = ["add-member", "set-role", "remove-member"] as const;
export type MemberIntent = (typeof MEMBER_INTENTS)[number];

export function isMemberIntent(intent: string): intent is MemberIntent {
  return (MEMBER_INTENTS as readonly string[]).includes(intent);
}

/**
 * The member forms' action, shared by the admin space page and the moderators' members page:
 * both call the same feature functions, which check `canManageSpace` themselves.
 */
export async function memberAction(db: Db, actor: Actor, space: Pick<Space, "id" | "name">, intent: MemberIntent, formData: FormData) {
  const fail = (failure: { fieldErrors: Record<string, string | undefined>; formError?: string | undefined; values: Record<string, string> }) =>
    data({ intent, ok: false as const, fieldErrors: failure.fieldErrors, formError: failure.formError, values: failure.values }, { status: 400 });
  const done = (notice: string) => ({ intent, ok: true as const, notice, at: Date.now() });

  if (intent === "add-member") {
    const parsed = parseForm(AddMemberSchema, formData);
    if (!parsed.ok) return fail(parsed);
    const result = await attempt(parsed.values, () => addSpaceMember(db, actor, space.id, parsed.data));
    return result.ok ? done(`${result.result.name} was added to ${space.name}.`) : fail(result);
  }
  if (intent === "set-role") {
    const parsed = parseForm(MemberRoleSchema, formData);
    if (!parsed.ok) return fail(parsed);
    const result = await attempt(parsed.values, () => setSpaceMemberRole(db, actor, space.id, parsed.data.userId, parsed.data.role));
    return result.ok ? done("Role updated.") : fail(result);
  }
  const parsed = parseForm(MemberSchema, formData);
  if (!parsed.ok) return fail(parsed);
  await removeSpaceMember(db, actor, space.id, parsed.data.userId);
  return done("Removed from the space.");
}
