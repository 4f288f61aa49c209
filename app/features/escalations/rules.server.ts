import { type SQL, and, eq, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "#db/client.server.ts";
import { forumEscalations, forumThreads } from "#db/schema/index.ts";
import { FORUM_CHANNEL } from "#app/features/publishing/forum-write.server.ts";
import { escalatedMail } from "./mail.server.ts";
import { type EscalationSettings, type RuleName, type Severity, higherSeverity, raiseSeverity, severityRank } from "./model.ts";
import { addWeeks, meTooRule, plainCount, round1, sentimentRule, urgentTermsRule, volumeSpikeRule, weekKey, weekStart } from "./rules.ts";
import { escalationSettings } from "./settings.server.ts";
import { enqueueMail } from "#app/features/mail/outbox.server.ts";

/**
 * Escalating a hot customer question (issue 20). The forum queue's intake calls
 * `evaluateEscalations` after each new customer question and each "me too"; it may be called any
 * number of times for the same facts (it is idempotent), from any number of instances (the unique
 * partial index on open escalations decides a race, and the loser adds to the winner's row).
 */

type Fired = { rule: RuleName; reason: string; severity: Severity };

const HOUR = 3_600_000;

/** A text[] literal of bound values (an empty list is an empty array). */
export function textArray(values: readonly string[]): SQL {
  return sql`array[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;
}

export async function evaluateEscalations(db: Db, threadId: number, now = new Date()): Promise<{ escalationId: number | null; fired: string[] }> {
  const [thread] = await db
    .select({ id: forumThreads.id, title: forumThreads.title, body: forumThreads.body, tags: forumThreads.tags })
    .from(forumThreads)
    .where(and(eq(forumThreads.id, threadId), eq(forumThreads.origin, "customer"), eq(forumThreads.moderation, "visible"), sql`${forumThreads.withdrawnAt} is null`));
  if (!thread) return { escalationId: null, fired: [] };
  const settings = await escalationSettings(db);
  const facts = await gatherFacts(db, thread, settings, now);
  const fired = firedRules(thread, facts, settings, now);
  if (fired.rules.length === 0) return { escalationId: facts.openId, fired: [] };
  const escalationId = await db.transaction((tx) => writeEscalation(tx, thread, fired, settings, now));
  return { escalationId, fired: fired.rules.map((f) => f.rule) };
}

type Facts = {
  openId: number | null;
  /** Since a previous escalation of this thread was closed, only new evidence counts (see firedRules). */
  closedAt: Date | null;
  meToos: number;
  /** Per topic: new customer questions per week, oldest first, this week last. */
  weekly: Map<string, number[]>;
};

async function gatherFacts(db: Db, thread: { id: number; tags: string[] }, settings: EscalationSettings, now: Date): Promise<Facts> {
  const weeks = settings.volumeSpike.trailingWeeks;
  const thisWeek = weekStart(now);
  const from = addWeeks(thisWeek, -weeks);
  const [state] = await db.execute<{ open_id: number | null; closed_at: string | null; me_toos: number }>(sql`
    select (select e.id from forum_escalations e where e.thread_id = ${thread.id} and e.status in ('open', 'investigating') limit 1) as open_id,
           (select max(e.resolved_at) from forum_escalations e where e.thread_id = ${thread.id} and e.status in ('resolved', 'dismissed')) as closed_at,
           (select count(*)::int from forum_me_toos m where m.thread_id = ${thread.id}
              and m.created_at > coalesce((select max(e.resolved_at) from forum_escalations e where e.thread_id = ${thread.id} and e.status in ('resolved', 'dismissed')), '-infinity')) as me_toos`);
  const weekly = new Map<string, number[]>();
  if (settings.volumeSpike.enabled && thread.tags.length > 0) {
    const rows = await db.execute<{ tag: string; week: string; count: number }>(sql`
      select tag, to_char(date_trunc('week', t.asked_at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*)::int as count
        from forum_threads t, unnest(t.tags) as tag
       where t.origin = 'customer' and t.moderation <> 'removed'
         and t.tags && ${textArray(thread.tags)} and tag = any(${textArray(thread.tags)})
         and t.asked_at >= ${from.toISOString()} and t.asked_at < ${addWeeks(thisWeek, 1).toISOString()}
       group by 1, 2`);
    const keys = Array.from({ length: weeks + 1 }, (_, i) => weekKey(addWeeks(from, i)));
    for (const tag of thread.tags)
      weekly.set(
        tag,
        keys.map(() => 0),
      );
    for (const row of rows) {
      const index = keys.indexOf(row.week);
      const series = weekly.get(row.tag);
      if (series && index >= 0) series[index] = Number(row.count);
    }
  }
  return {
    openId: state?.open_id ?? null,
    closedAt: state?.closed_at ? new Date(state.closed_at) : null,
    meToos: Number(state?.me_toos ?? 0),
    weekly,
  };
}

/**
 * The rules that fire on these facts. After an escalation of this thread was resolved or
 * dismissed, the same evidence must not bring it straight back: the text (title and body) has been
 * judged already, "me too" counts only those said since, and a spike counts only in a later week.
 */
function firedRules(thread: { title: string; body: string }, facts: Facts, settings: EscalationSettings, now: Date): { rules: Fired[]; raise: boolean } {
  const rules: Fired[] = [];
  const meToo = meTooRule(facts.meToos, settings.meToo);
  if (meToo.fired) rules.push({ rule: "me_too", severity: settings.meToo.severity, reason: `${plainCount(facts.meToos, "customer", "customers")} said “me too”` });
  const text = `${thread.title}\n\n${thread.body}`;
  if (!facts.closedAt) {
    const terms = urgentTermsRule(text, settings.urgentTerms);
    if (terms.length > 0) rules.push({ rule: "urgent_terms", severity: settings.urgentTerms.severity, reason: `Urgent ${terms.length === 1 ? "term" : "terms"}: ${terms.join(", ")}` });
    const tone = sentimentRule(text, settings.sentiment);
    if (tone.fired) {
      rules.push({
        rule: "sentiment",
        severity: settings.sentiment.severity,
        reason: `Strongly negative tone: ${round1(tone.comparative)} a word over ${plainCount(tone.scoredWords, "scored word", "scored words")}`,
      });
    }
  }
  const spikes: string[] = [];
  for (const [tag, series] of facts.weekly) {
    const thisWeek = series[series.length - 1] ?? 0;
    const spike = volumeSpikeRule(thisWeek, series.slice(0, -1), settings.volumeSpike);
    if (spike.fired) spikes.push(`${tag} (${plainCount(thisWeek, "new question", "new questions")} this week against ${round1(spike.mean)} a week before, z = ${round1(spike.z)})`);
  }
  const spikeCounts = spikes.length > 0 && (!facts.closedAt || weekStart(facts.closedAt).getTime() < weekStart(now).getTime());
  if (spikeCounts) rules.push({ rule: "volume_spike", severity: settings.volumeSpike.severity, reason: `Volume spike in ${spikes.join("; ")}` });
  return { rules, raise: meToo.raise };
}

function severityOf(fired: { rules: Fired[]; raise: boolean }): Severity {
  const highest = fired.rules.reduce<Severity>((worst, f) => higherSeverity(worst, f.severity), "low");
  return fired.raise ? raiseSeverity(highest) : highest;
}

async function writeEscalation(tx: Tx, thread: { id: number; title: string }, fired: { rules: Fired[]; raise: boolean }, settings: EscalationSettings, now: Date): Promise<number> {
  const severity = severityOf(fired);
  const inserted = await tx.execute<{ id: number }>(sql`
    insert into forum_escalations (thread_id, rules, reasons, severity, due_at, created_at, updated_at)
    values (${thread.id}, ${textArray(fired.rules.map((f) => f.rule))}, ${textArray(fired.rules.map((f) => f.reason))}, ${severity}::escalation_severity,
            ${new Date(now.getTime() + settings.slaHours[severity] * HOUR).toISOString()}::timestamptz, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
    on conflict (thread_id) where status in ('open', 'investigating') do nothing
    returning id`);
  const created = inserted[0];
  if (created) {
    await tx.update(forumThreads).set({ escalationState: "escalated", escalationOutcome: "", escalationUpdatedAt: now }).where(eq(forumThreads.id, thread.id));
    await tx.execute(sql`select pg_notify(${FORUM_CHANNEL}, ${String(thread.id)})`);
    await tellModerators(tx, { id: created.id, title: thread.title, severity, reasons: fired.rules.map((f) => f.reason) });
    return created.id;
  }
  // One is open (perhaps opened a moment ago by another instance): add what is new to it.
  const [open] = await tx
    .select()
    .from(forumEscalations)
    .where(and(eq(forumEscalations.threadId, thread.id), inArray(forumEscalations.status, ["open", "investigating"])))
    .for("update");
  if (!open) return 0;
  const rules = [...open.rules];
  const reasons = [...open.reasons];
  for (const f of fired.rules) {
    const at = rules.indexOf(f.rule);
    if (at === -1) {
      rules.push(f.rule);
      reasons.push(f.reason);
    } else if (reasons[at] !== undefined) {
      // The same rule seen again: its reason now says what it sees now ("9 customers" rather than "5").
      reasons[at] = f.reason;
    }
  }
  const raised = severityRank(severity) > severityRank(open.severity);
  const changed = raised || rules.length !== open.rules.length || reasons.some((r, i) => r !== open.reasons[i]);
  if (!changed) return open.id;
  const newDue = new Date(now.getTime() + settings.slaHours[severity] * HOUR);
  await tx
    .update(forumEscalations)
    .set({
      rules,
      reasons,
      ...(raised ? { severity, dueAt: open.firstResponseAt || open.dueAt <= newDue ? open.dueAt : newDue } : {}),
      updatedAt: now,
    })
    .where(eq(forumEscalations.id, open.id));
  return open.id;
}

/** Every active moderator and admin gets "Escalated: <title>" through the mail outbox, at commit. */
async function tellModerators(tx: Tx, escalation: { id: number; title: string; severity: Severity; reasons: string[] }): Promise<void> {
  const people = await tx.execute<{ id: number; email: string; name: string }>(sql`
    select id, email, name from users
     where kind = 'employee' and role in ('moderator', 'admin') and deactivated_at is null and email_verified_at is not null
     order by id`);
  if (people.length === 0) return;
  await enqueueMail(tx, ...people.map((to) => escalatedMail({ to, escalation })));
}
