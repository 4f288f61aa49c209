import express, { Router, type NextFunction, type Request, type Response } from "express";
import SCIMMY from "scimmy";
import type { ServiceDeps } from "#app/features/api-tokens/deps.ts";
import { idParam } from "#app/lib/ids.ts";
import { isScimError, scimError, type ScimError } from "./errors.ts";
import { listScimGroups } from "./groups.server.ts";
import { declareScimResources, type HandlerContext, MAX_RESULTS } from "./scimmy.server.ts";
import { authenticateScimToken } from "./tokens.server.ts";
import { listScimUsers } from "./users.server.ts";
import { databaseUnavailable, RETRY_AFTER_SECONDS } from "../../../server/route-errors.ts";

/** The database is away (restarting): nothing was done, and the identity provider retries a 503. */
function sendUnavailable(res: Response) {
  sendError(res, scimError(503, null, "Commons cannot reach its database just now. Try again in a few seconds."), { "Retry-After": String(RETRY_AFTER_SECONDS) });
}

/**
 * SCIM 2.0, /scim/v2 (issue 21; docs/scim.md). Mounted by server/main.ts before the same-origin
 * check: identity providers authenticate with a SCIM bearer token, never a cookie. Our own Express
 * routes around scimmy's resource classes: scimmy validates bodies against the schemas, parses
 * filters and applies PATCH operations; our handlers read and write PostgreSQL, one transaction per
 * request. Every answer is `application/scim+json`; every refusal is a SCIM error message (status,
 * scimType, detail), never a stack.
 */

const SCIM_JSON = "application/scim+json";
/** The default page of a list (RFC 7644 leaves it to the service provider). */
const DEFAULT_COUNT = 100;

type Reply = { status: number; body?: unknown; location?: string };

function send(res: Response, { status, body, location }: Reply) {
  res.status(status).type(SCIM_JSON);
  if (location) res.location(location);
  if (body === undefined) res.end();
  else res.send(JSON.stringify(body));
}

function sendError(res: Response, error: ScimError, headers: Record<string, string> = {}) {
  res.set(headers);
  let body: { status: string | number };
  try {
    body = new SCIMMY.Messages.ErrorResponse(error);
  } catch {
    // scimmy knows only the statuses RFC 7644 lists (not 405 or 415): the same message, by hand.
    body = {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: String(error.status),
      ...(error.scimType ? { scimType: error.scimType } : {}),
      detail: error.message,
    } as never;
  }
  send(res, { status: Number(body.status), body });
}

// Users and Groups are handled alike; typed as User's classes, which Group's mirror.
const RESOURCES = {
  Users: { resource: SCIMMY.Resources.User, schema: SCIMMY.Schemas.User },
  Groups: { resource: SCIMMY.Resources.Group as unknown as typeof SCIMMY.Resources.User, schema: SCIMMY.Schemas.Group as unknown as typeof SCIMMY.Schemas.User },
};
type Endpoint = keyof typeof RESOURCES;

/** One query parameter as a string (absent: undefined; repeated or empty: a 400). */
function queryText(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !value.trim()) throw scimError(400, "invalidValue", `Query parameter '${name}' must be given once, with a value`);
  return value;
}

function queryInteger(req: Request, name: string, fallback: number): number {
  const value = queryText(req, name);
  if (value === undefined) return fallback;
  if (!/^-?\d{1,9}$/.test(value.trim())) throw scimError(400, "invalidValue", `Query parameter '${name}' must be a whole number`);
  return Number(value);
}

/** The `:id` of a resource: anything but a row id is a resource that does not exist (never a filter error). */
function resourceId(req: Request, what: string): string {
  const id = String(req.params.id);
  if (Number.isNaN(idParam(id))) throw scimError(404, null, `${what} ${id} not found`);
  return id;
}

/** attributes / excludedAttributes, as scimmy's resource constructor takes them. */
function attributeParams(req: Request) {
  const attributes = queryText(req, "attributes");
  const excludedAttributes = queryText(req, "excludedAttributes");
  return { ...(attributes ? { attributes } : {}), ...(excludedAttributes ? { excludedAttributes } : {}) };
}

/**
 * What identity providers send, made into what RFC 7644 means before scimmy applies it:
 * - Entra sends booleans as strings ("active": "False"): read as the booleans they mean; any other
 *   string for `active` stays, and the schema refuses it.
 * - A "replace" without a path replaces each attribute it names, all of a multi-valued one's values
 *   included (§3.5.2.3); scimmy would add the new values to the old, so each attribute becomes an
 *   operation with its own path. `id`, `schemas` and `meta` (Entra repeats the id) are left out.
 */
