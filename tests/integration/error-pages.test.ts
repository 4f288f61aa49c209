import http from "node:http";
import { describe, expect, test } from "vitest";
import { SESSION_COOKIE, createSession } from "#app/features/auth/session.server.ts";
import { DEFAULT_REPUTATION_RULES } from "#app/features/reputation/rules.server.ts";
import { setupTestDb } from "../db.ts";
import { useProductionServer } from "../production-server.ts";
import { createQuestion, createSpace, createUser } from "../factories/index.ts";
import { and, eq } from "drizzle-orm";
import { createScimToken } from "#app/features/scim/tokens.server.ts";
import { auditLog } from "#db/schema/index.ts";

/**
 * Typed errors through the real server (startCommons with the production build): a NotFoundError
 * or ForbiddenError thrown by a feature answers with its status, and a 403's message reaches the
 * page, for a document request and for a client-side navigation (React Router's .data request).
 * And what the server gives every request: its id reaches the audit entries written for it.
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

describe("the request id", () => {
  async function entriesOf(action: string, subjectUserId: number) {
    return t.db
      .select({ requestId: auditLog.requestId })
      .from(auditLog)
      .where(and(eq(auditLog.action, action), eq(auditLog.subjectUserId, subjectUserId)));
  }

  test("an audit entry names the request it was written in: a form action's, and a SCIM call's, whose body came in two parts", async () => {
    const admin = await createUser(t.db, {}, "admin");
    const colleague = await createUser(t.db);
    const { token } = await createSession(t.db, admin.id);
    const form = await fetch(`${server.base}/admin/users/${colleague.id}`, {
      method: "POST",
      headers: { cookie: `${SESSION_COOKIE}=${token}`, origin: server.base, "content-type": "application/x-www-form-urlencoded", "x-request-id": "role-change-0001" },
      body: new URLSearchParams({ intent: "change-role", role: "moderator" }),
      redirect: "manual",
    });
    expect(form.status).toBe(200);
    expect(form.headers.get("x-request-id")).toBe("role-change-0001");
    expect(await entriesOf("user.role_changed", colleague.id)).toEqual([{ requestId: "role-change-0001" }]);

    // A request without an id of its own gets one, and the entry names that one.
    const scim = await createScimToken(t.db, admin, "Provider");
    // The body arrives in two parts, the second after the handlers began: the body parser finishes
    // in the socket's callback, and the context must survive it (raw-body binds its callback).
    const body = JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@example.com",
      name: { formatted: "Ada Lovelace" },
      emails: [{ value: "ada@example.com", primary: true }],
    });
    const response = await new Promise<{ status: number; text: string; requestId: string | undefined }>((resolve, reject) => {
      const request = http.request(
        `${server.base}/scim/v2/Users`,
        { method: "POST", headers: { authorization: `Bearer ${scim.token}`, "content-type": "application/scim+json", "content-length": Buffer.byteLength(body) } },
        (res) => {
          let text = "";
          res.on("data", (chunk: Buffer) => (text += chunk.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text, requestId: res.headers["x-request-id"] as string | undefined }));
        },
      );
      request.on("error", reject);
      request.write(body.slice(0, 20));
      setTimeout(() => request.end(body.slice(20)), 200);
    });
    expect(response.status, response.text).toBe(201);
    const person = JSON.parse(response.text) as { id: string };
    const generated = response.requestId;
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(await entriesOf("scim.user_created", Number(person.id))).toEqual([{ requestId: generated }]);
  });
});
