import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server.ts";
import { analyticsRuns, hrViews, personRoles, users } from "#db/schema/index.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import type { Profile, RoleExplanation } from "./roles.ts";
import { recordHrViews } from "#app/features/audit/audit.server.ts";

/**
 * One person's roles (docs/people-analytics.md, "Trust rules"): HR's page about them, which logs
 * every opening in `hr_views`, and the person's own view of their roles and of that log. No one
 * else ever reads either.
 */

export type PersonRoles = {
  run: { windowStart: string; windowEnd: string };
  isMaven: boolean;
  isConnector: boolean;
  isSalesman: boolean;
  profile: Profile;
  explanation: RoleExplanation;
};

/** The person's row in the latest finished run, or null when they were not in it (new, or inactive then). */
async function latestRoles(db: Db, userId: number): Promise<PersonRoles | null> {
  const latest = db.select({ id: analyticsRuns.id }).from(analyticsRuns).where(eq(analyticsRuns.status, "done")).orderBy(desc(analyticsRuns.windowEnd), desc(analyticsRuns.id)).limit(1);
  const [row] = await db
    .select({
      windowStart: analyticsRuns.windowStart,
      windowEnd: analyticsRuns.windowEnd,
      isMaven: personRoles.isMaven,
      isConnector: personRoles.isConnector,
      isSalesman: personRoles.isSalesman,
      profile: personRoles.profile,
      explanation: personRoles.explanation,
    })
    .from(personRoles)
    .innerJoin(analyticsRuns, eq(analyticsRuns.id, personRoles.runId))
    .where(and(eq(personRoles.userId, userId), sql`${personRoles.runId} = (${latest})`));
  if (!row) return null;
  return {
    run: { windowStart: row.windowStart.toISOString(), windowEnd: row.windowEnd.toISOString() },
    isMaven: row.isMaven === 1,
    isConnector: row.isConnector === 1,
    isSalesman: row.isSalesman === 1,
    profile: row.profile as Profile,
    explanation: row.explanation as RoleExplanation,
  };
}

export type PersonAnalytics = {
  person: { id: number; name: string; title: string; department: string; location: string; deactivated: boolean };
  optedOut: boolean;
  /** Null when opted out (nothing about their roles is shown) or not in the latest run. */
  roles: PersonRoles | null;
};

/**
 * HR's page about one employee. HR and admins only (a 404 for anyone else, and for an id that is
 * not an employee's). Every call records the opening: the person sees who looked and when.
 */
export async function personAnalytics(db: Db, actor: Actor, userId: number): Promise<PersonAnalytics> {
  if (actor.kind !== "employee" || actor.deactivatedAt || (actor.role !== "hr" && actor.role !== "admin")) throw new NotFoundError();
  if (!isRowId(userId)) throw new NotFoundError();
  const [person] = await db
    .select({
      id: users.id,
      name: users.name,
      title: users.title,
      department: users.department,
      location: users.location,
      deactivatedAt: users.deactivatedAt,
      rolesOptOut: users.rolesOptOut,
    })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.kind, "employee")));
  if (!person) throw new NotFoundError();
  const [, roles] = await Promise.all([recordHrViews(db, actor.id, [person.id], "analytics"), person.rolesOptOut ? null : latestRoles(db, person.id)]);
  return {
    person: { id: person.id, name: person.name, title: person.title, department: person.department, location: person.location, deactivated: person.deactivatedAt !== null },
    optedOut: person.rolesOptOut,
    roles,
  };
}

export type HrView = { id: number; viewer: string; viewerRole: string; what: string; viewedAt: string };

export type OwnAnalytics = {
  roles: PersonRoles | null;
  optedOut: boolean;
  views: HrView[];
  viewCount: number;
};

/** How many of the log's entries the profile lists (the newest). */
export const VIEWS_SHOWN = 20;

/**
 * A person's own roles and who from HR looked at them, for their profile; null for anyone
 * else's profile (no query is made). They see their roles even when opted out: opting out keeps
 * them out of HR's lists, not out of their own page.
 */
export async function ownAnalytics(db: Db, viewer: Actor & { rolesOptOut: boolean }, profileUserId: number): Promise<OwnAnalytics | null> {
  if (viewer.id !== profileUserId || viewer.kind !== "employee" || viewer.deactivatedAt) return null;
  const [roles, views] = await Promise.all([
    latestRoles(db, viewer.id),
    db
      .select({
        id: hrViews.id,
        viewer: users.name,
        viewerRole: users.role,
        what: hrViews.what,
        viewedAt: hrViews.viewedAt,
        total: sql<number>`(count(*) over ())::int`,
      })
      .from(hrViews)
      .innerJoin(users, eq(users.id, hrViews.viewerId))
      .where(eq(hrViews.subjectId, viewer.id))
      .orderBy(desc(hrViews.viewedAt), desc(hrViews.id))
      .limit(VIEWS_SHOWN),
  ]);
  return {
    roles,
    optedOut: viewer.rolesOptOut,
    views: views.map(({ total: _total, ...v }) => ({ ...v, viewedAt: v.viewedAt.toISOString() })),
    viewCount: views[0]?.total ?? 0,
  };
}
