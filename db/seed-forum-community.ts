import { sql } from "drizzle-orm";
import type { Db, Tx } from "./client.server.ts";
import type { users } from "./schema/index.ts";
import { endSession } from "#app/features/live/archive.server.ts";
import { answerLiveQuestion, moveSession, scheduleSession } from "#app/features/live/sessions.server.ts";
import { newShareCode } from "#app/features/share/codes.ts";
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

  // Who answers customers besides the SMEs, and how fast: Marco Rossi (Support) is a named
  // responder for billing and deployment; billing questions are due in 4 hours, others in the default 24.
  const marco = person("Marco Rossi");
  await tx.execute(sql`
    insert into forum_responders (topic, user_id, named_by_id) values ('billing', ${marco.id}, ${marco.id}), ('deployment', ${marco.id}, ${marco.id})`);
  await tx.execute(sql`insert into forum_topic_settings (topic, sla_hours, updated_by_id) values ('billing', 4, ${marco.id})`);

  // Waiting: routed by the intake when the app starts (kubernetes: Kenji Sato is its SME).
  const pods = await ask({
    accountId: account("wei.zhang@customer.example"),
    name: "Wei Zhang",
    title: "Our agent pods restart every few minutes after upgrading to 4.2",
    body: "Since the upgrade the agent's pods on our Kubernetes cluster go into CrashLoopBackOff every few minutes. The logs end with `OOMKilled`. The memory limit is the default from the chart.\n\nWhat limit do you recommend for about 300 nodes?",
    tags: ["kubernetes"],
    hoursAgo: 2,
  });
  // Lukas Novak is no SME of kubernetes, so he suggests an answer for Kenji to post with his credit.
  await tx.execute(sql`
    insert into forum_suggestions (thread_id, author_id, body, created_at)
    values (${pods}, ${person("Lukas Novak").id}, ${"The chart's default limit is 256 MiB, sized for 50 nodes. At 300 nodes set `agent.resources.limits.memory` to 1 GiB; the agent's cache grows with the node count."}, now() - interval '1 hour')`);

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

  await seedLiveSessions(tx, person, { dana: dana.id, wei: account("wei.zhang@customer.example"), amelie: account("amelie.roux@customer.example") });
  await seedShareKit(tx, person);
  return { customerQuestions: 4 };
}

/**
 * Live expert sessions through the feature's own functions (app/features/live): a finished forum
 * session with Sofia Martins and Kenji Sato, whose answered questions became its forum thread
 * when it ended, and an upcoming one with customers' questions already waiting.
 */
async function seedLiveSessions(tx: Tx, person: (name: string) => User, customers: { dana: number; wei: number; amelie: number }): Promise<void> {
  const db = tx as unknown as Db;
  const marco = person("Marco Rossi");
  const hour = 3_600_000;
  const now = Date.now();
  const ask = async (sessionId: number, accountId: number, name: string, body: string, votes: number) => {
    const [row] = await tx.execute<{ id: number }>(sql`
      insert into live_session_questions (session_id, account_id, author_name, body, body_html, votes, created_at)
      values (${sessionId}, ${accountId}, ${name}, ${body}, ${renderMarkdown(body)}, ${votes}, now() - interval '2 days')
      returning id`);
    // The votes' rows, from customers of the demo other than the asker (the counter above is theirs).
    await tx.execute(sql`
      insert into live_session_votes (question_id, voter)
      select ${row!.id}, 'a:' || a.id from forum_accounts a where a.id <> ${accountId} order by a.id limit ${votes}`);
    return row!.id;
  };

  const finished = await scheduleSession(db, marco, {
    title: "Ask the PostgreSQL team anything",
    description: "Sofia and Kenji run the databases behind Northwind's hosted service. Bring your questions about performance, upgrades and backups.",
    topic: "postgres",
    audience: "forum",
    space: "",
    startsAt: new Date(now - 50 * hour),
    endsAt: new Date(now - 49 * hour),
    experts: ["sofia.martins", "kenji.sato"],
  });
  const qa: Array<[number, string, string, number, string | null, string]> = [
    [
      customers.dana,
      "Dana Whitfield",
      "Which PostgreSQL versions does the hosted service run, and when do you upgrade?",
      4,
      "Sofia Martins",
      "We run the two newest major versions. A new major is offered three months after its release, and we upgrade your database in the maintenance window you choose.",
    ],
    [
      customers.wei,
      "Wei Zhang",
      "How long do you keep backups, and can we restore a single table?",
      3,
      "Kenji Sato",
      "Backups are kept for 30 days with point-in-time recovery. Restoring one table is a restore to a new database and a copy of that table: support can do it for you.",
    ],
    [customers.amelie, "Amélie Roux", "Can we get read replicas in another region?", 1, null, ""],
  ];
  await moveSession(db, marco, finished.id, "start");
  for (const [accountId, name, body, votes, expert, answer] of qa) {
    const id = await ask(finished.id, accountId, name, body, votes);
    if (expert) await answerLiveQuestion(db, person(expert), finished.id, id, { body: answer });
  }
  await endSession(db, marco, finished.id);

  const upcoming = await scheduleSession(db, marco, {
    title: "Kubernetes agent: office hours",
    description: "Kenji answers questions about running the agent on Kubernetes: sizing, upgrades and monitoring.",
    topic: "kubernetes",
    audience: "forum",
    space: "",
    startsAt: new Date(now + 3 * 24 * hour),
    endsAt: new Date(now + 3 * 24 * hour + hour),
    experts: ["kenji.sato"],
  });
  await ask(upcoming.id, customers.wei, "Wei Zhang", "What memory limit do you recommend for the agent on 300 nodes?", 2);
  await ask(upcoming.id, customers.dana, "Dana Whitfield", "Can the agent run on ARM nodes?", 1);
}

