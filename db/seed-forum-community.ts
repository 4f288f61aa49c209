import { sql } from "drizzle-orm";
import type { Tx } from "./client.server.ts";
import type { users } from "./schema/index.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { DEMO_CUSTOMER_EMAIL } from "./seed-info.ts";

type User = typeof users.$inferSelect;

export { DEMO_CUSTOMER_EMAIL };

/**
 * The public forum as a conversation (issue 20), for the demo: customers' questions in every state
 * the desk shows, a finished live session and a share kit. Run after `seedForum` (which made Dana
 * Whitfield's account and the published threads).
 *
 * The routing and the escalation rules are not played here: the app's intake routes every visible
 * customer question it has not seen a minute after it starts (app/features/forum-queue), and runs
 * the rules on it, so the demo's "outage" question is escalated by the real rule, and the others
 * reach the SMEs of their topics. Only what people did is written: the questions, one answer by
 * an SME that the customer accepted, "me too"s, a first post waiting for a moderator, a flag.
 */
export async function seedForumCommunity(tx: Tx, people: Map<string, User>, demoPasswordHash: string): Promise<{ customerQuestions: number }> {
  const person = (name: string): User => {
    const found = people.get(name);
    if (!found) throw new Error(`seed-forum-community: unknown person ${name}`);
    return found;
  };
  // Dana: the demo password (demo:remove clears it with the employees'), her first posts long let through.
  const [dana] = await tx.execute<{ id: number }>(sql`
    update forum_accounts set password_hash = ${demoPasswordHash}, trusted_at = now() - interval '4 days'
    where email = ${DEMO_CUSTOMER_EMAIL} returning id`);
  if (!dana) throw new Error("seed-forum-community: run seedForum first (it makes Dana Whitfield's account)");
  const customers = await tx.execute<{ id: number; email: string }>(sql`
    insert into forum_accounts (email, name, password_hash, verified_at, trusted_at, created_at)
    select v.email, v.name, '!', now() - v.age, case when v.trusted then now() - v.age else null end, now() - v.age
    from (values
      ('jordan.ellis@customer.example', 'Jordan Ellis', false, interval '3 hours'),
      ('wei.zhang@customer.example', 'Wei Zhang', true, interval '40 days'),
      ('amelie.roux@customer.example', 'Amélie Roux', true, interval '60 days'),
      ('sam.okoye@customer.example', 'Sam Okoye', true, interval '20 days'),
      ('promo.deals@customer.example', 'Best Deals 24', true, interval '30 days')
    ) as v(email, name, trusted, age)
    returning id, email`);
  const account = (email: string) => customers.find((c) => c.email === email)!.id;

  const ask = async (input: { accountId: number; name: string; title: string; body: string; tags: string[]; hoursAgo: number; moderation?: "visible" | "pending" }) => {
    const slug =
      input.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 80) || "question";
    const summary = input.body.replace(/\s+/g, " ").slice(0, 200);
    const [row] = await tx.execute<{ id: number }>(sql`
      insert into forum_threads (slug, title, body, body_html, summary, author_name, tags, asked_at, published_at, updated_at, origin, account_id, moderation)
      values (${slug}, ${input.title}, ${input.body}, ${renderMarkdown(input.body)}, ${summary}, ${input.name}, ${`{${input.tags.join(",")}}`}::text[],
        now() - ${`${input.hoursAgo} hours`}::interval, now() - ${`${input.hoursAgo} hours`}::interval, now() - ${`${input.hoursAgo} hours`}::interval,
        'customer', ${input.accountId}, ${input.moderation ?? "visible"})
      returning id`);
    return row!.id;
  };

  // Solved: asked by Dana, answered in public by the postgres SME, accepted by Dana.
  const vacuum = await ask({
    accountId: dana.id,
    name: "Dana Whitfield",
    title: "How do we run VACUUM on our reporting database without locking the tables?",
    body: "Our nightly reports slow down every few weeks and a colleague suggested `VACUUM FULL`. When we tried it the tables were locked for an hour.\n\nIs there a way to reclaim the space without blocking the reports?",
    tags: ["postgres"],
    hoursAgo: 50,
  });
  const sofia = person("Sofia Martins");
  const answer =
    "Plain `VACUUM` (and autovacuum) never takes the lock that blocks reads and writes: only `VACUUM FULL` rewrites the table under an exclusive lock.\n\n1. Let autovacuum keep up: lower `autovacuum_vacuum_scale_factor` on the big tables.\n2. To give space back without the lock, use `pg_repack`, which rebuilds the table online.\n3. Check for long-running transactions first: they stop any vacuum from cleaning up.";
  await tx.execute(sql`
    insert into forum_answers (thread_id, position, body_html, author_name, author_title, author_named, accepted, answered_at, author_user_id)
    values (${vacuum}, 1, ${renderMarkdown(answer)}, ${sofia.name}, ${sofia.title}, true, true, now() - interval '46 hours', ${sofia.id})`);
  await tx.execute(sql`update forum_threads set answer_count = 1, solved = true, updated_at = now() - interval '40 hours' where id = ${vacuum}`);
  await tx.execute(sql`
    insert into forum_queue (thread_id, topics, status, routed_at, due_at, first_response_at, first_response_by_id)
    values (${vacuum}, '{postgres}', 'solved', now() - interval '50 hours', now() - interval '26 hours', now() - interval '46 hours', ${sofia.id})`);
  await tx.execute(sql`insert into forum_routes (thread_id, user_id, topic, reason, routed_at) values (${vacuum}, ${sofia.id}, 'postgres', 'sme', now() - interval '50 hours')`);
  await tx.execute(sql`
    insert into forum_thread_views (thread_id, day, views)
    select ${vacuum}, (current_date - d)::date, 12 + d * 5 from generate_series(0, 2) d`);

  // Waiting: routed by the intake when the app starts (kubernetes: Kenji Sato is its SME).
  await ask({
    accountId: account("wei.zhang@customer.example"),
    name: "Wei Zhang",
    title: "Our agent pods restart every few minutes after upgrading to 4.2",
    body: "Since the upgrade the agent's pods on our Kubernetes cluster go into CrashLoopBackOff every few minutes. The logs end with `OOMKilled`. The memory limit is the default from the chart.\n\nWhat limit do you recommend for about 300 nodes?",
    tags: ["kubernetes"],
    hoursAgo: 2,
  });

  // Hot: an outage several customers share. The intake's rules escalate it when the app starts.
  const outage = await ask({
    accountId: account("amelie.roux@customer.example"),
    name: "Amélie Roux",
    title: "Invoices failing since this morning: is there an outage?",
    body: 'Since about 7:00 UTC every invoice run fails with "payment provider unavailable". We have 400 customers waiting for their invoices and this is really frustrating. Is there an outage on your side?',
    tags: ["billing"],
    hoursAgo: 1,
  });
  for (const email of ["wei.zhang@customer.example", "sam.okoye@customer.example", "promo.deals@customer.example"]) {
    await tx.execute(sql`insert into forum_me_toos (thread_id, account_id, created_at) values (${outage}, ${account(email)}, now() - interval '30 minutes')`);
  }
  await tx.execute(sql`insert into forum_me_toos (thread_id, account_id, created_at) values (${outage}, ${dana.id}, now() - interval '20 minutes')`);

  // A new customer's first post: waits in the moderation queue.
  await ask({
    accountId: account("jordan.ellis@customer.example"),
    name: "Jordan Ellis",
    title: "Is there a version we can run on our own servers?",
    body: "We are a hospital group and our data may not leave our network. Do you offer an on-premises edition, and which database does it need?",
    tags: ["deployment"],
    hoursAgo: 2,
    moderation: "pending",
  });

  // Spam that got through, and Dana's flag on it.
  const spam = "Get 10,000 followers today!!! Visit our site for the best deals.";
  const [comment] = await tx.execute<{ id: number }>(sql`
    insert into forum_comments (thread_id, account_id, body, body_html, created_at)
    values (${vacuum}, ${account("promo.deals@customer.example")}, ${spam}, ${renderMarkdown(spam)}, now() - interval '5 hours')
    returning id`);
  await tx.execute(sql`
    insert into forum_flags (thread_id, comment_id, account_id, reason, note, created_at)
    values (${vacuum}, ${comment!.id}, ${dana.id}, 'spam', 'Advertising, nothing to do with the question.', now() - interval '4 hours')`);

  return { customerQuestions: 4 };
}
