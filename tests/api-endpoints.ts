import { z } from "zod";
import type { Db } from "#db/client.server.ts";
import type { AnyEndpoint, ApiContext } from "#app/features/api/endpoint.server.ts";
import type { SessionUser } from "#app/features/auth/session.server.ts";
import { createLogger } from "../server/logger.ts";
import { routeContext } from "./helpers.ts";

/**
 * Calls the REST API's endpoints (issue 21) as its router does, without HTTP: the input parsed by
 * the endpoint's own schemas, the handler run as `user`, and the answer parsed by its response
 * schema (every answer must be what the OpenAPI document promises). Authentication, scopes and
 * the HTTP answers of typed errors are the router's, tested in api-router.test.ts.
 */
export function endpointCaller(t: { db: Db }, endpoints: readonly AnyEndpoint[]) {
  const log = createLogger("silent");
  const endpoint = (operationId: string): AnyEndpoint => {
    const found = endpoints.find((e) => e.operationId === operationId);
    if (!found) throw new Error(`no endpoint ${operationId}`);
    return found;
  };
  const call = async (operationId: string, user: SessionUser, input: { params?: unknown; query?: unknown; body?: unknown } = {}) => {
    const ep = endpoint(operationId);
    const ctx: ApiContext = { db: t.db, search: routeContext(t.db).context.search, log, user, scope: ep.scope };
    const parsed = {
      params: (ep.params ?? z.object({})).parse(input.params ?? {}),
      query: (ep.query ?? z.object({})).parse(input.query ?? {}),
      body: ep.body ? ep.body.parse(input.body) : undefined,
    };
    // The tests then read the answer loosely (a list's items as records).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return ep.response.parse(await ep.handler(ctx, parsed)) as Record<string, any> & { data: any[]; nextCursor: string | null };
  };
  return { endpoint, call };
}
