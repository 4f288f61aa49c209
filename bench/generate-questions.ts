/**
 * A fast, deterministic bulk generator for the search benchmarks: N questions (default 100,000)
 * with about 2.5 answers each, 2,000 employees, 500 tags used with a Zipf-like skew, five spaces
 * (two of them restricted) and three years of dates. It writes straight into the tables with
 * multi-row inserts (`insert … select from unnest(…)`), a few thousand questions per transaction:
 * the feature functions would take hours. It adds no outbox rows: a full reindex reads PostgreSQL
 * directly.
 *
 * It fills what the lists and the search documents read (posts with their counters and tag arrays,
 * question_tags, space_tags, users with a reputation total) and nothing else: no revisions, votes,
 * comments, notifications or ledger events. The realistic data set for the whole app is issue 5's
 * `npm run data:generate`; this one exists to measure search.
 *
 * The text comes from a word-level Markov chain trained on the demo content (db/seed-content.ts),
 * with occasional jumps to any demo word and to made-up words (product names, hosts, codes), so the
 * vocabulary keeps growing with the data as a real one does. The same seed gives the same content;
 * dates are relative to the moment of generation.
 *
 * Alone: `DATABASE_URL=postgres://… npx tsx bench/generate-questions.ts [count]` into an empty
 * database (it applies the migrations first).
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { ensureDatabase, runMigrations } from "#db/migrate.ts";
import { QUESTIONS } from "#db/seed-content.ts";
import { DEMO_DOMAIN } from "#db/seed-info.ts";

export type GenerateOptions = {
  questions?: number;
  seed?: number;
  /** Questions per transaction (their answers go in the same one). */
  batch?: number;
  /** Stored as the first generated employee's password hash, so a bench can sign in as them. */
  passwordHash?: string;
  log?: (line: string) => void;
};

export type GenerateResult = {
  users: number;
  spaces: number;
  tags: number;
  questions: number;
  answers: number;
  /** The first generated employee: a member, and a member of the restricted security space. */
  signInEmail: string;
  /** Generating and inserting the rows, including the derived counters. */
  insertMs: number;
  /** `vacuum analyze` afterwards, as autovacuum would do before anyone searched. */
  analyzeMs: number;
};

const USERS = 2_000;
const TAGS = 500;
const YEARS = 3;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Rng = () => number;

