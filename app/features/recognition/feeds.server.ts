import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { companyValues, kudos, kudosGifts, kudosLedger, spaces, users } from "#db/schema/index.ts";
import { commentsOn } from "#app/features/social/comments.server.ts";
import { plainExcerpt } from "#app/features/social/excerpt.ts";
import { describeItems } from "#app/features/social/kinds.server.ts";
import type { ItemKind } from "#app/features/social/kinds.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { KUDOS_SUBJECT_KINDS, kudosVisibleTo, loadKudos, type Receiver, receiversById } from "./kudos.server.ts";
import type { FeedShow } from "./kudos-schemas.ts";
import { allowanceOf, allowanceRuleSql, nextReset, periodOf } from "./points.server.ts";
import { activeValues } from "./values.server.ts";

/**
 * What people see of kudos: the feeds (the company's, a space's, a person's, a manager's team),
 * the kudos on a thing (an answer, a page, an idea), a profile's summary, one kudos's page, and a
 * person's points with their ledger in words. Every list goes through `kudosVisibleTo`, THE rule
 * of who sees a kudos (kudos.server.ts): a private kudos shows only to its giver, its receivers and
 * their managers, in every list and count here.
 *
 * A feed page is one query for its cards (receivers, add-on givers and the reader's +1 come with
 * each row), one per kind of thing thanked for titles (`describeItems`, so things the reader may
 * not see are never named), and a count when the page is full.
 */

export const FEED_PAGE_SIZE = 25;
export const STRIP_SIZE = 3;
export const LEDGER_PAGE_SIZE = 25;

type Person = { id: number; name: string };

/** One kudos as a card. `Time` is `Date` on the server; a component taking loader data also accepts strings. */
export type KudosCard<Time = Date> = {
  id: number;
  itemId: number;
  createdAt: Time;
  messageHtml: string;
  private: boolean;
  pointsEach: number;
  totalPoints: number;
  addOnCount: number;
  plusOneCount: number;
  commentCount: number;
  withdrawn: boolean;
  giver: Person;
  receivers: Person[];
  value: { id: number; name: string; emoji: string };
  /** Colleagues who added their own points. */
  addOns: Person[];
  /** The thing it thanks, when the reader may see it. */
  subject: { title: string; url: string; kind: ItemKind } | null;
  space: { slug: string; name: string; companyWide: boolean };
  myPlusOne: boolean;
};

export type KudosPage = { rows: KudosCard[]; total: number; offset: number; pageSize: number };

const peopleJson = (from: SQL) => sql<Person[]>`coalesce((select json_agg(json_build_object('id', p.id, 'name', p.name) order by p.name) from (${from}) p), '[]'::json)`;

function cardFields(actor: Actor) {
  return {
    id: kudos.id,
    itemId: kudos.itemId,
    createdAt: kudos.createdAt,
    messageHtml: kudos.messageHtml,
    private: kudos.private,
    pointsEach: kudos.pointsEach,
    totalPoints: kudos.totalPoints,
    addOnCount: kudos.addOnCount,
    plusOneCount: kudos.plusOneCount,
    commentCount: kudos.commentCount,
    subjectItemId: kudos.subjectItemId,
    withdrawn: sql<boolean>`${kudos.deletedAt} is not null`,
    giver: { id: users.id, name: users.name },
    value: { id: companyValues.id, name: companyValues.name, emoji: companyValues.emoji },
    space: { slug: spaces.slug, name: spaces.name, companyWide: spaces.companyWide },
    receivers: peopleJson(sql`select u.id, u.name from kudos_receivers r join users u on u.id = r.user_id where r.kudos_id = ${kudos.id}`),
    addOns: peopleJson(
      sql`select u.id, u.name from kudos_gifts g join users u on u.id = g.giver_id where g.kudos_id = ${kudos.id} and g.giver_id <> ${kudos.giverId} and g.reversed_at is null`,
    ),
    myPlusOne: sql<boolean>`exists (select 1 from votes v where v.item_id = ${kudos.itemId} and v.user_id = ${actor.id})`,
  };
}

