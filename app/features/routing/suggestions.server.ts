import { sql } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import type { Db } from "#db/client.server.ts";
import { availableSql, expertsForQuestion } from "#app/features/expertise/experts.server.ts";
import { expertiseSettings } from "#app/features/expertise/settings.server.ts";
import { type Actor, userSeesSpaceSql } from "#app/features/spaces/visibility.server.ts";
import { intArray } from "#db/sql-params.ts";
import { ts } from "./deliver.server.ts";

/**
 * "People who could answer" on a question page (docs/routing.md): up to three experts for the
 * reader, from the model (`expertsForQuestion`, with the reader's view of the evidence), each with
 * their evidence in one line. Only people who could take the question now: active, available,
 * under the weekly limit, able to see its space, and never the reader or its author. The page
 * streams it, so it never waits for this.
 */

export type QuestionExpert = { id: number; name: string; title: string; department: string; why: string; askedByYou: boolean };

const SHOWN = 3;

export async function questionExperts(
  db: Db,
  search: Meilisearch | null,
  actor: Actor,
  questionId: number,
  options: { now?: Date; prefix?: string; onError?: (error: unknown) => void } = {},
): Promise<QuestionExpert[]> {
  const now = options.now ?? new Date();
  // The caller has loaded the question for this reader (its page's 404 already happened).
  const [q] = await db.execute<{ title: string; body: string; space_id: number; author_id: number; tag_ids: number[] | null }>(sql`
    select coalesce(q.title, '') as title, q.body, q.space_id, q.author_id,
           (select array_agg(qt.tag_id order by qt.tag_id) from question_tags qt where qt.post_id = q.id) as tag_ids
      from posts q where q.id = ${questionId}`);
  if (!q) return [];
  const exclude = [actor.id];
  const [ranked, settings] = await Promise.all([
    expertsForQuestion(
      db,
      search,
      actor,
      { id: questionId, title: q.title, body: q.body, tagIds: (q.tag_ids ?? []).map(Number), authorId: Number(q.author_id) },
      { limit: 12, exclude, now, prefix: options.prefix, onError: options.onError },
    ),
    expertiseSettings(db),
  ]);
  if (ranked.length === 0) return [];
  // Who of them could take it (sees the space, available, under the week's limit), and whom this
  // reader has asked already: they stay, marked, even when that ask filled their week.
  const rows = await db.execute<{ id: number; asked: boolean; load: number }>(sql`
    select u.id,
           exists (select 1 from question_routes r where r.question_id = ${questionId} and r.user_id = u.id and r.asked_by_id = ${actor.id}) as asked,
           (select count(*)::int from question_routes w where w.user_id = u.id and w.routed_at > ${ts(new Date(now.getTime() - 7 * 86_400_000))} and w.routed_at <= ${ts(now)}) as load
      from users u join spaces s on s.id = ${q.space_id}
     where u.id = any(${intArray(ranked.map((r) => r.id))}) and ${userSeesSpaceSql} and u.email_verified_at is not null and ${availableSql(now)}`);
  const ok = new Map(rows.filter((r) => r.asked === true || Number(r.load) < settings.routing.weeklyLimit).map((r) => [Number(r.id), r.asked === true]));
  return ranked
    .filter((r) => ok.has(r.id))
    .slice(0, SHOWN)
    .map((r) => ({ id: r.id, name: r.name, title: r.title, department: r.department, why: r.why, askedByYou: ok.get(r.id)! }));
}
