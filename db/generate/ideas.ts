import type postgres from "postgres";
import { DEFAULT_REPUTATION_RULES } from "#app/features/reputation/rules.server.ts";
import { SPACES, type SpaceMember, weighted } from "./company.ts";
import { arrayLiteral, CopyTable, quotedArrayLiteral } from "./copy.ts";
import { between, drawPeople, exponential, pick, poisson, type Rng, shuffle, zipf } from "./random.ts";
import type { Text, Writer } from "./text.ts";

/**
 * A generated company's idea campaigns (docs/decisions/007-idea-campaigns.md), written with COPY
 * after its questions. One campaign per 10,000 questions (at least two), all in open spaces but
 * one in a restricted space; the two newest are open now, one of them with a vote budget, the
 * older ones closed. Ideas go through the workflow as sponsors move them (most still submitted
 * or under review, a few percent implemented, some declined with a reason, a few merged into an
 * earlier idea of their campaign), with the timeline, owners, revision 1, comments, follows and
 * votes the features would have left, and the owners' reputation events for accepted and
 * implemented ideas under the default weights.
 *
 * As the features keep them: a merged idea has no votes of its own (they moved to the idea it
 * went into), its owners and followers are also the target's; nobody votes for an idea they
 * own; votes fall while the idea took them (before it was implemented, declined or merged, and
 * while its campaign was open); in the campaign with a budget nobody holds more votes than the
 * budget on ideas that still count (not declined, not merged: `votesUsed`). `vote_count` and
 * `trending` are recounted from the votes in SQL once the rows are in (`recountIdeaVotes`);
 * `comment_count` counts the comments not removed.
 *
 * Each idea's item (its comments, votes, revisions, follows and reputation events point at it) is
 * written here too, with the id `ids.item` gives it, before the idea.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEIGHTS = DEFAULT_REPUTATION_RULES.weights;

/** Campaigns per number of questions: one per 10,000, at least two. */
export const campaignCount = (questions: number) => Math.max(2, Math.round(questions / 10_000));

type Status = "submitted" | "under_review" | "accepted" | "in_progress" | "implemented" | "declined" | "merged";
/** What an idea is heading for, with its weight among ideas: before time cuts the way short for young ideas. */
const OUTCOMES: Array<[Status, number]> = [
  ["submitted", 38],
  ["under_review", 22],
  ["accepted", 9],
  ["in_progress", 6],
  ["implemented", 3],
  ["declined", 15],
  ["merged", 7],
];
/** Mean days from the step before to this one. */
const LAG_DAYS: Record<Exclude<Status, "submitted">, number> = { under_review: 4, accepted: 7, in_progress: 7, implemented: 21, declined: 6, merged: 3 };
/** Statuses in which an idea takes votes (app/features/ideas/votes.server.ts). */
const VOTABLE = new Set<Status>(["submitted", "under_review", "accepted", "in_progress"]);

