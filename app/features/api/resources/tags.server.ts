import { z } from "zod";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { TAG_MAX_LENGTH } from "#app/features/qa/schemas.ts";
import { tagIndex, tagPage } from "#app/features/qa/tags.server.ts";
import { type AnyEndpoint, decodeCursor, encodeCursor, endpoint, pageOf } from "../endpoint.server.ts";

/**
 * Tags in the REST API, through the tags feature: a tag exists for the reader only through
 * questions they may see, so its counts are theirs, and a tag used only in a restricted space they
 * are not in is missing from the list and a 404 by name, as on its page.
 */

const tagUrl = (name: string) => appUrl(`/tags/${encodeURIComponent(name)}`);

export const TagOut = z
  .object({
    name: z.string(),
    url: z.string(),
    questionCount: z.number().int().meta({ description: "Questions with this tag that the token's owner can see." }),
    excerpt: z.string().meta({ description: "The start of its description, as plain text." }),
  })
  .meta({ id: "Tag", description: "A tag as the tag index shows it." });

const TagPerson = z.object({ id: z.number().int(), name: z.string(), title: z.string(), url: z.string() });

export const TagDetailOut = z
  .object({
    name: z.string(),
    url: z.string(),
    description: z.string().meta({ description: "The description as written (markdown); empty when there is none." }),
    descriptionHtml: z.string().meta({ description: "The description rendered and sanitized by Commons." }),
    questionCount: z.number().int(),
    updatedAt: z.date(),
    topAskers: z.array(TagPerson.extend({ questions: z.number().int() })),
    topAnswerers: z.array(TagPerson.extend({ answers: z.number().int(), score: z.number().int() })),
    related: z.array(z.object({ name: z.string(), questions: z.number().int() })).meta({ description: "Tags that appear most often beside it." }),
  })
  .meta({ id: "TagDetail", description: "A tag with its description, its most active people and its related tags, counted over what the token's owner can see." });

const ListTagsQuery = z.object({
  q: z.string().trim().max(TAG_MAX_LENGTH).optional().meta({ description: "Only tags whose name contains this." }),
  sort: z.enum(["popular", "name"]).default("popular").meta({ description: "Most used first (popular), or by name." }),
  cursor: z.string().max(200).optional(),
});

/** A position in the tag index: its page (the index pages by a fixed size). */
const TagCursor = z.object({ p: z.number().int().min(2).max(10_000) });

export const tagEndpoints: AnyEndpoint[] = [
  endpoint({
    method: "get",
    path: "/tags",
    operationId: "listTags",
    summary: "List tags",
    description: "Tags in use in the spaces the token's owner can see, 36 a page.",
    tag: "Tags",
    scope: "read",
    query: ListTagsQuery,
    response: pageOf(TagOut),
    handler: async (ctx, { query }) => {
      const page = decodeCursor(query.cursor, TagCursor)?.p ?? 1;
      const index = await tagIndex(ctx.db, ctx.user, { q: query.q, sort: query.sort, page });
      return {
        data: index.tags.map((t) => ({ name: t.name, url: tagUrl(t.name), questionCount: t.questionCount, excerpt: t.excerpt })),
        nextCursor: index.offset + index.tags.length < index.total ? encodeCursor({ p: page + 1 }) : null,
      };
    },
  }),
  endpoint({
    method: "get",
    path: "/tags/{name}",
    operationId: "getTag",
    summary: "Get a tag",
    tag: "Tags",
    scope: "read",
    params: z.object({
      name: z
        .string()
        .max(TAG_MAX_LENGTH, { error: `At most ${TAG_MAX_LENGTH} characters.` })
        .meta({ description: "The tag's name." }),
    }),
    response: TagDetailOut,
    handler: async (ctx, { params }) => {
      const page = await tagPage(ctx.db, ctx.user, params.name.toLowerCase());
      const withUrl = <P extends { id: number }>(p: P) => ({ ...p, url: appUrl(`/people/${p.id}`) });
      return {
        name: page.tag.name,
        url: tagUrl(page.tag.name),
        description: page.tag.description,
        descriptionHtml: page.tag.descriptionHtml,
        questionCount: page.tag.questionCount,
        updatedAt: page.tag.updatedAt,
        topAskers: page.topAskers.map(withUrl),
        topAnswerers: page.topAnswerers.map(withUrl),
        related: page.related,
      };
    },
  }),
];
