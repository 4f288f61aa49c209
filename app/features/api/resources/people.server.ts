import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server.ts";
import { expertDirectory } from "#app/features/expertise/directory.server.ts";
import { EXPERTS_PAGE_SIZE, parseTopics } from "#app/features/expertise/directory-params.ts";
import { topicExperts } from "#app/features/expertise/experts.server.ts";
import { EVIDENCE_KINDS } from "#app/features/expertise/model.ts";
import { expertiseSettings } from "#app/features/expertise/settings.server.ts";
import { profileExpertise } from "#app/features/expertise/topics.server.ts";
import { importStatus } from "#app/features/imports/imported-profiles.server.ts";
import { reputationProfile, reputationSeenBySql } from "#app/features/reputation/profile.server.ts";
import { profileForViewer } from "#app/features/users/profiles.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { type AnyEndpoint, encodeCursor, endpoint, pageOf, PersonRef } from "../endpoint.server.ts";
import { decodeCursor, IdParams, iso, isoOrNull, IsoTime, keysetPage, personRef, personUrl } from "./shared.server.ts";

/**
 * People and experts (issue 21, REST API). A profile is what the profile page shows the token's
 * owner (`profileForViewer`, `reputationProfile`, `profileExpertise`): the reputation, top tags
 * and topics count only activity in spaces they may see, so a restricted space's work never shows
 * through a person. Experts for a topic come from the experts page's own `expertDirectory`, with
 * the model's scores (`topicExperts`) as the reason each person is listed.
 */

const TAG = "People";

const AVAILABILITY = ["open", "away", "opted_out"] as const;
const Availability = z.object({
  /** open: takes routed questions; away: until `awayUntil`; opted_out: opted out of routing. */
  status: z.enum(AVAILABILITY),
  awayUntil: IsoTime.nullable(),
});

function availabilityOf(routingOptOut: boolean, awayUntil: Date | string | null, now: Date): z.input<typeof Availability> {
  const away = awayUntil === null ? null : new Date(awayUntil);
  const isAway = away !== null && away.getTime() > now.getTime();
  return { status: routingOptOut ? "opted_out" : isAway ? "away" : "open", awayUntil: isAway ? away.toISOString() : null };
}

const Person = PersonRef.extend({
  department: z.string(),
  location: z.string(),
  bio: z.string(),
  role: z.enum(["member", "moderator", "hr", "admin"]),
  deactivated: z.boolean(),
  memberSince: IsoTime,
  manager: PersonRef.nullable(),
  reports: z.array(PersonRef),
  /** The spaces they belong to that the token's owner may see. */
  spaces: z.array(z.object({ slug: z.string(), name: z.string(), role: z.enum(["member", "moderator"]) })),
  /** Reputation as the token's owner sees it: earned in spaces they may see (the whole of it for one's own profile, and for admins). */
  reputation: z.number().int(),
  topTags: z.array(z.object({ name: z.string(), score: z.number().int() })),
  /** Their top topics from the expertise model, with the facts behind each. */
  topics: z.array(
    z.object({
      tag: z.string(),
      declared: z.boolean(),
      /** Hidden from everyone else: only ever true on the token owner's own profile. */
      hidden: z.boolean(),
      facts: z.array(z.object({ kind: z.enum(EVIDENCE_KINDS), count: z.number().int(), title: z.string().nullable(), accepted: z.number().int().optional() })),
    }),
  ),
  /** Topics they say they know, beyond their top topics. */
  declaredTopics: z.array(z.string()),
  availability: Availability,
});

