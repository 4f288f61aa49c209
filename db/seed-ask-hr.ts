import { sql } from "drizzle-orm";
import { askAnonymously } from "../app/features/anonymous/ask.server.ts";
import { sendRelayMessage } from "../app/features/anonymous/moderation.server.ts";
import { RelaySchema } from "../app/features/anonymous/schemas.ts";
import { ANONYMOUS_EMAIL } from "../app/features/anonymous/stand-in.server.ts";
import { acceptAnswer } from "../app/features/qa/accept.server.ts";
import { postAnswer } from "../app/features/qa/posts.server.ts";
import { AnswerSchema, AskSchema } from "../app/features/qa/schemas.ts";
import { createSpace, createTags } from "./factories/index.ts";
import type { Db, Tx } from "./client.server.ts";
import type { users } from "./schema/index.ts";
import { md } from "./seed-content.ts";
import { intArray } from "./sql-params.ts";

/**
 * The demo's "Ask HR" space (issue 18): compensation and benefits questions people hesitate to
 * ask by name, asked anonymously by demo members through the same function the ask form uses,
 * answered by Lena Fischer (HR, the space's moderator), one of them accepted, and one relay
 * message from Lena to an asker. Then, as for the rest of the demo, the dates move into the past.
 */

type User = typeof users.$inferSelect;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const ASK_HR_SPACE = {
  slug: "ask-hr",
  name: "Ask HR",
  description: "Pay, benefits, leave and pensions. You can ask anonymously here: nobody, HR and admins included, sees who asked.",
};

export type AskHrQuestion = {
  /** Who asks (anonymously). */
  by: string;
  daysAgo: number;
  title: string;
  tags: string[];
  body: string;
  /** Lena's answer, `after` hours later. */
  answer: { after: number; body: string; accepted?: boolean };
  /** A relay message from Lena to the asker, `after` hours after the question. */
  relay?: { after: number; body: string };
};

export const ASK_HR_QUESTIONS: AskHrQuestion[] = [
  {
    by: "Tom Becker",
    daysAgo: 41,
    title: "When is the annual pay review, and how are the increases decided?",
    tags: ["compensation", "pay-review"],
    body: md`
      I joined last summer and missed the last round. When does the pay review happen, who
      proposes the increase, and is there anything I should prepare beforehand?

      I'd rather not ask my manager directly before I understand how it works.
    `,
    answer: {
      after: 5,
      body: md`
        The review runs once a year, effective **1 April**:

        1. In February managers propose increases for their team, using the salary bands and
           your last two check-ins.
        2. In March each department calibrates the proposals, so similar work gets similar pay.
        3. Everyone gets a letter with the outcome by the end of March.

        Anyone who joined before 1 October is in the round. It helps to bring notes of what you
        delivered to your February check-in. You can always ask your manager which band your
        role is in: that is not a sensitive question.
      `,
    },
    relay: {
      after: 7,
      body: "Thanks for asking this. If you'd like to go through the salary band for your role, I'm happy to do that one-to-one, and you don't need to mention this question. Lena",
    },
  },
  {
    by: "Chloe Dubois",
    daysAgo: 27,
    title: "Does Northwind top up statutory parental leave pay, and for how long?",
    tags: ["benefits", "parental-leave"],
    body: md`
      We're expecting a baby later this year. The statutory pay here is a lot less than my
      salary. Does the company top it up, and does it depend on how long I've worked here or on
      which office I'm in?
    `,
    answer: {
      after: 3,
      accepted: true,
      body: md`
        Congratulations! Yes: Northwind tops statutory parental pay up to **100% of your base
        salary for the first 16 weeks**, for every parent, in every office, from your first day.
        After that the statutory rules of your country apply.

        Tell HR (or your manager) at least eight weeks before the leave starts and we set it up
        in payroll. Your pension contributions continue on your full salary during the top-up.
      `,
    },
  },
  {
    by: "Ahmed Hassan",
    daysAgo: 13,
    title: "How does the pension matching work, and can I change my contribution mid-year?",
    tags: ["benefits", "pension"],
    body: md`
      The onboarding pack says the company "matches" pension contributions, but not up to how
      much. Is it worth paying in more than the minimum, and can I change the percentage
      outside the enrolment window?
    `,
    answer: {
      after: 20,
      body: md`
        Northwind matches what you pay in **one for one, up to 6% of your base salary**. Paying
        in 6% therefore puts 12% in your pot; above 6% the extra is yours alone (still with the
        tax relief).

        You can change your percentage **any month**: change it in the payroll portal before the
        10th and it applies to that month's salary.
      `,
    },
  },
  {
    by: "Grace Liu",
    daysAgo: 5,
    title: "Can I ask for a salary review outside the annual cycle?",
    tags: ["compensation", "pay-review"],
    body: md`
      My role has grown a lot since the last review and I think I'm now doing the job one band
      up. Is it acceptable to ask for a review now, or do I have to wait for next April?
    `,
    answer: {
      after: 9,
      body: md`
        Yes, you can. Out-of-cycle reviews exist exactly for a role that has changed: ask your
        manager, who sends a short case (what changed, since when) to HR. We answer within four
        weeks, and an agreed change is backdated to the date of the request.

        If you'd rather talk it through first, any HR business partner will go through the bands
        with you in confidence.
      `,
    },
  },
];

