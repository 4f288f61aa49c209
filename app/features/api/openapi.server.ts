import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { appUrl } from "#app/features/auth/mails.server.ts";
import { API_REQUESTS_PER_MINUTE } from "#app/features/api-tokens/tokens.server.ts";
import type { AnyEndpoint } from "./endpoint.server.ts";
import { apiEndpoints } from "./endpoints.server.ts";

/**
 * The OpenAPI 3.1 document of `/api/v1`, generated from the endpoint list (endpoints.server.ts)
 * with @asteasolutions/zod-to-openapi: the same zod schemas the router parses requests with and
 * sends answers through, so the document and what is served cannot drift apart. Served at
 * `/api/v1/openapi.json` and rendered as the reference page (/developers/api). Built once per
 * process and server address.
 */

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

export const API_VERSION = "1.0.0";

/** What each resource is, for the document's tags and the reference page's sections. */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  Questions: "Questions in the spaces the token's owner can see, with their answers and comments.",
  Answers: "Answers to a question.",
  Comments: "Comments on questions and answers.",
  Search: "The app's search over questions, ideas, wiki pages, articles, kudos and badges.",
  Tags: "Tags, counted over what the token's owner can see.",
  Ideas: "Idea campaigns, their ideas and votes.",
  Kudos: "Kudos given and received.",
  Pages: "Wiki pages.",
  People: "People and the experts on a topic.",
  About: "This API itself: its index and this document. No token needed.",
};

/** The body of every error answer. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable and machine-readable: invalid_request, invalid_json, invalid_cursor, unauthorized, forbidden, not_found, rate_limited, internal, ..." }),
      message: z.string().meta({ description: "For people: what went wrong and what to do." }),
      fields: z.record(z.string(), z.string()).optional().meta({ description: "On invalid_request: a message per field that is not valid." }),
      requestId: z.string().optional().meta({ description: "On internal errors: quote it when you report the problem." }),
    }),
  })
  .meta({ id: "Error", description: "Every error answers with this body." });

const rateHeaders = {
  "RateLimit-Limit": { description: "Requests allowed per token per window.", schema: { type: "integer" as const } },
  "RateLimit-Remaining": { description: "Requests left in the current window.", schema: { type: "integer" as const } },
  "RateLimit-Reset": { description: "Seconds until the window starts again.", schema: { type: "integer" as const } },
};

const errorContent = { "application/json": { schema: ErrorBody } };

/** The answers every endpoint may give, besides its own success. */
function commonErrors(endpoint: AnyEndpoint) {
  return {
    400: { description: "The request is not valid: a parameter, the body or the cursor (`fields` names each problem).", content: errorContent },
    401: {
      description: "No token, a malformed header, or a token that is unknown, revoked or expired, or whose owner can no longer use Commons.",
      headers: { "WWW-Authenticate": { description: "RFC 6750: why the token was refused.", schema: { type: "string" as const } } },
      content: errorContent,
    },
    403: {
      description: endpoint.scope === "write" ? "The token may only read (make a token with the write scope), or its owner may not do this." : "The token's owner may not do this.",
      content: errorContent,
    },
    404: { description: "Not found, or not visible to the token's owner (the two answer alike).", content: errorContent },
    429: {
      description: "Too many requests for this token: wait for `Retry-After` seconds.",
      headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer" as const } }, ...rateHeaders },
      content: errorContent,
    },
    500: { description: "Something went wrong on our side (the body carries a request id).", content: errorContent },
    ...Object.fromEntries(Object.entries(endpoint.errors ?? {}).map(([status, description]) => [status, { description, content: errorContent }])),
  };
}

const IndexOut = z
  .object({
    name: z.string(),
    version: z.string(),
    documentation: z.string(),
    openapi: z.string(),
    resources: z.array(z.object({ method: z.string(), path: z.string(), summary: z.string(), scope: z.enum(["read", "write"]) })),
  })
  .meta({ id: "ApiIndex" });

export const DOCUMENT_DESCRIPTION = [
  "The REST API of Commons. Every call acts as the person who made the token, with exactly what they can see in the app: something in a restricted space they are not a member of answers 404, as its page does.",
  "",
  "**Authentication**: send a personal access token, made in Settings → API tokens: `Authorization: Bearer cmn_…`. A read token reads; a write token may also ask, answer and comment. Tokens expire unless made without expiry, and stop working at once when revoked or when their owner is deactivated.",
  "",
  "**Pagination**: lists answer `{ data, nextCursor }`. Pass `nextCursor` back as `?cursor=` for the next page; it is null on the last page. Cursors are opaque; one Commons did not give out answers 400.",
  "",
  `**Rate limits**: ${API_REQUESTS_PER_MINUTE} requests per token per minute, shared by every instance of Commons. Every answer carries \`RateLimit-Limit\`, \`RateLimit-Remaining\` and \`RateLimit-Reset\`; over the limit, 429 with \`Retry-After\`.`,
  "",
  "**Errors** answer `{ error: { code, message, fields? } }` with the HTTP status: 400 for bad input (with a message per field), 401 for a missing or refused token, 403 for a read token on a write call, 404 for what is missing or hidden, 429 over the rate limit, 500 with a request id.",
].join("\n");

