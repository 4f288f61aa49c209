import { randomBytes } from "node:crypto";
import { and, eq, type SQL, sql } from "drizzle-orm";
import { hashPassword } from "../app/features/auth/password.server.ts";
import { renderMarkdown } from "../app/lib/markdown.server.ts";
import { acceptFlag, approvePublication, type ConsentInput, getPublication, proposePublication, saveDraft, setConsent } from "../app/features/publishing/publishing.server.ts";
import type { Db, Tx } from "./client.server.ts";
import { posts, type users } from "./schema/index.ts";

/**
 * The public forum's demo (issue 19), through the workflow's own functions so every step is on
 * each draft's timeline: three Ask Support answers that help customers are published (their
 * authors named or "A Northwind support specialist", approved by the space's moderator and by an
 * admin, as their topics have no SME), and one Engineering draft waits for approval with an open
 * flag, an internal host name, for the draft page to show.
 */

type User = typeof users.$inferSelect;

type Published = {
  title: string;
  daysAgo: number;
  proposer: string;
  consents: Record<string, ConsentInput>;
  approvers: [string, string];
};

const PUBLISHED: Published[] = [
  {
    title: "CSV import silently skips rows with accented characters",
    daysAgo: 24,
    proposer: "Nora Lindqvist",
    consents: { "Chloe Dubois": { choice: "generic", genericLabel: "support specialist" }, "Yuki Tanaka": { choice: "named" } },
    approvers: ["Marco Rossi", "Amara Okafor"],
  },
  {
    title: "Webhook deliveries to one customer fail with 'certificate verify failed'",
    daysAgo: 15,
    proposer: "Elena Petrova",
    consents: { "Yuki Tanaka": { choice: "named" }, "Kenji Sato": { choice: "named" } },
    approvers: ["Nora Lindqvist", "Amara Okafor"],
  },
  {
    title: "Can a customer use SSO and password login at the same time?",
    daysAgo: 6,
    proposer: "Nora Lindqvist",
    consents: { "Samuel Osei": { choice: "generic", genericLabel: "support specialist" }, "Priya Nair": { choice: "named" } },
    approvers: ["Marco Rossi", "Amara Okafor"],
  },
];

/** The draft left waiting: its proposer added a line naming an internal host, which the scan flags. */
const WAITING = {
  title: "How do we add an index to the orders table without locking it?",
  proposer: "Oliver Brown",
  daysAgo: 2,
  consents: { "Sofia Martins": { choice: "named" }, "Kenji Sato": { choice: "named" }, "Oliver Brown": { choice: "generic", genericLabel: "data engineer" } } as Record<string, ConsentInput>,
  note: "\n\nWe watched the replica lag on grafana.northwind.internal while it ran.",
};

export async function seedForum(tx: Tx, people: Map<string, User>): Promise<{ published: number; drafts: number }> {
  // The workflow's functions open their own transaction; inside the seed's it becomes a savepoint.
  const db = tx as unknown as Db;
  const person = (name: string): User => {
    const found = people.get(name);
    if (!found) throw new Error(`seed-forum: unknown person ${name}`);
    return found;
  };
  const question = async (title: string): Promise<{ id: number; itemId: number }> => {
    const [row] = await tx
      .select({ id: posts.id, itemId: posts.itemId })
      .from(posts)
      .where(and(eq(posts.type, "question"), eq(posts.title, title)));
    if (!row) throw new Error(`seed-forum: no question "${title}"`);
    return row;
  };
  const consentAll = async (id: number, consents: Record<string, ConsentInput>) => {
    for (const [name, input] of Object.entries(consents)) await setConsent(db, person(name), id, input);
  };

  for (const item of PUBLISHED) {
    const proposer = person(item.proposer);
    const q = await question(item.title);
    const { id } = await proposePublication(db, proposer, q.id);
    await consentAll(id, item.consents);
    // Should the scan ever find something in these texts, the demo keeps it, and says why.
    for (const flag of (await getPublication(db, proposer, id)).flags.filter((f) => f.status === "open")) {
      await acceptFlag(db, proposer, id, flag.id, "Public product behaviour, already in the help centre.");
    }
    const { revision } = await getPublication(db, proposer, id);
    for (const approver of item.approvers) await approvePublication(db, person(approver), id, revision);
    await stamp(tx, id, q.itemId, item.daysAgo);
  }

  const proposer = person(WAITING.proposer);
  const q = await question(WAITING.title);
  const { id } = await proposePublication(db, proposer, q.id);
  const draft = await getPublication(db, proposer, id);
  const own = draft.parts.find((p) => p.author.id === proposer.id && p.included)!;
  await saveDraft(db, proposer, id, {
    revision: draft.revision,
    title: draft.title,
    expiresAt: null,
    parts: [{ id: own.id, body: own.body + WAITING.note, included: true }],
  });
  await consentAll(id, WAITING.consents);
  await stamp(tx, id, q.itemId, WAITING.daysAgo);
  await seedCustomerFeedback(tx);
  return { published: PUBLISHED.length, drafts: 1 };
}