const getPerson = endpoint({
  method: "get",
  path: "/people/{id}",
  operationId: "getPerson",
  summary: "A person's profile",
  description:
    "What the profile page shows the token's owner: who they are, whom they report to, their reputation, top tags and topics from work in spaces the token's owner may see, and whether they take routed questions.",
  tag: TAG,
  scope: "read",
  params: IdParams,
  response: Person,
  handler: async ({ db, user }, { params }) => {
    const now = new Date();
    const profile = await profileForViewer(db, user, params.id);
    const [imports, reputation, expertise, [row]] = await Promise.all([
      importStatus(db, profile.user.id),
      reputationProfile(db, user, profile.user.id, now),
      profileExpertise(db, user, profile.user.id, now),
      db.execute<{ routing_opt_out: boolean; away_until: Date | string | null }>(sql`select routing_opt_out, away_until from users where id = ${profile.user.id}`),
    ]);
    // A placeholder whose import was claimed is the 404 of a deleted profile, as on its page.
    if (imports.claimedPlaceholder) throw new NotFoundError();
    const u = profile.user;
    return {
      ...personRef(u),
      department: u.department,
      location: u.location,
      bio: u.bio,
      role: u.role,
      deactivated: u.deactivatedAt !== null,
      memberSince: iso(u.createdAt),
      manager: profile.manager ? personRef(profile.manager) : null,
      reports: profile.reports.map(personRef),
      spaces: profile.spaces.map((s) => ({ slug: s.slug, name: s.name, role: s.role })),
      reputation: reputation.reputation,
      topTags: reputation.topTags,
      topics: expertise.topics.map((t) => ({ tag: t.tag, declared: t.declared, hidden: t.hidden, facts: t.facts })),
      declaredTopics: expertise.declaredOnly.map((t) => t.tag),
      availability: availabilityOf(row!.routing_opt_out, row!.away_until, now),
    };
  },
});

// ---- finding people by name ----------------------------------------------------------------------

const PersonHit = PersonRef.extend({ department: z.string(), reputation: z.number().int() });

const PeopleQuery = z.object({
  q: z.string({ error: "Give part of a name, a handle or an address: ?q=ada" }).trim().min(1, "Give part of a name, a handle or an address: ?q=ada").max(100),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});

/** People in name order: the page continues after a name (lower-cased, as sorted) and an id. */
const NameCursor = z.strictObject({ n: z.string().max(300), id: z.number().int().min(0).max(2_147_483_647) });

const listPeople = endpoint({
  method: "get",
  path: "/people",
  operationId: "searchPeople",
  summary: "Find people by name",
  description:
    "Active colleagues whose name has a word starting with `q`, or whose handle or address starts with it (as the mention picker finds them), in name order. Reputation is as the token's owner sees it.",
  tag: TAG,
  scope: "read",
  query: PeopleQuery,
  response: pageOf(PersonHit),
  handler: async ({ db, user }, { query }) => {
    const after = decodeCursor(query.cursor, NameCursor);
    // Colleagues are for colleagues: a customer or a deactivated account finds no one (as mentions do).
    if (user.kind !== "employee" || user.deactivatedAt) return { data: [], nextCursor: null };
    const q = query.q.toLowerCase().replace(/^@/, "");
    const like = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await db.execute<{ id: number; name: string; title: string; department: string; reputation: number; key: string }>(sql`
      select u.id, u.name, u.title, u.department, ${reputationSeenBySql(user)} as reputation, lower(u.name) as key
        from users u
       where u.kind = 'employee' and u.deactivated_at is null and u.email_verified_at is not null
         and (lower(u.name) like ${like} or lower(u.name) like ${`% ${like}`} or lower(u.email) like ${like})
         ${after ? sql`and (lower(u.name), u.id) > (${after.n}, ${after.id})` : sql``}
       order by lower(u.name), u.id
       limit ${query.limit + 1}`);
    return keysetPage(
      [...rows],
      query.limit,
      (last) => ({ n: last.key, id: Number(last.id) }),
      (r) => ({ ...personRef({ id: Number(r.id), name: r.name, title: r.title }), department: r.department, reputation: Number(r.reputation) }),
    );
  },
});

// ---- experts -----------------------------------------------------------------------------------

