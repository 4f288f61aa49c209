import { count, eq, sql } from "drizzle-orm";
import { acceptAnswer } from "../app/features/qa/accept.server.ts";
import { addComment, askQuestion, postAnswer, renderField } from "../app/features/qa/posts.server.ts";
import { AnswerSchema, AskSchema, CommentSchema } from "../app/features/qa/schemas.ts";
import { castVote } from "../app/features/qa/votes.server.ts";
import { getReputationRules, hasPrivilege } from "../app/features/reputation/rules.server.ts";
import { createSpace, createUser } from "./factories/index.ts";
import { createDb, type Db, type Tx } from "./client.server.ts";
import { random } from "./generate/random.ts";
import { follows, spaceMembers, spaces, tags, users } from "./schema/index.ts";
import { QUESTIONS, type SeedComment, TAG_DESCRIPTIONS } from "./seed-content.ts";
import { seedCampaigns } from "./seed-ideas.ts";
import { seedRecognition } from "./seed-recognition.ts";
import { recomputeAll } from "../app/features/expertise/evidence.server.ts";
import { seedWiki } from "./seed-wiki.ts";
import { seedAskHr } from "./seed-ask-hr.ts";
import { seedRouting } from "../app/features/routing/demo.server.ts";
import { runPeopleAnalytics } from "../app/features/analytics/job.server.ts";
import { DEMO_DOMAIN, DEMO_PASSWORD } from "./seed-info.ts";
import { enqueueIndexing } from "../search/outbox.server.ts";
import { startedDirectly } from "./script.ts";
// @anchor forum-seed
import { seedForum } from "./seed-forum.ts";
import { seedForumCommunity } from "./seed-forum-community.ts";
import { seedMail } from "./seed-mail.ts";

/**
 * The demo company, Northwind: 40 people in five departments across four offices, with managers,
 * an admin, an HR partner, moderators, and spaces (one of them restricted); its Q&A
 * (db/seed-content.ts), its idea campaigns (db/seed-ideas.ts), and its wiki and articles
 * (db/seed-wiki-content.ts).
 */
type Person = {
  name: string;
  title: string;
  department: "Engineering" | "Support" | "Sales" | "HR" | "Finance";
  location: string;
  manager?: string;
  role?: "admin" | "moderator" | "hr";
  bio?: string;
};

