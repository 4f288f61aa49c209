import { z } from "zod";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { decodeCursor as decodeListCursor, questionList } from "#app/features/qa/lists.server.ts";
import { postItemId, askQuestion, postAnswer } from "#app/features/qa/posts.server.ts";
import { type PostView, type QuestionPage, questionPage } from "#app/features/qa/question-page.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";
import { AnswerSchema, AskSchema, BODY_MIN, COMMENT_MAX, COMMENT_MIN, CommentSchema, TAG_MAX_LENGTH, TAG_PATTERN, TAGS_MAX, TITLE_MAX, TITLE_MIN } from "#app/features/qa/schemas.ts";
import { addComment, type CommentView, commentsOn } from "#app/features/social/comments.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown-limits.ts";
import { type AnyEndpoint, type ApiContext, CursorError, decodeCursor, encodeCursor, endpoint, IdParams, PageQuery, pageOf } from "../endpoint.server.ts";

/**
 * Questions, answers and comments in the REST API. Every handler goes through the feature the
 * pages use (questionList, questionPage, askQuestion, postAnswer, the social layer's addComment),
 * so the token's owner sees and may do exactly what they see and may do in the app: a question in a
 * restricted space they are not a member of is a 404, as on its page.
 */

// ---- schemas (as sent) ---------------------------------------------------------------------

const PersonLink = z.object({ id: z.number().int(), name: z.string(), url: z.string() });
const Person = PersonLink.extend({ title: z.string() });
const SpaceLink = z.object({ slug: z.string(), name: z.string() });

export const CommentOut = z
  .object({
    id: z.number().int(),
    /** The question or answer it is on. */
    postId: z.number().int(),
    body: z.string().meta({ description: "The comment as typed (markdown)." }),
    bodyHtml: z.string().meta({ description: "The comment rendered and sanitized by Commons." }),
    author: Person,
    createdAt: z.date(),
    deleted: z.boolean().meta({ description: "Deleted comments are listed only to moderators and their authors." }),
  })
  .meta({ id: "Comment", description: "A comment on a question or an answer." });

export const AnswerOut = z
  .object({
    id: z.number().int(),
    questionId: z.number().int(),
    url: z.string().meta({ description: "The answer on its question's page." }),
    bodyHtml: z.string().meta({ description: "The answer rendered and sanitized by Commons." }),
    score: z.number().int(),
    accepted: z.boolean(),
    deleted: z.boolean().meta({ description: "Deleted answers are listed only to moderators and their authors." }),
    author: Person,
    createdAt: z.date(),
    lastEditedAt: z.date().nullable(),
    comments: z.array(CommentOut),
  })
  .meta({ id: "Answer", description: "An answer, with its comments." });

export const QuestionSummaryOut = z
  .object({
    id: z.number().int(),
    title: z.string(),
    url: z.string(),
    space: SpaceLink,
    tags: z.array(z.string()),
    score: z.number().int(),
    answerCount: z.number().int(),
    accepted: z.boolean().meta({ description: "Whether an answer is accepted." }),
    closed: z.boolean(),
    viewCount: z.number().int(),
    author: PersonLink,
    createdAt: z.date(),
    lastActivityAt: z.date(),
  })
  .meta({ id: "QuestionSummary", description: "A question as lists show it." });

export const QuestionOut = z
  .object({
    id: z.number().int(),
    title: z.string(),
    url: z.string(),
    space: SpaceLink.extend({ visibility: z.enum(["open", "restricted"]) }),
    tags: z.array(z.string()),
    bodyHtml: z.string().meta({ description: "The question rendered and sanitized by Commons." }),
    score: z.number().int(),
    viewCount: z.number().int(),
    answerCount: z.number().int(),
    acceptedAnswerId: z.number().int().nullable(),
    closedAt: z.date().nullable(),
    deleted: z.boolean(),
    author: Person,
    createdAt: z.date(),
    lastEditedAt: z.date().nullable(),
    lastActivityAt: z.date(),
    comments: z.array(CommentOut),
    answers: z.array(AnswerOut).meta({ description: "The accepted answer first, then by score, then oldest first." }),
  })
  .meta({ id: "Question", description: "A question with its answers and comments." });

// ---- request bodies: the app's own form schemas, documented -----------------------------------

/** Optional idempotency: the same key again (from the same person) answers with the first write instead of a second one. */
const SubmissionKey = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, { error: "Use 8 to 64 letters, digits or dashes." })
  .optional()
  .meta({ description: "Optional, 8 to 64 letters, digits or dashes. Sending the same key again returns the first result instead of writing twice (safe retries)." });

