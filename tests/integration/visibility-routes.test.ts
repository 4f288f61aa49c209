import { describe, expect, test } from "vitest";
import type { AppLoadContext } from "react-router";
import { SESSION_COOKIE, createSession, getAuth } from "#app/features/auth/session.server.ts";
import { loader as rootLoader } from "#app/root.tsx";
import { loader as homeLoader } from "#app/routes/home.tsx";
import { loader as spacesLoader } from "#app/routes/spaces/index.tsx";
import { loader as spaceLoader } from "#app/routes/spaces/space.tsx";
import { loader as adminUsersLoader } from "#app/routes/admin/users.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";

/**
 * The route loaders, called the way React Router calls them: who gets redirected where, and
 * that hidden and missing things answer with the same 404.
 */
const t = setupTestDb();

const context = () => ({ db: t.db, requestId: "test-request", log: console, clientAddress: "127.0.0.1" }) as unknown as AppLoadContext;

async function requestAs(user: { id: number } | null, path: string): Promise<Request> {
  const headers = new Headers();
  if (user) headers.set("cookie", `${SESSION_COOKIE}=${(await createSession(t.db, user.id)).token}`);
  return new Request(`http://localhost${path}`, { headers });
}

// Each loader is typed for its own route; the tests hand them the arguments React Router would.
async function run(loader: (args: never) => Promise<unknown>, request: Request, params: Record<string, string> = {}): Promise<unknown> {
  return loader({ request, context: context(), params } as never);
}

async function thrownBy(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

describe("route guards", () => {
  test("signed-out visitors are sent to sign-in and brought back", async () => {
    const error = await thrownBy(run(spacesLoader, await requestAs(null, "/spaces?x=1")));
    expect(redirectTarget(error)).toBe("/sign-in?redirectTo=%2Fspaces%3Fx%3D1");
  });

  test("a customer lands on the home page, which says there is no employee access; every other page sends them there", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const open = await createSpace(t.db);
    expect(await run(homeLoader, await requestAs(customer, "/"))).toEqual({ customer: true });
    expect(redirectTarget(await thrownBy(run(spacesLoader, await requestAs(customer, "/spaces"))))).toBe("/");
    expect(redirectTarget(await thrownBy(run(spaceLoader, await requestAs(customer, `/spaces/${open.slug}`), { slug: open.slug })))).toBe("/");
    expect(redirectTarget(await thrownBy(run(adminUsersLoader, await requestAs(customer, "/admin/users"))))).toBe("/");
  });

  test("a restricted space answers a non-member exactly like a missing one", async () => {
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, {}, "restricted");
    const hidden = await thrownBy(run(spaceLoader, await requestAs(outsider, `/spaces/${secret.slug}`), { slug: secret.slug }));
    const missing = await thrownBy(run(spaceLoader, await requestAs(outsider, "/spaces/nope"), { slug: "nope" }));
    expect(hidden).toMatchObject({ init: { status: 404 } });
    expect(hidden).toEqual(missing);
  });

  test("admin pages answer 404 to non-admins", async () => {
    const hr = await createUser(t.db, {}, "hr");
    expect(await thrownBy(run(adminUsersLoader, await requestAs(hr, "/admin/users")))).toMatchObject({ init: { status: 404 } });
  });

  test("the root loader sends a summary of the user, never the whole row", async () => {
    const user = await createUser(t.db, { name: "Sarah O'Connor" }, "hr");
    const result = (await run(rootLoader, await requestAs(user, "/"))) as { data: { user: Record<string, unknown> } };
    expect(result.data.user).toEqual({ id: user.id, name: "Sarah O'Connor", role: "hr", kind: "employee", initials: "SO" });
  });

  test("the session is validated once per request, however many loaders ask", async () => {
    const user = await createUser(t.db);
    // React Router gives every loader its own Request; they share the load context.
    const context = { db: t.db };
    const first = getAuth(context, await requestAs(user, "/"));
    expect(getAuth(context, await requestAs(user, "/"))).toBe(first);
    expect(getAuth({ db: t.db }, await requestAs(user, "/"))).not.toBe(first);
  });
});
