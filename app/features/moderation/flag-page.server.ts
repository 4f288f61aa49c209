import { data, redirect } from "react-router";
import { type RequestContext, requireEmployee } from "#app/features/auth/session.server.ts";
import { withNotice } from "#app/features/qa/question-url.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { FlagSchema, type FlagTarget } from "./flag-schema.ts";
import { flagComment, flagFormTarget, flagItem } from "./flags.server.ts";

/**
 * The flag page's loader and action, shared by its two routes (an item of any kind, a comment):
 * only what is flagged differs. Someone who may not see the target gets the same 404 as for a missing one.
 */

export async function flagPage(context: RequestContext, request: Request, target: FlagTarget) {
  const actor = await requireEmployee(context, request);
  return { target: await flagFormTarget(context.db, actor, target) };
}

/** Files the flag and returns to the flagged item on its page (which says it was flagged), or the form with its errors. */
export async function submitFlag(context: RequestContext, request: Request, target: FlagTarget) {
  const actor = await requireEmployee(context, request);
  const form = await readForm(request);
  if (form.get("intent") !== "flag") throw data("Unknown action", { status: 400 });
  const parsed = parseForm(FlagSchema, form);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const flag = () => ("commentId" in target ? flagComment(context.db, actor, target.commentId, parsed.data) : flagItem(context.db, actor, target.itemId, parsed.data));
  const result = await attempt(parsed.values, flag);
  if (!result.ok) return data(result, { status: 400 });
  throw redirect(withNotice(result.result.url, "flagged"));
}