/**
 * A share kit as communications staff would curate it (Nora Lindqvist, a curator): two published
 * threads and an article, each with suggested text; three employees' personal links with six weeks
 * of clicks from a few sites; two of them on the leaderboard (it is opt-in).
 */
async function seedShareKit(tx: Tx, person: (name: string) => User): Promise<void> {
  const nora = person("Nora Lindqvist");
  await tx.execute(sql`insert into share_curators (user_id) values (${nora.id})`);
  const [kit] = await tx.execute<{ id: number }>(sql`
    insert into share_kits (title, description, created_by_id, created_at)
    values ('Support answers worth sharing this month',
      ${"Three answers customers keep thanking us for. Share them where your customers ask: **use your own words**, the suggested text is a start."},
      ${nora.id}, now() - interval '40 days')
    returning id`);
  const threads = await tx.execute<{ id: number; slug: string; title: string }>(sql`
    select id, slug, title from forum_threads where origin = 'published' and withdrawn_at is null order by published_at, id limit 2`);
  const items: Array<{ kind: "thread" | "article"; threadId: number | null; url: string; title: string; text: string; target: string }> = [
    ...threads.map((t, i) => ({
      kind: "thread" as const,
      threadId: Number(t.id),
      url: "",
      title: t.title,
      text: i === 0 ? "Accented names vanishing from a CSV import? Our support team explains why, and the fix." : "Webhooks failing with 'certificate verify failed'? Here is what to check.",
      target: `/t/${t.id}/${t.slug}`,
    })),
    {
      kind: "article",
      threadId: null,
      url: "https://blog.northwind.example/2026/11/how-we-answer-customers",
      title: "How we answer customers in public",
      text: "Why our engineers answer customers under their own names.",
      target: "https://blog.northwind.example/2026/11/how-we-answer-customers",
    },
  ];
  const people = ["Priya Nair", "Tom Becker", "Sofia Martins"].map(person);
  for (const [position, item] of items.entries()) {
    const [row] = await tx.execute<{ id: number }>(sql`
      insert into share_kit_items (kit_id, kind, thread_id, url, title, suggested_text, position, created_at)
      values (${kit!.id}, ${item.kind}, ${item.threadId}, ${item.url}, ${item.title}, ${item.text}, ${position}, now() - interval '40 days')
      returning id`);
    for (const [n, who] of people.entries()) {
      if ((position + n) % 3 === 2) continue;
      const code = newShareCode();
      await tx.execute(sql`insert into share_links (code, user_id, item_id, target, created_at) values (${code}, ${who.id}, ${row!.id}, ${item.target}, now() - interval '39 days')`);
      // A few clicks a week from LinkedIn, X and links without a referrer, more for earlier sharers.
      await tx.execute(sql`
        insert into share_clicks (code, day, referrer_host, clicks)
        select ${code}, (current_date - d)::date, h.host, 1 + (d + ${n} + ${position}) % (4 - ${n})
        from generate_series(0, 38, 3) d
        cross join (values ('www.linkedin.com'), ('x.com'), ('')) as h(host)
        where (d + length(h.host) + ${n}) % 2 = 0`);
    }
  }
  for (const name of ["Priya Nair", "Sofia Martins"]) await tx.execute(sql`insert into share_leaderboard_opt_ins (user_id) values (${person(name).id})`);
}
