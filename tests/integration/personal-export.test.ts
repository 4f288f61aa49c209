import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { castItemVote } from "#app/features/social/votes.server.ts";
import { loader as exportLoader } from "#app/routes/settings/export.ts";
import { anonymousAskers, apiTokens, auditLog, hrViews, mailPreferences, posts, sessions, users } from "#db/schema/index.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createComment, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { requestAs, routeContext, thrown } from "#tests/helpers.ts";

/**
 * Settings → "Download your data": the JSON holds the person's own profile, content, votes,
 * settings, token names and sessions, never a secret and never another person's private data; it
 * is logged; customers, deactivated and signed-out people get what the other settings pages give.
 */
const t = setupTestDb();

type User = typeof users.$inferSelect;
let me: User;
let other: User;
let hr: User;
let myQuestion: number;
let othersAnswer: number;
let anonymousQuestion: number;

const SECRET_HASH = randomBytes(32).toString("hex");
const OTHER_SECRET = "other-person-private-token-name";

async function download(user: User | null) {
  return exportLoader({ request: await requestAs(t.db, user, "/settings/export"), ...routeContext(t.db), params: {} } as never);
}

beforeAll(async () => {
  me = await createUser(t.db, { name: "Ines Exporter", email: "ines.exporter@example.com", bio: "Data person." });
  other = await createUser(t.db, { name: "Oscar Other", email: "oscar.private@example.com", bio: "Oscar's own bio." });
  hr = await createUser(t.db, { name: "Hana HR" }, "hr");
  const space = await createSpace(t.db, { members: [me, other] });
  myQuestion = await createQuestion(t.db, { author: me, space, title: "How do I export my own data from Commons?" });
  othersAnswer = await createAnswer(t.db, { author: other, questionId: myQuestion, body: "Oscar's answer: from the settings page." });
  await createComment(t.db, { author: me, postId: othersAnswer, body: "Ines's comment: thanks!" });
  // Ines votes on Oscar's answer; Oscar votes on Ines's question (his vote is not hers to export).
  const [answer] = await t.db.select().from(posts).where(eq(posts.id, othersAnswer));
  const [question] = await t.db.select().from(posts).where(eq(posts.id, myQuestion));
  await castItemVote(t.db, me, answer!.itemId, "up");
  await castItemVote(t.db, other, question!.itemId, "up");
  // An anonymous question Ines asked: the post's author is a stand-in, the asker kept apart.
  anonymousQuestion = await createQuestion(t.db, { author: other, space, title: "An anonymous question about compensation bands" });
  await t.db.insert(anonymousAskers).values({ questionId: anonymousQuestion, userId: me.id });

  const later = new Date(Date.now() + 86_400_000);
  await t.db.insert(sessions).values({ id: SECRET_HASH, userId: me.id, expiresAt: later, absoluteExpiresAt: later, userAgent: "Ines's Firefox" });
  await t.db.insert(sessions).values({ id: randomBytes(32).toString("hex"), userId: other.id, expiresAt: later, absoluteExpiresAt: later, userAgent: "Oscar's Safari" });
  await t.db.insert(apiTokens).values({ userId: me.id, name: "ines laptop", tokenHash: SECRET_HASH, prefix: "cmn_in", scope: "read" });
  await t.db.insert(apiTokens).values({ userId: other.id, name: OTHER_SECRET, tokenHash: randomBytes(32).toString("hex"), prefix: "cmn_os", scope: "read" });
  await t.db.insert(mailPreferences).values({ userId: me.id, category: "digest", cadence: "weekly" });
  await t.db.insert(hrViews).values({ viewerId: hr.id, subjectId: me.id, what: "analytics" });
  await t.db.insert(hrViews).values({ viewerId: hr.id, subjectId: other.id, what: "expertise" });
});

describe("downloading your own data", () => {
  test("the JSON holds the person's own data, as an attachment, and the download is logged", async () => {
    const response = (await download(me)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="commons-my-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const text = await response.text();
    const json = JSON.parse(text) as Record<string, Array<Record<string, unknown>>> & { profile: Record<string, unknown> };

    expect(json.profile).toMatchObject({ id: me.id, name: "Ines Exporter", email: "ines.exporter@example.com", bio: "Data person." });
    expect(json.questions!.map((q) => [q.id, q.anonymous])).toEqual([
      [myQuestion, false],
      [anonymousQuestion, true],
    ]);
    expect(json.comments!.map((c) => c.body)).toEqual(["Ines's comment: thanks!"]);
    expect(json.votes).toHaveLength(1);
    expect(json.votes![0]).toMatchObject({ value: 1 });
    expect(json.edits!.length).toBeGreaterThan(0);
    expect(json.notificationSettings).toEqual([expect.objectContaining({ category: "digest", cadence: "weekly" })]);
    expect(json.apiTokens).toEqual([expect.objectContaining({ name: "ines laptop", prefix: "cmn_in" })]);
    // Hers (the one this request signed in with, too), with when and from what browser, never an id.
    expect(json.sessions).toContainEqual(expect.objectContaining({ user_agent: "Ines's Firefox" }));
    expect(json.sessions!.every((x) => !("id" in x) && !("user_id" in x))).toBe(true);
    expect(json.hrViews).toEqual([expect.objectContaining({ what: "analytics", viewer_name: "Hana HR" })]);

    // Never a secret, never another person's private data.
    expect(text).not.toContain(SECRET_HASH);
    expect(text).not.toContain("password");
    for (const theirs of ["oscar.private@example.com", "Oscar's own bio.", "Oscar's Safari", OTHER_SECRET, "expertise", "Oscar's answer"]) expect(text).not.toContain(theirs);

    const logged = await t.db.$count(auditLog, and(eq(auditLog.action, "user.data_exported"), eq(auditLog.subjectUserId, me.id), eq(auditLog.actorId, me.id)));
    expect(logged).toBe(1);
  });

  test("signed out, a customer and a deactivated account get what the other settings pages give them", async () => {
    const customer = await createUser(t.db, { name: "Cora Customer" }, "customer");
    const gone = await createUser(t.db, { name: "Dov Departed" });
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, gone.id));
    for (const [who, user] of [
      ["signed out", null],
      ["customer", customer],
      ["deactivated", gone],
    ] as const) {
      const refused = await thrown(download(user as User | null));
      expect(refused, who).toBeInstanceOf(Response);
      expect((refused as Response).status, who).toBe(302);
      // Signed out and deactivated: to the sign-in page; a customer: home, as for every settings page.
      expect((refused as Response).headers.get("Location"), who).toMatch(who === "customer" ? /^\/$/ : /^\/sign-in/);
    }
    expect(await t.db.$count(auditLog, eq(auditLog.action, "user.data_exported"))).toBe(1);
  });
});
