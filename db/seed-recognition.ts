import { and, asc, desc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { companySpaceId } from "../app/features/recognition/company-space.server.ts";
import { grantBadges } from "../app/features/recognition/badges.server.ts";
import { giveKudos, addToKudos } from "../app/features/recognition/kudos.server.ts";
import { renderMarkdown } from "../app/lib/markdown.server.ts";
import type { Db, Tx } from "./client.server.ts";
import {
  awardBallots,
  awardNominations,
  awardRounds,
  awardTallies,
  badges,
  companyValues,
  ideas,
  items,
  kudos,
  notifications,
  posts,
  rewards,
  spaces,
  type users,
  wikiPages,
} from "./schema/index.ts";

type User = typeof users.$inferSelect;

const DAY = 86_400_000;
const HOUR = 3_600_000;

export type RecognitionSeedResult = { kudos: number; values: number; rewards: number; awardRounds: number; badges: number };

/** The company's values: what every kudos names. */
export const SEED_VALUES = [
  { name: "Customer first", emoji: "🤝", description: "We start from what the customer needs and finish when it works for them." },
  { name: "Craft", emoji: "🛠️", description: "We take care over the details, and leave things better than we found them." },
  { name: "Teamwork", emoji: "🙌", description: "We share what we know, help without being asked, and win together." },
  { name: "Ownership", emoji: "🧭", description: "We see things through, say when something is wrong, and fix it." },
  { name: "Curiosity", emoji: "🔍", description: "We ask why, learn in the open and try the better way." },
] as const;

type ValueName = (typeof SEED_VALUES)[number]["name"];

/** What a demo kudos thanks: the receiver's best answer, a page they wrote, an idea of theirs, or nothing in particular. */
type Subject = "answer" | "page" | "idea" | null;

type SeedKudos = {
  giver: string;
  to: string[];
  value: ValueName;
  points: number;
  daysAgo: number;
  message: string;
  subject?: Subject;
  private?: boolean;
  addOns?: Array<{ giver: string; points: number }>;
};

/**
 * A month of kudos among the demo people. Givers stay within their 100-point allowance in each
 * calendar month (the seed gives through `giveKudos`, which would refuse otherwise), and Priya
 * Nair receives enough for the rewards journey.
 */
const SEED_KUDOS: SeedKudos[] = [
  {
    giver: "Jonas Weber",
    to: ["Priya Nair"],
    value: "Ownership",
    points: 50,
    daysAgo: 29,
    message: "Rotated every production secret in one evening after the leak scare, and wrote down how. Calm, thorough, done.",
  },
  {
    giver: "Kenji Sato",
    to: ["Priya Nair"],
    value: "Teamwork",
    points: 50,
    daysAgo: 27,
    subject: "answer",
    message: "Your answer on the SSO question saved me a day of reading RFCs. Thank you!",
  },
  {
    giver: "Amara Okafor",
    to: ["Priya Nair", "Kenji Sato"],
    value: "Craft",
    points: 40,
    daysAgo: 26,
    message: "The new secrets rotation runbook is the best-written runbook we have. More of this, please.",
  },
  {
    giver: "Sofia Martins",
    to: ["Kenji Sato"],
    value: "Teamwork",
    points: 20,
    daysAgo: 25,
    subject: "answer",
    message: "Thanks for pairing on the CrashLoopBackOff mystery at 7pm. The node pool fix worked.",
  },
  {
    giver: "Marco Rossi",
    to: ["Chloe Dubois"],
    value: "Customer first",
    points: 30,
    daysAgo: 24,
    message: "Stayed on the call with the Helsinki customer until their import ran cleanly. They wrote in to say thanks.",
  },
  {
    giver: "Elena Petrova",
    to: ["Yuki Tanaka"],
    value: "Craft",
    points: 30,
    daysAgo: 23,
    subject: "answer",
    message: "The certificate chain explanation is now the answer we link from every webhook ticket.",
  },
  { giver: "Daniel Kim", to: ["Grace Liu"], value: "Craft", points: 40, daysAgo: 22, message: "Focus styles across the whole design system, with tests. Keyboard users will notice." },
  { giver: "Grace Liu", to: ["Mateo García"], value: "Teamwork", points: 15, daysAgo: 21, message: "Thanks for reviewing my hydration fix so quickly on a Friday." },
  {
    giver: "Rachel Adams",
    to: ["Diego Fernández"],
    value: "Customer first",
    points: 40,
    daysAgo: 20,
    message: "The demo environment you built for the logistics prospect closed the deal. Brilliant work.",
  },
  {
    giver: "Lena Fischer",
    to: ["Julia Nowak"],
    value: "Curiosity",
    points: 30,
    daysAgo: 19,
    subject: "page",
    message: "The learning budget page answers every question we used to get by mail. Thank you for writing it.",
  },
  {
    giver: "Nora Lindqvist",
    to: ["Samuel Osei", "Fatima Zahra"],
    value: "Teamwork",
    points: 15,
    daysAgo: 18,
    message: "You two cleared the invoice backlog together while half the team was at the offsite.",
  },
  {
    giver: "Pedro Alves",
    to: ["Omar Farouk"],
    value: "Ownership",
    points: 30,
    daysAgo: 17,
    subject: "page",
    message: "The travel policy finally reads like it was written for people. Great rewrite.",
  },
  {
    giver: "Charlotte Evans",
    to: ["Zoe Williams"],
    value: "Ownership",
    points: 40,
    daysAgo: 16,
    message: "Payroll ran on time through the bank migration. Nobody noticed, which is the point.",
  },
  {
    giver: "Hannah Schmidt",
    to: ["Lukas Novak"],
    value: "Craft",
    points: 25,
    daysAgo: 15,
    subject: "answer",
    message: "The CI cache answer took our pipeline from 25 to 9 minutes. Everyone benefits.",
  },
  {
    giver: "Oliver Brown",
    to: ["Sofia Martins"],
    value: "Curiosity",
    points: 20,
    daysAgo: 14,
    subject: "answer",
    message: "Loved how you dug into the 02:00 consumer lag instead of just bumping the partitions.",
  },
  { giver: "Chloe Dubois", to: ["Marco Rossi"], value: "Teamwork", points: 20, daysAgo: 13, message: "Thanks for taking my P1 escalation at midnight so I could sleep.", private: true },
  {
    giver: "Ben Carter",
    to: ["Elena Petrova"],
    value: "Customer first",
    points: 30,
    daysAgo: 12,
    subject: "idea",
    message: "The ticket sidebar idea would save every support engineer ten clicks per ticket. Rooting for it.",
  },
  {
    giver: "Aisha Rahman",
    to: ["Kenji Sato"],
    value: "Ownership",
    points: 20,
    daysAgo: 11,
    subject: "answer",
    message: "You tracked down who renews the push keys and put it in writing. No more surprise expiry.",
  },
  {
    giver: "Tom Becker",
    to: ["Isabella Moretti"],
    value: "Teamwork",
    points: 25,
    daysAgo: 10,
    message: "Covered my accounts during my parental leave and handed them back in better shape.",
  },
  {
    giver: "Isabella Moretti",
    to: ["Ahmed Hassan", "Emily Johnson"],
    value: "Customer first",
    points: 20,
    daysAgo: 9,
    message: "Best quarter of qualified meetings we've had. The research before each call shows.",
  },
  { giver: "Sarah O'Connor", to: ["Kwame Mensah"], value: "Ownership", points: 40, daysAgo: 8, message: "Filled three senior roles in a quarter without cutting corners on the process." },
  { giver: "Michael Chen", to: ["Anna Kowalski"], value: "Craft", points: 20, daysAgo: 7, message: "The month-end close checklist is a work of art.", private: true },
  {
    giver: "Oliver Brown",
    to: ["Priya Nair"],
    value: "Curiosity",
    points: 50,
    daysAgo: 6.2,
    message: "Your walkthrough of how the warehouse credentials are scoped made my access review trivial.",
  },
  {
    giver: "Mateo García",
    to: ["Priya Nair"],
    value: "Curiosity",
    points: 50,
    daysAgo: 5,
    subject: "answer",
    message: "Your explanation of how our SSO and password sign-ins coexist should be required reading.",
  },
  { giver: "Lukas Novak", to: ["Priya Nair"], value: "Teamwork", points: 50, daysAgo: 5, message: "Thanks for the threat-model workshop. My team finally understands why we rotate keys." },
  { giver: "Daniel Kim", to: ["Priya Nair"], value: "Ownership", points: 50, daysAgo: 4, message: "Picked up the security review nobody wanted and finished it a week early." },
  { giver: "Grace Liu", to: ["Priya Nair"], value: "Craft", points: 80, daysAgo: 4, message: "The pentest report was clear enough that the frontend team fixed every finding in a sprint." },
  { giver: "Jonas Weber", to: ["Kenji Sato", "Lukas Novak"], value: "Teamwork", points: 30, daysAgo: 3, message: "The node pool upgrade went out with zero downtime. Great coordination." },
  {
    giver: "Marco Rossi",
    to: ["Yuki Tanaka"],
    value: "Customer first",
    points: 30,
    daysAgo: 3,
    subject: "answer",
    message: "Every customer with the 2FA lockout gets a same-day answer now, thanks to your write-up.",
  },
  {
    giver: "Elena Petrova",
    to: ["Nora Lindqvist"],
    value: "Craft",
    points: 40,
    daysAgo: 2,
    subject: "page",
    message: "The knowledge base style guide is the reason our articles finally sound like one team.",
  },
  { giver: "Julia Nowak", to: ["Ravi Patel"], value: "Teamwork", points: 25, daysAgo: 2, message: "Onboarding twelve people in one week without a single missing laptop. Heroic." },
  {
    giver: "Diego Fernández",
    to: ["Lucas Silva"],
    value: "Customer first",
    points: 25,
    daysAgo: 2,
    message: "Thanks for bringing the partner into the renewal call; it made all the difference.",
  },
  {
    giver: "Mia Hoffmann",
    to: ["Rachel Adams"],
    value: "Ownership",
    points: 20,
    daysAgo: 1,
    message: "Thank you for fighting for the pipeline clean-up time. The forecast is finally honest.",
  },
  {
    giver: "Samuel Osei",
    to: ["Ben Carter"],
    value: "Curiosity",
    points: 15,
    daysAgo: 1,
    subject: "idea",
    message: "Great idea to link every macro to its article. I'd vote for it twice if I could.",
  },
  { giver: "Kwame Mensah", to: ["Lena Fischer"], value: "Teamwork", points: 30, daysAgo: 1, message: "Thank you for running the recognition programme and making this place feel human." },
  { giver: "Zoe Williams", to: ["Omar Farouk"], value: "Customer first", points: 20, daysAgo: 0.5, message: "Sorted my team's offsite per diems in an afternoon. Thank you!" },
  {
    giver: "Kenji Sato",
    to: ["Sofia Martins"],
    value: "Craft",
    points: 20,
    daysAgo: 0.4,
    subject: "answer",
    message: "The index-without-locking answer is now a wiki page for good reason. Thanks for writing it so clearly.",
  },
  { giver: "Anna Kowalski", to: ["Pedro Alves"], value: "Teamwork", points: 20, daysAgo: 0.3, message: "Thanks for covering the audit questions while I was out." },
  { giver: "Fatima Zahra", to: ["Chloe Dubois"], value: "Customer first", points: 20, daysAgo: 0.2, message: "Your French macros are saving our Paris customers so much time." },
  { giver: "Ahmed Hassan", to: ["Mia Hoffmann"], value: "Curiosity", points: 15, daysAgo: 0.1, message: "The new territory report answered questions I didn't know I had." },
  {
    giver: "Sofia Martins",
    to: ["Oliver Brown"],
    value: "Craft",
    points: 20,
    daysAgo: 0.05,
    message: "The warehouse read replica for Finance is tidy, documented and cheap. Lovely work.",
    addOns: [
      { giver: "Michael Chen", points: 10 },
      { giver: "Charlotte Evans", points: 10 },
    ],
  },
];

export const SEED_REWARDS = [
  { name: "Extra day off", description: "A day of paid leave on top of your allowance. HR books it with your manager.", cost: 500, stock: 10 },
  { name: "Donation to a charity of your choice", description: "We give €10 to a registered charity you name. Tell HR which one.", cost: 100, stock: null },
  { name: "Commons hoodie", description: "The grey one with the small logo. Sizes XS to XXL.", cost: 150, stock: 25 },
  { name: "Team lunch", description: "Lunch for your team of up to eight, anywhere near the office.", cost: 300, stock: 3 },
] as const;

/**
 * The demo company's recognition: values, a month of kudos (through `giveKudos`, so allowances,
 * balances, the ledger, notifications and the search outbox are real), a rewards catalogue, the
 * running "Talent show 2026" in its voting phase and a finished award round with its results.
 * Badges come from the grant job, run by the seed after this.
 */
export async function seedRecognition(tx: Tx, people: Map<string, User>): Promise<RecognitionSeedResult> {
  const db = tx as unknown as Db;
  const person = (name: string): User => {
    const found = people.get(name);
    if (!found) throw new Error(`seed: unknown person ${name}`);
    return found;
  };
  const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
  const now = new Date(clock!.now).getTime();
  const companyId = await companySpaceId(tx);

  const valueRows = await tx
    .insert(companyValues)
    .values(SEED_VALUES.map((v, i) => ({ ...v, position: i + 1 })))
    .returning({ id: companyValues.id, name: companyValues.name });
  const valueId = new Map(valueRows.map((v) => [v.name, v.id]));

  const subjects = await subjectsByAuthor(tx);
  const used = new Set<number>();
  const subjectFor = (kind: Subject, receiver: User): number | null => {
    if (!kind) return null;
    const candidates = subjects[kind].get(receiver.id) ?? [];
    const pick = candidates.find((id) => !used.has(id)) ?? candidates[0];
    if (pick === undefined) return null;
    used.add(pick);
    return pick;
  };

  let count = 0;
  for (const [i, k] of SEED_KUDOS.entries()) {
    const at = new Date(now - k.daysAgo * DAY - (i % 7) * HOUR);
    const receivers = k.to.map(person);
    const given = await giveKudos(
      db,
      person(k.giver),
      {
        receiverIds: receivers.map((r) => r.id),
        message: k.message,
        valueId: valueId.get(k.value)!,
        pointsEach: k.points,
        subjectItemId: subjectFor(k.subject ?? null, receivers[0]!),
        private: k.private ?? false,
      },
      at,
    );
    for (const [j, addOn] of (k.addOns ?? []).entries()) await addToKudos(db, person(addOn.giver), given.id, { pointsEach: addOn.points }, new Date(at.getTime() + (j + 1) * HOUR));
    count += 1;
  }
  // Their notifications happened when the kudos did, not when the seed ran.
  await tx.execute(sql`
    update ${notifications} n set created_at = k.created_at, read_at = case when k.created_at < now() - interval '3 days' then k.created_at + interval '2 hours' end
    from ${kudos} k where n.item_id = k.item_id and n.kind = 'kudos'`);

  const demoHr = person("Lena Fischer");
  await tx.insert(rewards).values(SEED_REWARDS.map((r) => ({ ...r, spaceId: companyId, createdById: demoHr.id, createdAt: new Date(now - 60 * DAY) })));

  await seedAwardRounds(tx, person, companyId, now);

  // Badges already earned: the grant job over everything above, as if it had run two days ago; the
  // badges themselves were defined when the company started using Commons.
  const granted = await grantBadges(tx, new Date(now - 2 * DAY));
  await tx.execute(sql`update ${badges} set created_at = ${new Date(now - 180 * DAY).toISOString()}::timestamptz`);
  await tx.execute(sql`update ${items} set created_at = ${new Date(now - 180 * DAY).toISOString()}::timestamptz where kind = 'badge'`);
  await tx.execute(sql`update ${notifications} set read_at = created_at + interval '1 hour' where kind = 'badge' and user_id <> ${person("Priya Nair").id}`);
  return { kudos: count, values: SEED_VALUES.length, rewards: SEED_REWARDS.length, awardRounds: 2, badges: granted.total };
}

/** Per author, the item ids of their best live answers, their pages and their ideas in open spaces. */
async function subjectsByAuthor(tx: Tx): Promise<Record<Exclude<Subject, null>, Map<number, number[]>>> {
  const question = alias(posts, "question");
  const open = inArray(posts.spaceId, tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.visibility, "open")));
  const answers = await tx
    .select({ authorId: posts.authorId, itemId: posts.itemId })
    .from(posts)
    .innerJoin(question, eq(question.id, posts.parentId))
    .where(and(eq(posts.type, "answer"), isNull(posts.deletedAt), ne(question.authorId, posts.authorId), open))
    .orderBy(desc(posts.score), asc(posts.id));
  const pages = await tx
    .select({ authorId: wikiPages.authorId, itemId: wikiPages.itemId })
    .from(wikiPages)
    .innerJoin(spaces, eq(spaces.id, wikiPages.spaceId))
    .where(and(isNull(wikiPages.deletedAt), eq(spaces.visibility, "open")))
    .orderBy(asc(wikiPages.id));
  const ideaRows = await tx
    .select({ authorId: ideas.authorId, itemId: ideas.itemId })
    .from(ideas)
    .innerJoin(items, eq(items.id, ideas.itemId))
    .innerJoin(spaces, eq(spaces.id, items.spaceId))
    .where(eq(spaces.visibility, "open"))
    .orderBy(asc(ideas.id));
  const group = (rows: Array<{ authorId: number; itemId: number }>) => {
    const map = new Map<number, number[]>();
    for (const r of rows) map.set(r.authorId, [...(map.get(r.authorId) ?? []), r.itemId]);
    return map;
  };
  return { answer: group(answers), page: group(pages), idea: group(ideaRows) };
}

