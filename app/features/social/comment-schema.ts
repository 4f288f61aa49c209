import { z } from "zod";
import { COMMENT_MAX, COMMENT_MIN, SubmissionKey, textField } from "#app/features/qa/schemas.ts";
import { IdSchema } from "#app/lib/ids.ts";

/** The comment form of CommentList, on any item's page; shared by the pages' actions and the feature. */

export const CommentSchema = z.object({
  /** The item commented on: the page itself, or an item shown on it (an answer on a question's page). */
  itemId: IdSchema,
  body: textField("The comment", COMMENT_MIN, COMMENT_MAX),
  submissionKey: SubmissionKey,
});

/** The intents CommentList sends to its page's action. */
export const COMMENT_INTENTS = ["comment", "delete-comment", "undelete-comment"] as const;
export type CommentIntent = (typeof COMMENT_INTENTS)[number];
