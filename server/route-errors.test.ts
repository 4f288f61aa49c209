import type { ServerBuild } from "react-router";
import { expect, test } from "vitest";
import { ForbiddenError, NotFoundError } from "../app/lib/errors.ts";
import { databaseUnavailable, withTypedErrors } from "./route-errors.ts";

const args = {} as never;

function buildWith(module: Record<string, unknown>): ServerBuild {
  return { routes: { page: { id: "page", path: "page", module } } } as unknown as ServerBuild;
}

test("a typed error escaping a loader or action becomes the HTTP answer React Router renders", async () => {
  const build = withTypedErrors(
    buildWith({
      loader: async () => {
        throw new NotFoundError();
      },
      action: async () => {
        throw new ForbiddenError("Only moderators of this space can do that.");
      },
      default: "the component",
    }),
  );
  const { module } = build.routes.page!;
  await expect(module.loader!(args)).rejects.toMatchObject({ data: "Not found", init: { status: 404 } });
  await expect(module.action!(args)).rejects.toMatchObject({ data: "Only moderators of this space can do that.", init: { status: 403 } });
  expect(module.default).toBe("the component");
});

test("results and other errors pass through untouched", async () => {
  const bug = new Error("bug");
  const build = withTypedErrors(
    buildWith({
      loader: async () => ({ ok: true }),
      action: async () => {
        throw bug;
      },
    }),
  );
  await expect(build.routes.page!.module.loader!(args)).resolves.toEqual({ ok: true });
  await expect(build.routes.page!.module.action!(args)).rejects.toBe(bug);
});

// Issue 23: a database that is away answers 503 "back in a moment", not a 500.
function errorWith(props: Record<string, unknown>, name = "Error"): Error {
  return Object.assign(new Error("x"), props, { name });
}

test("errors of an unreachable database are told from other errors", async () => {
  const refused = errorWith({ code: "ECONNREFUSED", syscall: "connect" });
  const unavailable = [
    refused,
    errorWith({ code: "ENOENT", syscall: "connect", address: "/tmp/.s.PGSQL.5432" }),
    errorWith({ code: "CONNECTION_CLOSED" }),
    errorWith({ code: "CONNECTION_ENDED" }),
    errorWith({ code: "57P01" }, "PostgresError"),
    errorWith({ code: "57P03" }, "PostgresError"),
    errorWith({ code: "08006" }, "PostgresError"),
    // Drizzle's wrapper around the driver's error.
    Object.assign(new Error("Failed query: select 1"), { query: "select 1", params: [], cause: refused }),
  ];
  for (const error of unavailable) expect(databaseUnavailable(error), error.message).toBe(true);
  const others = [
    new Error("bug"),
    errorWith({ code: "23505" }, "PostgresError"),
    errorWith({ code: "ENOENT", syscall: "open" }),
    errorWith({ code: "08006" }),
    // A search that could not connect to Meilisearch: fetch's error wraps the socket's, and is not looked through.
    new TypeError("fetch failed", { cause: refused }),
    "ECONNREFUSED",
  ];
  for (const error of others) expect(databaseUnavailable(error), String(error)).toBe(false);

  const build = withTypedErrors(
    buildWith({
      loader: async () => {
        throw refused;
      },
    }),
  );
  await expect(build.routes.page!.module.loader!(args)).rejects.toMatchObject({ init: { status: 503, headers: { "Retry-After": "5" } } });
});