const AskBody = AskSchema.omit({ submissionKey: true }).extend({
  space: AskSchema.shape.space.meta({ description: "The slug of the space to ask in (one you can see)." }),
  title: AskSchema.shape.title.meta({ description: `Plain text, ${TITLE_MIN} to ${TITLE_MAX} characters.`, minLength: TITLE_MIN, maxLength: TITLE_MAX }),
  body: AskSchema.shape.body.meta({ description: `Markdown, ${BODY_MIN} to ${MARKDOWN_MAX_LENGTH} characters.`, minLength: BODY_MIN, maxLength: MARKDOWN_MAX_LENGTH }),
  tags: AskSchema.shape.tags.meta({
    description: `1 to ${TAGS_MAX} tag names (lower-case letters, digits and + # . -, up to ${TAG_MAX_LENGTH} characters each), as an array or one string separated by commas or spaces.`,
  }),
  submissionKey: SubmissionKey,
});

const AnswerBody = AnswerSchema.omit({ submissionKey: true }).extend({
  body: AnswerSchema.shape.body.meta({ description: `Markdown, ${BODY_MIN} to ${MARKDOWN_MAX_LENGTH} characters.`, minLength: BODY_MIN, maxLength: MARKDOWN_MAX_LENGTH }),
  submissionKey: SubmissionKey,
});

const CommentBody = CommentSchema.omit({ submissionKey: true }).extend({
  body: CommentSchema.shape.body.meta({ description: `Markdown, ${COMMENT_MIN} to ${COMMENT_MAX} characters.`, minLength: COMMENT_MIN, maxLength: COMMENT_MAX }),
  submissionKey: SubmissionKey,
});

// ---- shaping ---------------------------------------------------------------------------------

const personUrl = (id: number) => appUrl(`/people/${id}`);

function person(p: { id: number; name: string; title: string }) {
  return { id: p.id, name: p.name, title: p.title, url: personUrl(p.id) };
}

function comment(postId: number, c: CommentView): z.input<typeof CommentOut> {
  return { id: c.id, postId, body: c.body, bodyHtml: c.bodyHtml, author: person(c.author), createdAt: c.createdAt, deleted: c.deleted };
}

function answer(question: { id: number; title: string }, a: PostView): z.input<typeof AnswerOut> {
  return {
    id: a.id,
    questionId: question.id,
    url: appUrl(questionUrl(question, `answer-${a.id}`)),
    bodyHtml: a.bodyHtml,
    score: a.score,
    accepted: a.accepted,
    deleted: a.deleted,
    author: person(a.author),
    createdAt: a.createdAt,
    lastEditedAt: a.lastEditedAt,
    comments: a.comments.map((c) => comment(a.id, c)),
  };
}

function question(page: QuestionPage): z.input<typeof QuestionOut> {
  const q = page.question;
  return {
    id: q.id,
    title: q.title,
    url: appUrl(questionUrl(q)),
    space: { slug: page.space.slug, name: page.space.name, visibility: page.space.visibility },
    tags: q.tags,
    bodyHtml: q.bodyHtml,
    score: q.score,
    viewCount: q.viewCount,
    answerCount: q.answerCount,
    acceptedAnswerId: q.acceptedAnswerId,
    closedAt: q.closedAt,
    deleted: q.deleted,
    author: person(q.author),
    createdAt: q.createdAt,
    lastEditedAt: q.lastEditedAt,
    lastActivityAt: q.lastActivityAt,
    comments: q.comments.map((c) => comment(q.id, c)),
    answers: page.answers.map((a) => answer(q, a)),
  };
}

/** The question's page as its reader gets it (counting their view, as the page does). */
function readQuestion(ctx: ApiContext, id: number) {
  return questionPage(ctx.db, ctx.user, id, new Date());
}

// ---- endpoints -------------------------------------------------------------------------------

const ListQuestionsQuery = PageQuery.extend({
  // The app's lists stop at 50 a page.
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(300).optional(),
  space: z.string().trim().min(1).max(100).optional().meta({ description: "Only questions in this space (its slug)." }),
  tag: z.string().trim().toLowerCase().max(TAG_MAX_LENGTH).regex(TAG_PATTERN, { error: "Is not a tag name." }).optional().meta({ description: "Only questions with this tag." }),
});

/** A list's offset cursor (`{ "o": 20 }`), for lists the features hand over whole. */
const OffsetCursor = z.object({ o: z.number().int().min(0).max(100_000) });