type Round = {
  title: string;
  description: string;
  reward: string;
  /** Days from now: negative is in the past. */
  dates: { nominationsOpen: number; nominationsClose: number; votingOpen: number; votingClose: number; results: number };
  nominations: Array<{ nominee: string; by: string; statement: string }>;
  /** Ballots: each voter's choice (one vote each). */
  ballots: Array<{ voter: string; choice: string }>;
  announced: boolean;
};

const ROUNDS: Round[] = [
  {
    title: "Talent show 2026",
    description:
      "Who made this year better for the people around them? Nominate a colleague whose work, help or spirit deserves a stage, then vote for the one you'd like to see win.\n\nEvery active employee has **one vote**. Ballots are secret: we count them, we never see who voted for whom.",
    reward: "The winner chooses a conference anywhere in Europe, travel and ticket paid, plus two extra days off.",
    dates: { nominationsOpen: -21, nominationsClose: -9, votingOpen: -8, votingClose: 6, results: 7 },
    nominations: [
      {
        nominee: "Grace Liu",
        by: "Daniel Kim",
        statement: "Grace made accessibility everyone's job. The design system's focus styles, the keyboard audit and the workshop she ran for three teams all happened because she cared.",
      },
      {
        nominee: "Marco Rossi",
        by: "Chloe Dubois",
        statement: "Marco answers the midnight escalations so the rest of us don't have to, and still finds time to coach every new support hire.",
      },
      { nominee: "Yuki Tanaka", by: "Elena Petrova", statement: "Yuki's write-ups turned three of our most painful ticket types into five-minute fixes. Customers notice." },
      {
        nominee: "Nora Lindqvist",
        by: "Samuel Osei",
        statement: "Nora rewrote the knowledge base style guide and then helped every one of us apply it. Our articles finally sound like one team.",
      },
      { nominee: "Grace Liu", by: "Mateo García", statement: "Seconding Grace: her reviews teach something every time." },
    ],
    ballots: [
      { voter: "Amara Okafor", choice: "Grace Liu" },
      { voter: "Sofia Martins", choice: "Grace Liu" },
      { voter: "Fatima Zahra", choice: "Marco Rossi" },
      { voter: "Ben Carter", choice: "Yuki Tanaka" },
      { voter: "Julia Nowak", choice: "Nora Lindqvist" },
      { voter: "Hannah Schmidt", choice: "Grace Liu" },
      { voter: "Samuel Osei", choice: "Marco Rossi" },
      { voter: "Ingrid Larsen", choice: "Nora Lindqvist" },
    ],
    announced: false,
  },
  {
    title: "Customer Hero Award, Q3 2026",
    description: "For the colleague who went furthest for a customer this quarter. Nominations came from every team; the whole company voted.",
    reward: "A team dinner for the winner's team and 500 kudos points.",
    dates: { nominationsOpen: -100, nominationsClose: -90, votingOpen: -89, votingClose: -80, results: -79 },
    nominations: [
      { nominee: "Chloe Dubois", by: "Marco Rossi", statement: "Chloe stayed with the Helsinki customer through a weekend data migration and turned an angry escalation into a renewal." },
      { nominee: "Diego Fernández", by: "Rachel Adams", statement: "Diego rebuilt the logistics demo overnight after the prospect changed their requirements, and won the deal." },
      { nominee: "Ben Carter", by: "Elena Petrova", statement: "Ben ran weekly check-ins with our three most at-risk accounts all quarter. All three renewed." },
    ],
    ballots: [
      { voter: "Marco Rossi", choice: "Chloe Dubois" },
      { voter: "Fatima Zahra", choice: "Chloe Dubois" },
      { voter: "Samuel Osei", choice: "Chloe Dubois" },
      { voter: "Yuki Tanaka", choice: "Chloe Dubois" },
      { voter: "Rachel Adams", choice: "Diego Fernández" },
      { voter: "Tom Becker", choice: "Diego Fernández" },
      { voter: "Nora Lindqvist", choice: "Ben Carter" },
      { voter: "Elena Petrova", choice: "Chloe Dubois" },
      { voter: "Lucas Silva", choice: "Diego Fernández" },
      { voter: "Julia Nowak", choice: "Ben Carter" },
    ],
    announced: true,
  },
];