/**
 * What customers said on the published threads, so the internal review queue (/publications/feedback)
 * has something to read: one customer's comment and reactions. The account is made with a password
 * nobody knows; db/seed-forum-community.ts then gives it the demo password (issue 20), which
 * demo:remove clears with the employees'.
 */
async function seedCustomerFeedback(tx: Tx): Promise<void> {
  const threads = await tx.execute<{ id: number; title: string }>(sql`select id, title from forum_threads where withdrawn_at is null order by published_at, id`);
  const csv = threads.find((t) => t.title === PUBLISHED[0]!.title);
  const sso = threads.find((t) => t.title === PUBLISHED[2]!.title);
  if (!csv || !sso) return;
  const [account] = await tx.execute<{ id: number }>(sql`
    insert into forum_accounts (email, name, password_hash, verified_at, created_at)
    values ('dana.whitfield@customer.example', 'Dana Whitfield', ${await hashPassword(randomBytes(24).toString("hex"))}, now() - interval '5 days', now() - interval '5 days')
    returning id`);
  const comment = "This fixed our import, thank you. Could the importer warn about the file's encoding instead of skipping rows silently?";
  await tx.execute(sql`
    insert into forum_comments (thread_id, account_id, body, body_html, created_at)
    values (${csv.id}, ${account!.id}, ${comment}, ${renderMarkdown(comment)}, now() - interval '2 days')`);
  await tx.execute(sql`
    insert into forum_reactions (thread_id, answer_id, account_id, kind, created_at)
    values (${csv.id}, 0, ${account!.id}, 'helpful', now() - interval '2 days'), (${sso.id}, 0, ${account!.id}, 'not_helpful', now() - interval '1 day')`);
}

/**
 * Moves a publication's steps, written at the seed transaction's frozen `now()`, into the past:
 * its timeline starts `daysAgo` days ago with three hours between steps, and the approvals,
 * consents, flags, the thread's dates and the inbox entries follow their steps. Older inbox
 * entries have been read, as on the Q&A side.
 */
async function stamp(tx: Tx, publicationId: number, questionItemId: number, daysAgo: number): Promise<void> {
  const at = sql`now() - ${`${daysAgo} days`}::interval`;
  const stepAt = (actor: SQL, kinds: string) =>
    sql`(select max(e.created_at) from publication_events e where e.publication_id = ${publicationId} and e.actor_id = ${actor} and e.kind in (${sql.raw(kinds)}))`;
  await tx.execute(sql`
    update publication_events e set created_at = ${at} + (r.n - 1) * interval '3 hours'
    from (select id, row_number() over (order by id) as n from publication_events where publication_id = ${publicationId}) r
    where e.id = r.id`);
  await tx.execute(sql`
    update publications set
      created_at = ${at},
      updated_at = (select max(created_at) from publication_events where publication_id = ${publicationId}),
      published_at = case when published_at is null then null else (select max(created_at) from publication_events where publication_id = ${publicationId} and kind = 'published') end
    where id = ${publicationId}`);
  await tx.execute(sql`update publication_approvals pa set created_at = coalesce(${stepAt(sql`pa.user_id`, "'approved'")}, ${at}) where pa.publication_id = ${publicationId}`);
  await tx.execute(sql`
    update publication_consents pc set decided_at = coalesce(${stepAt(sql`pc.user_id`, "'consented'")}, ${at})
    where pc.publication_id = ${publicationId} and pc.decided_at is not null`);
  await tx.execute(sql`
    update publication_flags f set created_at = ${at},
      resolved_at = case when f.resolved_at is null then null else coalesce(${stepAt(sql`f.resolved_by_id`, "'accepted', 'redacted'")}, ${at}) end
    where f.publication_id = ${publicationId}`);
  await tx.execute(sql`
    update forum_threads ft set published_at = p.published_at, updated_at = p.published_at
    from publications p where p.id = ${publicationId} and ft.id = p.thread_id and p.published_at is not null`);
  await tx.execute(sql`
    update notifications set created_at = ${at} + interval '4 hours',
      read_at = case when ${daysAgo} > 3 then ${at} + interval '9 hours' else null end
    where item_id = ${questionItemId} and kind = 'publication' and created_at = now()`);
}
