import { describe, expect, test } from "vitest";
import type { AppLoadContext } from "react-router";
import { getAuth } from "#app/features/auth/session.server.ts";
import { loader as rootLoader } from "#app/root.tsx";
import { loader as homeLoader } from "#app/routes/home.tsx";
import { loader as spacesLoader } from "#app/routes/spaces/index.tsx";
import { loader as spaceLoader } from "#app/routes/spaces/space.tsx";
import { loader as adminUsersLoader } from "#app/routes/admin/users.tsx";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { requestAs, thrown } from "#tests/helpers.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";

/**
 * The route loaders, called the way React Router calls them: who gets redirected where, and
 * that hidden and missing things answer with the same 404.
 */
const t = setupTestDb();

const context = () => ({ db: t.db, requestId: "test-request", log: console, clientAddress: "127.0.0.1" }) as unknown as AppLoadContext;

// Each loader is typed for its own route; the tests hand them the arguments React Router would.
async function run(loader: (args: never) => Promise<unknown>, request: Request, params: Record<string, string> = {}): Promise<unknown> {
  return loader({ request, context: context(), params } as never);
}

function redirectTarget(error: unknown): string | null {
  return error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null;
}

describe("route guards", () => {
  test("signed-out visitors are sent to sign-in and brought back", async () => {
    const error = await thrown(run(spacesLoader, await requestAs(t.db, null, "/spaces?x=1")));
    expect(redirectTarget(error)).toBe("/sign-in?redirectTo=%2Fspaces%3Fx%3D1");
  });

  test("a customer lands on the home page, which says there is no employee access; every other page sends them there", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const open = await createSpace(t.db);
    expect(await run(homeLoader, await requestAs(t.db, customer, "/"))).toEqual({ customer: true });
    expect(redirectTarget(await thrown(run(spacesLoader, await requestAs(t.db, customer, "/spaces"))))).toBe("/");
    expect(redirectTarget(await thrown(run(spaceLoader, await requestAs(t.db, customer, `/spaces/${open.slug}`), { slug: open.slug })))).toBe("/");
    expect(redirectTarget(await thrown(run(adminUsersLoader, await requestAs(t.db, customer, "/admin/users"))))).toBe("/");
  });

  test("a restricted space answers a non-member exactly like a missing one", async () => {
    const outsider = await createUser(t.db);
    const secret = await createSpace(t.db, {}, "restricted");
    const hidden = await thrown(run(spaceLoader, await requestAs(t.db, outsider, `/spaces/${secret.slug}`), { slug: secret.slug }));
    const missing = await thrown(run(spaceLoader, await requestAs(t.db, outsider, "/spaces/nope"), { slug: "nope" }));
    expect(hidden).toBeInstanceOf(NotFoundError);
    expect(hidden).toEqual(missing);
  });

  test("admin pages answer 404 to non-admins", async () => {
    const hr = await createUser(t.db, {}, "hr");
    expect(await thrown(run(adminUsersLoader, await requestAs(t.db, hr, "/admin/users")))).toBeInstanceOf(NotFoundError);
  });

  test("the root loader sends a summary of the user, never the whole row", async () => {
    const user = await createUser(t.db, { name: "Sarah O'Connor" }, "hr");
    const result = (await run(rootLoader, await requestAs(t.db, user, "/"))) as { data: { user: Record<string, unknown> } };
    expect(result.data.user).toEqual({ id: user.id, name: "Sarah O'Connor", role: "hr", kind: "employee", initials: "SO" });
  });

  test("the session is validated once per request, however many loaders ask", async () => {
    const user = await createUser(t.db);
    // React Router gives every loader its own Request; they share the load context.
    const context = { db: t.db };
    const first = getAuth(context, await requestAs(t.db, user, "/"));
    expect(getAuth(context, await requestAs(t.db, user, "/"))).toBe(first);
    expect(getAuth({ db: t.db }, await requestAs(t.db, user, "/"))).not.toBe(first);
  });
});