const Expert = z.object({
  person: PersonRef,
  department: z.string(),
  location: z.string(),
  availability: Availability,
  /** Their top topics, as the token's owner may see them. */
  topics: z.array(z.string()),
  /** Why they are listed, in words: "7 accepted answers on fermentation, owns the page Brewing basics". */
  evidence: z.string().nullable(),
  /** The expertise model's figures on the topics asked, summed over them (null only if the model changed between two reads). */
  score: z
    .object({
      /** What the list is ranked by: score × confidence, plus a little for a declared topic. */
      rank: z.number(),
      score: z.number(),
      confidence: z.number(),
      /** Pieces of evidence (answers, accepts, upvotes, pages, ideas, kudos) the token's owner may see. */
      evidenceCount: z.number().int(),
      declared: z.boolean(),
    })
    .nullable(),
});

const ExpertsQuery = z.object({
  topic: z
    .string({ error: "Name a topic (a tag): ?topic=postgres" })
    .max(500)
    .transform(parseTopics)
    .refine((topics) => topics.length > 0, "Name a topic (a tag): ?topic=postgres")
    .meta({ description: "One to three tags, separated by commas or spaces." }),
  available: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true")
    .meta({ description: "true: only people open to questions (not away, not opted out of routing)." }),
  cursor: z.string().max(200).optional(),
});

/** The experts page ranks rather than lists: a cursor names the next page of the ranking. */
const RankCursor = z.strictObject({ page: z.number().int().min(2).max(10_000) });

const listExperts = endpoint({
  method: "get",
  path: "/experts",
  operationId: "findExperts",
  summary: "Experts on a topic",
  description: `People ranked by the expertise model for the topics, as the experts page lists them for the token's owner (${EXPERTS_PAGE_SIZE} a page): only evidence in spaces they may see counts, and topics people hid are not shown. Away people and people who opted out of routing are listed, and say so.`,
  tag: TAG,
  scope: "read",
  query: ExpertsQuery,
  response: pageOf(Expert).extend({ topics: z.array(z.string()).meta({ description: "The topics asked for that exist for the token's owner." }) }),
  handler: async ({ db, search, searchPrefix, user, log }, { query }) => {
    const page = decodeCursor(query.cursor, RankCursor)?.page ?? 1;
    const now = new Date();
    const directory = await expertDirectory(
      db,
      search,
      user,
      { topics: query.topic, q: "", department: undefined, location: undefined, open: query.available, title: undefined, page },
      { now, prefix: searchPrefix, onError: (error) => log.warn({ err: error }, "search unavailable for the experts endpoint") },
    );
    if (directory.mode !== "search") throw new InputError("Name a topic (a tag): ?topic=postgres");
    const tagIds = directory.topics.length ? await topicIds(db, directory.topics) : [];
    // The same ranking as the page's, read again for its figures (one query).
    const ranked = tagIds.length
      ? await topicExperts(db, user, tagIds, {
          limit: EXPERTS_PAGE_SIZE,
          offset: (page - 1) * EXPERTS_PAGE_SIZE,
          now,
          settings: await expertiseSettings(db),
          filters: { availableOnly: query.available },
        })
      : [];
    const figures = new Map(ranked.map((r) => [r.userId, r]));
    const more = directory.total > (page - 1) * EXPERTS_PAGE_SIZE + directory.people.length;
    return {
      topics: directory.topics,
      data: directory.people.map((p) => {
        const f = figures.get(p.id);
        return {
          person: { id: p.id, name: p.name, title: p.title, url: personUrl(p.id) },
          department: p.department,
          location: p.location,
          availability: { status: p.availability, awayUntil: isoOrNull(p.awayUntil) },
          topics: p.topics,
          evidence: p.evidence,
          score: f ? { rank: f.value, score: f.score, confidence: f.confidence, evidenceCount: f.evidenceCount, declared: f.declared } : null,
        };
      }),
      nextCursor: more && directory.people.length > 0 ? encodeCursor({ page: page + 1 }) : null,
    };
  },
});

async function topicIds(db: Db, names: readonly string[]): Promise<number[]> {
  const rows = await db.execute<{ id: number }>(sql`select id from tags where name = any(${`{${names.join(",")}}`}::text[])`);
  return rows.map((r) => Number(r.id));
}

export const peopleEndpoints: AnyEndpoint[] = [getPerson, listPeople, listExperts];