/**
 * The app's form schemas read leniently in places: `.catch()` turns a forged value into the
 * default (a bad submission key is no key), which the generator cannot describe. Each such node
 * gets, once, the JSON Schema of what it accepts (its inner type's input, by zod's own converter)
 * as its metadata, which the generator then uses as is.
 */
function describeCatches(schema: z.ZodType | undefined, seen = new Set<unknown>()): void {
  if (!schema || seen.has(schema)) return;
  seen.add(schema);
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  const walk = (child: unknown) => describeCatches(child as z.ZodType | undefined, seen);
  if (def.type === "catch" && !z.globalRegistry.has(schema)) {
    const { $schema: _dialect, ...accepted } = z.toJSONSchema(def.innerType as z.ZodType, { io: "input", unrepresentable: "any" });
    z.globalRegistry.add(schema, accepted as z.GlobalMeta);
  }
  if (def.type === "object") Object.values(def.shape as Record<string, unknown>).forEach(walk);
  for (const key of ["innerType", "in", "out", "element", "left", "right", "keyType", "valueType"]) if (def[key]) walk(def[key]);
  for (const key of ["options", "items"]) if (Array.isArray(def[key])) (def[key] as unknown[]).forEach(walk);
}

/** The document for `endpoints` (the app's list by default), served from `serverUrl` (`https://commons.example.com/api/v1`, or relative). */
export function buildOpenApiDocument(endpoints: readonly AnyEndpoint[], serverUrl: string): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description: "A personal access token (`cmn_…`), made in Settings → API tokens.",
  });

  const seen = new Set<string>();
  const operationIds = new Set<string>();
  for (const endpoint of endpoints) {
    const key = `${endpoint.method} ${endpoint.path}`;
    if (seen.has(key)) throw new Error(`Two API endpoints answer ${key}`);
    if (operationIds.has(endpoint.operationId)) throw new Error(`Two API endpoints are called ${endpoint.operationId}`);
    seen.add(key);
    operationIds.add(endpoint.operationId);
    for (const schema of [endpoint.params, endpoint.query, endpoint.body, endpoint.response]) describeCatches(schema);
    const status = endpoint.status ?? 200;
    const scopeNote = endpoint.scope === "write" ? "Needs a token with the **write** scope." : "Any token (read or write).";
    registry.registerPath({
      method: endpoint.method,
      path: endpoint.path,
      operationId: endpoint.operationId,
      summary: endpoint.summary,
      description: [endpoint.description, scopeNote].filter(Boolean).join("\n\n"),
      tags: [endpoint.tag],
      security: [{ bearerAuth: [] }],
      "x-scope": endpoint.scope,
      request: {
        ...(endpoint.params ? { params: endpoint.params as z.ZodObject } : {}),
        ...(endpoint.query ? { query: endpoint.query as z.ZodObject } : {}),
        ...(endpoint.body ? { body: { required: true, content: { "application/json": { schema: endpoint.body } } } } : {}),
      },
      responses: {
        [status]: { description: status === 201 ? "Created." : "OK.", headers: rateHeaders, content: { "application/json": { schema: endpoint.response } } },
        ...commonErrors(endpoint),
      },
    });
  }

  registry.registerPath({
    method: "get",
    path: "/",
    operationId: "getApiIndex",
    summary: "What this API serves",
    tags: ["About"],
    security: [],
    responses: { 200: { description: "OK.", content: { "application/json": { schema: IndexOut } } } },
  });
  registry.registerPath({
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    summary: "This document",
    tags: ["About"],
    security: [],
    responses: { 200: { description: "The OpenAPI 3.1 document.", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } } },
  });

  const tagNames = [...new Set([...endpoints.map((e) => e.tag), "About"])];
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Commons REST API", version: API_VERSION, description: DOCUMENT_DESCRIPTION },
    servers: [{ url: serverUrl, description: "This Commons" }],
    security: [{ bearerAuth: [] }],
    tags: tagNames.map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) })),
  });
}

/** `/api/v1` under the app's address, or relative when APP_URL is unset (clients resolve it against the document's own URL). */
export function apiServerUrl(appUrl: string | undefined): string {
  return appUrl ? `${appUrl.replace(/\/+$/, "")}/api/v1` : "/api/v1";
}

const documents = new Map<string, OpenApiDocument>();

/** The app's document, built on first use and kept for the life of the process. */
export function openApiDocument(appUrl: string | undefined): OpenApiDocument {
  const serverUrl = apiServerUrl(appUrl);
  let document = documents.get(serverUrl);
  if (!document) {
    document = buildOpenApiDocument(apiEndpoints, serverUrl);
    documents.set(serverUrl, document);
  }
  return document;
}

/** The index `GET /api/v1` answers. */
export function apiIndex(endpoints: readonly AnyEndpoint[] = apiEndpoints): z.input<typeof IndexOut> {
  return {
    name: "Commons REST API",
    version: API_VERSION,
    documentation: appUrl("/developers/api"),
    openapi: appUrl("/api/v1/openapi.json"),
    resources: endpoints.map((e) => ({ method: e.method.toUpperCase(), path: `/api/v1${e.path}`, summary: e.summary, scope: e.scope })),
  };
}