/**
 * The award rounds, written as the award feature stores them: nominations, and for ballots only
 * who voted (award_ballots) and the counts (award_tallies), never who voted for whom.
 */
async function seedAwardRounds(tx: Tx, person: (name: string) => User, companyId: number, now: number): Promise<void> {
  const hr = person("Lena Fischer");
  for (const round of ROUNDS) {
    const at = (days: number) => new Date(now + days * DAY);
    const [row] = await tx
      .insert(awardRounds)
      .values({
        spaceId: companyId,
        title: round.title,
        description: round.description,
        descriptionHtml: renderMarkdown(round.description),
        reward: round.reward,
        nominationsOpenAt: at(round.dates.nominationsOpen),
        nominationsCloseAt: at(round.dates.nominationsClose),
        votingOpenAt: at(round.dates.votingOpen),
        votingCloseAt: at(round.dates.votingClose),
        resultsAt: at(round.dates.results),
        announcedAt: round.announced ? at(round.dates.results) : null,
        nominationCount: round.nominations.length,
        ballotCount: round.ballots.length,
        createdById: hr.id,
        createdAt: at(round.dates.nominationsOpen - 2),
      })
      .returning({ id: awardRounds.id, itemId: awardRounds.itemId });
    for (const [i, n] of round.nominations.entries()) {
      await tx.insert(awardNominations).values({
        spaceId: companyId,
        roundId: row!.id,
        nomineeId: person(n.nominee).id,
        nominatorId: person(n.by).id,
        statement: n.statement,
        statementHtml: renderMarkdown(n.statement),
        createdAt: at(round.dates.nominationsOpen + 1 + i),
      });
    }
    await tx.insert(awardBallots).values(round.ballots.map((b) => ({ roundId: row!.id, voterId: person(b.voter).id })));
    const tally = new Map<string, number>();
    for (const n of round.nominations) tally.set(n.nominee, 0);
    for (const b of round.ballots) tally.set(b.choice, (tally.get(b.choice) ?? 0) + 1);
    await tx.insert(awardTallies).values([...tally].map(([name, votes]) => ({ roundId: row!.id, nomineeId: person(name).id, votes })));
    if (round.announced) {
      // The results reached the nominees when they were published (as the scheduler does).
      await tx.insert(notifications).values(
        [...tally.keys()].map((name) => ({
          userId: person(name).id,
          kind: "award" as const,
          spaceId: companyId,
          itemId: row!.itemId,
          createdAt: at(round.dates.results),
          readAt: at(round.dates.results + 1),
        })),
      );
    }
  }
}
