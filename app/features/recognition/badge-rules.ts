import { sql, type SQL } from "drizzle-orm";

/**
 * The automatic badges: rules over what the ledgers already hold (posts, accepts, votes, pages,
 * suggestions, ideas, kudos), in bronze, silver and gold. The grant job (badges.server.ts) keeps a
 * `badges` row per rule, named and described as here, and runs each rule's SELECT as one
 * `INSERT … SELECT … ON CONFLICT DO NOTHING` into `badge_awards`, so a re-run grants nothing twice.
 *
 * Each rule selects the people who have earned it, one row per award, as
 * `(user_id, subject, tag_id, value_id, subject_item_id)`: `subject` is "" for a badge held once
 * per person, "tag:<id>", "item:<itemId>" or "value:<id>" for one held once per tag, answer, idea
 * or value. Deleted content never counts (a deleted answer, or any answer on a deleted question;
 * a deleted page; a withdrawn kudos), nor does accepting one's own answer. Who may hold a badge at
 * all (active employees) is the job's condition, not each rule's.
 *
 * Once granted, a badge stays: a later delete, downvote or unaccept does not take it back (as on
 * Stack Overflow), and the job only ever adds.
 */

export type BadgeTier = "bronze" | "silver" | "gold";

/** What one award of a badge is for: the person once, or each tag, answer or idea, or company value. */
export type BadgePer = "person" | "tag" | "item" | "value";

export type BadgeRule = {
  /** Stored in `badges.rule`: never rename one (it would become a second badge). */
  key: string;
  name: string;
  /** How it is earned, in a sentence: what the badge page and the list say. */
  description: string;
  tier: BadgeTier;
  per: BadgePer;
  /** The people who have earned it, one row per award (see above). `now` is the job's clock. */
  candidates(now: Date): SQL;
};

/** A badge held once: every person `people` names (a SELECT of `user_id`). */
function once(people: SQL): SQL {
  return sql`select distinct p.user_id, ''::text as subject, null::int as tag_id, null::int as value_id, null::int as subject_item_id from (${people}) p`;
}

/** Live answers: not deleted, on a question that is not deleted. */
const LIVE_ANSWERS = sql`posts a join posts q on q.id = a.parent_id where a.type = 'answer' and a.deleted_at is null and q.deleted_at is null`;

/** Accepted answers that count: live, on a live question, accepted by someone other than their writer. */
const ACCEPTED_ANSWERS = sql`posts q join posts a on a.id = q.accepted_answer_id
  where q.type = 'question' and q.deleted_at is null and a.deleted_at is null and a.author_id <> q.author_id`;

/** One award per answer whose score reached `score`. */
function answerScore(score: number): (now: Date) => SQL {
  return () => sql`select a.author_id as user_id, 'item:' || a.item_id as subject, null::int as tag_id, null::int as value_id, a.item_id as subject_item_id
    from ${LIVE_ANSWERS} and a.score >= ${score}`;
}

/** One award per tag in which the person wrote `count` accepted answers. */
function acceptedInTag(count: number): (now: Date) => SQL {
  return () => sql`select a.author_id as user_id, 'tag:' || qt.tag_id as subject, qt.tag_id, null::int as value_id, null::int as subject_item_id
    from posts q join posts a on a.id = q.accepted_answer_id join question_tags qt on qt.post_id = q.id
    where q.type = 'question' and q.deleted_at is null and a.deleted_at is null and a.author_id <> q.author_id
    group by a.author_id, qt.tag_id having count(*) >= ${count}`;
}