const PEOPLE: Person[] = [
  { name: "Amara Okafor", title: "VP Engineering", department: "Engineering", location: "London", role: "admin", bio: "Runs engineering. Ask me about platform strategy and hiring." },
  { name: "Jonas Weber", title: "Engineering Manager, Platform", department: "Engineering", location: "Berlin", manager: "Amara Okafor" },
  { name: "Priya Nair", title: "Senior Security Engineer", department: "Engineering", location: "Berlin", manager: "Jonas Weber", bio: "Threat modelling, SSO, secrets management." },
  { name: "Kenji Sato", title: "Site Reliability Engineer", department: "Engineering", location: "Berlin", manager: "Jonas Weber" },
  { name: "Sofia Martins", title: "Backend Engineer", department: "Engineering", location: "Lisbon", manager: "Jonas Weber", bio: "PostgreSQL whisperer." },
  { name: "Daniel Kim", title: "Engineering Manager, Product", department: "Engineering", location: "Austin", manager: "Amara Okafor" },
  { name: "Grace Liu", title: "Frontend Engineer", department: "Engineering", location: "Austin", manager: "Daniel Kim", bio: "Accessibility and design systems." },
  { name: "Mateo García", title: "Full-stack Engineer", department: "Engineering", location: "Lisbon", manager: "Daniel Kim" },
  { name: "Hannah Schmidt", title: "QA Engineer", department: "Engineering", location: "Berlin", manager: "Daniel Kim" },
  { name: "Oliver Brown", title: "Data Engineer", department: "Engineering", location: "London", manager: "Jonas Weber" },
  { name: "Aisha Rahman", title: "Mobile Engineer", department: "Engineering", location: "London", manager: "Daniel Kim" },
  { name: "Lukas Novak", title: "DevOps Engineer", department: "Engineering", location: "Berlin", manager: "Jonas Weber" },
  { name: "Elena Petrova", title: "Head of Support", department: "Support", location: "Lisbon", bio: "Customer support since 2009. Happy to share our macros." },
  {
    name: "Marco Rossi",
    title: "Support Team Lead",
    department: "Support",
    location: "Lisbon",
    manager: "Elena Petrova",
    role: "moderator",
    bio: "Moderates Ask Support. Ping me about escalations.",
  },
  { name: "Chloe Dubois", title: "Support Specialist", department: "Support", location: "Lisbon", manager: "Marco Rossi" },
  { name: "Samuel Osei", title: "Support Specialist", department: "Support", location: "London", manager: "Marco Rossi" },
  { name: "Yuki Tanaka", title: "Technical Support Engineer", department: "Support", location: "Austin", manager: "Marco Rossi" },
  { name: "Fatima Zahra", title: "Support Specialist", department: "Support", location: "Lisbon", manager: "Marco Rossi" },
  { name: "Ben Carter", title: "Customer Success Manager", department: "Support", location: "Austin", manager: "Elena Petrova" },
  { name: "Nora Lindqvist", title: "Knowledge Base Editor", department: "Support", location: "Berlin", manager: "Elena Petrova", role: "moderator" },
  { name: "Tom Becker", title: "Account Executive", department: "Sales", location: "Berlin", manager: "Rachel Adams" },
  { name: "Rachel Adams", title: "VP Sales", department: "Sales", location: "Austin", bio: "EMEA and North America sales." },
  { name: "Diego Fernández", title: "Sales Engineer", department: "Sales", location: "Lisbon", manager: "Rachel Adams" },
  { name: "Isabella Moretti", title: "Account Executive", department: "Sales", location: "London", manager: "Rachel Adams" },
  { name: "Ahmed Hassan", title: "Sales Development Rep", department: "Sales", location: "London", manager: "Isabella Moretti" },
  { name: "Emily Johnson", title: "Sales Development Rep", department: "Sales", location: "Austin", manager: "Isabella Moretti" },
  { name: "Lucas Silva", title: "Partner Manager", department: "Sales", location: "Lisbon", manager: "Rachel Adams" },
  { name: "Mia Hoffmann", title: "Sales Operations Analyst", department: "Sales", location: "Berlin", manager: "Rachel Adams" },
  { name: "Lena Fischer", title: "HR Business Partner", department: "HR", location: "Berlin", manager: "Sarah O'Connor", role: "hr", bio: "People programs, recognition and learning." },
  { name: "Sarah O'Connor", title: "Head of People", department: "HR", location: "London", role: "hr" },
  { name: "Kwame Mensah", title: "Talent Acquisition Partner", department: "HR", location: "London", manager: "Sarah O'Connor" },
  { name: "Julia Nowak", title: "Learning & Development Lead", department: "HR", location: "Berlin", manager: "Sarah O'Connor" },
  { name: "Ravi Patel", title: "HR Operations Specialist", department: "HR", location: "Austin", manager: "Sarah O'Connor" },
  { name: "Charlotte Evans", title: "CFO", department: "Finance", location: "London" },
  { name: "Pedro Alves", title: "Finance Manager", department: "Finance", location: "Lisbon", manager: "Charlotte Evans" },
  { name: "Anna Kowalski", title: "Accountant", department: "Finance", location: "Berlin", manager: "Pedro Alves" },
  { name: "Michael Chen", title: "Financial Analyst", department: "Finance", location: "Austin", manager: "Pedro Alves" },
  { name: "Zoe Williams", title: "Payroll Specialist", department: "Finance", location: "London", manager: "Charlotte Evans" },
  { name: "Ingrid Larsen", title: "Procurement Lead", department: "Finance", location: "Berlin", manager: "Charlotte Evans" },
  { name: "Omar Farouk", title: "Expenses & Travel Coordinator", department: "Finance", location: "Lisbon", manager: "Pedro Alves" },
];

export function demoEmail(name: string): string {
  const local = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/\s+/g, ".");
  return `${local}@${DEMO_DOMAIN}`;
}

export type SeedResult = {
  users: number;
  spaces: number;
  questions: number;
  answers: number;
  comments: number;
  votes: number;
  accepted: number;
  campaigns: number;
  ideas: number;
  ideaVotes: number;
  pages: number;
  articles: number;
  suggestions: number;
  promotions: number;
  kudos: number;
  values: number;
  rewards: number;
  awardRounds: number;
  badges: number;
};

