import type postgres from "postgres";

/** One question in this many (answered, with an accepted answer, in an open space) is on the public forum. */
export const PUBLISHED_EVERY = 50;

/**
 * The public forum of a generated company (issue 19): a sample of the answered questions of open
 * spaces, published as the workflow would have left them, so the bench has forum threads to read.
 * Each gets a published publication (proposed by its asker, every author named), a forum thread
 * whose text is the question's stored HTML and, as its answers, the accepted one and the next two
 * by score. Set-based, with the thread ids chosen here: a few statements whatever the size.
 */
export async function generateForum(tx: postgres.TransactionSql, every = PUBLISHED_EVERY): Promise<{ threads: number; answers: number }> {
  await tx.unsafe(`
    create temporary table forum_sample on commit drop as
    select (row_number() over (order by q.id))::int as thread_id, q.id as question_id, q.space_id, q.author_id,
      q.title, q.body, q.body_html, q.tags, q.created_at, q.accepted_answer_id,
      q.created_at + interval '3 days' as published_at
    from posts q join spaces s on s.id = q.space_id and s.visibility = 'open'
    where q.type = 'question' and q.deleted_at is null and q.accepted_answer_id is not null and q.id % ${every} = 7`);
  await tx.unsafe(`
    create temporary table forum_sample_answers on commit drop as
    select s.thread_id, a.id as answer_id, a.author_id, a.body, a.body_html, a.created_at,
      a.id = s.accepted_answer_id as accepted,
      (row_number() over (partition by s.thread_id order by (a.id = s.accepted_answer_id) desc, a.score desc, a.id))::int as position
    from forum_sample s join posts a on a.parent_id = s.question_id and a.type = 'answer' and a.deleted_at is null`);
  await tx.unsafe(`delete from forum_sample_answers where position > 3`);
  await tx.unsafe(`
    insert into forum_threads (id, slug, title, body_html, summary, author_name, author_title, author_named, tags, answer_count, solved, asked_at, published_at, updated_at)
    overriding system value
    select s.thread_id,
      coalesce(nullif(trim(both '-' from left(regexp_replace(lower(s.title), '[^a-z0-9]+', '-', 'g'), 80)), ''), 'thread'),
      s.title, s.body_html, left(regexp_replace(s.body, '\\s+', ' ', 'g'), 200), u.name, u.title, true, s.tags,
      (select count(*) from forum_sample_answers a where a.thread_id = s.thread_id), true, s.created_at, s.published_at, s.published_at
    from forum_sample s join users u on u.id = s.author_id`);
  const answers = await tx.unsafe(`
    insert into forum_answers (thread_id, position, body_html, author_name, author_title, author_named, accepted, answered_at)
    select a.thread_id, a.position, a.body_html, u.name, u.title, true, a.accepted, a.created_at
    from forum_sample_answers a join users u on u.id = a.author_id`);
  await tx.unsafe(`
    insert into publications (question_id, space_id, proposer_id, status, title, tags, thread_id, expires_at, published_at, created_at, updated_at)
    select s.question_id, s.space_id, s.author_id, 'published', s.title, s.tags, s.thread_id, null, s.published_at, s.published_at - interval '1 day', s.published_at
    from forum_sample s`);
  await tx.unsafe(`
    insert into publication_parts (publication_id, kind, post_id, author_id, body, included, accepted, position, written_at)
    select p.id, 'question'::publication_part_kind, s.question_id, s.author_id, s.body, true, false, 0, s.created_at
    from forum_sample s join publications p on p.thread_id = s.thread_id
    union all
    select p.id, 'answer'::publication_part_kind, a.answer_id, a.author_id, a.body, true, a.accepted, a.position, a.created_at
    from forum_sample_answers a join publications p on p.thread_id = a.thread_id`);
  await tx.unsafe(`
    insert into publication_consents (publication_id, user_id, choice, decided_at)
    select distinct p.id, pp.author_id, 'named'::consent_choice, p.created_at
    from publications p join publication_parts pp on pp.publication_id = p.id
    where p.thread_id in (select thread_id from forum_sample)`);
  await tx.unsafe(`
    insert into publication_events (publication_id, actor_id, kind, detail, created_at)
    select p.id, p.proposer_id, 'published', 'Published with the generated company', p.published_at
    from publications p where p.thread_id in (select thread_id from forum_sample)`);
  await tx.unsafe(`select setval(pg_get_serial_sequence('forum_threads', 'id'), (select coalesce(max(id), 0) + 1 from forum_threads), false)`);
  const [count] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from forum_sample`);
  return { threads: count!.n, answers: answers.count };
}

/** One question in this many (in an open space) is also asked on the forum by a generated customer (issue 20). */
export const CUSTOMER_ASKED_EVERY = 100;
/** Customers of a generated company: one forum account per this many customer questions. */
const QUESTIONS_PER_CUSTOMER = 4;
/** The generated customer who signs in to the forum (the bench's posting row), with the demo password. */
export const GENERATED_CUSTOMER_EMAIL = "customer@customer.example";

/**
 * Customers' questions on the forum of a generated company (issue 20): the text of a sample of the
 * open spaces' questions, asked by generated forum accounts, as the intake would have left them.
 * Those with an answer got the best one from its author in public (named, with the transparency
 * badge's fields); where it was the accepted one, the asker accepted it and the thread is solved; each has its queue row, routed to
 * the answerer, with the first response at the answer. Solved threads have a week of page views.
 * `passwordHash` is the demo password's, so the bench signs in as the first customer.
 */
export async function generateCustomerQuestions(
  tx: postgres.TransactionSql,
  passwordHash: string,
  every = CUSTOMER_ASKED_EVERY,
): Promise<{ questions: number; answered: number; accounts: number }> {
  await tx.unsafe(`
    create temporary table customer_sample on commit drop as
    select (row_number() over (order by q.id))::int as n, q.id as question_id, q.title, q.body, q.body_html, q.tags, q.created_at,
      a.author_id as answerer_id, a.body_html as answer_html, a.created_at as answered_at, a.id = q.accepted_answer_id as accepted
    from posts q join spaces s on s.id = q.space_id and s.visibility = 'open'
    left join lateral (
      select a.id, a.author_id, a.body_html, a.created_at from posts a
      where a.parent_id = q.id and a.type = 'answer' and a.deleted_at is null
      order by (a.id = q.accepted_answer_id) desc, a.score desc, a.id limit 1) a on true
    where q.type = 'question' and q.deleted_at is null and q.id % ${every} = 31`);
  const [{ n: questions } = { n: 0 }] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from customer_sample`);
  if (questions === 0) return { questions: 0, answered: 0, accounts: 0 };
  const accounts = Math.max(1, Math.ceil(questions / QUESTIONS_PER_CUSTOMER));
  await tx.unsafe(
    `
    insert into forum_accounts (email, name, password_hash, verified_at, trusted_at, created_at)
    select case when i = 1 then '${GENERATED_CUSTOMER_EMAIL}' else 'customer' || i || '@customer.example' end,
      'Customer ' || i, $1, now() - interval '400 days', now() - interval '400 days', now() - interval '400 days'
    from generate_series(1, ${accounts}) i`,
    [passwordHash],
  );
  await tx.unsafe(`
    create temporary table customer_threads on commit drop as
    with inserted as (
      insert into forum_threads (slug, title, body, body_html, summary, author_name, author_named, tags, answer_count, solved, asked_at, published_at, updated_at, origin, account_id)
      select coalesce(nullif(trim(both '-' from left(regexp_replace(lower(s.title), '[^a-z0-9]+', '-', 'g'), 80)), ''), 'question'),
        s.title, s.body, s.body_html, left(regexp_replace(s.body, '\\s+', ' ', 'g'), 200), fa.name, true, s.tags,
        (s.answerer_id is not null)::int, coalesce(s.accepted, false), s.created_at, s.created_at, coalesce(s.answered_at, s.created_at), 'customer', fa.id
      from customer_sample s
      join forum_accounts fa on fa.email = case when (s.n - 1) % ${accounts} = 0 then '${GENERATED_CUSTOMER_EMAIL}' else 'customer' || ((s.n - 1) % ${accounts} + 1) || '@customer.example' end
      order by s.n
      returning id, title, asked_at)
    select i.id as thread_id, s.* from inserted i join customer_sample s on s.title = i.title and s.created_at = i.asked_at`);
  const answered = await tx.unsafe(`
    insert into forum_answers (thread_id, position, body_html, author_name, author_title, author_named, accepted, answered_at, author_user_id)
    select distinct on (c.thread_id) c.thread_id, 1, c.answer_html, u.name, u.title, true, coalesce(c.accepted, false), c.answered_at, u.id
    from customer_threads c join users u on u.id = c.answerer_id
    order by c.thread_id`);
  await tx.unsafe(`
    insert into forum_queue (thread_id, topics, status, routed_at, due_at, first_response_at, first_response_by_id)
    select distinct on (c.thread_id) c.thread_id, c.tags, case when c.accepted then 'solved' when c.answerer_id is not null then 'answered' else 'open' end::forum_queue_status,
      c.created_at, c.created_at + interval '24 hours', c.answered_at, c.answerer_id
    from customer_threads c order by c.thread_id`);
  await tx.unsafe(`
    insert into forum_routes (thread_id, user_id, topic, reason, routed_at)
    select distinct on (c.thread_id) c.thread_id, c.answerer_id, coalesce(c.tags[1], ''), 'expert', c.created_at
    from customer_threads c where c.answerer_id is not null order by c.thread_id`);
  await tx.unsafe(`
    insert into forum_thread_views (thread_id, day, views)
    select t.id, (current_date - d)::date, 5 + (t.id * 7 + d * 3) % 40
    from forum_threads t cross join generate_series(0, 6) d
    where t.solved and t.moderation = 'visible'`);
  return { questions, answered: answered.count, accounts };
}

