import { eq, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { users } from "#db/schema/index.ts";
import { recordAudit } from "#app/features/audit/audit.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { ForbiddenError, InputError, NotFoundError } from "#app/lib/errors.ts";
import { isRowId } from "#app/lib/ids.ts";
import { enqueueIndexing } from "#search/outbox.server.ts";

/**
 * Anonymising a departed person (issue 23). What they wrote stays, and every page that names an
 * author reads the name from `users`, so overwriting their row is what makes their content show
 * "Former employee" everywhere. The copies of their name that other tables keep on purpose (the
 * public forum's snapshots, live-session questions, an imported profile they claimed, the mail
 * log) are overwritten too, and what only served them (sessions, tokens, SSO and SCIM links, mail
 * settings and mail still to send) is deleted. One transaction, with its audit entry.
 *
 * Ids stay: votes, reputation, the people analytics' tables and the audit log keep pointing at the
 * same row, which no longer says who it was.
 */

export const FORMER_EMPLOYEE = "Former employee";

/** A unique address that can never receive mail (.invalid is reserved for that, RFC 2606). */
export function anonymisedEmail(userId: number): string {
  return `former-${userId}@anonymised.invalid`;
}

export async function anonymizeUser(db: Db, actor: Actor, userId: number, now = new Date()): Promise<{ id: number }> {
  if (actor.role !== "admin" || actor.kind !== "employee" || actor.deactivatedAt) throw new ForbiddenError();
  if (!isRowId(userId)) throw new NotFoundError();
  return db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: users.id, name: users.name, email: users.email, kind: users.kind, deactivatedAt: users.deactivatedAt, anonymizedAt: users.anonymizedAt })
      .from(users)
      .where(sql`${users.id} = ${userId}`)
      .for("update");
    if (!target) throw new NotFoundError();
    if (target.anonymizedAt) throw new InputError("This person is already anonymised.");
    if (target.kind !== "employee") throw new InputError("Only a departed employee's account can be anonymised here.");
    if (!target.deactivatedAt) throw new InputError(`${target.name} is still active: deactivate the account first, then anonymise it.`);
    await scrub(tx, target, now);
    await recordAudit(tx, { actorId: actor.id, action: "user.anonymized", subjectUserId: target.id, target: { type: "user", id: target.id } });
    return { id: target.id };
  });
}

async function scrub(tx: Tx, target: { id: number; name: string; email: string }, now: Date): Promise<void> {
  const id = target.id;
  const placeholder = anonymisedEmail(id);
  await tx
    .update(users)
    .set({
      name: FORMER_EMPLOYEE,
      email: placeholder,
      passwordHash: null,
      title: "",
      department: "",
      location: "",
      bio: "",
      managerId: null,
      routingOptOut: true,
      awayUntil: null,
      rolesOptOut: true,
      anonymizedAt: now,
      updatedAt: now,
    })
    .where(eq(users.id, id));
  // The people they managed keep their profiles, without a manager who is no one now.
  await tx.update(users).set({ managerId: null }).where(eq(users.managerId, id));

  // What served only them.
  await tx.execute(sql`delete from sessions where user_id = ${id}`);
  await tx.execute(sql`delete from api_tokens where user_id = ${id}`);
  await tx.execute(sql`delete from auth_tokens where user_id = ${id}`);
  await tx.execute(sql`delete from oidc_accounts where user_id = ${id}`);
  await tx.execute(sql`delete from mail_preferences where user_id = ${id}`);
  // SCIM finds accounts through scim_users: without the row the identity provider can't reach
  // (or reactivate) them; the same userName sent again makes a new account.
  await tx.execute(sql`delete from scim_group_members where user_id = ${id}`);
  await tx.execute(sql`delete from scim_users where user_id = ${id}`);
  await tx.execute(sql`delete from sign_in_attempts where key = ${`account:${target.email}`}`);
  // Mail to them, sent or not, and their name in the mail sent to others (the log keeps what went out).
  await tx.execute(sql`delete from mail_outbox where user_id = ${id} or lower("to") = lower(${target.email})`);
  for (const column of ["subject", "text", "html"]) {
    const c = sql.identifier(column);
    await tx.execute(sql`update mail_outbox set ${c} = replace(replace(${c}, ${target.name}, ${FORMER_EMPLOYEE}), ${target.email}, ${placeholder})
      where strpos(${c}, ${target.name}) > 0 or strpos(${c}, ${target.email}) > 0`);
  }

  // Copies of the name kept on purpose. The public forum's snapshots carry no link to the person
  // for published questions, so a snapshot naming them is found by the name itself.
  await tx.execute(sql`update imported_profiles set display_name = ${FORMER_EMPLOYEE}, source_url = '' where user_id = ${id}`);
  await tx.execute(sql`update forum_answers set author_name = ${FORMER_EMPLOYEE}, author_title = '' where author_user_id = ${id} or (author_named and author_name = ${target.name})`);
  await tx.execute(sql`update forum_answers set credit_name = replace(credit_name, ${target.name}, ${FORMER_EMPLOYEE}) where strpos(credit_name, ${target.name}) > 0`);
  await tx.execute(sql`update forum_threads set author_name = ${FORMER_EMPLOYEE}, author_title = '' where author_named and author_name = ${target.name}`);
  await tx.execute(sql`update live_session_questions set author_name = ${FORMER_EMPLOYEE} where user_id = ${id}`);
  await tx.execute(sql`update live_session_questions set answered_by_name = ${FORMER_EMPLOYEE}, answered_by_title = null where answered_by_id = ${id}`);

  // Search documents carry author names: the person and what they wrote are indexed again.
  await enqueueIndexing(tx, "person", [id]);
  const ids = async (query: ReturnType<typeof sql>) => ((await tx.execute<{ id: number }>(query)) as unknown as Array<{ id: number }>).map((r) => r.id);
  await enqueueIndexing(tx, "question", await ids(sql`select distinct coalesce(parent_id, id) as id from posts where author_id = ${id}`));
  await enqueueIndexing(tx, "idea", await ids(sql`select id from ideas where author_id = ${id}`));
  await enqueueIndexing(tx, "wiki_page", await ids(sql`select id from wiki_pages where author_id = ${id}`));
  await enqueueIndexing(tx, "article", await ids(sql`select id from articles where author_id = ${id}`));
  await enqueueIndexing(tx, "kudos", await ids(sql`select id from kudos where giver_id = ${id} union select kudos_id from kudos_receivers where user_id = ${id}`));
}

/** When the person was anonymised, or null: the admin page offers the step only to a departed person not yet anonymised. */
export async function anonymizedAtOf(db: Db, userId: number): Promise<Date | null> {
  if (!isRowId(userId)) return null;
  const [row] = await db
    .select({ at: users.anonymizedAt })
    .from(users)
    .where(sql`${users.id} = ${userId}`);
  return row?.at ?? null;
}