/** Creates the demo company, its Q&A and its idea campaigns. Runs in one transaction: a failed seed leaves nothing behind. */
export async function seedDemo(db: Db): Promise<SeedResult> {
  return db.transaction(async (tx) => {
    const byName = new Map<string, User>();
    for (const person of PEOPLE) {
      const user = await createUser(tx, {
        email: demoEmail(person.name),
        password: DEMO_PASSWORD,
        name: person.name,
        title: person.title,
        department: person.department,
        location: person.location,
        bio: person.bio ?? "",
        role: person.role ?? "member",
      });
      byName.set(person.name, user);
    }
    // The factory inserts people directly; the Q&A below goes through the features, which enqueue.
    await enqueueIndexing(
      tx,
      "person",
      [...byName.values()].map((u) => u.id),
    );
    for (const person of PEOPLE) {
      if (!person.manager) continue;
      const manager = byName.get(person.manager);
      if (!manager) throw new Error(`seed: unknown manager ${person.manager}`);
      await tx
        .update(users)
        .set({ managerId: manager.id })
        .where(eqId(byName.get(person.name)!.id));
    }
    const pick = (...names: string[]) => names.map((n) => byName.get(n)!);
    const engineers = PEOPLE.filter((p) => p.department === "Engineering").map((p) => p.name);
    await createSpace(tx, {
      slug: "engineering",
      name: "Engineering",
      description: "Architecture, tooling, on-call and everything we build. Open to everyone.",
      moderators: pick("Jonas Weber", "Daniel Kim"),
    });
    await createSpace(tx, {
      slug: "ask-support",
      name: "Ask Support",
      description: "How do I help this customer? Product questions, escalations and known issues.",
      moderators: pick("Marco Rossi", "Nora Lindqvist"),
    });
    await createSpace(tx, {
      slug: "people-and-culture",
      name: "People & Culture",
      description: "Benefits, travel, learning budgets, and how things work around here.",
      moderators: pick("Lena Fischer"),
    });
    await createSpace(
      tx,
      {
        slug: "platform-security",
        name: "Platform Security",
        description: "Incident reviews and security work in progress. Members only.",
        members: pick(...engineers.filter((n) => !["Jonas Weber", "Priya Nair"].includes(n)).slice(0, 6), "Priya Nair"),
        moderators: pick("Jonas Weber"),
      },
      "restricted",
    );
    await createSpace(
      tx,
      {
        slug: "deal-desk",
        name: "Deal Desk",
        description: "Pricing exceptions and contract questions for Sales and Finance. Members only.",
        members: pick("Tom Becker", "Diego Fernández", "Isabella Moretti", "Pedro Alves", "Michael Chen"),
        moderators: pick("Rachel Adams", "Charlotte Evans"),
      },
      "restricted",
    );
    const qa = await seedQuestions(tx, byName);
    // After the Q&A: it dates every notification there is from its question (db/seed-ideas.ts).
    const campaigns = await seedCampaigns(tx, byName);
    // After both: one of the wiki's pages is an answer promoted from the Q&A.
    const wiki = await seedWiki(tx, byName);
    // Last: kudos thank answers, pages and ideas written above.
    const recognition = await seedRecognition(tx, byName);
    // Issue 18: expertise, routing, people analytics, the anonymous "Ask HR" space. The model is
    // built once here, so routing below and the first pages see it (the worker keeps it after).
    await recomputeAll(tx, new Date());
    // A few assigned SMEs (the automatic threshold is above what a demo's few months earn).
    for (const [tag, name] of [
      ["postgres", "Sofia Martins"],
      ["kubernetes", "Kenji Sato"],
      ["billing", "Michael Chen"],
    ] as const) {
      await tx.execute(sql`
        insert into tag_smes (tag_id, user_id, source, assigned_by_id)
        select t.id, ${byName.get(name)!.id}, 'assigned', ${byName.get("Amara Okafor")!.id} from tags t where t.name = ${tag}`);
    }
    // @seed-ask-hr
    await seedAskHr(tx, byName);
    // @seed-routing
    // Engineering answers within 24 working hours; its newest unanswered question was routed, and one was asked of Priya (app/features/routing).
    await seedRouting(tx);
    // @seed-analytics
    // One run of the people analytics over the usual 90 days, so HR's dashboard has roles on the
    // first start (in-process: a few dozen people, inside this transaction); the nightly job follows.
    await runPeopleAnalytics(tx, { inProcess: true });
    // @anchor forum-seed
    // Issue 19: three Ask Support threads published on the public forum, and one Engineering draft
    // waiting for approval with an open flag (db/seed-forum.ts). After the Q&A and the SMEs above.
    await seedForum(tx, byName);
    // @anchor forum-community-seed
    // Issue 20: customers' questions in every state the forum desk shows (routed and escalated by the
    // app's intake when it starts), a finished live session and a share kit (db/seed-forum-community.ts).
    // Dana Whitfield signs in to the forum with the demo password: Amara's hash of it.
    await seedForumCommunity(tx, byName, byName.get("Amara Okafor")!.passwordHash!);
    // Issue 21: last, so every notification above counts as already looked at by the mailer (db/seed-mail.ts).
    await seedMail(tx, byName);
    return { users: PEOPLE.length, spaces: 7, ...qa, ...campaigns, ...wiki, ...recognition };
  });
}