/** The cards of the kudos whose ids `pageIds` selects, in feed order, with the things they thank named for the reader. */
async function cards(db: Db | Tx, actor: Actor, where: SQL, limit: number, offset: number): Promise<KudosCard[]> {
  const order = [desc(kudos.createdAt), desc(kudos.id)];
  // The page's ids first, from the kudos alone (the feed's index): names and counts are then read for those rows only.
  const pageIds = db
    .select({ id: kudos.id })
    .from(kudos)
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset)
    .as("page_ids");
  const rows = await db
    .select(cardFields(actor))
    .from(kudos)
    .innerJoin(pageIds, eq(pageIds.id, kudos.id))
    .innerJoin(users, eq(users.id, kudos.giverId))
    .innerJoin(companyValues, eq(companyValues.id, kudos.valueId))
    .innerJoin(spaces, eq(spaces.id, kudos.spaceId))
    .orderBy(...order);
  const subjects = await describeItems(
    db,
    actor,
    rows.flatMap((r) => (r.subjectItemId ? [r.subjectItemId] : [])),
  );
  return rows.map(({ subjectItemId, ...r }) => {
    const s = subjectItemId ? subjects.get(subjectItemId) : undefined;
    return { ...r, subject: s && !s.deleted ? { title: s.title, url: s.url, kind: s.kind } : null };
  });
}

export type KudosFeedInput = {
  show?: FeedShow;
  /** Whose kudos "received" and "given" mean (the reader by default). */
  personId?: number | undefined;
  /** Kudos given or received by the reader's direct reports. */
  team?: boolean;
  spaceId?: number | undefined;
  value?: number | undefined;
  item?: number | undefined;
  page: number;
  pageSize?: number;
};

/** Kudos received by, or given by, `userId`'s direct reports. */
function byTeamOf(userId: number): SQL {
  return sql`(${kudos.giverId} in (select t.id from users t where t.manager_id = ${userId})
    or exists (select 1 from kudos_receivers tr join users t on t.id = tr.user_id where tr.kudos_id = ${kudos.id} and t.manager_id = ${userId}))`;
}

function receivedBy(userId: number): SQL {
  return sql`exists (select 1 from kudos_receivers fr where fr.kudos_id = ${kudos.id} and fr.user_id = ${userId})`;
}

/** A page of the kudos the reader may see, newest first, narrowed by the input. */
export async function kudosFeed(db: Db | Tx, actor: Actor, input: KudosFeedInput): Promise<KudosPage> {
  const pageSize = input.pageSize ?? FEED_PAGE_SIZE;
  const offset = (Math.max(1, input.page) - 1) * pageSize;
  const person = input.personId ?? actor.id;
  const conditions: SQL[] = [kudosVisibleTo(actor)];
  if (input.show === "received") conditions.push(receivedBy(person));
  if (input.show === "given") conditions.push(eq(kudos.giverId, person));
  if (input.team) conditions.push(byTeamOf(actor.id));
  if (input.spaceId !== undefined) conditions.push(eq(kudos.spaceId, input.spaceId));
  if (input.value !== undefined) conditions.push(eq(kudos.valueId, input.value));
  if (input.item !== undefined) conditions.push(eq(kudos.subjectItemId, input.item));
  const where = and(...conditions)!;
  const rows = await cards(db, actor, where, pageSize, offset);
  const lastPage = rows.length < pageSize && (rows.length > 0 || offset === 0);
  const total = lastPage ? offset + rows.length : await db.$count(kudos, where);
  return { rows, total, offset, pageSize };
}

// ---------------------------------------------------------------------------------------------
// The reader's points, shown above the feeds

export type ReaderPoints = { left: number; granted: number; spent: number; resetsAt: Date; earned: number; receivedTotal: number; managesPeople: boolean };

/** The reader's allowance this month, earned balance and whether they have direct reports (the "My team" tab). One query. */
export async function readerPoints(db: Db | Tx, actor: Actor, now = new Date()): Promise<ReaderPoints> {
  const [row] = await db.execute<{ granted: number; spent: number; earned: number; received_total: number; manages: boolean }>(sql`
    select coalesce(p.granted, ${allowanceRuleSql(actor.id)})::int as granted, coalesce(p.spent, 0)::int as spent,
      coalesce(b.earned, 0)::int as earned, coalesce(b.received_total, 0)::int as received_total,
      exists (select 1 from users r where r.manager_id = ${actor.id} and r.kind = 'employee' and r.deactivated_at is null) as manages
    from (select 1) one
    left join kudos_allowance_periods p on p.user_id = ${actor.id} and p.period = ${periodOf(now)}::date
    left join kudos_balances b on b.user_id = ${actor.id}`);
  const granted = Number(row?.granted ?? 0);
  const spent = Number(row?.spent ?? 0);
  return {
    granted,
    spent,
    left: Math.max(granted - spent, 0),
    resetsAt: nextReset(now),
    earned: Number(row?.earned ?? 0),
    receivedTotal: Number(row?.received_total ?? 0),
    managesPeople: Boolean(row?.manages),
  };
}

