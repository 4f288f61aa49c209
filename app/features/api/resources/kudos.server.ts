import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "#db/client.server.ts";
import { articles, companyValues, ideas, kudos, posts, spaces, users, wikiPages } from "#db/schema/index.ts";
import { kudosPage } from "#app/features/recognition/feeds.server.ts";
import { giveKudos, GiveKudosSchema, kudosUrl, kudosVisibleTo } from "#app/features/recognition/kudos.server.ts";
import { activeValues } from "#app/features/recognition/values.server.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { InputError } from "#app/lib/errors.ts";
import { type AnyEndpoint, endpoint, PageQuery, pageOf, PersonRef } from "../endpoint.server.ts";
import { absolute, beforeTime, cursorTime, decodeCursor, IdParams, iso, isoOrNull, IsoTime, keysetPage, personRef, personRefs, TimeCursor } from "./shared.server.ts";

/**
 * Kudos (issue 21, REST API): the feed the token's owner may see, one kudos, and giving one.
 * Every list and read goes through `kudosVisibleTo` and `kudosPage`, THE rule of who sees a kudos
 * (a private one only its giver, its receivers and their managers), and the thing a kudos thanks
 * is named only when the reader may see it (`describeItems`). Giving goes through `giveKudos` with
 * its own schema, so the allowance, the receivers' rules, notifications and mail all follow; a
 * give past the month's allowance is a 400 with the form's message.
 */

const TAG = "Kudos";

/** What a kudos can thank, by the names the API uses for them. */
const SUBJECT_TYPES = ["question", "answer", "idea", "page", "article"] as const;
type SubjectType = (typeof SUBJECT_TYPES)[number];
const KIND_OF: Record<SubjectType, string> = { question: "question", answer: "answer", idea: "idea", page: "wiki_page", article: "article" };
const TYPE_OF = Object.fromEntries(Object.entries(KIND_OF).map(([type, kind]) => [kind, type])) as Record<string, SubjectType>;

const KudosItem = z.object({
  id: z.number().int(),
  createdAt: IsoTime,
  message: z.string().meta({ description: "The message as written (markdown)." }),
  messageHtml: z.string().meta({ description: "The message rendered and sanitized, as the feed shows it." }),
  private: z.boolean().meta({ description: "Seen only by the giver, the receivers and the receivers' managers." }),
  pointsEach: z.number().int(),
  totalPoints: z.number().int(),
  plusOneCount: z.number().int(),
  commentCount: z.number().int(),
  withdrawn: z.boolean(),
  giver: PersonRef,
  receivers: z.array(PersonRef),
  value: z.object({ id: z.number().int(), name: z.string(), emoji: z.string() }),
  /** The thing it thanks, when the token's owner may see it. */
  subject: z.object({ type: z.enum(SUBJECT_TYPES), id: z.number().int(), title: z.string(), url: z.string() }).nullable(),
  space: z.object({ slug: z.string(), name: z.string(), companyWide: z.boolean() }),
  url: z.string(),
});
type KudosItemInput = z.input<typeof KudosItem>;

const KudosDetail = KudosItem.extend({
  gifts: z.array(z.object({ giver: PersonRef, pointsEach: z.number().int(), message: z.string(), createdAt: IsoTime, reversed: z.boolean() })),
  /** A withdrawn kudos shows only to the people it concerned, with the reason. */
  withdrawal: z.object({ at: IsoTime, reason: z.string() }).nullable(),
});

/**
 * The kudos with these ids as API items, in this order. The caller has already decided the reader
 * may see each one; the thing thanked is named only if the reader may see it too.
 */