type User = typeof users.$inferSelect;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Who follows which tags in the demo (so new questions in them reach an inbox). */
const TAG_FOLLOWERS: Record<string, string[]> = {
  postgres: ["Sofia Martins", "Oliver Brown"],
  kubernetes: ["Kenji Sato", "Lukas Novak"],
  secrets: ["Priya Nair"],
  sso: ["Priya Nair"],
  ci: ["Lukas Novak", "Hannah Schmidt"],
  expenses: ["Omar Farouk"],
  "known-issue": ["Nora Lindqvist", "Marco Rossi"],
  billing: ["Michael Chen"],
  discounts: ["Rachel Adams"],
  learning: ["Julia Nowak"],
};

function shuffled<T>(items: readonly T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

type Timed = { id: number; at: number };
type Votable = { id: number; authorId: number; spaceId: number; at: number; up: number; down: number };

/**
 * The demo Q&A (db/seed-content.ts), posted through the feature functions the app uses, so
 * revisions, counters, follows, notifications and the reputation ledger are real. Everything
 * happens "now" inside the seed's transaction; then the dates are moved into the past so the
 * lists, the inboxes and the reputation charts look like months of use.
 */
async function seedQuestions(tx: Tx, people: Map<string, User>) {
  // The feature functions open their own transaction; inside the seed's it becomes a savepoint.
  const db = tx as unknown as Db;
  const person = (name: string): User => {
    const found = people.get(name);
    if (!found) throw new Error(`seed: unknown person ${name}`);
    return found;
  };
  const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
  const now = new Date(clock!.now).getTime();
  // Nothing is dated in the future, nor in the last few minutes (which would read "just now").
  const latest = now - 10 * 60_000;
  const after = (base: number, hours: number) => Math.max(base, Math.min(base + hours * HOUR, latest));

  const tagNames = [...new Set(QUESTIONS.flatMap((q) => q.tags))];
  await tx.insert(tags).values(
    tagNames.map((name) => {
      const description = TAG_DESCRIPTIONS[name] ?? "";
      return { name, description, descriptionHtml: description ? renderField(description, "description") : "" };
    }),
  );
  const tagRows = await tx.select({ id: tags.id, name: tags.name }).from(tags);
  await tx
    .insert(follows)
    .values(
      Object.entries(TAG_FOLLOWERS).flatMap(([tag, names]) =>
        names.map((name) => ({ userId: person(name).id, tagId: tagRows.find((t) => t.name === tag)!.id, createdAt: new Date(now - 200 * DAY) })),
      ),
    );

  const postTimes: Array<Timed & { activity?: number; views?: number }> = [];
  const commentTimes: Timed[] = [];
  const votables: Votable[] = [];
  const accepts: Array<{ asker: User; answerId: number; at: number }> = [];
  let answerCount = 0;

  const comment = async (postId: number, postedAt: number, list: SeedComment[] | undefined) => {
    let last = postedAt;
    for (const c of list ?? []) {
      const { id } = await addComment(db, person(c.by), postId, CommentSchema.parse({ body: c.body }));
      last = after(postedAt, c.after);
      commentTimes.push({ id, at: last });
    }
    return last;
  };

  const spaceIds = new Map((await tx.select({ id: spaces.id, slug: spaces.slug }).from(spaces)).map((s) => [s.slug, s.id]));
  // Oldest first, so ids grow with time as they would have.
  const ordered = [...QUESTIONS].sort((a, b) => b.daysAgo - a.daysAgo);
  for (const [index, q] of ordered.entries()) {
    const asker = person(q.by);
    const asked = Math.min(now - q.daysAgo * DAY, latest);
    const { id: questionId } = await askQuestion(db, asker, AskSchema.parse({ space: q.space, title: q.title, body: q.body, tags: q.tags }));
    const spaceId = spaceIds.get(q.space)!;
    let activity = await comment(questionId, asked, q.comments);
    votables.push({ id: questionId, authorId: asker.id, spaceId, at: asked, up: q.up ?? 0, down: q.down ?? 0 });
    for (const a of q.answers ?? []) {
      const answered = after(asked, a.after);
      const { id: answerId } = await postAnswer(db, person(a.by), questionId, AnswerSchema.parse({ body: a.body }));
      answerCount++;
      postTimes.push({ id: answerId, at: answered });
      votables.push({ id: answerId, authorId: person(a.by).id, spaceId, at: answered, up: a.up ?? 0, down: a.down ?? 0 });
      activity = Math.max(activity, answered, await comment(answerId, answered, a.comments));
      if (a.accepted) {
        const acceptedAt = after(answered, 1 + (index % 6) * 3);
        accepts.push({ asker, answerId, at: acceptedAt });
        activity = Math.max(activity, acceptedAt);
      }
    }
    // Views grow with age, votes and answers; never fewer than the people who took part.
    const views = 6 + Math.round(Math.min(q.daysAgo, 90) * 1.3) + (q.up ?? 0) * 7 + (q.answers?.length ?? 0) * 11 + ((index * 7) % 13);
    postTimes.push({ id: questionId, at: asked, activity, views });
  }

  const votes = await seedVotes(tx, db, votables, people, latest);
  for (const accept of accepts) await acceptAnswer(db, accept.asker, accept.answerId);

  // Move everything into the past, a statement per table.
  const json = (rows: unknown) => JSON.stringify(rows);
  await tx.execute(sql`
    update posts p set created_at = v.at, updated_at = v.at,
      last_activity_at = coalesce(v.activity, p.last_activity_at), view_count = coalesce(v.views, p.view_count)
    from jsonb_to_recordset(${json(postTimes.map((t) => ({ id: t.id, at: new Date(t.at), activity: t.activity ? new Date(t.activity) : null, views: t.views ?? null })))}::jsonb)
      as v(id int, at timestamptz, activity timestamptz, views int)
    where p.id = v.id`);
  await tx.execute(sql`update items i set created_at = p.created_at from posts p where p.item_id = i.id`);
  await tx.execute(sql`update revisions r set created_at = p.created_at from posts p where p.item_id = r.item_id`);
  await tx.execute(sql`
    update comments c set created_at = v.at, updated_at = v.at
    from jsonb_to_recordset(${json(commentTimes.map((t) => ({ id: t.id, at: new Date(t.at) })))}::jsonb) as v(id int, at timestamptz)
    where c.id = v.id`);
  await tx.execute(sql`
    update follows f set created_at = coalesce(
      (select min(a.created_at) from posts a where a.parent_id = q.id and a.author_id = f.user_id),
      q.created_at)
    from posts q
    where q.item_id = f.item_id`);
  const acceptTimes = json(accepts.map((a) => ({ post: a.answerId, at: new Date(a.at) })));
  await tx.execute(sql`
    update reputation_events e set created_at = v.at
    from jsonb_to_recordset(${acceptTimes}::jsonb) as v(post int, at timestamptz)
    join posts p on p.id = v.post
    where e.item_id = p.item_id and e.reason in ('answer_accepted', 'accept_given')`);
  // A notification is as old as what it tells about; the ones older than a few days have been read.
  await tx.execute(sql`
    update notifications n set created_at = coalesce(
      case when n.kind = 'accept' then v.at end,
      (select c.created_at from comments c where c.id = n.comment_id),
      (select p.created_at from posts p where p.item_id = coalesce(n.subject_item_id, n.item_id)))
    from notifications n2 left join (
      select p.item_id, v.at from jsonb_to_recordset(${acceptTimes}::jsonb) as v(post int, at timestamptz) join posts p on p.id = v.post
    ) v on v.item_id = n2.subject_item_id
    where n.id = n2.id`);
  await tx.execute(sql`update notifications set read_at = created_at + interval '5 hours' where created_at < now() - interval '3 days'`);
  // People joined Northwind well before the Q&A started.
  await tx.execute(sql`update users set created_at = now() - interval '1 day' * (220 + (id * 37) % 900)`);

  return { questions: QUESTIONS.length, answers: answerCount, comments: commentTimes.length, votes, accepted: accepts.length };
}

/**
 * Votes through `castVote`, so scores and the reputation ledger are real. A post's votes come in
 * over the days after it was written: its ledger events are dated right after it is voted on,
 * which also keeps the daily reputation cap (counted on today's events) out of the way, as it
 * would be for votes spread over months. Downvotes come last, from people whose reputation (or
 * moderation role) allows them by then.
 */
async function seedVotes(tx: Tx, db: Db, votables: Votable[], people: Map<string, User>, latest: number): Promise<number> {
  const everyone = [...people.values()];
  const memberships = await tx.select().from(spaceMembers);
  const restricted = new Set((await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.visibility, "restricted"))).map((s) => s.id));
  const audience = (spaceId: number) => everyone.filter((u) => u.role === "admin" || !restricted.has(spaceId) || memberships.some((m) => m.spaceId === spaceId && m.userId === u.id));
  const membership = (spaceId: number, userId: number) => {
    const m = memberships.find((row) => row.spaceId === spaceId && row.userId === userId);
    return m ? { role: m.role } : null;
  };
  const votedAt: Array<{ post: number; actor: number; at: Date }> = [];
  let count = 0;

  const cast = async (post: Votable, voters: User[], value: 1 | -1) => {
    if (voters.length === 0) return;
    // Over the following days, but never past now.
    const spread = Math.min(10 * DAY, latest - post.at) / (voters.length + 1);
    const times = voters.map((voter, i) => ({ post: post.id, actor: voter.id, at: new Date(Math.min(post.at + spread * (i + 1), latest)) }));
    for (const voter of voters) await castVote(db, voter, post.id, value);
    await tx.execute(sql`
      update reputation_events e set created_at = v.at
      from jsonb_to_recordset(${JSON.stringify(times)}::jsonb) as v(post int, actor int, at timestamptz)
      join posts p on p.id = v.post
      where e.item_id = p.item_id and e.actor_id = v.actor and e.created_at = now()`);
    votedAt.push(...times);
    count += voters.length;
  };

  const pools = new Map<number, User[]>();
  for (const [index, post] of votables.entries()) {
    const pool = shuffled(
      audience(post.spaceId).filter((u) => u.id !== post.authorId),
      random(index + 1),
    );
    pools.set(post.id, pool);
    await cast(post, pool.slice(0, post.up), 1);
  }

  const rules = await getReputationRules(tx);
  const current = new Map((await tx.select().from(users)).map((u) => [u.id, u]));
  for (const post of votables.filter((p) => p.down > 0)) {
    const pool = pools
      .get(post.id)!
      .slice(post.up)
      .map((u) => current.get(u.id)!);
    const voters = pool.filter((u) => hasPrivilege(u, "voteDown", rules, membership(post.spaceId, u.id))).slice(0, post.down);
    await cast(post, voters, -1);
  }

  await tx.execute(sql`
    update votes pv set created_at = v.at, updated_at = v.at
    from jsonb_to_recordset(${JSON.stringify(votedAt)}::jsonb) as v(post int, actor int, at timestamptz)
    join posts p on p.id = v.post
    where pv.item_id = p.item_id and pv.user_id = v.actor`);
  return count;
}

function eqId(id: number) {
  return eq(users.id, id);
}

/** Seeds only a database that has no users yet (the first embedded start). */
export async function seedDemoIfEmpty(url: string, log: (line: string) => void): Promise<boolean> {
  const db = createDb(url, { max: 1 });
  try {
    const [row] = await db.select({ n: count() }).from(users);
    if ((row?.n ?? 0) > 0) return false;
    const result = await seedDemo(db);
    log(`seeded the demo company: ${result.users} people, ${result.spaces} spaces`);
    log(`seeded the demo Q&A: ${result.questions} questions, ${result.answers} answers, ${result.comments} comments, ${result.votes} votes`);
    log(`seeded the demo idea campaigns: ${result.campaigns} campaigns, ${result.ideas} ideas, ${result.ideaVotes} votes`);
    return true;
  } finally {
    await db.close();
  }
}

if (startedDirectly(import.meta.url)) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("db:seed needs DATABASE_URL (npm start seeds the embedded database on its first start)");
    process.exit(1);
  }
  const seeded = await seedDemoIfEmpty(url, console.log);
  if (!seeded) console.log("the database already has users: nothing seeded");
}
