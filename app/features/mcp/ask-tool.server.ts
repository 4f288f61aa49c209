import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { askQuestion } from "#app/features/qa/posts.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { AskSchema, TITLE_MAX, TITLE_MIN } from "#app/features/qa/schemas.ts";
import { askAndSend } from "#app/features/routing/ask.server.ts";
import { searchableSpaces } from "#app/features/search/search.server.ts";
import { InputError } from "#app/lib/errors.ts";
import type { McpContext } from "./context.ts";
import { isNotFound } from "./read-tools.server.ts";
import { answer, refusal } from "./text.ts";

/**
 * `ask_question`: asks in Commons on the token owner's behalf, through the ask page's own schema
 * (AskSchema) and function (askQuestion, and askAndSend when a person is named), so the question
 * is exactly one the user could have asked on /questions/ask: a space they may ask in, the same
 * title, text and tag rules, their name on it. Needs a token with the write scope; a read token
 * gets a tool error and nothing is written. The tool stays listed for read tokens so the
 * assistant can tell the user why it can't ask (docs/mcp.md).
 */

export const askInput = {
  space: z.string().trim().max(100).describe("The slug of the space to ask in (as in a search result's space.slug). Restricted spaces only take their members' questions."),
  title: z.string().max(1000).describe(`The question as one line, ${TITLE_MIN} to ${TITLE_MAX} characters, specific (“How do we restore a Postgres backup to staging?”).`),
  body: z.string().max(200_000).describe("The details in markdown: what the user is trying to do, what they tried, what happened. At least 20 characters."),
  tags: z.array(z.string().max(100)).max(20).describe("One to five existing tags (lower case, e.g. postgres, backups)."),
  send_to_person_id: z.number().int().optional().describe("Optional: a person's id from find_experts; the new question is also sent to them (if they can see the space and take questions)."),
  idempotency_key: z
    .string()
    .regex(/^[A-Za-z0-9-]{8,64}$/)
    .optional()
    .describe("Optional: 8 to 64 letters, digits or dashes. Sending the same key again returns the question already asked instead of asking twice."),
};

export const askOutput = {
  id: z.number().int(),
  url: z.string(),
  created: z.boolean().describe("False when the idempotency key had already asked it."),
};

export const ASK_DESCRIPTION = [
  "Ask a question in Commons on the user's behalf, under their name, so colleagues can answer it. Only with the user's explicit agreement on the wording and the space.",
  "Use it when search and find_experts don't settle the matter. Returns the new question's URL: give it to the user.",
  "Needs a personal access token with the write scope; with a read token it is refused and nothing is asked.",
].join(" ");

type Input = { space: string; title: string; body: string; tags: string[]; send_to_person_id?: number | undefined; idempotency_key?: string | undefined };

async function spacesLine(ctx: McpContext): Promise<string> {
  const spaces = await searchableSpaces(ctx.db, ctx.user);
  if (spaces.length === 0) return "The user can't ask in any space.";
  const shown = spaces.slice(0, 30).map((s) => `${s.slug} (${s.name})`);
  return `Spaces the user can ask in: ${shown.join(", ")}${spaces.length > shown.length ? ", …" : ""}.`;
}

export async function askTool(ctx: McpContext, input: Input): Promise<CallToolResult> {
  if (ctx.token.scope !== "write") {
    return refusal(
      "This token may only read: asking a question needs a personal access token with the write scope (the user makes one in Commons under Settings → API tokens). Nothing was asked.",
    );
  }
  const parsed = AskSchema.safeParse({ space: input.space, title: input.title, body: input.body, tags: input.tags, submissionKey: input.idempotency_key });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "question"}: ${issue.message}`);
    return refusal(`The question was not asked. Fix these and try again:\n- ${problems.join("\n- ")}`);
  }
  const ask = askAndSend(askQuestion, input.send_to_person_id === undefined ? null : String(input.send_to_person_id));
  let result: { id: number; created: boolean };
  try {
    result = await ask(ctx.db, ctx.user, parsed.data);
  } catch (error) {
    if (error instanceof InputError) {
      const fields = Object.entries(error.fieldErrors).map(([field, message]) => `${field}: ${message}`);
      return refusal(`The question was not asked: ${fields.length ? fields.join("; ") : error.message}`);
    }
    // The space (or the person) isn't one the user may see: the same answer as one that doesn't exist.
    if (isNotFound(error)) {
      const what =
        input.send_to_person_id === undefined
          ? `Not found: there is no space “${parsed.data.space}” the user can ask in.`
          : `Not found: there is no space “${parsed.data.space}” the user can ask in, or no person ${input.send_to_person_id} who can be sent questions.`;
      return refusal(`${what} ${await spacesLine(ctx)} Nothing was asked.`);
    }
    throw error;
  }
  const url = appUrl(questionUrl({ id: result.id, title: parsed.data.title }));
  const text = result.created ? `Asked in Commons as the user: ${url}` : `This idempotency key had already asked it: ${url}`;
  return answer(text, { id: result.id, url, created: result.created });
}