/** Makes the space and its questions; returns what it wrote. */
export async function seedAskHr(tx: Tx, people: Map<string, User>): Promise<{ spaces: number; questions: number; answers: number; accepted: number }> {
  // The feature functions open their own transaction; inside the seed's it becomes a savepoint.
  const db = tx as unknown as Db;
  const person = (name: string): User => {
    const found = people.get(name);
    if (!found) throw new Error(`seed: unknown person ${name}`);
    return found;
  };
  const lena = person("Lena Fischer");
  await createSpace(tx, { ...ASK_HR_SPACE, anonymousQuestions: true, moderators: [lena] });
  // Made directly (no description): creating tags through the app takes reputation.
  await createTags(tx, [...new Set(ASK_HR_QUESTIONS.flatMap((q) => q.tags))]);

  const [clock] = await tx.execute<{ now: string }>(sql`select now()::text as now`);
  const now = new Date(clock!.now).getTime();
  const latest = now - 10 * 60_000;
  const after = (base: number, hours: number) => Math.min(base + hours * HOUR, latest);

  const times: Array<{ id: number; at: Date; activity: Date; views: number }> = [];
  const accepts: Array<{ answerId: number; at: Date }> = [];
  const relays: Array<{ questionId: number; at: Date }> = [];
  for (const q of ASK_HR_QUESTIONS) {
    const asked = Math.min(now - q.daysAgo * DAY, latest);
    const { id } = await askAnonymously(db, person(q.by), AskSchema.parse({ space: ASK_HR_SPACE.slug, title: q.title, body: q.body, tags: q.tags }));
    const answered = after(asked, q.answer.after);
    const { id: answerId } = await postAnswer(db, lena, id, AnswerSchema.parse({ body: q.answer.body }));
    times.push({ id: answerId, at: new Date(answered), activity: new Date(answered), views: 0 });
    let activity = answered;
    if (q.answer.accepted) {
      const acceptedAt = after(answered, 2);
      await acceptAnswer(db, person(q.by), answerId);
      accepts.push({ answerId, at: new Date(acceptedAt) });
      activity = acceptedAt;
    }
    if (q.relay) {
      await sendRelayMessage(db, lena, id, RelaySchema.parse({ body: q.relay.body }));
      relays.push({ questionId: id, at: new Date(after(asked, q.relay.after)) });
    }
    times.push({ id, at: new Date(asked), activity: new Date(activity), views: 9 + Math.min(q.daysAgo, 40) });
  }

  // Move everything into the past, as db/seed.ts does for the rest of the Q&A.
  const json = (rows: unknown) => JSON.stringify(rows);
  const ids = intArray(times.map((t) => t.id));
  await tx.execute(sql`
    update posts p set created_at = v.at, updated_at = v.at, last_activity_at = v.activity,
      view_count = case when p.type = 'question' then v.views else p.view_count end
    from jsonb_to_recordset(${json(times)}::jsonb) as v(id int, at timestamptz, activity timestamptz, views int)
    where p.id = v.id`);
  await tx.execute(sql`update items i set created_at = p.created_at from posts p where p.item_id = i.id and p.id = any(${ids})`);
  await tx.execute(sql`update revisions r set created_at = p.created_at from posts p where p.item_id = r.item_id and p.id = any(${ids})`);
  await tx.execute(sql`update anonymous_askers a set created_at = p.created_at from posts p where p.id = a.question_id and p.id = any(${ids})`);
  await tx.execute(sql`
    update anonymous_relay_messages m set created_at = v.at
    from jsonb_to_recordset(${json(relays)}::jsonb) as v("questionId" int, at timestamptz)
    where m.question_id = v."questionId"`);
  // The asker follows from asking, Lena from answering.
  await tx.execute(sql`
    update follows f set created_at = coalesce(
      (select min(a.created_at) from posts a where a.parent_id = q.id and a.author_id = f.user_id),
      q.created_at)
    from posts q
    where q.item_id = f.item_id and q.id = any(${ids})`);
  await tx.execute(sql`
    update reputation_events e set created_at = v.at
    from jsonb_to_recordset(${json(accepts)}::jsonb) as v("answerId" int, at timestamptz)
    join posts p on p.id = v."answerId"
    where e.item_id = p.item_id`);
  // A notification is as old as what it tells about: the accept, the relay message, or the post.
  await tx.execute(sql`
    update notifications n set created_at = coalesce(
      case when n.kind = 'accept' then (select v.at from jsonb_to_recordset(${json(accepts)}::jsonb) as v("answerId" int, at timestamptz)
                                        join posts a on a.id = v."answerId" where a.item_id = n.subject_item_id) end,
      case when n.kind = 'relay' then (select v.at from jsonb_to_recordset(${json(relays)}::jsonb) as v("questionId" int, at timestamptz)
                                       join posts q on q.id = v."questionId" where q.item_id = n.item_id) end,
      (select p.created_at from posts p where p.item_id = coalesce(n.subject_item_id, n.item_id)))
    where n.item_id in (select item_id from posts where id = any(${ids}))`);
  await tx.execute(sql`
    update notifications set read_at = created_at + interval '5 hours'
    where created_at < now() - interval '3 days' and read_at is null and item_id in (select item_id from posts where id = any(${ids}))`);
  // The stand-in has been there as long as the first anonymous question.
  await tx.execute(sql`
    update users u set created_at = (select min(a.created_at) from anonymous_askers a) - interval '1 day'
    where u.email = ${ANONYMOUS_EMAIL}`);

  return { spaces: 1, questions: ASK_HR_QUESTIONS.length, answers: ASK_HR_QUESTIONS.length, accepted: ASK_HR_QUESTIONS.filter((q) => q.answer.accepted).length };
}