function normalisePatch(body: unknown): unknown {
  if (!body || typeof body !== "object" || !Array.isArray((body as { Operations?: unknown }).Operations)) return body;
  const asBoolean = (v: unknown) => (typeof v === "string" && /^(true|false)$/i.test(v) ? v.toLowerCase() === "true" : v);
  const operations = (body as { Operations: unknown[] }).Operations.flatMap((op) => {
    if (!op || typeof op !== "object") return [op];
    const { op: verb, path, value } = op as { op?: unknown; path?: unknown; value?: unknown };
    if (typeof path === "string") return [path.toLowerCase() === "active" ? { ...op, value: asBoolean(value) } : op];
    if (path !== undefined || !value || typeof value !== "object" || Array.isArray(value)) return [op];
    const entries = Object.entries(value).map(([k, v]) => [k, k.toLowerCase() === "active" ? asBoolean(v) : v] as const);
    if (typeof verb !== "string" || verb.toLowerCase() !== "replace") return [{ ...op, value: Object.fromEntries(entries) }];
    const named = entries.filter(([k]) => !["id", "schemas", "meta"].includes(k.toLowerCase()));
    return named.length > 0 ? named.map(([k, v]) => ({ op: verb, path: k, value: v })) : [op];
  });
  return { ...body, Operations: operations };
}

