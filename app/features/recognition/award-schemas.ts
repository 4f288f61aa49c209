import { z } from "zod";
import { PublishAtField } from "#app/features/articles/schemas.ts";
import { splitHandles } from "#app/features/ideas/schemas.ts";
import { SubmissionKey, textField } from "#app/features/qa/schemas.ts";
import { normalizeText } from "#app/lib/forms.ts";
import { idField } from "#app/lib/ids.ts";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";

/**
 * Award rounds' forms, phases and results ranking: safe for the browser (the pages read the phase
 * labels), used by the routes and by awards.server.ts. See docs/recognition.md, "Award rounds".
 */

// ---------------------------------------------------------------------------------------------
// Phases

export const AWARD_PHASES = ["upcoming", "nominating", "shortlisting", "between", "voting", "counting", "results"] as const;
export type AwardPhase = (typeof AWARD_PHASES)[number];

export const PHASE_LABELS: Record<AwardPhase, string> = {
  upcoming: "Opens soon",
  nominating: "Nominations open",
  shortlisting: "Shortlisting",
  between: "Between phases",
  voting: "Voting open",
  counting: "Voting closed",
  results: "Results out",
};

export type RoundDates = {
  nominationsOpenAt: Date;
  nominationsCloseAt: Date;
  votingOpenAt: Date;
  votingCloseAt: Date;
  resultsAt: Date;
  shortlist: boolean;
};

/**
 * Where a round is at `now`, from its dates alone (HR moves a phase on by moving its date). The
 * gap between nominations and voting is the shortlist when the round has one.
 */
export function awardPhase(round: RoundDates, now: Date | number): AwardPhase {
  const t = typeof now === "number" ? now : now.getTime();
  if (t < round.nominationsOpenAt.getTime()) return "upcoming";
  if (t < round.nominationsCloseAt.getTime()) return "nominating";
  if (t < round.votingOpenAt.getTime()) return round.shortlist ? "shortlisting" : "between";
  if (t < round.votingCloseAt.getTime()) return "voting";
  if (t < round.resultsAt.getTime()) return "counting";
  return "results";
}

/** The phases a round is still running in: everything before its results. */
export function isRunning(phase: AwardPhase): boolean {
  return phase !== "results";
}

/** HR's "move on now" steps, by the phase they start from. */
export const PHASE_STEPS = ["open-nominations", "close-nominations", "open-voting", "publish"] as const;
export type PhaseStep = (typeof PHASE_STEPS)[number];

export const STEP_LABELS: Record<PhaseStep, string> = {
  "open-nominations": "Open nominations now",
  "close-nominations": "Close nominations now",
  "open-voting": "Open voting now",
  publish: "Close voting and publish results now",
};

/** The steps HR may take from `phase`. */
export function stepsFrom(phase: AwardPhase): PhaseStep[] {
  switch (phase) {
    case "upcoming":
      return ["open-nominations"];
    case "nominating":
      return ["close-nominations", "open-voting"];
    case "shortlisting":
    case "between":
      return ["open-voting"];
    case "voting":
    case "counting":
      return ["publish"];
    case "results":
      return [];
  }
}

// ---------------------------------------------------------------------------------------------
// Results

export type Tally = { nomineeId: number; name: string; votes: number };
export type RankedTally = Tally & { place: number; winner: boolean };

/**
 * Candidates by votes, most first (then by name), each with a place in which ties share one
 * ("1, 1, 3"): the winners are everyone placed within `winnerCount` who got a vote, so a tie for
 * the last winning place makes one more winner rather than a coin toss.
 */
export function rankResults(tallies: readonly Tally[], winnerCount: number): RankedTally[] {
  const sorted = [...tallies].sort((a, b) => b.votes - a.votes || a.name.localeCompare(b.name, "en") || a.nomineeId - b.nomineeId);
  return sorted.map((t) => {
    const place = 1 + sorted.filter((other) => other.votes > t.votes).length;
    return { ...t, place, winner: t.votes > 0 && place <= winnerCount };
  });
}

// ---------------------------------------------------------------------------------------------
// Forms

export const ROUND_TITLE_MIN = 5;
export const ROUND_TITLE_MAX = 150;
export const ROUND_REWARD_MAX = 300;
export const STATEMENT_MIN = 20;
export const STATEMENT_MAX = 5000;
export const JURORS_MAX = 20;
export const DEPARTMENT_MAX = 100;

const oneLine = (s: string) => s.replace(/\s+/g, " ");

/** A datetime-local value read as UTC (the zone every date in Commons is shown in), required. */
const when = (label: string) =>
  PublishAtField.transform((date, ctx) => {
    if (date === null) {
      ctx.issues.push({ code: "custom", message: `${label} needs a date and time (UTC).`, input: date });
      return z.NEVER;
    }
    return date;
  });

/** An HTML checkbox: "on" when ticked (or "true", from the edit form's frozen fields), missing otherwise. */
const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "true");

const count = (what: string) =>
  z.coerce
    .number({ error: `Give the number of ${what}, from 1 to 10.` })
    .int(`Give the number of ${what} as a whole number, from 1 to 10.`)
    .min(1, `Give the number of ${what}, from 1 to 10.`)
    .max(10, `At most 10 ${what}.`);

