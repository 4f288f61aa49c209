import { data, redirect } from "react-router";
import type { Db } from "#db/client.server.ts";
import type { ReputationActor } from "#app/features/reputation/rules.server.ts";
import { attempt, NotFoundError } from "#app/lib/errors.ts";
import { parseForm } from "#app/lib/forms.ts";
import { idParam } from "#app/lib/ids.ts";
import { COMMENT_INTENTS, type CommentIntent, CommentSchema } from "./comment-schema.ts";
import { addComment, deleteComment, undeleteComment } from "./comments.server.ts";

function isCommentIntent(intent: unknown): intent is CommentIntent {
  return (COMMENT_INTENTS as readonly unknown[]).includes(intent);
}

/**
 * The comment intents of a page's action (CommentList's forms), the same on every kind's page:
 * "comment" adds one (on bad input the form failure comes back with the typed text, as
 * `{ intent, itemId, ...failure }` with a 400, for the list to show under the right item);
 * "delete-comment" and "undelete-comment" toggle one. Success redirects to the comment on its page.
 * Returns null when the form's intent is not one of these, so the page handles its own.
 */
export async function commentAction(db: Db, actor: ReputationActor, form: FormData) {
  const intent = form.get("intent");
  if (!isCommentIntent(intent)) return null;
  if (intent === "comment") {
    // A missing or forged item is not there to comment on: the same 404 as a hidden one.
    if (Number.isNaN(idParam(form.get("itemId")))) throw new NotFoundError();
    const parsed = parseForm(CommentSchema, form);
    const result = parsed.ok ? await attempt(parsed.values, () => addComment(db, actor, parsed.data.itemId, parsed.data)) : parsed;
    if (!result.ok) return data({ ...result, intent, itemId: idParam(form.get("itemId")) }, { status: 400 });
    throw redirect(result.result.pageUrl);
  }
  // A missing or malformed id is a comment that is not there: the feature answers 404.
  const { pageUrl } = await (intent === "delete-comment" ? deleteComment : undeleteComment)(db, actor, idParam(form.get("commentId")));
  throw redirect(pageUrl);
}