/** One customer question in this many gets an escalation on the forum desk (issue 20's hot issues). */
export const ESCALATED_EVERY = 5;
/** Upcoming live sessions of a generated company, and customer questions waiting in each. */
const LIVE_SESSIONS = 3;
const LIVE_QUESTIONS = 8;
/** Share kits, and published threads in each. */
const SHARE_KITS = 2;
const KIT_ITEMS = 5;

/**
 * The forum desk's other work (issue 20), so that every page of it has something to show:
 * escalations on a share of the customers' questions, in each state the desk lists; live sessions
 * to come, each with two experts (the most active answerers of its topic) and customers' questions
 * already waiting with their votes; and share kits of published threads. Sessions start days ahead,
 * so the app's scheduler leaves them as they are. Run after `generateCustomerQuestions`.
 */
export async function generateForumDesk(tx: postgres.TransactionSql): Promise<{ escalations: number; sessions: number; kits: number }> {
  const escalations = await tx.unsafe(`
    insert into forum_escalations (thread_id, rules, reasons, severity, status, assignee_id, due_at, first_response_at, outcome, created_at, updated_at, resolved_at)
    select t.id, array['urgent_terms'], array['Urgent term: ' || (array['outage', 'down', 'data loss', 'security'])[1 + k % 4]],
      (array['medium', 'high', 'critical', 'low'])[1 + k % 4]::escalation_severity,
      (array['open', 'investigating', 'resolved', 'open'])[1 + k % 4]::escalation_status,
      case when k % 4 = 0 then null else q.first_response_by_id end,
      t.asked_at + interval '24 hours', case when k % 4 in (1, 2) then t.asked_at + interval '3 hours' end,
      case when k % 4 = 2 then 'Fixed in the release of the following week.' else '' end,
      t.asked_at, t.asked_at, case when k % 4 = 2 then t.asked_at + interval '2 days' end
    from (select t.*, (row_number() over (order by t.id))::int - 1 as k from forum_threads t where t.origin = 'customer') t
    join forum_queue q on q.thread_id = t.id
    where t.k % ${ESCALATED_EVERY} = 0`);
  const topics = await tx.unsafe<{ topic: string }[]>(`
    select tag as topic from (select unnest(tags) as tag from forum_threads where origin = 'customer') x
    group by tag order by count(*) desc, tag limit ${LIVE_SESSIONS}`);
  for (const [i, { topic }] of topics.entries()) {
    const [session] = await tx.unsafe<{ id: number }[]>(
      `insert into live_sessions (title, description, description_html, topic, audience, starts_at, ends_at, created_by_id)
       values ($1, $2, $3, $4, 'forum', date_trunc('hour', now()) + $5::interval, date_trunc('hour', now()) + $5::interval + interval '1 hour',
         (select id from users where role = 'admin' and deactivated_at is null order by id limit 1))
       returning id`,
      [`Ask us anything: ${topic}`, `Our ${topic} experts answer your questions live.`, `<p>Our ${topic} experts answer your questions live.</p>`, topic, `${3 + i * 7} days`],
    );
    await tx.unsafe(
      `insert into live_session_experts (session_id, user_id, name, title)
       select $1, u.id, u.name, u.title from users u
       join (select a.author_id, count(*) as n from posts a join posts q on q.id = a.parent_id
             where a.type = 'answer' and a.deleted_at is null and $2 = any(q.tags) group by a.author_id) x on x.author_id = u.id
       where u.kind = 'employee' and u.deactivated_at is null order by x.n desc, u.id limit 2`,
      [session!.id, topic],
    );
    await tx.unsafe(
      `insert into live_session_questions (session_id, account_id, author_name, body, body_html, votes, created_at)
       select $1, fa.id, fa.name, t.title, '<p>' || replace(replace(replace(t.title, '&', '&amp;'), '<', '&lt;'), '>', '&gt;') || '</p>', 0, now() - (n || ' hours')::interval
       from (select t.*, (row_number() over (order by t.id desc))::int as n from forum_threads t where t.origin = 'customer' and $2 = any(t.tags)) t
       join forum_accounts fa on fa.id = t.account_id
       where t.n <= ${LIVE_QUESTIONS}`,
      [session!.id, topic],
    );
    // Other customers' up-votes: a few on each question, more on the earlier ones.
    await tx.unsafe(
      `with voted as (
         insert into live_session_votes (question_id, voter, created_at)
         select q.id, 'a:' || fa.id, q.created_at + interval '5 minutes'
         from live_session_questions q
         join lateral (select id from forum_accounts where id <> q.account_id order by id limit (q.id * 7) % 9) fa on true
         where q.session_id = $1
         returning question_id)
       update live_session_questions q set votes = v.n from (select question_id, count(*)::int as n from voted group by question_id) v where q.id = v.question_id`,
      [session!.id],
    );
  }
  const [{ n: threads } = { n: 0 }] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from forum_threads where origin = 'published' and withdrawn_at is null`);
  let kits = 0;
  if (threads > 0) {
    for (let k = 0; k < SHARE_KITS; k++) {
      const [kit] = await tx.unsafe<{ id: number }[]>(
        `insert into share_kits (title, description, created_by_id)
         values ($1, $2, (select id from users where role = 'admin' and deactivated_at is null order by id limit 1)) returning id`,
        [k === 0 ? "Answers customers ask for most" : "New this month", "Published answers worth sharing with the people you work with outside."],
      );
      await tx.unsafe(
        `insert into share_kit_items (kit_id, kind, thread_id, title, suggested_text, position)
         select $1, 'thread', t.id, t.title, 'Our engineers answered this one in public: ' || t.title, (row_number() over (order by t.id))::int - 1
         from (select id, title from forum_threads where origin = 'published' and withdrawn_at is null order by id offset $2 limit ${KIT_ITEMS}) t`,
        [kit!.id, k * KIT_ITEMS],
      );
      kits++;
    }
  }
  return { escalations: escalations.count, sessions: topics.length, kits };
}