/** mulberry32, as db/seed.ts uses: small, fast and deterministic. */
function random(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;
/** Exponentially distributed, with this mean. */
const exponential = (rng: Rng, mean: number) => -Math.log(1 - rng()) * mean;

/** Draws 0..n-1 with probability proportional to 1 / (i + offset)^s. */
function zipf(n: number, s: number, offset = 1): (rng: Rng) => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + offset, s);
    cumulative[i] = total;
  }
  return (rng) => {
    const x = rng() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** Letters and digits only (with inner apostrophes and hyphens): generated text needs no HTML escaping. */
const WORD = /[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*/g;
const END = "";

/** A word-level Markov chain over sentences of the demo content. */
class Chain {
  private readonly next = new Map<string, string[]>();
  private readonly starts: string[] = [];
  /** Every word as often as it occurs: picking from it follows the corpus' frequencies. */
  readonly words: string[] = [];

  constructor(texts: string[]) {
    for (const text of texts) {
      for (const sentence of text.split(/(?<=[.!?:])\s+|\n\s*\n/)) {
        const tokens = sentence.match(WORD) ?? [];
        if (tokens.length < 3) continue;
        this.starts.push(tokens[0]!);
        tokens.forEach((token, i) => {
          this.words.push(token);
          const list = this.next.get(token) ?? [];
          list.push(tokens[i + 1] ?? END);
          this.next.set(token, list);
        });
      }
    }
  }

  /** One sentence of `min`..`max` words, its first letter capitalised. */
  sentence(rng: Rng, min: number, max: number, invent: () => string): string[] {
    const out = [pick(rng, this.starts)];
    while (out.length < max) {
      const r = rng();
      let word: string;
      if (r < 0.035) word = invent();
      else if (r < 0.13) word = pick(rng, this.words);
      else {
        const options = this.next.get(out.at(-1)!);
        word = options ? pick(rng, options) : pick(rng, this.words);
        if (word === END) {
          if (out.length >= min) break;
          word = pick(rng, this.words);
        }
      }
      out.push(word);
    }
    out[0] = out[0]!.charAt(0).toUpperCase() + out[0]!.slice(1);
    return out;
  }
}

/** Made-up words (service names, hosts, codes), most of them rare: the long tail of a real vocabulary. */
function inventor(rng: Rng): () => string {
  const syllables = ["ka", "lo", "ri", "ven", "tor", "mi", "sa", "dex", "ul", "bra", "no", "qua", "zen", "fi", "rel", "ost", "ap", "cy", "mar", "ta", "glo", "vix", "en", "do", "pra", "sul", "ko", "thu", "ber", "ix"];
  const words = new Set<string>();
  const wordRng = random(7);
  while (words.size < 20_000) {
    let w = "";
    for (let i = between(wordRng, 2, 4); i > 0; i--) w += pick(wordRng, syllables);
    if (wordRng() < 0.15) w += String(between(wordRng, 1, 99));
    words.add(w);
  }
  const list = [...words];
  const rank = zipf(list.length, 1.05, 2);
  return () => list[rank(rng)]!;
}

type Text = { markdown: string; html: string };

/** Paragraphs of sentences until about `target` words. The words are plain (see WORD): no escaping needed. */
function prose(chain: Chain, rng: Rng, target: number, invent: () => string): Text {
  const paragraphs: string[] = [];
  let count = 0;
  while (count < target) {
    const sentences: string[] = [];
    for (let n = between(rng, 2, 5); n > 0 && count < target; n--) {
      const words = chain.sentence(rng, 5, Math.max(5, Math.min(24, target - count)), invent);
      count += words.length;
      sentences.push(words.join(" ") + (rng() < 0.1 ? "?" : "."));
    }
    paragraphs.push(sentences.join(" "));
  }
  return { markdown: paragraphs.join("\n\n"), html: paragraphs.map((p) => `<p>${p}</p>`).join("\n") };
}

const FIRST_NAMES = [
  "Aaron", "Abena", "Adele", "Ahmed", "Aiko", "Alba", "Alex", "Amir", "Ana", "Anders", "Anika", "Arjun", "Ava", "Bianca", "Boris", "Carla",
  "Chen", "Chiara", "Dara", "David", "Divya", "Elif", "Emma", "Erik", "Ethan", "Farah", "Felix", "Freya", "Gabriel", "Hana", "Hugo", "Ines",
  "Ivan", "Jade", "Jamal", "Jana", "Javier", "Joao", "Julia", "Kai", "Karin", "Kofi", "Laila", "Leo", "Lin", "Lucia", "Maja", "Malik",
  "Maria", "Mei", "Nadia", "Nikolai", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Sven", "Tariq", "Uma", "Vera", "Wei", "Yara",
];
const LAST_NAMES = [
  "Abbott", "Adeyemi", "Almeida", "Andersen", "Bakker", "Banerjee", "Bauer", "Bianchi", "Brennan", "Castro", "Chowdhury", "Costa", "Dimitrov",
  "Dubois", "Eriksson", "Fischer", "Fontaine", "Garcia", "Goldberg", "Haddad", "Hansen", "Horvat", "Ibrahim", "Ivanova", "Jansen", "Kaur",
  "Keller", "Kimura", "Kowalczyk", "Larsen", "Lopez", "Mahler", "Moreau", "Murphy", "Nakamura", "Nguyen", "Novak", "Okoye", "Olsen",
  "Park", "Pereira", "Popescu", "Quinn", "Ramos", "Reyes", "Richter", "Rossi", "Santos", "Schneider", "Singh", "Sokolov", "Svensson",
  "Tanaka", "Torres", "Varga", "Vogel", "Walsh", "Weiss", "Yilmaz", "Zhang",
];
const DEPARTMENTS: Array<{ name: string; weight: number; titles: string[] }> = [
  { name: "Engineering", weight: 34, titles: ["Backend Engineer", "Frontend Engineer", "Site Reliability Engineer", "Engineering Manager", "QA Engineer", "Data Engineer", "Security Engineer", "Mobile Engineer"] },
  { name: "Support", weight: 20, titles: ["Support Specialist", "Technical Support Engineer", "Support Team Lead", "Customer Success Manager", "Knowledge Base Editor"] },
  { name: "Sales", weight: 14, titles: ["Account Executive", "Sales Engineer", "Sales Development Rep", "Partner Manager", "Sales Operations Analyst"] },
  { name: "Product", weight: 8, titles: ["Product Manager", "Product Designer", "UX Researcher"] },
  { name: "Marketing", weight: 7, titles: ["Content Marketer", "Product Marketing Manager", "Events Coordinator"] },
  { name: "Operations", weight: 7, titles: ["IT Administrator", "Office Manager", "Procurement Specialist"] },
  { name: "Finance", weight: 5, titles: ["Accountant", "Financial Analyst", "Payroll Specialist", "Finance Manager"] },
  { name: "HR", weight: 5, titles: ["HR Business Partner", "Talent Acquisition Partner", "Learning & Development Lead", "HR Operations Specialist"] },
];
const LOCATIONS = ["London", "Berlin", "Lisbon", "Austin", "Toronto", "Warsaw", "Singapore", "Bangalore"];

type SpaceDef = { slug: string; name: string; description: string; restricted: boolean; share: number; departments: string[] };
const SPACES: SpaceDef[] = [
  { slug: "engineering", name: "Engineering", description: "Architecture, tooling, on-call and everything we build.", restricted: false, share: 0.38, departments: [] },
  { slug: "ask-support", name: "Ask Support", description: "Product questions, escalations and known issues.", restricted: false, share: 0.27, departments: [] },
  { slug: "people-and-culture", name: "People & Culture", description: "Benefits, travel, learning budgets.", restricted: false, share: 0.15, departments: [] },
  { slug: "platform-security", name: "Platform Security", description: "Incident reviews and security work. Members only.", restricted: true, share: 0.1, departments: ["Engineering"] },
  { slug: "deal-desk", name: "Deal Desk", description: "Pricing exceptions and contracts. Members only.", restricted: true, share: 0.1, departments: ["Sales", "Finance"] },
];

type GenUser = { email: string; name: string; title: string; department: string; location: string; role: "member" | "moderator" | "admin" };

function makeUsers(rng: Rng): GenUser[] {
  const pairs = shuffle(
    FIRST_NAMES.flatMap((f) => LAST_NAMES.map((l) => [f, l] as const)),
    rng,
  ).slice(0, USERS);
  const totalWeight = DEPARTMENTS.reduce((s, d) => s + d.weight, 0);
  return pairs.map(([first, last], i) => {
    let x = rng() * totalWeight;
    const department = DEPARTMENTS.find((d) => (x -= d.weight) < 0) ?? DEPARTMENTS[0]!;
    return {
      email: `${first}.${last}@${DEMO_DOMAIN}`.toLowerCase(),
      name: `${first} ${last}`,
      title: pick(rng, department.titles),
      department: department.name,
      location: pick(rng, LOCATIONS),
      // The first is the bench's reader (a member); then an admin and a few moderators.
      role: i === 1 ? "admin" : i > 1 && i % 97 === 0 ? "moderator" : "member",
    };
  });
}

/** Demo tags (most used first), then frequent content words, then pairs of them: TAGS distinct valid names. */
function makeTags(chain: Chain): string[] {
  const demo = new Map<string, number>();
  for (const q of QUESTIONS) for (const t of q.tags) demo.set(t, (demo.get(t) ?? 0) + 1);
  const names = [...demo.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  const frequency = new Map<string, number>();
  for (const w of chain.words) {
    const word = w.toLowerCase();
    // Tags are mostly nouns: leave out what looks like a verb form or an adverb.
    if (/^[a-z][a-z0-9]{3,19}$/.test(word) && !/(ing|ed|ly|s)$/.test(word)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  // The most frequent words are "that", "with", "this": skip them.
  const words = [...frequency.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([w]) => w).slice(100);
  const taken = new Set(names);
  for (const w of words) {
    if (names.length >= TAGS) break;
    if (taken.has(w)) continue;
    names.push(w);
    taken.add(w);
  }
  for (let i = 0; names.length < TAGS; i++) {
    const pair = `${words[i % words.length]}-${words[(i * 7 + 3) % words.length]}`;
    if (taken.has(pair) || pair.length > 35) continue;
    names.push(pair);
    taken.add(pair);
  }
  return names;
}

/** Rows of one batch, column by column (what `unnest` takes). */
type PostColumns = {
  id: number[]; type: string[]; spaceId: number[]; parentId: (number | null)[]; authorId: number[]; title: (string | null)[];
  body: string[]; bodyHtml: string[]; tags: string[]; score: number[]; up: number[]; down: number[]; answers: number[];
  accepted: (number | null)[]; views: number[]; closedAt: (string | null)[]; closedBy: (number | null)[]; closeReason: (string | null)[];
  deletedAt: (string | null)[]; deletedBy: (number | null)[]; activity: string[]; created: string[];
};
type Batch = { posts: PostColumns; tagPost: number[]; tagId: number[]; questions: number; answers: number };

const emptyColumns = (): PostColumns => ({
  id: [], type: [], spaceId: [], parentId: [], authorId: [], title: [], body: [], bodyHtml: [], tags: [], score: [], up: [], down: [],
  answers: [], accepted: [], views: [], closedAt: [], closedBy: [], closeReason: [], deletedAt: [], deletedBy: [], activity: [], created: [],
});

async function insertBatch(sql: postgres.Sql, b: Batch): Promise<void> {
  const p = b.posts;
  await sql.begin(async (tx) => {
    // Questions and their answers in one statement: the foreign keys between them (parent,
    // accepted answer) are checked at its end, when both sides exist.
    await tx`
      insert into posts (id, type, space_id, parent_id, author_id, title, body, body_html, tags, score, upvote_count, downvote_count,
        answer_count, accepted_answer_id, view_count, closed_at, closed_by_id, close_reason, deleted_at, deleted_by_id,
        last_activity_at, created_at, updated_at)
      overriding system value
      select id, type::post_type, space_id, parent_id, author_id, title, body, body_html,
        case when tags = '' then '{}'::text[] else string_to_array(tags, ',') end, score, up, down,
        answers, accepted, views, closed_at, closed_by, close_reason::close_reason, deleted_at, deleted_by,
        activity, created, activity
      from unnest(${p.id}::int[], ${p.type}::text[], ${p.spaceId}::int[], ${p.parentId}::int[], ${p.authorId}::int[], ${p.title}::text[],
        ${p.body}::text[], ${p.bodyHtml}::text[], ${p.tags}::text[], ${p.score}::int[], ${p.up}::int[], ${p.down}::int[],
        ${p.answers}::int[], ${p.accepted}::int[], ${p.views}::int[], ${p.closedAt}::timestamptz[], ${p.closedBy}::int[],
        ${p.closeReason}::text[], ${p.deletedAt}::timestamptz[], ${p.deletedBy}::int[], ${p.activity}::timestamptz[], ${p.created}::timestamptz[])
        as v(id, type, space_id, parent_id, author_id, title, body, body_html, tags, score, up, down, answers, accepted, views,
          closed_at, closed_by, close_reason, deleted_at, deleted_by, activity, created)`;
    await tx`insert into question_tags (post_id, tag_id) select * from unnest(${b.tagPost}::int[], ${b.tagId}::int[])`;
  });
}

/**
 * Generates into the (migrated, empty) database at `url`. Prints progress through `log`.
 */
export async function generateQuestions(url: string, options: GenerateOptions = {}): Promise<GenerateResult> {
  const total = options.questions ?? 100_000;
  const batchSize = options.batch ?? 2_000;
  const log = options.log ?? (() => {});
  const rng = random(options.seed ?? 20_260_101);
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  try {
    const started = performance.now();
    const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from users`;
    if (n > 0) throw new Error("the generator writes into an empty database; this one already has users");
    const [clock] = await sql<{ now: Date }[]>`select now() as now`;
    // Nothing in the last few minutes ("just now") nor in the future.
    const latest = clock!.now.getTime() - 10 * MINUTE;
    const first = latest - YEARS * 365 * DAY;

    const chain = new Chain(QUESTIONS.flatMap((q) => [q.body, ...(q.answers ?? []).map((a) => a.body), ...(q.comments ?? []).map((c) => c.body)]));
    const titles = new Chain(QUESTIONS.map((q) => q.title));
    const invent = inventor(rng);

    // People, spaces, memberships, tags.
    const people = makeUsers(rng);
    const userRows = await sql<{ id: number; email: string }[]>`
      insert into users (email, password_hash, name, title, department, location, role, created_at)
      select email, nullif(hash, ''), name, title, department, location, role::user_role, now() - interval '1 day' * (400 + ord % 900)
      from unnest(${people.map((u) => u.email)}::text[], ${people.map((_, i) => (i === 0 ? (options.passwordHash ?? "") : ""))}::text[],
        ${people.map((u) => u.name)}::text[], ${people.map((u) => u.title)}::text[], ${people.map((u) => u.department)}::text[],
        ${people.map((u) => u.location)}::text[], ${people.map((u) => u.role)}::text[]) with ordinality
        as v(email, hash, name, title, department, location, role, ord)
      returning id, email`;
    const idByEmail = new Map(userRows.map((r) => [r.email, r.id]));
    const users = people.map((u) => ({ ...u, id: idByEmail.get(u.email)! }));
    const spaceRows = await sql<{ id: number; slug: string }[]>`
      insert into spaces (slug, name, description, visibility)
      select * from unnest(${SPACES.map((s) => s.slug)}::text[], ${SPACES.map((s) => s.name)}::text[], ${SPACES.map((s) => s.description)}::text[],
        ${SPACES.map((s) => (s.restricted ? "restricted" : "open"))}::text[]::space_visibility[])
      returning id, slug`;
    // Restricted spaces: a share of their departments, plus the bench's reader in the first one.
    const members = SPACES.map((s, i) => {
      if (!s.restricted) return [];
      const list = users.filter((u, j) => s.departments.includes(u.department) && (j * 31 + i) % 10 < 4);
      if (i === SPACES.findIndex((x) => x.restricted) && !list.includes(users[0]!)) list.unshift(users[0]!);
      return list;
    });
    const membership = SPACES.flatMap((s, i) => {
      const spaceId = spaceRows.find((r) => r.slug === s.slug)!.id;
      const moderators = new Set(s.restricted ? members[i]!.slice(1, 3).map((u) => u.id) : [users[10 + i]!.id, users[20 + i]!.id]);
      const ids = new Set([...members[i]!.map((u) => u.id), ...moderators]);
      return [...ids].map((userId) => ({ spaceId, userId, role: moderators.has(userId) ? "moderator" : "member" }));
    });
    await sql`
      insert into space_members (space_id, user_id, role)
      select * from unnest(${membership.map((m) => m.spaceId)}::int[], ${membership.map((m) => m.userId)}::int[], ${membership.map((m) => m.role)}::text[]::space_role[])`;
    const tagNames = makeTags(chain);
    const tagRows = await sql<{ id: number; name: string }[]>`insert into tags (name) select * from unnest(${tagNames}::text[]) returning id, name`;
    const tagIdByName = new Map(tagRows.map((r) => [r.name, r.id]));
    const tagIds = tagNames.map((t) => tagIdByName.get(t)!);
    log(`generate: ${users.length} people, ${SPACES.length} spaces, ${tagNames.length} tags`);

    // Some people write much more than others.
    const authorOrder = shuffle([...users], rng);
    const authorRank = zipf(authorOrder.length, 0.8, 8);
    const memberRank = members.map((list) => (list.length > 0 ? zipf(list.length, 0.8, 4) : null));
    const author = (space: number) => {
      const rank = memberRank[space];
      return rank ? members[space]![rank(rng)]! : authorOrder[authorRank(rng)]!;
    };
    const tagRank = zipf(TAGS, 1.0, 1.5);
    const spaceCumulative = SPACES.map((_, i) => SPACES.slice(0, i + 1).reduce((s, x) => s + x.share, 0));
    const spaceIds = SPACES.map((s) => spaceRows.find((r) => r.slug === s.slug)!.id);

    const [{ next } = { next: 1 }] = await sql<{ next: number }[]>`select coalesce(max(id), 0)::int + 1 as next from posts`;
    let nextId = next;
    let answersTotal = 0;
    const iso = (ms: number) => new Date(ms).toISOString();

    const makeBatch = (from: number, count: number): Batch => {
      const p = emptyColumns();
      const batch: Batch = { posts: p, tagPost: [], tagId: [], questions: count, answers: 0 };
      const push = (row: { [K in keyof PostColumns]: PostColumns[K][number] }) => {
        for (const key of Object.keys(p) as (keyof PostColumns)[]) (p[key] as unknown[]).push(row[key]);
      };
      for (let q = from; q < from + count; q++) {
        const x = rng();
        const space = Math.max(0, spaceCumulative.findIndex((c) => x < c));
        const asker = author(space);
        // Ids grow with time, as they would have.
        const created = Math.floor(first + ((q + rng()) / total) * (latest - first));
        const questionId = nextId++;
        const tagCount = pick(rng, [1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5]);
        const tags = new Set<number>();
        for (let tries = 0; tags.size < tagCount && tries < 20; tries++) {
          let t = tagRank(rng);
          // Each space has favourite tags besides the popular ones.
          if (rng() < 0.5) t = (t + space * 97) % TAGS;
          tags.add(t);
        }
        const answerCount = rng() < 0.18 ? 0 : 1 + poisson(rng, 2.05);
        const answers: Array<{ id: number; at: number; score: number; up: number; down: number; author: number }> = [];
        for (let a = 0; a < answerCount; a++) {
          let by = author(space);
          if (by.id === asker.id) by = author(space);
          const lag = rng() < 0.1 ? exponential(rng, 20 * DAY) : exponential(rng, 8 * HOUR);
          const up = Math.floor(exponential(rng, 2.2));
          const down = rng() < 0.1 ? between(rng, 1, 2) : 0;
          answers.push({ id: nextId++, at: Math.min(created + MINUTE + lag, latest), up, down, score: up - down, author: by.id });
        }
        answers.sort((a, b) => a.at - b.at);
        let accepted: (typeof answers)[number] | undefined;
        if (answers.length > 0 && rng() < 0.55) accepted = rng() < 0.7 ? answers.reduce((best, a) => (a.score > best.score ? a : best)) : pick(rng, answers);
        const acceptedAt = accepted ? Math.min(accepted.at + exponential(rng, 6 * HOUR), latest) : created;
        const activity = Math.max(created, acceptedAt, ...answers.map((a) => a.at));
        const closed = rng() < 0.03;
        const deleted = rng() < 0.005;
        const up = Math.floor(exponential(rng, 3));
        const down = rng() < 0.12 ? between(rng, 1, 3) : 0;
        const title = titles.sentence(rng, between(rng, 6, 12), 12, invent);
        const body = prose(chain, rng, between(rng, 40, 200), invent);
        push({
          id: questionId, type: "question", spaceId: spaceIds[space]!, parentId: null, authorId: asker.id,
          title: title.join(" ") + (rng() < 0.8 ? "?" : ""), body: body.markdown, bodyHtml: body.html,
          tags: [...tags].map((t) => tagNames[t]).join(","), score: up - down, up, down, answers: answers.length,
          accepted: accepted?.id ?? null, views: 5 + Math.floor(exponential(rng, 40)) + up * 8 + answers.length * 6,
          closedAt: closed ? iso(Math.min(activity + DAY, latest)) : null, closedBy: closed ? authorOrder[0]!.id : null,
          closeReason: closed ? pick(rng, ["resolved", "off_topic", "unclear"]) : null,
          deletedAt: deleted ? iso(Math.min(activity + DAY, latest)) : null, deletedBy: deleted ? asker.id : null,
          activity: iso(activity), created: iso(created),
        });
        for (const t of tags) {
          batch.tagPost.push(questionId);
          batch.tagId.push(tagIds[t]!);
        }
        for (const a of answers) {
          const text = prose(chain, rng, between(rng, 30, 150), invent);
          push({
            id: a.id, type: "answer", spaceId: spaceIds[space]!, parentId: questionId, authorId: a.author, title: null,
            body: text.markdown, bodyHtml: text.html, tags: "", score: a.score, up: a.up, down: a.down, answers: 0,
            accepted: null, views: 0, closedAt: null, closedBy: null, closeReason: null, deletedAt: null, deletedBy: null,
            activity: iso(a.at), created: iso(a.at),
          });
        }
        batch.answers += answers.length;
      }
      return batch;
    };

    // Node builds the next batch while PostgreSQL writes the last one.
    let writing: Promise<void> | undefined;
    let done = 0;
    for (let from = 0; from < total; from += batchSize) {
      const batch = makeBatch(from, Math.min(batchSize, total - from));
      await writing;
      answersTotal += batch.answers;
      writing = insertBatch(sql, batch).then(() => {
        done += batch.questions;
        const seconds = (performance.now() - started) / 1000;
        log(`generate: ${done.toLocaleString("en")} / ${total.toLocaleString("en")} questions (${Math.round(done / seconds)}/s)`);
      });
    }
    await writing;

    // What the features keep exact as they go, derived once here.
    await sql`select setval(pg_get_serial_sequence('posts', 'id'), (select max(id) from posts))`;
    await sql`
      insert into space_tags (space_id, tag_id, question_count)
      select p.space_id, qt.tag_id, count(*)::int from question_tags qt join posts p on p.id = qt.post_id
      where p.deleted_at is null group by p.space_id, qt.tag_id`;
    await sql`
      update users u set reputation = 1 + r.points
      from (
        select p.author_id, greatest(0, sum(10 * p.upvote_count - 2 * p.downvote_count) + 15 * count(q.id))::int as points
        from posts p left join posts q on q.accepted_answer_id = p.id
        where p.deleted_at is null group by p.author_id
      ) r
      where r.author_id = u.id`;
    const insertMs = performance.now() - started;
    log(`generate: ${total.toLocaleString("en")} questions, ${answersTotal.toLocaleString("en")} answers in ${(insertMs / 1000).toFixed(1)} s; vacuum analyze…`);
    const analyzing = performance.now();
    await sql`vacuum analyze`;
    const analyzeMs = performance.now() - analyzing;
    return { users: users.length, spaces: SPACES.length, tags: tagNames.length, questions: total, answers: answersTotal, signInEmail: users[0]!.email, insertMs, analyzeMs };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Knuth's method; fine for small means. */
function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > limit) {
    k++;
    p *= rng();
  }
  return k;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("generate-questions needs DATABASE_URL (an empty database; it applies the migrations)");
    process.exit(1);
  }
  const count = Number(process.argv[2] ?? process.env.BENCH_QUESTIONS ?? 100_000);
  if (!Number.isSafeInteger(count) || count < 1) {
    console.error(`not a number of questions: ${process.argv[2] ?? process.env.BENCH_QUESTIONS}`);
    process.exit(1);
  }
  await ensureDatabase(url);
  await runMigrations(url);
  const result = await generateQuestions(url, { questions: count, log: console.log });
  console.log(`done: ${result.users} people, ${result.questions} questions, ${result.answers} answers; vacuum analyze ${(result.analyzeMs / 1000).toFixed(1)} s`);
}