const jurors = z
  .string()
  .optional()
  .transform((raw) => splitHandles(raw ?? ""))
  .check((ctx) => {
    if (ctx.value.length > JURORS_MAX) ctx.issues.push({ code: "custom", message: `A jury has at most ${JURORS_MAX} people.`, input: ctx.value });
  });

const roundFields = {
  title: textField("The title", ROUND_TITLE_MIN, ROUND_TITLE_MAX).transform(oneLine),
  description: textField("The description", 10, MARKDOWN_MAX_LENGTH),
  reward: z
    .string()
    .optional()
    .transform((s) => oneLine(normalizeText(s ?? "")))
    .pipe(z.string().max(ROUND_REWARD_MAX, `Keep the reward under ${ROUND_REWARD_MAX} characters.`)),
  nomineeScope: z.enum(["everyone", "department"], { error: "Choose who may be nominated." }),
  nomineeDepartment: z
    .string()
    .optional()
    .transform((s) => oneLine(normalizeText(s ?? "")))
    .pipe(z.string().max(DEPARTMENT_MAX, `A department's name is at most ${DEPARTMENT_MAX} characters.`)),
  selfNomination: checkbox,
  shortlist: checkbox,
  votesPerVoter: count("votes each person casts"),
  winnerCount: count("winners"),
  nominationsOpenAt: when("Nominations open"),
  nominationsCloseAt: when("Nominations close"),
  votingOpenAt: when("Voting opens"),
  votingCloseAt: when("Voting closes"),
  resultsAt: when("Results"),
};

type RoundShape = z.output<z.ZodObject<typeof roundFields>>;

/** The order the dates must keep (the table's CHECK, with each window at least a moment long), as field messages. */
function datesInOrder(ctx: z.core.ParsePayload<RoundShape>) {
  const v = ctx.value;
  const issue = (path: keyof RoundShape, message: string) => ctx.issues.push({ code: "custom", path: [path], message, input: v[path] });
  if (v.nominationsCloseAt <= v.nominationsOpenAt) issue("nominationsCloseAt", "Nominations must close after they open.");
  if (v.votingOpenAt < v.nominationsCloseAt) issue("votingOpenAt", "Voting opens when nominations close, or later.");
  if (v.votingCloseAt <= v.votingOpenAt) issue("votingCloseAt", "Voting must close after it opens.");
  if (v.resultsAt < v.votingCloseAt) issue("resultsAt", "Results come when voting closes, or later.");
  if (v.nomineeScope === "department" && v.nomineeDepartment === "") issue("nomineeDepartment", "Name the department whose people may be nominated.");
}

export const RoundSchema = z.object({ ...roundFields, jurors, submissionKey: SubmissionKey }).check(datesInOrder);
export type RoundInput = z.output<typeof RoundSchema>;

export const EditRoundSchema = z.object(roundFields).check(datesInOrder);
export type EditRoundInput = z.output<typeof EditRoundSchema>;

/**
 * A colleague to nominate: their handle (`@ada.lovelace`, as mentions name people) or the user id
 * the picker fills in.
 */
export const NominateSchema = z.object({
  nominee: z
    .string({ error: "Choose a colleague to nominate, by their handle, e.g. @ada.lovelace." })
    .trim()
    .min(1, "Choose a colleague to nominate, by their handle, e.g. @ada.lovelace.")
    .max(200, "That is too long to be a handle.")
    .transform((s) => s.replace(/^@/, "").toLowerCase()),
  statement: textField("The statement", STATEMENT_MIN, STATEMENT_MAX),
  submissionKey: SubmissionKey,
});
export type NominateInput = z.output<typeof NominateSchema>;

const CHOICE_MESSAGE = "That choice is not on the ballot: reload the page and try again.";
/** One value (a radio button, one ticked box) or several (checkboxes) as a list; missing is none. */
const asList = (raw: unknown) => (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]);
const nomineeIds = z.preprocess(asList, z.array(idField(CHOICE_MESSAGE)).max(50, CHOICE_MESSAGE));

/** A ballot: one nominee (radio buttons) or up to the round's number (checkboxes). The feature checks the count. */
export const BallotSchema = z.object({
  choice: nomineeIds.refine((ids) => ids.length > 0, "Choose who you vote for."),
});

/** The shortlist: the nominees ticked (none clears it). */
export const ShortlistSchema = z.object({
  nominee: z.preprocess(asList, z.array(idField("Someone you ticked is no longer nominated: reload the page and try again.")).max(1000)),
});

export const JurySchema = z.object({ jurors });
export const MovePhaseSchema = z.object({ step: z.enum(PHASE_STEPS, { error: "That step is not one HR can take here: reload the page." }) });
export const NominationIdSchema = z.object({ nominationId: idField("That nomination is not there any more: reload the page.") });

/** `/awards?page=` and `/awards/:roundId?page=` (the nominations). */
export const ROUNDS_PAGE_SIZE = 20;
export const NOMINATIONS_PAGE_SIZE = 50;