// ---------------------------------------------------------------------------------------------
// Kudos on things (answers, questions, pages, articles, ideas)

export type KudosOnItem<Time = Date> = {
  total: number;
  latest: Array<{ id: number; createdAt: Time; private: boolean; pointsEach: number; giver: Person; receivers: Person[]; value: { name: string; emoji: string } }>;
};

/**
 * The kudos the reader may see on each of these things, the newest few with how many there are
 * in all, keyed by the thing's item id (things with none are absent). One query for a whole
 * question page's answers.
 */
export async function kudosOn(db: Db | Tx, actor: Actor, subjectItemIds: readonly number[], limit = STRIP_SIZE): Promise<Map<number, KudosOnItem>> {
  const ids = [...new Set(subjectItemIds)].filter(isRowId);
  const found = new Map<number, KudosOnItem>();
  if (ids.length === 0) return found;
  const rows = await db.execute<{
    id: number;
    subject_item_id: number;
    created_at: string | Date;
    private: boolean;
    points_each: number;
    giver_id: number;
    giver_name: string;
    value_name: string;
    value_emoji: string;
    receivers: Person[];
    total: number;
  }>(sql`
    select * from (
      select ${kudos.id} as id, ${kudos.subjectItemId} as subject_item_id, ${kudos.createdAt} as created_at, ${kudos.private} as private,
        ${kudos.pointsEach} as points_each, g.id as giver_id, g.name as giver_name, v.name as value_name, v.emoji as value_emoji,
        ${peopleJson(sql`select u.id, u.name from kudos_receivers r join users u on u.id = r.user_id where r.kudos_id = ${kudos.id}`)} as receivers,
        row_number() over (partition by ${kudos.subjectItemId} order by ${kudos.createdAt} desc, ${kudos.id} desc) as rank,
        (count(*) over (partition by ${kudos.subjectItemId}))::int as total
      from ${kudos}
      join users g on g.id = ${kudos.giverId}
      join company_values v on v.id = ${kudos.valueId}
      where ${kudos.subjectItemId} in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )}) and ${kudosVisibleTo(actor)}
    ) ranked
    where rank <= ${limit}
    order by subject_item_id, rank`);
  for (const r of rows) {
    const subject = Number(r.subject_item_id);
    const entry = found.get(subject) ?? { total: Number(r.total), latest: [] };
    entry.latest.push({
      id: Number(r.id),
      createdAt: new Date(r.created_at),
      private: r.private,
      pointsEach: Number(r.points_each),
      giver: { id: Number(r.giver_id), name: r.giver_name },
      receivers: r.receivers,
      value: { name: r.value_name, emoji: r.value_emoji },
    });
    found.set(subject, entry);
  }
  return found;
}

/** `kudosOn` as plain loader data: an object keyed by item id (a Map does not survive serialisation). */
export async function kudosOnRecord(db: Db | Tx, actor: Actor, subjectItemIds: readonly number[]): Promise<Record<number, KudosOnItem>> {
  return Object.fromEntries(await kudosOn(db, actor, subjectItemIds));
}

// ---------------------------------------------------------------------------------------------
// A profile's section

export type ProfileKudos<Time = Date> = {
  total: number;
  byValue: Array<{ id: number; name: string; emoji: string; count: number }>;
  latest: Array<{ id: number; createdAt: Time; private: boolean; pointsEach: number; excerpt: string; giver: Person; value: { name: string; emoji: string } }>;
  /** Only for the person and their manager. */
  points: { earned: number; receivedTotal: number } | null;
};

/**
 * What a profile shows of the kudos a person received, as the viewer may see them: how many, the
 * top values, the latest three; the points totals only when `withPoints` (the person themselves,
 * their manager). One query.
 */