export const questionEndpoints: AnyEndpoint[] = [
  endpoint({
    method: "get",
    path: "/questions",
    operationId: "listQuestions",
    summary: "List questions, newest first",
    description: "Questions in every space the token's owner can see, newest first; narrow them to one space or one tag.",
    tag: "Questions",
    scope: "read",
    query: ListQuestionsQuery,
    response: pageOf(QuestionSummaryOut),
    handler: async (ctx, { query }) => {
      // A space the reader may not see is a 404, as on its page.
      const spaceId = query.space !== undefined ? (await spaceBySlugForActor(ctx.db, ctx.user, query.space)).space.id : undefined;
      // The list itself starts over at a cursor it cannot read; an API client is told instead.
      if (query.cursor !== undefined && !decodeListCursor(query.cursor, "newest", "week")) throw new CursorError();
      const page = await questionList(ctx.db, ctx.user, { sort: "newest", spaceId, tag: query.tag, cursor: query.cursor, limit: query.limit });
      return {
        data: page.rows.map((r) => ({
          id: r.id,
          title: r.title,
          url: appUrl(questionUrl(r)),
          space: r.space,
          tags: r.tags,
          score: r.score,
          answerCount: r.answerCount,
          accepted: r.accepted,
          closed: r.closed,
          viewCount: r.viewCount,
          author: { id: r.author.id, name: r.author.name, url: personUrl(r.author.id) },
          createdAt: r.createdAt,
          lastActivityAt: r.lastActivityAt,
        })),
        nextCursor: page.next,
      };
    },
  }),
  endpoint({
    method: "get",
    path: "/questions/{id}",
    operationId: "getQuestion",
    summary: "Get a question with its answers and comments",
    description: "Reading a question counts a view, as opening its page does.",
    tag: "Questions",
    scope: "read",
    params: IdParams,
    response: QuestionOut,
    handler: async (ctx, { params }) => question(await readQuestion(ctx, params.id)),
  }),
  endpoint({
    method: "post",
    path: "/questions",
    operationId: "askQuestion",
    summary: "Ask a question",
    description: "Asks as the token's owner, with the same rules as the ask page (reputation needed for new tags, the space's membership).",
    tag: "Questions",
    scope: "write",
    body: AskBody,
    status: 201,
    response: QuestionOut,
    handler: async (ctx, { body }) => {
      // An unknown or hidden space is the writer's mistake here, not a missing page: a field error that names no space.
      await spaceBySlugForActor(ctx.db, ctx.user, body.space).catch((error: unknown) => {
        if (error instanceof NotFoundError) throw InputError.field("space", "There is no space with this slug that you can ask in.");
        throw error;
      });
      const { id } = await askQuestion(ctx.db, ctx.user, body);
      return question(await readQuestion(ctx, id));
    },
  }),
  endpoint({
    method: "get",
    path: "/questions/{id}/answers",
    operationId: "listAnswers",
    summary: "List a question's answers",
    description: "The accepted answer first, then by score, then oldest first, each with its comments.",
    tag: "Answers",
    scope: "read",
    params: IdParams,
    query: PageQuery,
    response: pageOf(AnswerOut),
    handler: async (ctx, { params, query }) => {
      const offset = decodeCursor(query.cursor, OffsetCursor)?.o ?? 0;
      const page = await readQuestion(ctx, params.id);
      const answers = page.answers.slice(offset, offset + query.limit);
      const next = offset + query.limit;
      return {
        data: answers.map((a) => answer(page.question, a)),
        nextCursor: next < page.answers.length ? encodeCursor({ o: next }) : null,
      };
    },
  }),
  endpoint({
    method: "post",
    path: "/questions/{id}/answers",
    operationId: "postAnswer",
    summary: "Answer a question",
    description: "Answers as the token's owner. A closed question takes no answers (400).",
    tag: "Answers",
    scope: "write",
    params: IdParams,
    body: AnswerBody,
    status: 201,
    response: AnswerOut,
    handler: async (ctx, { params, body }) => {
      const posted = await postAnswer(ctx.db, ctx.user, params.id, body);
      const page = await readQuestion(ctx, posted.questionId);
      const written = page.answers.find((a) => a.id === posted.id);
      if (!written) throw new NotFoundError();
      return answer(page.question, written);
    },
  }),
  endpoint({
    method: "post",
    path: "/posts/{id}/comments",
    operationId: "addComment",
    summary: "Comment on a question or an answer",
    description: "`id` is the question's or the answer's id.",
    tag: "Comments",
    scope: "write",
    params: IdParams,
    body: CommentBody,
    status: 201,
    response: CommentOut,
    handler: async (ctx, { params, body }) => {
      // The social layer loads the item through the visibility rules: a hidden post is a 404.
      const itemId = await postItemId(ctx.db, params.id);
      const added = await addComment(ctx.db, ctx.user, itemId, body);
      const written = (await commentsOn(ctx.db, ctx.user, [added.itemId], { canModerate: false })).get(added.itemId)?.find((c) => c.id === added.id);
      if (!written) throw new NotFoundError();
      return comment(params.id, written);
    },
  }),
];
