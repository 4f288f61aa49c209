import type { Route } from "./+types/similar-ideas";
import { employeeJson } from "#app/features/auth/session.server.ts";
import { loadCampaign } from "#app/features/ideas/access.server.ts";
import { similarIdeas } from "#app/features/search/search.server.ts";
import type { SimilarIdea } from "#app/features/search/search-params.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { idParam } from "#app/lib/ids.ts";

export type SimilarIdeasAnswer = { status: "ok"; ideas: SimilarIdea[] } | { status: "unavailable" } | { error: string };

/**
 * Ideas like the title being typed on a campaign's submission form:
 * `GET /api/similar-ideas?campaign=12&q=…` → `{ status: "ok", ideas: SimilarIdea[] }` (at most 5 of
 * that campaign, merged ones left out; an empty list for a title too short to search). A campaign
 * the user may not see answers 404, the same as one that does not exist; `{ status: "unavailable" }`
 * with a 503 (never cached) when Meilisearch is down or slow; a fetch that is not signed in gets a 401.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  let status = 200;
  const response = await employeeJson(context, request, async (user): Promise<SimilarIdeasAnswer> => {
    const url = new URL(request.url);
    const campaign = await loadCampaign(context.db, user, idParam(url.searchParams.get("campaign"))).then(
      (access) => access.campaign,
      (error: unknown) => {
        if (!(error instanceof NotFoundError)) throw error;
        return null;
      },
    );
    if (!campaign) {
      status = 404;
      return { error: "There is no such campaign." };
    }
    const ideas = await similarIdeas(context.db, context.search, user, campaign, url.searchParams.get("q") ?? "", {
      onError: (error) => context.log.warn({ err: error }, "similar ideas: search unavailable"),
    });
    if (ideas === null) {
      status = 503;
      return { status: "unavailable" };
    }
    return { status: "ok", ideas };
  });
  if (status === 200) return response;
  response.headers.set("Cache-Control", "no-store");
  return new Response(response.body, { status, headers: response.headers });
}