type Topic = { title: string; categories: string[] };
/** What a space's campaigns ask about; a space's second campaign takes its next topic. */
const TOPICS: Record<string, Topic[]> = {
  engineering: [
    { title: "Ideas for faster builds and deploys", categories: ["CI/CD", "Developer experience", "Observability", "Testing"] },
    { title: "Make on-call less painful", categories: ["Alerting", "Runbooks", "Tooling", "Process"] },
    { title: "What tech debt should we pay down first?", categories: ["Architecture", "Dependencies", "Testing", "Documentation"] },
  ],
  "ask-support": [
    { title: "Ideas from support", categories: ["Tooling", "Knowledge base", "Escalations", "Customer communication"] },
    { title: "Fewer tickets, happier customers", categories: ["Self-service", "Product fixes", "Documentation"] },
  ],
  "people-and-culture": [
    { title: "How could we work better together?", categories: ["Benefits", "Learning", "Wellbeing", "Onboarding"] },
    { title: "Ideas for a better onboarding", categories: ["First week", "Buddies", "Documentation", "Tools"] },
  ],
  "data-and-analytics": [{ title: "Better dashboards and data we can trust", categories: ["Dashboards", "Data quality", "Warehouse", "Self-service"] }],
  "it-help": [{ title: "Make IT work for you", categories: ["Laptops", "Accounts & access", "Software", "Meeting rooms"] }],
  product: [
    { title: "What should we build next?", categories: ["Orders", "Billing", "Integrations", "Mobile", "Reporting"] },
    { title: "Small things that annoy our customers", categories: ["Usability", "Performance", "Notifications"] },
  ],
  "sales-enablement": [{ title: "Help us win more deals", categories: ["Demos", "Pricing", "Collateral", "Competitors"] }],
  "office-life": [{ title: "Make the office a better place", categories: ["Facilities", "Events", "Food & drink", "Sustainability"] }],
  "platform-security": [{ title: "Security improvements we should make", categories: ["Access control", "Secrets", "Monitoring", "Training"] }],
  "deal-desk": [{ title: "Faster approvals on the deal desk", categories: ["Pricing", "Contracts", "Approvals"] }],
  "hr-partners": [{ title: "Ideas for HR processes", categories: ["Cases", "Policies", "Tools"] }],
  leadership: [{ title: "How should we plan next year?", categories: ["Planning", "Hiring", "Communication"] }],
};

const REVIEW_REASONS = [
  "Looking into this with the team that owns it; we'll come back with a decision.",
  "Thanks! We're checking what it would take and will decide at the next review.",
  "On the list for this month's review meeting.",
];
const ACCEPT_REASONS = [
  "Yes: this saves time for a lot of people and it is small enough to start soon.",
  "Accepted. The owners and the team that runs this area will plan it together.",
  "Good idea, and the votes agree. We'll fit it into next quarter's plan.",
  "Accepted as a trial: we'll run it for a month and look at the numbers.",
];
const PROGRESS_REASONS = [
  "Work has started; the owners will post updates here.",
  "Being built now, alongside related work in the same area.",
  "A first version is in testing with a few volunteers.",
];
const IMPLEMENTED_REASONS = [
  "Done and live for everyone. Thanks to the owners and to everyone who voted and commented.",
  "Implemented: it's in place now. Tell us in the comments how it works for you.",
  "Shipped. The first weeks look good; we'll keep an eye on it.",
];
const DECLINE_REASONS = [
  "Thanks for this. It overlaps with work already planned for next year, so we are not taking it on separately.",
  "We decided against it: running it would cost more than it saves, as far as we can tell today.",
  "Not for now: the team that would build it is committed elsewhere until the end of the year. Bring it back next round.",
  "This is outside what this campaign can change; we passed it on to the team that owns the area.",
  "We tried something close to this two years ago and it did not stick; the comments say what we learned.",
];

type Step = { status: Status; at: number; reason: string };
type Owner = { state: "accepted" | "invited"; invitedBy: number | null; mergedFrom: number | null; since: number; joined: number };

type Idea = {
  id: number;
  author: number;
  created: number;
  title: string;
  body: Text;
  category: string;
  tags: number[];
  steps: Step[];
  status: Status;
  mergedInto: number | null;
  /** When it stopped taking votes (implemented, declined or merged). */
  closedToVotes: number;
  owners: Map<number, Owner>;
  followers: Map<number, number>;
  lastTouched: number;
};

export type IdeaInputs = {
  rng: Rng;
  writer: Writer;
  questions: number;
  /** The company's first and latest moments (ms). */
  first: number;
  latest: number;
  /** Per space: who may take part there (everyone in open spaces, members in restricted ones), most active first. */
  pools: number[][];
  writerRank: Array<(rng: Rng) => number>;
  voterRank: Array<(rng: Rng) => number>;
  memberships: SpaceMember[];
  /** Admins and moderators: sponsors where a space has no moderator. */
  staff: number[];
  tagNames: string[];
  tagRank: (rng: Rng) => number;
  ids: { user: (p: number) => number; space: (s: number) => number; tag: (t: number) => number; item: (ideaId: number) => number };
  /** The next id of reputation_events. */
  nextEvent: number;
  /** The next id of comments (the questions' and answers' come first). */
  nextComment: number;
};

