import type { AddressInfo } from "node:net";
import express from "express";
import type { Meilisearch } from "meilisearch";
import { afterAll } from "vitest";
import type { Db } from "#db/client.server.ts";
import { type ApiRouterOptions, createApiRouter } from "#app/features/api/router.server.ts";
import { type ApiScope, createApiToken } from "#app/features/api-tokens/tokens.server.ts";
import { env } from "#app/lib/env.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { createLogger } from "../../server/logger.ts";
import { testMeili } from "#tests/db.ts";

/**
 * What the REST API's test files share: the API's router in an Express app of its own on a free
 * loopback port (as server/main.ts mounts it, under /api/v1), real HTTP calls to it, and tokens.
 */

export type ApiServer = { url: string; close: () => Promise<void> };

/** Starts the router over `db` (and the run's Meilisearch, or `search` with `searchPrefix`); closed after the file's tests. */
export async function startApi(db: Db, options: ApiRouterOptions & { search?: Meilisearch; searchPrefix?: string } = {}): Promise<ApiServer> {
  const { url: meiliUrl, key } = testMeili();
  const app = express();
  app.use(
    "/api/v1",
    createApiRouter({ db, search: options.search ?? createMeiliClient(meiliUrl, key), log: createLogger("silent"), env: env(), searchPrefix: options.searchPrefix }, options),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const close = () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  afterAll(close);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, close };
}

export type ApiAnswer = {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string; fields?: Record<string, string>; requestId?: string } };
};

/** One call: `token` as a bearer token (or a whole `authorization` header), `body` sent as JSON unless it is a string. */
export async function callApi(
  server: ApiServer,
  method: string,
  path: string,
  options: { token?: string; authorization?: string; body?: unknown; contentType?: string } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  if (options.body !== undefined) headers["content-type"] = options.contentType ?? "application/json";
  const response = await fetch(server.url + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  let body: ApiAnswer["body"];
  try {
    body = text ? (JSON.parse(text) as ApiAnswer["body"]) : {};
  } catch {
    throw new Error(`${method} ${path} answered ${response.status} with something that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** A token for `user` (made directly, whoever they are: the settings page refuses customers itself). */
export async function tokenFor(db: Db, user: { id: number }, scope: ApiScope = "read", expiresInDays: number | null = null): Promise<string> {
  return (await createApiToken(db, user.id, { name: `${scope} token`, scope, expiresInDays })).token;
}