export function createScimRouter(deps: ServiceDeps): Router {
  const basepath = `${(deps.env.APP_URL ?? "").replace(/\/+$/, "")}/scim/v2`;
  declareScimResources(basepath);
  const router = Router();
  const context = (): HandlerContext => ({ db: deps.db, now: new Date(), notes: { keptLastAdmin: [] } });

  /** Runs `handle`, answering its reply, or the SCIM error it threw, or a 500 that names no internals. */
  const route = (handle: (req: Request, ctx: HandlerContext) => Promise<Reply>) => async (req: Request, res: Response) => {
    const ctx = context();
    try {
      const reply = await handle(req, ctx);
      if (ctx.notes.keptLastAdmin.length > 0) {
        deps.log.warn({ userIds: ctx.notes.keptLastAdmin }, "scim: a group rule would demote the last active admin; the role was kept");
      }
      send(res, reply);
    } catch (error) {
      const failure = ctx.failure ?? (isScimError(error) ? undefined : error);
      if (failure !== undefined && databaseUnavailable(failure)) {
        deps.log.warn({ err: failure, method: req.method, path: req.originalUrl }, "scim: request refused, the database is unreachable");
        sendUnavailable(res);
      } else if (failure !== undefined) {
        deps.log.error({ err: failure, method: req.method, path: req.originalUrl }, "scim: request failed");
        sendError(res, scimError(500, null, "Commons could not complete this request. Try again; if it keeps failing, an admin can find it in the log."));
      } else {
        sendError(res, error as ScimError);
      }
    }
  };

  /** A write: one transaction, so a refused request leaves nothing half-written. */
  const inTransaction = <T>(ctx: HandlerContext, run: () => Promise<T>): Promise<T> =>
    deps.db.transaction(async (tx) => {
      ctx.db = tx;
      return run();
    });

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    try {
      const auth = await authenticateScimToken(deps.db, req.get("authorization"));
      if (auth.ok) return next();
      sendError(res, scimError(401, null, auth.detail), { "WWW-Authenticate": 'Bearer realm="commons-scim"' });
    } catch (error) {
      if (databaseUnavailable(error)) return sendUnavailable(res);
      deps.log.error({ err: error }, "scim: authentication failed");
      sendError(res, scimError(500, null, "Commons could not check the token. Try again."));
    }
  });
  router.use(express.json({ type: ["application/json", SCIM_JSON], limit: "1mb" }));

  router.get(
    "/ServiceProviderConfig",
    route(async () => ({ status: 200, body: await new SCIMMY.Resources.ServiceProviderConfig().read() })),
  );
  for (const name of ["ResourceTypes", "Schemas"] as const) {
    const Resource = name === "Schemas" ? SCIMMY.Resources.Schema : SCIMMY.Resources.ResourceType;
    router.get(
      `/${name}`,
      route(async () => ({ status: 200, body: await new Resource().read() })),
    );
    router.get(
      `/${name}/:id`,
      route(async (req) => ({ status: 200, body: await new Resource(String(req.params.id)).read() })),
    );
  }

  for (const endpoint of Object.keys(RESOURCES) as Endpoint[]) {
    const { resource: Resource, schema: Schema } = RESOURCES[endpoint];
    const what = endpoint === "Users" ? "User" : "Group";
    const location = (body: unknown) => `${Resource.basepath()}/${(body as { id: string }).id}`;

    router.get(
      `/${endpoint}`,
      route(async (req, ctx) => {
        const filter = queryText(req, "filter");
        const startIndex = Math.max(1, queryInteger(req, "startIndex", 1));
        const count = Math.min(MAX_RESULTS, Math.max(0, queryInteger(req, "count", DEFAULT_COUNT)));
        const params = attributeParams(req);
        // The constructor parses the filter (a 400 invalidFilter when it can't) and the attribute lists.
        const query = new Resource(undefined, { ...(filter !== undefined ? { filter } : {}), ...params });
        const page =
          endpoint === "Users" ? await listScimUsers(ctx.db, query.filter, startIndex, count) : await listScimGroups(ctx.db, query.filter, startIndex, count, wantsMembers(params));
        const resources = page.resources.map((r) => new Schema(r, "out", Resource.basepath() as string, query.attributes));
        const list = new SCIMMY.Messages.ListResponse(resources, { totalResults: page.total, startIndex, itemsPerPage: resources.length });
        // The page was cut in SQL; ListResponse would cut it again as if it held every result.
        list.Resources = resources;
        return { status: 200, body: list };
      }),
    );
    router.post(
      `/${endpoint}`,
      route(async (req, ctx) => {
        const body = await inTransaction(ctx, () => new Resource(undefined, attributeParams(req)).write(req.body, ctx));
        return { status: 201, body, location: location(body) };
      }),
    );
    router.get(
      `/${endpoint}/:id`,
      route(async (req, ctx) => ({ status: 200, body: await new Resource(resourceId(req, what), attributeParams(req)).read(ctx) })),
    );
    router.put(
      `/${endpoint}/:id`,
      route(async (req, ctx) => ({ status: 200, body: await inTransaction(ctx, () => new Resource(resourceId(req, what), attributeParams(req)).write(req.body, ctx)) })),
    );
    router.patch(
      `/${endpoint}/:id`,
      route(async (req, ctx) => {
        const resource = new Resource(resourceId(req, what), attributeParams(req));
        const body = endpoint === "Users" ? normalisePatch(req.body) : req.body;
        ctx.patch = true;
        const patched = await inTransaction(ctx, () => resource.patch(body as never, ctx));
        // Nothing changed: scimmy answers nothing; the resource as it stands is more useful to the caller.
        return { status: 200, body: patched ?? (await resource.read(Object.assign(ctx, { db: deps.db }))) };
      }),
    );
    router.delete(
      `/${endpoint}/:id`,
      route(async (req, ctx) => {
        const id = resourceId(req, what);
        await inTransaction(ctx, () => new Resource(id).dispose(ctx));
        return { status: 204 };
      }),
    );
  }

  // Anything else under /scim/v2: a SCIM 404 (or 405 for a method an endpoint lacks).
  router.all(["/Users", "/Groups", "/Users/:id", "/Groups/:id", "/ServiceProviderConfig", "/ResourceTypes", "/Schemas"], (req, res) => {
    res.set("Allow", req.path.split("/").length > 2 ? "GET, PUT, PATCH, DELETE" : req.path === "/Users" || req.path === "/Groups" ? "GET, POST" : "GET");
    sendError(res, scimError(405, null, `${req.method} is not supported on ${req.path}`));
  });
  router.use((req: Request, res: Response) => sendError(res, scimError(404, null, `There is no SCIM endpoint at ${req.path}`)));
  // Bodies the JSON parser refused: malformed, too large, an unknown charset.
  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const type = (error as { type?: unknown }).type;
    const status = (error as { status?: unknown }).status;
    if (type === "entity.parse.failed") return sendError(res, scimError(400, "invalidSyntax", "The request body is not valid JSON"));
    if (type === "entity.too.large") return sendError(res, scimError(413, null, "The request body is over 1 MB"));
    if (typeof status === "number" && status >= 400 && status < 500) return sendError(res, scimError(status, "invalidSyntax", "The request body could not be read"));
    deps.log.error({ err: error, path: req.originalUrl }, "scim: request failed");
    sendError(res, scimError(500, null, "Commons could not complete this request."));
  });
  return router;
}

function wantsMembers(params: { attributes?: string; excludedAttributes?: string }): boolean {
  const names = (list?: string) => (list ?? "").split(",").map((a) => a.trim().toLowerCase());
  if (params.attributes) return names(params.attributes).some((a) => a === "members" || a.startsWith("members."));
  return !names(params.excludedAttributes).includes("members");
}
