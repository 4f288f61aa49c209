import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { href } from "react-router";
import { z } from "zod";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { type ExpertsParams, parseTopics } from "#app/features/expertise/directory-params.ts";
import { type ExpertCard, expertDirectory } from "#app/features/expertise/directory.server.ts";
import { loadQuestion } from "#app/features/qa/access.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import type { McpContext } from "./context.ts";
import { isNotFound } from "./read-tools.server.ts";
import { answer, isoDay, readReference, refusal } from "./text.ts";

/**
 * `find_experts`: the assistant's hand-off to people. It asks the experts page's own function
 * (`expertDirectory`) as the token's owner, so a person is named only from evidence the user may
 * see: someone known only from a restricted space the user is not in is not listed, exactly as on
 * /experts. Each person comes with the page's line of evidence (why), their availability, their
 * profile, and how to ask them in Commons: on a question's page ("Ask this person") when the
 * assistant names a question, else a new question sent to them (`/questions/ask?to=`).
 */

export const DEFAULT_EXPERTS = 5;
export const MAX_EXPERTS = 10;

export const findExpertsInput = {
  topic: z.string().trim().min(1, "Name a topic.").max(200).describe("A tag (postgres, kubernetes, expenses) or a few words describing what the user needs to know."),
  question: z
    .union([z.number().int(), z.string().trim().min(1).max(2000)])
    .optional()
    .describe("Optional: the id or URL of a Commons question the user is stuck on; the ask links then send that question to the person."),
  available_only: z.boolean().optional().describe("Only people taking questions now (not away, not opted out). Default false: everyone, marked."),
  limit: z.number().int().min(1).max(MAX_EXPERTS).optional().describe(`How many people (1 to ${MAX_EXPERTS}, default ${DEFAULT_EXPERTS}).`),
};

const Expert = z.object({
  id: z.number().int(),
  name: z.string(),
  title: z.string(),
  department: z.string(),
  location: z.string(),
  why: z.string().nullable().describe("The evidence: their answers, accepted answers, pages and so on in the topic."),
  topics: z.array(z.string()),
  availability: z.enum(["open", "away", "opted_out"]),
  awayUntil: z.string().nullable(),
  profileUrl: z.string(),
  askUrl: z.string().describe("Where the user asks this person in Commons."),
});

export const findExpertsOutput = {
  topic: z.string(),
  /** The tags the topic was matched to. */
  matchedTopics: z.array(z.string()),
  total: z.number().int(),
  experts: z.array(Expert),
};

export const FIND_EXPERTS_DESCRIPTION = [
  "Find the people in Commons who know a topic, ranked by their answers, accepted answers, wiki pages, ideas and kudos the user can see.",
  "Use it whenever search doesn't find the answer, or your confidence in an answer is low: hand the user off to these people by name instead of guessing.",
  "Each person comes with why they are listed, whether they are taking questions (away or opted out), their profile URL and a link to ask them in Commons.",
  "Pass the question's id or URL when the user is stuck on an existing Commons question, so the ask link sends that question to them.",
].join(" ");

type Input = { topic: string; question?: number | string | undefined; available_only?: boolean | undefined; limit?: number | undefined };

const TOKEN_SPLIT = /[\s,]+/;

function params(topics: string[], q: string, open: boolean): ExpertsParams {
  return { topics, q, open, page: 1, department: undefined, location: undefined, title: undefined };
}

function availabilityText(e: ExpertCard): string {
  if (e.availability === "opted_out") return "has turned off questions sent to them: suggest asking in a space instead";
  if (e.availability === "away") return `away until ${isoDay(e.awayUntil)}: suggest someone else, or asking in a space`;
  return "taking questions";
}

export async function findExpertsTool(ctx: McpContext, input: Input): Promise<CallToolResult> {
  let askOn: { id: number; title: string | null } | null = null;
  if (input.question !== undefined) {
    const ref = readReference(input.question, "question");
    if (!ref || ref.kind !== "question") return refusal("`question` must be a Commons question's id or URL (…/questions/42/…), or left out.");
    try {
      askOn = (await loadQuestion(ctx.db, ctx.user, ref.id)).post;
    } catch (error) {
      if (isNotFound(error)) return refusal("Not found: there is no question with that id or URL that the user can see in Commons.");
      throw error;
    }
  }

  const open = input.available_only === true;
  const words = input.topic.split(TOKEN_SPLIT).filter(Boolean);
  const asTags = parseTopics(input.topic);
  const run = (p: ExpertsParams) =>
    expertDirectory(ctx.db, ctx.search, ctx.user, p, {
      prefix: ctx.searchPrefix,
      onError: (error) => ctx.log.warn({ err: error }, "search unavailable: find_experts lists what the model finds"),
    });
  // A tag or two ("postgres", "k8s helm") ranks by the model on those topics, as /experts?topic= does;
  // words, or tags nobody shows expertise in, go the way of /experts?q= (similar work, the people index).
  let directory = words.length <= 3 && asTags.length === words.length ? await run(params(asTags, "", open)) : null;
  if (!directory || directory.mode !== "search" || directory.people.length === 0) directory = await run(params([], input.topic.slice(0, 200), open));
  if (directory.mode !== "search") return refusal("Name a topic to find experts for.");

  const limit = input.limit ?? DEFAULT_EXPERTS;
  const experts = directory.people.slice(0, limit).map((e) => ({
    id: e.id,
    name: e.name,
    title: e.title,
    department: e.department,
    location: e.location,
    why: e.evidence,
    topics: e.topics,
    availability: e.availability,
    awayUntil: e.awayUntil,
    profileUrl: appUrl(href("/people/:userId", { userId: String(e.id) })),
    askUrl: askOn ? appUrl(`${questionUrl(askOn)}#experts`) : appUrl(`${href("/questions/ask")}?to=${e.id}`),
  }));
  const structured = { topic: input.topic, matchedTopics: directory.topics, total: directory.total, experts };

  if (experts.length === 0) {
    return answer(
      `No one in Commons shows expertise in “${input.topic}” that the user can see${open ? " and is taking questions now" : ""}.\n\nSuggest asking it as a question in a space, where everyone can answer (ask_question, with the user's agreement).`,
      structured,
    );
  }
  const lines = [
    `People who know “${input.topic}” in Commons${directory.topics.length ? ` (topics: ${directory.topics.join(", ")})` : ""}, from what the user can see: ${experts.length === directory.total ? experts.length : `${experts.length} of ${directory.total}`}.`,
    "Hand the user off to them by name when you can't answer with confidence.",
  ];
  experts.forEach((e, i) => {
    const role = [e.title, e.department, e.location].filter(Boolean).join(", ");
    lines.push("", `${i + 1}. ${e.name}${role ? ` (${role})` : ""}`);
    if (e.why) lines.push(`   Why: ${e.why}`);
    if (e.topics.length) lines.push(`   Topics: ${e.topics.join(", ")}`);
    lines.push(`   Availability: ${availabilityText(directory.people.find((p) => p.id === e.id)!)}`);
    lines.push(`   Profile: ${e.profileUrl}`);
    lines.push(askOn ? `   Ask them: on the question's page, “Ask this person” under the people who could answer: ${e.askUrl}` : `   Ask them: a new question sent to them: ${e.askUrl}`);
  });
  return answer(lines.join("\n"), structured);
}
