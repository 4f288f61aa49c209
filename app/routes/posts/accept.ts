import { data, redirect } from "react-router";
import type { Route } from "./+types/accept";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { loadPost } from "#app/features/qa/access.server.ts";
import { acceptAnswer, unacceptAnswer } from "#app/features/qa/accept.server.ts";
import { idParam } from "#app/lib/ids.ts";
import { postPermalink } from "#app/features/qa/votes.server.ts";
import { readForm } from "#app/lib/forms.ts";

/**
 * POST /posts/:answerId/accept with `intent` = accept | unaccept. The accept button posts here
 * through a fetcher (`_fetcher=1`, JSON back, the page revalidates); without JavaScript the
 * browser is sent back to the answer.
 */
export async function action({ request, context, params }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const answerId = idParam(params.postId);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "accept") {
    await acceptAnswer(context.db, actor, answerId);
  } else if (intent === "unaccept") {
    const { post } = await loadPost(context.db, actor, answerId, { type: "answer" });
    await unacceptAnswer(context.db, actor, post.parentId!, { answerId });
  } else {
    throw data("Unknown action", { status: 400 });
  }
  if (form.get("_fetcher") === "1") return { ok: true as const, accepted: intent === "accept" };
  throw redirect(await postPermalink(context.db, actor, answerId));
}
