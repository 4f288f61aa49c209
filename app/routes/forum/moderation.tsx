import { z } from "zod";
import { data, redirect } from "react-router";
import type { Route } from "./+types/moderation";
import { requireRole } from "#app/features/auth/session.server.ts";
import { decidePending, dismissFlags, moderationPage, removeFlaggedPost } from "#app/features/forum-queue/moderation.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";
import { IdSchema } from "#app/lib/ids.ts";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { FlaggedList, PendingList } from "#app/components/forum-desk/queue-moderation.tsx";
import { FormError } from "#app/components/form.tsx";
import { PageHeader } from "#app/components/page-header.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Moderation · Forum desk · Commons" }];
}

const MODERATORS = ["moderator", "admin"] as const;

function pageOf(url: URL, name: string): number {
  const n = Number(url.searchParams.get(name) ?? "1");
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** `/forum/moderation`: new accounts' first posts and customers' flags. Moderators and admins; anyone else a 404. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireRole(context, request, MODERATORS);
  const url = new URL(request.url);
  return { ...(await moderationPage(context.db, actor, { pendingPage: pageOf(url, "pending"), flagsPage: pageOf(url, "flags") })), now: Date.now() };
}

const PendingSchema = z.object({ kind: z.enum(["thread", "comment"]), id: IdSchema });
const optionalId = z.preprocess((v) => (v === "" || v === undefined ? null : v), IdSchema.nullable());
const FlagSchema = z.object({ threadId: IdSchema, answerId: optionalId, commentId: optionalId });

/** intent=let-through | remove-pending (kind, id) or remove-post | dismiss-flags (threadId, answerId?, commentId?). */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireRole(context, request, MODERATORS);
  const form = await readForm(request);
  const intent = form.get("intent");
  let result;
  if (intent === "let-through" || intent === "remove-pending") {
    const parsed = parseForm(PendingSchema, form);
    const decision = intent === "let-through" ? "visible" : "removed";
    result = parsed.ok ? await attempt(parsed.values, () => decidePending(context.db, context.search, actor, { ...parsed.data, decision })) : parsed;
  } else if (intent === "remove-post" || intent === "dismiss-flags") {
    const parsed = parseForm(FlagSchema, form);
    result = parsed.ok ? await attempt(parsed.values, () => (intent === "remove-post" ? removeFlaggedPost : dismissFlags)(context.db, actor, parsed.data)) : parsed;
  } else throw data("Unknown action", { status: 400 });
  if (!result.ok) return data({ ...result, formError: result.formError ?? "That post could not be found: reload the page." }, { status: 400 });
  const url = new URL(request.url);
  throw redirect(url.pathname + url.search);
}

export default function ForumModeration({ loaderData, actionData }: Route.ComponentProps) {
  const { pending, pendingTotal, pendingOffset, flags, flagsTotal, flagsOffset, pageSize, now } = loaderData;
  return (
    <div className="mx-auto max-w-4xl">
      <ForumDeskNav />
      <PageHeader
        title="Forum moderation"
        description="A new customer's first post waits here until a moderator lets it through; after that their posts go straight out. Customers' flags come here too."
      />
      <FormError message={actionData && !actionData.ok ? actionData.formError : undefined} />
      <PendingList rows={pending} total={pendingTotal} offset={pendingOffset} pageSize={pageSize} now={now} />
      <FlaggedList rows={flags} total={flagsTotal} offset={flagsOffset} pageSize={pageSize} now={now} />
    </div>
  );
}