export const BADGE_RULES: readonly BadgeRule[] = [
  // Questions and answers
  {
    key: "first-question",
    name: "First question",
    description: "Asked a first question.",
    tier: "bronze",
    per: "person",
    candidates: () => once(sql`select author_id as user_id from posts where type = 'question' and deleted_at is null`),
  },
  {
    key: "first-answer",
    name: "First answer",
    description: "Answered a first question.",
    tier: "bronze",
    per: "person",
    candidates: () => once(sql`select a.author_id as user_id from ${LIVE_ANSWERS}`),
  },
  {
    key: "first-accepted-answer",
    name: "First accepted answer",
    description: "Wrote a first answer that the asker accepted.",
    tier: "bronze",
    per: "person",
    candidates: () => once(sql`select a.author_id as user_id from ${ACCEPTED_ANSWERS}`),
  },
  { key: "answer-score-10", name: "Nice answer", description: "Wrote an answer with a score of 10 or more (once per answer).", tier: "bronze", per: "item", candidates: answerScore(10) },
  { key: "answer-score-25", name: "Good answer", description: "Wrote an answer with a score of 25 or more (once per answer).", tier: "silver", per: "item", candidates: answerScore(25) },
  { key: "answer-score-100", name: "Great answer", description: "Wrote an answer with a score of 100 or more (once per answer).", tier: "gold", per: "item", candidates: answerScore(100) },
  {
    key: "tag-accepted-10",
    name: "Tag specialist",
    description: "Wrote 10 accepted answers to questions with one tag (once per tag).",
    tier: "silver",
    per: "tag",
    candidates: acceptedInTag(10),
  },
  {
    key: "tag-accepted-50",
    name: "Tag authority",
    description: "Wrote 50 accepted answers to questions with one tag (once per tag).",
    tier: "gold",
    per: "tag",
    candidates: acceptedInTag(50),
  },
  // The wiki
  {
    key: "wiki-page",
    name: "Wiki writer",
    description: "Wrote a wiki page.",
    tier: "bronze",
    per: "person",
    candidates: () => once(sql`select author_id as user_id from wiki_pages where deleted_at is null`),
  },
  {
    // Owning a page that is verified and not yet due for review rewards keeping knowledge current,
    // which verifying one's own page once would not.
    key: "verified-page",
    name: "Verified knowledge",
    description: "Owns a wiki page that is verified and not past its review date.",
    tier: "silver",
    per: "person",
    candidates: (now) =>
      once(sql`select o.user_id from wiki_page_owners o join wiki_pages p on p.id = o.page_id
        where p.deleted_at is null and p.verified_at is not null and (p.review_due_at is null or p.review_due_at > ${now.toISOString()}::timestamptz)`),
  },
  {
    key: "edit-approved",
    name: "Editor",
    description: "Suggested an edit to a protected wiki page that its owners approved.",
    tier: "bronze",
    per: "person",
    candidates: () => once(sql`select s.author_id as user_id from wiki_suggestions s join wiki_pages p on p.id = s.page_id where s.status = 'approved' and p.deleted_at is null`),
  },
  // Ideas: their owners (the writer and the co-owners who accepted) share the credit.
  {
    key: "idea-accepted",
    name: "Idea accepted",
    description: "Owns an idea that was accepted.",
    tier: "silver",
    per: "person",
    candidates: () => once(sql`select o.user_id from idea_owners o join ideas i on i.id = o.idea_id where o.state = 'accepted' and i.status in ('accepted', 'in_progress', 'implemented')`),
  },
  {
    key: "idea-implemented",
    name: "Idea made real",
    description: "Owns an idea that was implemented (once per idea).",
    tier: "gold",
    per: "item",
    candidates: () => sql`select distinct o.user_id, 'item:' || i.item_id as subject, null::int as tag_id, null::int as value_id, i.item_id as subject_item_id
      from idea_owners o join ideas i on i.id = o.idea_id where o.state = 'accepted' and i.status = 'implemented'`,
  },
  // Kudos (withdrawn ones never count; private ones do, and the badge names no kudos).
  {
    key: "first-kudos-given",
    name: "First kudos",
    description: "Thanked a colleague with kudos for the first time.",
    tier: "bronze",
    per: "person",
    candidates: () => once(sql`select giver_id as user_id from kudos where deleted_at is null`),
  },
  {
    key: "kudos-received-10",
    name: "Appreciated",
    description: "Received 10 kudos.",
    tier: "silver",
    per: "person",
    candidates: () => once(sql`select r.user_id from kudos_receivers r join kudos k on k.id = r.kudos_id where k.deleted_at is null group by r.user_id having count(*) >= 10`),
  },
  {
    key: "value-kudos-25",
    name: "Living the value",
    description: "Received 25 kudos for one of the company's values (once per value).",
    tier: "gold",
    per: "value",
    candidates: () => sql`select r.user_id, 'value:' || k.value_id as subject, null::int as tag_id, k.value_id, null::int as subject_item_id
      from kudos_receivers r join kudos k on k.id = r.kudos_id where k.deleted_at is null
      group by r.user_id, k.value_id having count(*) >= 25`,
  },
];

/** The names the catalogue takes, lower-cased: custom badges may not use them. */
export const AUTOMATIC_BADGE_NAMES: ReadonlySet<string> = new Set(BADGE_RULES.map((r) => r.name.toLowerCase()));

export function badgeRule(key: string | null): BadgeRule | undefined {
  return key === null ? undefined : BADGE_RULES.find((r) => r.key === key);
}
