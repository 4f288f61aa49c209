import { describe, expect, test } from "vitest";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { DEFAULT_REPUTATION_RULES } from "#app/features/reputation/rules.server.ts";
import { setupTestDb } from "../db.ts";
import { useProductionServer } from "../production-server.ts";
import { createQuestion, createSpace, createUser } from "../factories/index.ts";

/**
 * Typed errors through the real server (startCommons with the production build): a NotFoundError
 * or ForbiddenError thrown by a feature answers with its status, and a 403's message reaches the
 * page, for a document request and for a client-side navigation (React Router's .data request).
 */

const t = setupTestDb();
const server = useProductionServer(t, "error-pages");

async function get(user: { id: number }, pathname: string): Promise<{ status: number; body: string }> {
  const { token } = await createSession(t.db, user.id);
  const response = await fetch(server.base + pathname, { headers: { cookie: `${SESSION_COOKIE}=${token}` }, redirect: "manual" });
  return { status: response.status, body: await response.text() };
}

describe("the error boundary", () => {
  test("a ForbiddenError is a 403 whose message is on the page", async () => {
    const asker = await createUser(t.db);
    const newcomer = await createUser(t.db, { reputation: 1 });
    const questionId = await createQuestion(t.db, { author: asker, space: await createSpace(t.db) });
    const message = `Closing and reopening questions takes ${DEFAULT_REPUTATION_RULES.thresholds.close} reputation, or a moderator.`;

    const page = await get(newcomer, `/questions/${questionId}/close`);
    expect(page.status).toBe(403);
    expect(page.body).toContain("You can&#x27;t do that");
    expect(page.body).toContain(message);
    expect(page.body).not.toContain("not something you did");

    const navigation = await get(newcomer, `/questions/${questionId}/close.data`);
    expect(navigation.status).toBe(403);
    expect(navigation.body).toContain(message);
  });

  test("a NotFoundError is the 404 page, the same for a hidden question and a missing one", async () => {
    const member = await createUser(t.db);
    const outsider = await createUser(t.db);
    const hidden = await createQuestion(t.db, { author: member, space: await createSpace(t.db, { members: [member] }, "restricted") });

    for (const pathname of [`/questions/${hidden}/close`, "/questions/2000000000/close", "/questions/0/close"]) {
      const page = await get(outsider, pathname);
      expect(page.status).toBe(404);
      expect(page.body).toContain("We can&#x27;t find that page");
    }
  });
});
