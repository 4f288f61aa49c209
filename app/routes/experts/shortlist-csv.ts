import type { Route } from "./+types/shortlist-csv";
import { requireRole } from "#app/features/auth/session.server.ts";
import { parseTopics, ShortlistSchema } from "#app/features/expertise/directory-params.ts";
import { shortlistCsv } from "#app/features/expertise/directory.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { parseForm, readForm } from "#app/lib/forms.ts";

/**
 * `POST /experts/shortlist.csv` (`id` once per person, `topic` the topics searched): HR's
 * shortlist from the experts page as a spreadsheet. HR and admins only (404 for anyone else, as
 * HR's other pages). Only a POST exports: the export writes a line in each person's HR view log,
 * which a link or a prefetch must never do.
 */
function plain(message: string, status: number, headers: Record<string, string> = {}) {
  return new Response(message, { status, headers: { "Content-Type": "text/plain; charset=utf-8", ...headers } });
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireRole(context, request, ["hr", "admin"]);
  return plain("Export a shortlist from the experts page: tick the people, then “Export shortlist (CSV)”.", 405, { Allow: "POST" });
}

export async function action({ request, context }: Route.ActionArgs) {
  const actor = await requireRole(context, request, ["hr", "admin"]);
  const parsed = parseForm(ShortlistSchema, await readForm(request));
  if (!parsed.ok) return plain(`${Object.values(parsed.fieldErrors)[0] ?? parsed.formError ?? "The form could not be read."} Go back to the experts page and try again.`, 400);
  const result = await attempt(parsed.values, () => shortlistCsv(context.db, actor, parsed.data.id, parseTopics(parsed.data.topic ?? "")));
  if (!result.ok) return plain(`${result.formError ?? "Nothing to export."}`, 400);
  return new Response(result.result.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${result.result.filename}"`,
      // People's names and addresses: no shared cache keeps them.
      "Cache-Control": "private, no-store",
    },
  });
}