async function kudosItems(db: Db | Tx, actor: Actor, ids: readonly number[]): Promise<KudosItemInput[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: kudos.id,
      createdAt: kudos.createdAt,
      message: kudos.message,
      messageHtml: kudos.messageHtml,
      private: kudos.private,
      pointsEach: kudos.pointsEach,
      totalPoints: kudos.totalPoints,
      plusOneCount: kudos.plusOneCount,
      commentCount: kudos.commentCount,
      deletedAt: kudos.deletedAt,
      subjectItemId: kudos.subjectItemId,
      giver: { id: users.id, name: users.name, title: users.title },
      value: { id: companyValues.id, name: companyValues.name, emoji: companyValues.emoji },
      space: { slug: spaces.slug, name: spaces.name, companyWide: spaces.companyWide },
      receivers: sql<Array<{ id: number; name: string; title: string }>>`coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name, 'title', u.title) order by u.name, u.id)
        from kudos_receivers r join users u on u.id = r.user_id where r.kudos_id = ${kudos.id}), '[]'::json)`,
    })
    .from(kudos)
    .innerJoin(users, eq(users.id, kudos.giverId))
    .innerJoin(companyValues, eq(companyValues.id, kudos.valueId))
    .innerJoin(spaces, eq(spaces.id, kudos.spaceId))
    .where(inArray(kudos.id, [...ids]));
  const subjects = await describeItems(
    db,
    actor,
    rows.flatMap((r) => (r.subjectItemId ? [r.subjectItemId] : [])),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const s = r.subjectItemId ? subjects.get(r.subjectItemId) : undefined;
    const type = s ? TYPE_OF[s.kind] : undefined;
    return [
      {
        id: r.id,
        createdAt: iso(r.createdAt),
        message: r.message,
        messageHtml: r.messageHtml,
        private: r.private,
        pointsEach: r.pointsEach,
        totalPoints: r.totalPoints,
        plusOneCount: r.plusOneCount,
        commentCount: r.commentCount,
        withdrawn: r.deletedAt !== null,
        giver: personRef(r.giver),
        receivers: r.receivers.map(personRef),
        value: r.value,
        subject: s && type && !s.deleted ? { type, id: s.contentId, title: s.title, url: absolute(s.url) } : null,
        space: r.space,
        url: absolute(kudosUrl(r)),
      },
    ];
  });
}

// ---- reading -----------------------------------------------------------------------------------

const FeedQuery = PageQuery.extend({
  show: z.enum(["all", "received", "given"]).default("all").meta({ description: "all: every kudos the token's owner may see; received, given: theirs (or `person`'s)." }),
  person: z.coerce.number().int().min(1).max(2_147_483_647).optional().meta({ description: "Whose kudos `received` and `given` mean (the token's owner by default)." }),
});

const listKudos = endpoint({
  method: "get",
  path: "/kudos",
  operationId: "listKudos",
  summary: "The kudos feed",
  description: "Kudos the token's owner may see, newest first: public kudos in spaces they may see, and private ones they gave, received or that went to people they manage.",
  tag: TAG,
  scope: "read",
  query: FeedQuery,
  response: pageOf(KudosItem),
  handler: async ({ db, user }, { query }) => {
    const after = decodeCursor(query.cursor, TimeCursor);
    const person = query.person ?? user.id;
    const conditions: Array<SQL | undefined> = [kudosVisibleTo(user), beforeTime(kudos.createdAt, kudos.id, after)];
    if (query.show === "received") conditions.push(sql`exists (select 1 from kudos_receivers fr where fr.kudos_id = ${kudos.id} and fr.user_id = ${person})`);
    if (query.show === "given") conditions.push(eq(kudos.giverId, person));
    const rows = await db
      .select({ id: kudos.id, at: cursorTime(kudos.createdAt) })
      .from(kudos)
      .where(and(...conditions))
      .orderBy(desc(kudos.createdAt), desc(kudos.id))
      .limit(query.limit + 1);
    const page = keysetPage(
      rows,
      query.limit,
      (last) => ({ t: last.at, id: last.id }),
      (r) => r.id,
    );
    return { data: await kudosItems(db, user, page.data), nextCursor: page.nextCursor };
  },
});

const getKudos = endpoint({
  method: "get",
  path: "/kudos/{id}",
  operationId: "getKudos",
  summary: "One kudos",
  description: "The kudos with every gift of points on it. A withdrawn kudos answers only the people it concerned (with the reason); to everyone else it is a 404.",
  tag: TAG,
  scope: "read",
  params: IdParams,
  response: KudosDetail,
  handler: async ({ db, user }, { params }) => {
    const page = await kudosPage(db, user, params.id);
    const [[item], givers] = await Promise.all([
      kudosItems(db, user, [params.id]),
      personRefs(
        db,
        page.gifts.map((g) => g.giver.id),
      ),
    ]);
    return {
      ...item!,
      gifts: page.gifts.map((g) => ({ giver: givers.get(g.giver.id)!, pointsEach: g.pointsEach, message: g.message, createdAt: iso(g.createdAt), reversed: g.reversed })),
      withdrawal: page.withdrawal ? { at: isoOrNull(page.withdrawal.at)!, reason: page.withdrawal.reason } : null,
    };
  },
});

