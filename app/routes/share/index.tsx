import { data, href, Link } from "react-router";
import type { Route } from "./+types/index";
import { requireEmployee } from "#app/features/auth/session.server.ts";
import { canCurate } from "#app/features/share/curators.server.ts";
import { activeKits, KITS_PER_PAGE } from "#app/features/share/kits.server.ts";
import { isOnLeaderboard, leaderboard, myReach, REACH_ITEMS_SHOWN, setOnLeaderboard } from "#app/features/share/reach.server.ts";
import { pageParam, readForm } from "#app/lib/forms.ts";
import { ButtonLink } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { EmptyState } from "#app/components/empty-state.tsx";
import { Notice } from "#app/components/form.tsx";
import { ForumDeskNav } from "#app/components/forum-desk/desk-nav.tsx";
import { PageHeader } from "#app/components/page-header.tsx";
import { Pagination } from "#app/components/pagination.tsx";
import { deskHide } from "#app/components/share/desk.ts";
import { Leaderboard, MyReach } from "#app/components/share/reach.tsx";

export function meta(_: Route.MetaArgs) {
  return [{ title: "Share kits · Commons" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const actor = await requireEmployee(context, request);
  const page = pageParam(new URL(request.url));
  const now = new Date();
  const [curate, kits, reach, board, onBoard] = await Promise.all([
    canCurate(context.db, actor),
    activeKits(context.db, page),
    myReach(context.db, actor, now),
    leaderboard(context.db, now),
    isOnLeaderboard(context.db, actor),
  ]);
  return { curate, isAdmin: actor.role === "admin", kits, pageSize: KITS_PER_PAGE, reach, reachShown: REACH_ITEMS_SHOWN, board, onBoard, me: actor.id, hide: deskHide(actor) };
}

/** intent=join|leave: the reader's own place on the leaderboard. */
export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireEmployee(context, request);
  const intent = (await readForm(request)).get("intent");
  if (intent !== "join" && intent !== "leave") throw data("Unknown action", { status: 400 });
  await setOnLeaderboard(context.db, actor, intent === "join");
  return { notice: intent === "join" ? "You appear on the leaderboard now." : "You have left the leaderboard." };
}

export default function Share({ loaderData, actionData }: Route.ComponentProps) {
  const { curate, isAdmin, kits, pageSize, reach, reachShown, board, onBoard, me, hide } = loaderData;
  return (
    <div className="mx-auto max-w-5xl">
      <ForumDeskNav hide={hide} />
      <PageHeader
        title="Share kits"
        description="Forum threads and articles worth sharing, picked by our communications team. Get your own link for each; it counts clicks, and keeps nothing about who clicked."
        actions={
          <>
            {isAdmin ? <ButtonLink to={href("/share/curators")}>Curators</ButtonLink> : null}
            {curate ? (
              <ButtonLink to={href("/share/kits/new")} variant="primary">
                New kit
              </ButtonLink>
            ) : null}
          </>
        }
      />
      <Notice message={actionData?.notice} />
      <section aria-labelledby="kits-heading" className="mb-8">
        <h2 id="kits-heading" className="mb-3 text-lg font-semibold text-slate-900">
          Kits
        </h2>
        {kits.kits.length === 0 ? (
          <EmptyState title="No share kits right now">{curate ? "Start one with “New kit”." : "When the communications team puts one together, it appears here."}</EmptyState>
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2">
            {kits.kits.map((kit) => (
              <Card as="li" key={kit.id} className="p-5">
                <h3 className="text-base font-semibold text-slate-900">
                  <Link to={href("/share/kits/:kitId", { kitId: String(kit.id) })} className="hover:underline">
                    {kit.title}
                  </Link>
                </h3>
                {kit.descriptionHtml ? <div className="prose-commons mt-2 line-clamp-4 text-sm" dangerouslySetInnerHTML={{ __html: kit.descriptionHtml }} /> : null}
                <p className="mt-3 text-xs text-slate-600">
                  {kit.itemCount} {kit.itemCount === 1 ? "item" : "items"} · {kit.clicks.toLocaleString("en")} {kit.clicks === 1 ? "click" : "clicks"} in all
                </p>
              </Card>
            ))}
          </ul>
        )}
        <Pagination offset={kits.offset} pageSize={pageSize} total={kits.total} shown={kits.kits.length} pageHref={(p) => `${href("/share")}?page=${p}`} label="Kit pages" />
      </section>
      <div className="grid gap-6">
        <MyReach reach={reach} shown={reachShown} />
        <Leaderboard rows={board} onBoard={onBoard} me={me} />
      </div>
    </div>
  );
}