export type IdeaCounts = { campaigns: number; ideas: number; ideaVotes: number; ideaComments: number };

export function makeIdeaTables() {
  return {
    campaigns: new CopyTable("campaigns", [
      "id",
      "space_id",
      "sponsor_id",
      "title",
      "brief",
      "brief_html",
      "categories",
      "criteria",
      "starts_at",
      "ends_at",
      "closed_at",
      "archived_at",
      "vote_budget",
      "created_at",
      "updated_at",
    ]),
    items: new CopyTable("items", ["id", "kind", "space_id", "created_at"]),
    ideas: new CopyTable("ideas", [
      "id",
      "item_id",
      "campaign_id",
      "space_id",
      "author_id",
      "title",
      "body",
      "body_html",
      "category",
      "tags",
      "status",
      "status_reason",
      "status_changed_at",
      "merged_into_id",
      "vote_count",
      "trending",
      "comment_count",
      "revision_count",
      "created_at",
      "updated_at",
    ]),
    owners: new CopyTable("idea_owners", ["idea_id", "user_id", "state", "invited_by_id", "merged_from_id", "created_at"]),
    revisions: new CopyTable("revisions", ["item_id", "number", "kind", "editor_id", "title", "body", "category", "tags", "comment", "created_at"]),
    events: new CopyTable("idea_events", ["id", "idea_id", "kind", "actor_id", "from_status", "to_status", "reason", "other_idea_id", "created_at"]),
    comments: new CopyTable("comments", ["id", "item_id", "space_id", "author_id", "body", "body_html", "deleted_at", "deleted_by_id", "created_at", "updated_at"]),
    votes: new CopyTable("votes", ["item_id", "user_id", "value", "created_at", "updated_at"]),
    follows: new CopyTable("follows", ["user_id", "item_id", "created_at"]),
    voters: new CopyTable("campaign_voters", ["campaign_id", "user_id"]),
    reputation: new CopyTable("reputation_events", ["id", "user_id", "delta", "reason", "actor_id", "item_id", "space_id", "tag_ids", "created_at"]),
  };
}

export type IdeaTables = ReturnType<typeof makeIdeaTables>;

/** The way to an outcome: the statuses an idea passes through after "submitted". */
function pathTo(rng: Rng, outcome: Status): Status[] {
  // Both draws are made whatever the outcome, so the random stream does not depend on it.
  const direct = rng() < 0.5;
  const directMerge = rng() < 0.7;
  switch (outcome) {
    case "submitted":
      return [];
    case "under_review":
      return ["under_review"];
    case "accepted":
      return ["under_review", "accepted"];
    case "in_progress":
      return ["under_review", "accepted", "in_progress"];
    case "implemented":
      return ["under_review", "accepted", "in_progress", "implemented"];
    case "declined":
      return direct ? ["declined"] : ["under_review", "declined"];
    case "merged":
      return directMerge ? ["merged"] : ["under_review", "merged"];
  }
}

type Plan = { space: number; open: boolean; start: number; end: number; budget: number | null };

/**
 * When and where the campaigns run, oldest first: the older ones closed within the company's
 * history, the two newest open now (the second newest with a vote budget), the third newest (or
 * with two campaigns, the older one) in the largest restricted space.
 */
