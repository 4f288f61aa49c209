import type { Meilisearch } from "meilisearch";
import { z } from "zod";
import type { Db } from "#db/client.server.ts";
import type { SessionUser } from "#app/features/auth/session.server.ts";
import type { ApiScope } from "#app/features/api-tokens/tokens.server.ts";
import type { Logger } from "../../../server/logger.ts";

/**
 * One REST endpoint of `/api/v1` (issue 21), declared once: the router (router.server.ts) serves
 * it, and the OpenAPI document (openapi.server.ts) is generated from the same declaration, so the
 * document cannot drift from what is served. Every handler acts as the token's owner, through the
 * same feature functions the app's pages call, so it sees exactly what that person sees.
 *
 * Handlers throw the app's typed errors: NotFoundError (404: missing or not yours to know),
 * ForbiddenError (403), InputError (400 with field errors). Anything else is a 500 with a request
 * id and no details.
 */

export interface ApiContext {
  db: Db;
  search: Meilisearch;
  log: Logger;
  /** The token's owner: an active employee. */
  user: SessionUser;
  scope: ApiScope;
  /** The search indexes' name prefix: unset ("") in the app; tests search indexes of their own. */
  searchPrefix?: string;
}

export interface EndpointDefinition<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType> {
  method: "get" | "post" | "put" | "patch" | "delete";
  /** OpenAPI style, relative to /api/v1: "/questions/{id}". */
  path: string;
  /** The operationId: camelCase, unique ("listQuestions"). */
  operationId: string;
  summary: string;
  description?: string;
  /** The OpenAPI tag (one per resource: "Questions", "Ideas" ...). */
  tag: string;
  /** "write" endpoints need a token with the write scope. */
  scope: ApiScope;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The success body's schema, as sent: the router sends `response.parse(result)`, so fields the
   * schema does not name are dropped, and live responses are validated against the document in the
   * contract test. Describe JSON as it goes out: timestamps as `z.date()` (sent as ISO 8601
   * strings), no transforms (the document would show their input side) and no `.catch()` (the
   * OpenAPI generator cannot describe it).
   */
  response: R;
  /** 200 unless said (201 for creations). */
  status?: 200 | 201;
  /** Answers beyond the ones every endpoint may give (400, 401, 403, 404, 429, 500), for the document: `{ 503: "Search is unavailable" }`. */
  errors?: Partial<Record<409 | 422 | 503, string>>;
  handler: (ctx: ApiContext, input: { params: z.output<P>; query: z.output<Q>; body: z.output<B> }) => Promise<z.input<R>>;
}

export type AnyEndpoint = EndpointDefinition<z.ZodType, z.ZodType, z.ZodType, z.ZodType>;

/** Declares an endpoint (an identity function that keeps the handler's types tied to its schemas). */
// An endpoint without params or query parses an empty object: `{}` is that shape, not "any value".
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export function endpoint<P extends z.ZodType = z.ZodObject<{}>, Q extends z.ZodType = z.ZodObject<{}>, B extends z.ZodType = z.ZodUndefined, R extends z.ZodType = z.ZodType>(
  definition: EndpointDefinition<P, Q, B, R>,
): AnyEndpoint {
  return definition as unknown as AnyEndpoint;
}

// ---- cursor pagination ---------------------------------------------------------------------

/** `?limit=&cursor=` on every list: at most 100 per page, 20 by default. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** Every list answers `{ data: [...], nextCursor }`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/**
 * Cursors are opaque to clients: base64url of a small JSON value (a keyset position such as
 * `{ "id": 123 }` or `{ "t": "2026-...", "id": 123 }`). A cursor that does not decode is a 400.
 */
export function encodeCursor(position: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(position)).toString("base64url");
}

export function decodeCursor<T extends z.ZodType>(cursor: string | undefined, shape: T): z.output<T> | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new CursorError();
  }
  const parsed = shape.safeParse(value);
  if (!parsed.success) throw new CursorError();
  return parsed.data;
}

/** A row id in a path or query (`/questions/{id}`): a positive PostgreSQL integer, else a 400. */
export const ApiId = z.coerce
  .number({ error: "Must be a whole number." })
  .int({ error: "Must be a whole number." })
  .min(1, { error: "Must be a positive id." })
  .max(2_147_483_647, { error: "Is not an id." });

/** The params of `/things/{id}`. */
export const IdParams = z.object({ id: ApiId });

/**
 * An answer the typed errors do not cover (503 while search is unavailable, 409 for a conflict):
 * the router sends `{ error: { code, message } }` with this status.
 */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export class CursorError extends Error {
  constructor() {
    super("This cursor is not one Commons gave out: start again without it.");
    this.name = "CursorError";
  }
}

/** An employee's public card in API answers. */
export const PersonRef = z.object({ id: z.number().int(), name: z.string(), title: z.string(), url: z.string() });