const listValues = endpoint({
  method: "get",
  path: "/company-values",
  operationId: "listCompanyValues",
  summary: "The company's values",
  description: "The values a kudos can be given for (`valueId` when giving one), in the admins' order.",
  tag: TAG,
  scope: "read",
  response: z.object({ data: z.array(z.object({ id: z.number().int(), name: z.string(), emoji: z.string(), description: z.string() })) }),
  handler: async ({ db }) => ({ data: await activeValues(db) }),
});

// ---- giving ------------------------------------------------------------------------------------

/**
 * Giving kudos: the give form's feature schema (receivers by id, the value, points each, the
 * message, private), with the thing it thanks named as the API names things (`{ type, id }`)
 * rather than by its internal item.
 */
const GiveKudosBody = GiveKudosSchema.omit({ subjectItemId: true }).extend({
  subject: z
    .object({ type: z.enum(SUBJECT_TYPES), id: z.number().int().min(1).max(2_147_483_647) })
    .optional()
    .meta({ description: "What it thanks: an answer, a question, a page, an article or an idea the giver may see. Without it, the kudos is company-wide." }),
});

/** The social layer's item of the thing a kudos thanks; giveKudos then checks the giver may see it. */
async function subjectItemId(db: Db, subject: { type: SubjectType; id: number } | undefined): Promise<number | null> {
  if (!subject) return null;
  const { type, id } = subject;
  const [row] =
    type === "question" || type === "answer"
      ? await db
          .select({ itemId: posts.itemId })
          .from(posts)
          .where(and(eq(posts.id, id), eq(posts.type, type)))
      : type === "idea"
        ? await db.select({ itemId: ideas.itemId }).from(ideas).where(eq(ideas.id, id))
        : type === "page"
          ? await db.select({ itemId: wikiPages.itemId }).from(wikiPages).where(eq(wikiPages.id, id))
          : await db.select({ itemId: articles.itemId }).from(articles).where(eq(articles.id, id));
  // The same words as for a thing the giver may not see: a missing one gives nothing away.
  if (!row) throw InputError.field("subject", "That item no longer exists, or you can't see it.");
  return row.itemId;
}

const giveKudosEndpoint = endpoint({
  method: "post",
  path: "/kudos",
  operationId: "giveKudos",
  summary: "Give kudos",
  description:
    "Thanks one to twenty colleagues (`receiverIds`, from /people) for one of the company's values (`valueId`, from /company-values) with `pointsEach` points from the giver's monthly allowance. The same rules as the give form: a message of at most 2,000 characters, never to oneself, receivers who can see the space of the thing thanked, and no more points than the allowance has left (a 400 saying how many are left). A `submissionKey` makes a retry find the first kudos.",
  tag: TAG,
  scope: "write",
  body: GiveKudosBody,
  response: z.object({ kudos: KudosItem, allowanceLeft: z.number().int().meta({ description: "Points left in the giver's allowance this month." }) }),
  status: 201,
  handler: async ({ db, user }, { body }) => {
    const { subject, ...rest } = body;
    const given = await giveKudos(db, user, { ...rest, subjectItemId: await subjectItemId(db, subject) }).catch((error: unknown) => {
      // The feature names the thing thanked by its item; the API calls that field `subject`.
      if (error instanceof InputError && error.fieldErrors.subjectItemId) throw InputError.field("subject", error.fieldErrors.subjectItemId);
      throw error;
    });
    const [item] = await kudosItems(db, user, [given.id]);
    return { kudos: item!, allowanceLeft: given.left };
  },
});

export const kudosEndpoints: AnyEndpoint[] = [listKudos, getKudos, listValues, giveKudosEndpoint];