function planCampaigns(rng: Rng, count: number, first: number, latest: number): Plan[] {
  const openSpaces = shuffle(
    SPACES.map((_, i) => i).filter((i) => !SPACES[i]!.restricted),
    rng,
  );
  const restrictedSpace = SPACES.map((s, i) => [s, i] as const)
    .filter(([s]) => s.restricted)
    .sort((a, b) => b[0].share - a[0].share)[0]![1];
  const restrictedAt = count === 2 ? 0 : count - 3;
  const older: Array<{ start: number; end: number }> = [];
  for (let i = 0; i < count - 2; i++) {
    const start = first + 90 * DAY + rng() * (latest - 150 * DAY - (first + 90 * DAY));
    older.push({ start, end: start + between(rng, 28, 70) * DAY });
  }
  older.sort((a, b) => a.start - b.start);
  const secondStart = latest - between(rng, 30, 45) * DAY;
  const newestStart = latest - between(rng, 10, 25) * DAY;
  const times = [...older, { start: secondStart, end: secondStart + between(rng, 50, 70) * DAY }, { start: newestStart, end: newestStart + between(rng, 42, 70) * DAY }];
  let nextOpen = 0;
  return times.map((t, i) => ({
    space: i === restrictedAt ? restrictedSpace : openSpaces[nextOpen++ % openSpaces.length]!,
    open: i >= count - 2,
    start: t.start,
    end: t.end,
    budget: i === count - 2 ? 10 : null,
  }));
}

/**
 * Builds every campaign's rows. Ids start at 1 in the ideas' own tables (the database is empty),
 * and continue after the questions' in the shared ones (items, comments, reputation events); idea
 * ids follow the order of submission, so a merged idea's target always has a smaller id.
 */