export async function profileKudos(db: Db | Tx, viewer: Actor, userId: number, options: { withPoints: boolean }): Promise<ProfileKudos> {
  const [row] = await db.execute<{
    total: number;
    by_value: ProfileKudos["byValue"];
    latest: Array<{ id: number; created_at: string; private: boolean; points_each: number; message: string; giver_id: number; giver_name: string; value_name: string; value_emoji: string }>;
    points: { earned: number; receivedTotal: number } | null;
  }>(sql`
    with received as (
      select ${kudos.id} as id, ${kudos.valueId} as value_id, ${kudos.createdAt} as created_at, ${kudos.private} as private,
        ${kudos.pointsEach} as points_each, left(${kudos.message}, 400) as message, ${kudos.giverId} as giver_id
      from ${kudos} join kudos_receivers pr on pr.kudos_id = ${kudos.id} and pr.user_id = ${userId}
      where ${kudosVisibleTo(viewer)}
    )
    select
      (select count(*) from received)::int as total,
      coalesce((select json_agg(t) from (
        select v.id, v.name, v.emoji, count(*)::int as count from received x join company_values v on v.id = x.value_id
        group by v.id order by count(*) desc, v.position, v.id limit 5) t), '[]'::json) as by_value,
      coalesce((select json_agg(l) from (
        select x.id, x.created_at, x.private, x.points_each, x.message, g.id as giver_id, g.name as giver_name, v.name as value_name, v.emoji as value_emoji
        from received x join users g on g.id = x.giver_id join company_values v on v.id = x.value_id
        order by x.created_at desc, x.id desc limit ${STRIP_SIZE}) l), '[]'::json) as latest,
      ${
        options.withPoints
          ? sql`coalesce((select json_build_object('earned', b.earned, 'receivedTotal', b.received_total) from kudos_balances b where b.user_id = ${userId}), json_build_object('earned', 0, 'receivedTotal', 0))`
          : sql`null::json`
      } as points`);
  return {
    total: Number(row?.total ?? 0),
    byValue: row?.by_value ?? [],
    latest: (row?.latest ?? []).map((l) => ({
      id: Number(l.id),
      createdAt: new Date(l.created_at),
      private: l.private,
      pointsEach: Number(l.points_each),
      excerpt: plainExcerpt(l.message, 160),
      giver: { id: Number(l.giver_id), name: l.giver_name },
      value: { name: l.value_name, emoji: l.value_emoji },
    })),
    points: row?.points ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// A manager's team

export type TeamMember = { id: number; name: string; title: string; received30: number; received90: number; given30: number; given90: number };

/** The reader's direct reports with how many kudos (that the reader may see) each received and gave in the last 30 and 90 days. One query. */
export async function teamSummary(db: Db | Tx, actor: Actor, now = new Date()): Promise<TeamMember[]> {
  // Bound as text: a raw statement's parameters are not converted from Date.
  const d30 = sql`${new Date(now.getTime() - 30 * 86_400_000).toISOString()}::timestamptz`;
  const d90 = sql`${new Date(now.getTime() - 90 * 86_400_000).toISOString()}::timestamptz`;
  const visible = kudosVisibleTo(actor);
  const rows = await db.execute<{ id: number; name: string; title: string; received30: number; received90: number; given30: number; given90: number }>(sql`
    select t.id, t.name, t.title,
      (select count(*) filter (where ${kudos.createdAt} >= ${d30}) from ${kudos} join kudos_receivers tr on tr.kudos_id = ${kudos.id}
        where tr.user_id = t.id and ${kudos.createdAt} >= ${d90} and ${visible})::int as received30,
      (select count(*) from ${kudos} join kudos_receivers tr on tr.kudos_id = ${kudos.id}
        where tr.user_id = t.id and ${kudos.createdAt} >= ${d90} and ${visible})::int as received90,
      (select count(*) filter (where ${kudos.createdAt} >= ${d30}) from ${kudos} where ${kudos.giverId} = t.id and ${kudos.createdAt} >= ${d90} and ${visible})::int as given30,
      (select count(*) from ${kudos} where ${kudos.giverId} = t.id and ${kudos.createdAt} >= ${d90} and ${visible})::int as given90
    from users t
    where t.manager_id = ${actor.id} and t.kind = 'employee' and t.deactivated_at is null
    order by lower(t.name), t.id`);
  return rows.map((r) => ({
    id: Number(r.id),
    name: r.name,
    title: r.title,
    received30: Number(r.received30),
    received90: Number(r.received90),
    given30: Number(r.given30),
    given90: Number(r.given90),
  }));
}

// ---------------------------------------------------------------------------------------------
// One kudos's page

export type KudosGift<Time = Date> = { id: number; giver: Person; pointsEach: number; message: string; createdAt: Time; reversed: boolean; first: boolean };

/**
 * One kudos for its page: the card, its gifts, its comments, and what the reader may do. A
 * withdrawn kudos shows only to the people it concerned (the giver, the receivers, their
 * managers), with the reason; to everyone else it is the 404 of a missing one.
 */
export async function kudosPage(db: Db | Tx, actor: Actor, kudosId: number, now = new Date()) {
  const access = await loadKudos(db, actor, { id: kudosId }, { allowDeleted: true });
  const withdrawn = access.kudos.deletedAt !== null;
  if (withdrawn && !access.concerns) throw new NotFoundError();
  const [[card], gifts, comments, allowance] = await Promise.all([
    cards(db, actor, and(eq(kudos.id, kudosId), kudosVisibleTo(actor, { withdrawn: true }))!, 1, 0),
    db
      .select({
        id: kudosGifts.id,
        giver: { id: users.id, name: users.name },
        pointsEach: kudosGifts.pointsEach,
        message: kudosGifts.message,
        createdAt: kudosGifts.createdAt,
        reversed: sql<boolean>`${kudosGifts.reversedAt} is not null`,
      })
      .from(kudosGifts)
      .innerJoin(users, eq(users.id, kudosGifts.giverId))
      .where(eq(kudosGifts.kudosId, kudosId))
      .orderBy(kudosGifts.createdAt, kudosGifts.id),
    withdrawn ? Promise.resolve(new Map()) : commentsOn(db, actor, [access.kudos.itemId], { canModerate: access.canModerate }),
    allowanceOf(db, actor.id, now),
  ]);
  if (!card) throw new NotFoundError();
  const isReceiver = access.receiverIds.includes(actor.id);
  const isGiver = access.kudos.giverId === actor.id;
  const added = gifts.some((g) => g.giver.id === actor.id);
  let withdrawnBy: string | null = null;
  if (withdrawn && access.kudos.deletedById) {
    const [by] = await db.select({ name: users.name }).from(users).where(eq(users.id, access.kudos.deletedById));
    withdrawnBy = by?.name ?? null;
  }
  return {
    kudos: card,
    gifts: gifts.map((g) => ({ ...g, first: g.giver.id === access.kudos.giverId })),
    comments: comments.get(access.kudos.itemId) ?? [],
    withdrawal: withdrawn ? { at: access.kudos.deletedAt!, reason: access.kudos.deletedReason, by: withdrawnBy } : null,
    allowanceLeft: allowance.left,
    isGiver,
    isReceiver,
    canAddPoints: !withdrawn && !isGiver && !isReceiver && !added,
    addedAlready: added,
    canWithdraw: !withdrawn && access.canModerate,
    canModerate: access.canModerate,
    spaceSlug: access.space.slug,
  };
}

// ---------------------------------------------------------------------------------------------
// The give form

/**
 * What the give form needs: the values to choose from, the giver's allowance, the thing it thanks
 * (`?item=`: a thing the reader may not see, or that kudos cannot thank, is the 404 of a missing
 * one) and the receiver to start with (`?to=`, never the reader themselves).
 */
export async function giveFormView(db: Db | Tx, actor: Actor, input: { item?: number | undefined; to?: number[] }, now = new Date()) {
  const [values, allowance, subjects, preselected] = await Promise.all([
    activeValues(db),
    allowanceOf(db, actor.id, now),
    input.item !== undefined ? describeItems(db, actor, [input.item]) : Promise.resolve(null),
    receiversById(
      db,
      (input.to ?? []).filter((id) => id !== actor.id),
    ),
  ]);
  let subject: { itemId: number; title: string; url: string; kind: ItemKind } | null = null;
  if (input.item !== undefined) {
    const s = subjects?.get(input.item);
    if (!s || s.deleted || !(KUDOS_SUBJECT_KINDS as readonly string[]).includes(s.kind)) throw new NotFoundError();
    subject = { itemId: s.itemId, title: s.title, url: s.url, kind: s.kind };
  }
  return { values, allowance, subject, preselected };
}

/** The receivers typed back into the form (after a refusal): names for the people already resolved. */
export function receiversText(receivers: readonly Receiver[]): string {
  return receivers.map((r) => `@${r.handle}`).join(", ");
}

// ---------------------------------------------------------------------------------------------
// My points: the ledger in words

export type LedgerLine<Time = Date> = {
  id: number;
  account: "allowance" | "earned";
  points: number;
  createdAt: Time;
  text: string;
  /** The kudos it is about, for a link. */
  kudosId: number | null;
  note: string;
};

const monthName = new Intl.DateTimeFormat("en", { month: "long", year: "numeric", timeZone: "UTC" });

/** "Grace Liu", "Grace Liu and Marco Rossi", "Grace Liu, Marco Rossi and 2 others". */
export function namesList(names: readonly string[]): string {
  if (names.length === 0) return "colleagues";
  if (names.length === 1) return names[0]!;
  if (names.length <= 3) return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `${names.slice(0, 2).join(", ")} and ${names.length - 2} others`;
}

const pts = (n: number) => `${Math.abs(n).toLocaleString("en")} ${Math.abs(n) === 1 ? "point" : "points"}`;

type LedgerRow = {
  id: number;
  account: "allowance" | "earned";
  entry: (typeof kudosLedger.$inferSelect)["entry"];
  points: number;
  period: string | null;
  kudos_id: number | null;
  created_at: string | Date;
  note: string;
  actor_name: string | null;
  original_giver: boolean | null;
  receivers: string[] | null;
  reward_name: string | null;
  total: number;
};

/** One ledger entry said in words, from its reader's side. */
export function describeLedgerEntry(r: Omit<LedgerRow, "id" | "created_at" | "note" | "total" | "account"> & { account: string }): string {
  const month = r.period ? monthName.format(new Date(`${r.period.slice(0, 10)}T00:00:00Z`)) : "";
  const to = namesList(r.receivers ?? []);
  switch (r.entry) {
    case "allowance_granted":
      return `Your allowance${month ? ` for ${month}` : ""}`;
    case "allowance_lapsed":
      return `Unused points lapsed at the end of ${month || "the month"}`;
    case "given":
      return r.original_giver === false ? `You added ${pts(r.points)} to kudos for ${to}` : `You gave ${pts(r.points)} to ${to}`;
    case "received":
      return r.original_giver === false ? `${r.actor_name ?? "A colleague"} added ${pts(r.points)} to kudos you received` : `${r.actor_name ?? "A colleague"} gave you ${pts(r.points)}`;
    case "reversed":
      return r.account === "allowance" ? `${pts(r.points)} back: your kudos to ${to} was withdrawn` : `${pts(r.points)} taken back: kudos you received was withdrawn`;
    case "redeemed":
      return `Redeemed “${r.reward_name ?? "a reward"}”`;
    case "redemption_refunded":
      return `Refunded: “${r.reward_name ?? "a reward"}”`;
    case "redemption_approved":
      return `HR approved “${r.reward_name ?? "a reward"}”`;
    case "redemption_fulfilled":
      return `HR fulfilled “${r.reward_name ?? "a reward"}”`;
  }
}

/** The reader's ledger, newest first, each entry in words. One query. */
export async function pointsHistory(db: Db | Tx, actor: Actor, page: number): Promise<{ rows: LedgerLine[]; total: number; offset: number; pageSize: number }> {
  const pageSize = LEDGER_PAGE_SIZE;
  const offset = (Math.max(1, page) - 1) * pageSize;
  const rows = await db.execute<LedgerRow>(sql`
    select l.id, l.account, l.entry, l.points, l.period::text as period, l.kudos_id, l.created_at, l.note,
      a.name as actor_name,
      case when k.id is null then null else k.giver_id = coalesce(gi.giver_id, k.giver_id) end as original_giver,
      case when l.kudos_id is null then null else array(select u.name from kudos_receivers r join users u on u.id = r.user_id where r.kudos_id = l.kudos_id order by u.name) end as receivers,
      rw.name as reward_name,
      (count(*) over ())::int as total
    from kudos_ledger l
    left join users a on a.id = l.actor_id
    left join kudos k on k.id = l.kudos_id
    left join kudos_gifts gi on gi.id = l.gift_id
    left join reward_redemptions rr on rr.id = l.redemption_id
    left join rewards rw on rw.id = rr.reward_id
    where l.user_id = ${actor.id}
    order by l.created_at desc, l.id desc
    limit ${pageSize} offset ${offset}`);
  const total = rows[0] ? Number(rows[0].total) : offset > 0 ? await db.$count(kudosLedger, eq(kudosLedger.userId, actor.id)) : 0;
  return {
    rows: rows.map((r) => ({
      id: Number(r.id),
      account: r.account,
      points: Number(r.points),
      createdAt: new Date(r.created_at),
      text: describeLedgerEntry(r),
      kudosId: r.kudos_id === null ? null : Number(r.kudos_id),
      note: r.entry === "allowance_lapsed" ? "" : r.note,
    })),
    total,
    offset,
    pageSize,
  };
}
