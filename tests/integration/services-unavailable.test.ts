import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createApiRouter } from "#app/features/api/router.server.ts";
import { createMcpRouter } from "#app/features/mcp/router.server.ts";
import { createScimRouter } from "#app/features/scim/router.server.ts";
import { env } from "#app/lib/env.server.ts";
import { createDb, type Db } from "#db/client.server.ts";
import { createMeiliClient } from "#search/client.server.ts";
import { createLogger } from "../../server/logger.ts";
import { closedPort } from "#tests/helpers.ts";
import { testMeili } from "#tests/db.ts";

/**
 * Issue 23: while the database is away (a restart of the embedded PostgreSQL takes seconds; see
 * tests/launcher/supervise.test.ts for the pages and /readyz), the services other systems call
 * answer 503 with Retry-After, which clients and identity providers retry, never a 500. The
 * database here is a real closed port: every query fails to connect, as during a restart.
 */
let db: Db;
let base = "";
let close: () => Promise<void> = async () => {};

beforeAll(async () => {
  db = createDb(`postgres://commons:commons@127.0.0.1:${await closedPort()}/commons`, { max: 2 });
  const { url, key } = testMeili();
  const deps = { db, search: createMeiliClient(url, key), log: createLogger("silent"), env: env() };
  const app = express();
  app.use("/api/v1", createApiRouter(deps));
  app.use("/mcp", createMcpRouter(deps));
  app.use("/scim/v2", createScimRouter(deps));
  const server = app.listen(0, "127.0.0.1");
  await new Promise<void>((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close();
  await db.close();
});

describe("the database away", () => {
  // Well-formed tokens, so the request gets as far as looking them up in the database.
  const apiToken = `cmn_${"a".repeat(43)}`;
  const scimToken = `scim_${"a".repeat(43)}`;
  test.each([
    ["the REST API", "GET", "/api/v1/questions", apiToken, undefined],
    ["the MCP server", "POST", "/mcp", apiToken, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" })],
    ["SCIM", "GET", "/scim/v2/Users", scimToken, undefined],
  ])("%s answers 503 with Retry-After, and no internals", async (_, method, path, token, body) => {
    const response = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body,
    });
    const text = await response.text();
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
    expect(text).toMatch(/database/i);
    expect(text).not.toMatch(/ECONNREFUSED|node_modules|\n\s+at /);
  });
});