export function generateIdeas(input: IdeaInputs): { tables: IdeaTables; counts: IdeaCounts; nextEvent: number } {
  const { rng, writer, first, latest, ids } = input;
  const t = makeIdeaTables();
  const iso = (ms: number) => new Date(Math.min(latest, ms)).toISOString();
  const counts: IdeaCounts = { campaigns: 0, ideas: 0, ideaVotes: 0, ideaComments: 0 };
  let nextIdea = 1;
  let nextIdeaEvent = 1;
  let nextComment = input.nextComment;
  let nextEvent = input.nextEvent;
  const topicUses = new Map<number, number>();

  planCampaigns(rng, campaignCount(input.questions), first, latest).forEach((plan, c) => {
    const campaignId = c + 1;
    const space = plan.space;
    const def = SPACES[space]!;
    const pool = input.pools[space]!;
    const moderators = input.memberships.filter((m) => m.space === space && m.role === "moderator").map((m) => m.person);
    const sponsor = pick(rng, moderators.length > 0 ? moderators : input.staff);
    const uses = topicUses.get(space) ?? 0;
    topicUses.set(space, uses + 1);
    const topics = TOPICS[def.slug]!;
    const topic = topics[uses % topics.length]!;
    const round = Math.floor(uses / topics.length);
    const brief = writer.body(between(rng, 40, 100), false);
    // Whole days in UTC, as the form makes them; the ideas and votes fall inside the generated window.
    const startsAt = Math.floor(plan.start / DAY) * DAY;
    const endsAt = Math.ceil(plan.end / DAY) * DAY;
    const createdAt = startsAt - between(rng, 1, 7) * DAY;
    t.campaigns.add(
      campaignId,
      ids.space(space),
      ids.user(sponsor),
      round > 0 ? `${topic.title} (round ${round + 1})` : topic.title,
      brief.markdown,
      brief.html,
      quotedArrayLiteral(topic.categories),
      quotedArrayLiteral(["Impact", "Feasibility"]),
      iso(startsAt),
      new Date(endsAt).toISOString(),
      null,
      null,
      plan.budget,
      iso(createdAt),
      iso(createdAt),
    );
    counts.campaigns++;

    // Ideas, in the order they came in: most in the first days of the campaign.
    const count = Math.max(20, Math.round(pool.length * (0.03 + 0.07 * rng())));
    const until = Math.min(plan.end, latest);
    const times = Array.from({ length: count }, () => plan.start + (until - plan.start) * 0.98 * Math.pow(rng(), 1.6)).sort((a, b) => a - b);
    const list: Idea[] = times.map((created) => {
      const author = pool[input.writerRank[space]!(rng)]!;
      const title = writer.ideaTitle();
      const body = writer.body(between(rng, 40, 160), def.technical);
      const category = pick(rng, topic.categories);
      const tags = new Set<number>();
      for (let n = pick(rng, [0, 1, 1, 2, 2, 3]), tries = 0; tags.size < n && tries < 10; tries++) {
        let tag = input.tagRank(rng);
        if (rng() < 0.5) tag = (tag + space * 37) % input.tagNames.length;
        tags.add(tag);
      }
      // The way to its outcome, cut where it would run past the present: young ideas are less far along.
      const path = pathTo(rng, weighted(rng, OUTCOMES));
      const lags = path.map((s) => HOUR + exponential(rng, LAG_DAYS[s as Exclude<Status, "submitted">] * DAY));
      const steps: Step[] = [];
      let at = created;
      for (let i = 0; i < path.length; i++) {
        at += lags[i]!;
        if (at > latest) break;
        steps.push({ status: path[i]!, at, reason: "" });
      }
      return {
        id: nextIdea++,
        author,
        created,
        title,
        body,
        category,
        tags: [...tags],
        steps,
        status: steps.at(-1)?.status ?? "submitted",
        mergedInto: null,
        closedToVotes: Infinity,
        owners: new Map([[author, { state: "accepted", invitedBy: null, mergedFrom: null, since: created, joined: created }]]),
        followers: new Map([[author, created]]),
        lastTouched: created,
      };
    });

    // Co-owners: about one idea in twelve names a colleague, who mostly accepts.
    for (const idea of list) {
      const invite = rng() < 0.08;
      const coOwner = pool[input.writerRank[space]!(rng)]!;
      const accepts = rng() < 0.85;
      const joined = Math.min(latest, idea.created + exponential(rng, DAY));
      if (!invite || idea.owners.has(coOwner)) continue;
      idea.owners.set(coOwner, { state: accepts ? "accepted" : "invited", invitedBy: idea.author, mergedFrom: null, since: idea.created, joined });
      if (accepts) idea.followers.set(coOwner, joined);
    }

    // Comments: about half the ideas, a few removed (shown as removed, not counted).
    const commentCounts = new Map<number, number>();
    for (const idea of list) {
      const n = rng() < 0.5 ? 0 : 1 + poisson(rng, 1.3);
      let at = idea.created;
      let live = 0;
      for (let i = 0; i < n; i++) {
        at += exponential(rng, i === 0 ? 12 * HOUR : 2 * DAY);
        const by = rng() < 0.15 ? sponsor : pool[input.writerRank[space]!(rng)]!;
        const removed = rng() < 0.04;
        const removedAt = at + between(rng, 1, 48) * HOUR;
        const text = writer.comment();
        if (at > latest) break;
        // Removed by the sponsor, who moderates the campaign.
        t.comments.add(
          nextComment++,
          ids.item(idea.id),
          ids.space(space),
          ids.user(by),
          text.markdown,
          text.html,
          removed ? iso(removedAt) : null,
          removed ? ids.user(sponsor) : null,
          iso(at),
          iso(removed ? removedAt : at),
        );
        if (!removed) live++;
        if (!idea.followers.has(by)) idea.followers.set(by, at);
        idea.lastTouched = Math.max(idea.lastTouched, at);
        counts.ideaComments++;
      }
      commentCounts.set(idea.id, live);
    }

    // Merges: into an earlier idea of the campaign that is still live; without one the idea stays where it was.
    for (const [i, idea] of list.entries()) {
      if (idea.status !== "merged") continue;
      const candidates = list.slice(0, i).filter((o) => o.status !== "merged" && o.status !== "declined");
      const target = candidates.length > 0 ? candidates[Math.floor(rng() * candidates.length)]! : null;
      if (!target) {
        idea.steps.pop();
        idea.status = idea.steps.at(-1)?.status ?? "submitted";
        continue;
      }
      idea.mergedInto = target.id;
      const at = idea.steps.at(-1)!.at;
      for (const [person, owner] of idea.owners) {
        if (owner.state !== "accepted" || target.owners.has(person)) continue;
        target.owners.set(person, { state: "accepted", invitedBy: sponsor, mergedFrom: idea.id, since: at, joined: at });
      }
      for (const [person, since] of idea.followers) if (since <= at && !target.followers.has(person)) target.followers.set(person, at);
      target.lastTouched = Math.max(target.lastTouched, at);
    }

    // The timeline: submitted, then each decision by the sponsor, with its reason.
    for (const idea of list) {
      t.events.add(nextIdeaEvent++, idea.id, "submitted", ids.user(idea.author), null, "submitted", "", null, iso(idea.created));
      let from: Status = "submitted";
      for (const step of idea.steps) {
        const r = rng();
        step.reason =
          step.status === "under_review"
            ? r < 0.3
              ? pick(rng, REVIEW_REASONS)
              : ""
            : step.status === "accepted"
              ? pick(rng, ACCEPT_REASONS)
              : step.status === "in_progress"
                ? r < 0.6
                  ? pick(rng, PROGRESS_REASONS)
                  : ""
                : step.status === "implemented"
                  ? pick(rng, IMPLEMENTED_REASONS)
                  : step.status === "declined"
                    ? pick(rng, DECLINE_REASONS)
                    : `Same idea as #${idea.mergedInto}: its votes, owners and followers moved there.`;
        const other = step.status === "merged" ? idea.mergedInto : null;
        t.events.add(nextIdeaEvent++, idea.id, "status", ids.user(sponsor), from, step.status, step.reason, other, iso(step.at));
        if (other !== null) t.events.add(nextIdeaEvent++, other, "merged_in", ids.user(sponsor), null, null, step.reason, idea.id, iso(step.at));
        if (!VOTABLE.has(step.status)) idea.closedToVotes = Math.min(idea.closedToVotes, step.at);
        from = step.status;
      }
      idea.lastTouched = Math.max(idea.lastTouched, idea.steps.at(-1)?.at ?? idea.created);
    }

    // Votes: a share of the people who see the campaign vote, each for a few ideas (some for
    // many), drawn by appeal: ideas that got further along drew more votes.
    const appealOrder = list
      .map((idea) => ({ idea, score: rng() * (idea.steps.some((s) => s.status === "accepted") ? 3 : idea.status === "under_review" ? 1.5 : 1) }))
      .sort((a, b) => b.score - a.score || a.idea.id - b.idea.id)
      .map((x) => x.idea);
    const appeal = zipf(appealOrder.length, 0.9, 4);
    const voterCount = Math.max(Math.min(pool.length, 10), Math.round(pool.length * (0.12 + 0.2 * rng())));
    const voters = drawPeople(rng, pool, input.voterRank[space]!, voterCount, -1);
    for (const voter of voters) {
      const wanted = 1 + Math.floor(exponential(rng, 3.5));
      const mine = new Set<number>();
      let counted = 0;
      for (let tries = 0; mine.size < wanted && tries < wanted * 10; tries++) {
        const idea = appealOrder[appeal(rng)]!;
        const when = rng();
        const soon = exponential(rng, 6 * DAY);
        if (idea.mergedInto !== null || mine.has(idea.id) || idea.owners.has(voter)) continue;
        // Declined and merged ideas give their votes back: only the others count against a budget.
        const holds = idea.status !== "declined";
        if (plan.budget !== null && holds && counted >= plan.budget) continue;
        const end = Math.min(idea.closedToVotes, plan.end, latest);
        const at = idea.created + Math.min((end - idea.created) * when, soon);
        mine.add(idea.id);
        if (holds) counted++;
        t.votes.add(ids.item(idea.id), ids.user(voter), 1, iso(at), iso(at));
        idea.lastTouched = Math.max(idea.lastTouched, at);
      }
      if (mine.size > 0) t.voters.add(campaignId, ids.user(voter));
      counts.ideaVotes += mine.size;
    }

    // Owners earn the idea's milestones (settleIdeaReputation): from when they reached it, or joined
    // after; but nobody earns from their own decision (decision 007): the sponsor decides every step
    // here, so a milestone the sponsor decided while owning the idea pays no owner, the sponsor never
    // earns one, and owners the sponsor merged in while owning the target earn nothing on it.
    for (const idea of list) {
      const accepted = idea.steps.find((s) => s.status === "accepted");
      const implemented = idea.status === "implemented" ? idea.steps.at(-1)! : undefined;
      const stillAccepted = accepted && (idea.status === "accepted" || idea.status === "in_progress" || idea.status === "implemented");
      const tagIds = arrayLiteral(idea.tags.map(ids.tag));
      const sponsorOwner = idea.owners.get(sponsor);
      const sponsorOwned = (at: number) => sponsorOwner !== undefined && sponsorOwner.since <= at;
      for (const [person, owner] of idea.owners) {
        if (owner.state !== "accepted" || person === sponsor) continue;
        if (owner.mergedFrom !== null && owner.invitedBy === sponsor && sponsorOwner?.state === "accepted") continue;
        if (stillAccepted && !sponsorOwned(accepted.at))
          t.reputation.add(nextEvent++, ids.user(person), WEIGHTS.ideaAccepted, "idea_accepted", null, ids.item(idea.id), ids.space(space), tagIds, iso(Math.max(accepted.at, owner.joined)));
        if (implemented && !sponsorOwned(implemented.at))
          t.reputation.add(
            nextEvent++,
            ids.user(person),
            WEIGHTS.ideaImplemented,
            "idea_implemented",
            null,
            ids.item(idea.id),
            ids.space(space),
            tagIds,
            iso(Math.max(implemented.at, owner.joined)),
          );
      }
    }

    for (const idea of list) {
      const last = idea.steps.at(-1);
      const tagNames = arrayLiteral(idea.tags.map((tag) => input.tagNames[tag]!));
      t.items.add(ids.item(idea.id), "idea", ids.space(space), iso(idea.created));
      t.ideas.add(
        idea.id,
        ids.item(idea.id),
        campaignId,
        ids.space(space),
        ids.user(idea.author),
        idea.title,
        idea.body.markdown,
        idea.body.html,
        idea.category,
        tagNames,
        idea.status,
        last?.reason ?? "",
        iso(last?.at ?? idea.created),
        idea.mergedInto,
        0,
        0,
        commentCounts.get(idea.id) ?? 0,
        1,
        iso(idea.created),
        iso(idea.lastTouched),
      );
      t.revisions.add(ids.item(idea.id), 1, "create", ids.user(idea.author), idea.title, idea.body.markdown, idea.category, tagNames, "", iso(idea.created));
      for (const [person, owner] of idea.owners) {
        t.owners.add(idea.id, ids.user(person), owner.state, owner.invitedBy === null ? null : ids.user(owner.invitedBy), owner.mergedFrom, iso(owner.since));
      }
      for (const [person, since] of idea.followers) t.follows.add(ids.user(person), ids.item(idea.id), iso(since));
    }
    counts.ideas += list.length;
  });
  return { tables: t, counts, nextEvent };
}

/** Writes the rows, parents before children. */
export async function writeIdeaTables(sql: postgres.TransactionSql, t: IdeaTables): Promise<number> {
  let rows = 0;
  for (const table of [t.campaigns, t.items, t.ideas, t.owners, t.revisions, t.events, t.comments, t.votes, t.follows, t.voters, t.reputation]) rows += await table.write(sql);
  return rows;
}

/**
 * Vote counts and trending weights from the ideas' votes, in one statement: the sum is recountVotes'
 * (app/features/ideas/votes.server.ts), its epoch and week written in.
 */
export async function recountIdeaVotes(sql: postgres.TransactionSql): Promise<void> {
  await sql`
    update ideas i set vote_count = v.n, trending = v.trending
    from (
      select v.item_id, count(*)::int as n,
        coalesce(sum(power(2::float8, extract(epoch from (v.created_at - '2026-01-01T00:00:00Z'::timestamptz)) / 604800)), 0) as trending
      from votes v join ideas d on d.item_id = v.item_id group by v.item_id
    ) v
    where v.item_id = i.item_id`;
}
