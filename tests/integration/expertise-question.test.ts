import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { users } from "#db/schema/index.ts";
import { drainExpertiseOutbox } from "#app/features/expertise/evidence.server.ts";
import { expertsForQuestion } from "#app/features/expertise/experts.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

/**
 * Experts for a question from its topics and from its text (through this file's own Meilisearch
 * indexes): an untagged question finds the person who answered similar ones; nothing from a
 * restricted space reaches an outsider; the asker and people away are never suggested.
 */
const t = setupTestDb();
const indexes = setupSearchIndexes();
type User = typeof users.$inferSelect;
let asker: User, baker: User, brewer: User, secretBaker: User, outsider: User, member: User;
let firstQuestion = 0;

beforeAll(async () => {
  asker = await createUser(t.db);
  baker = await createUser(t.db, { name: "Bea Baker" });
  brewer = await createUser(t.db, { name: "Bruno Brewer" });
  secretBaker = await createUser(t.db, { name: "Sid Secret" });
  outsider = await createUser(t.db);
  member = await createUser(t.db);
  const open = await createSpace(t.db);
  const restricted = await createSpace(t.db, { members: [member, secretBaker, asker] }, "restricted");
  const topics = [
    ["How wet should a sourdough starter be kept between feedings?", "baking"],
    ["Why does my sourdough starter smell of acetone after a feeding?", "baking"],
    ["Which hop varieties suit a dry-hopped pale ale?", "brewing"],
  ] as const;
  for (const [title, tag] of topics) {
    const q = await createQuestion(t.db, { author: asker, space: open, title, tags: [tag] });
    firstQuestion ||= q;
    const a = await createAnswer(t.db, { author: tag === "baking" ? baker : brewer, questionId: q });
    await acceptAnswer(t.db, { ...asker, reputation: 1 }, a);
  }
  const hidden = await createQuestion(t.db, { author: member, space: restricted, title: "Sourdough starter hydration for the secret recipe?", tags: ["secret-baking"] });
  await createAnswer(t.db, { author: secretBaker, questionId: hidden });
  while ((await drainExpertiseOutbox(t.db)) > 0) {
    // until empty
  }
  const relayed = await runRelayUntilIdle(t.db, indexes.client, { prefix: indexes.prefix });
  expect(relayed.failed + relayed.dead).toBe(0);
});

const names = async (actor: User, title: string, tagIds: number[] = [], authorId?: number) =>
  (await expertsForQuestion(t.db, indexes.client, actor, { title, tagIds, authorId }, { prefix: indexes.prefix })).map((e) => e.name);

describe("experts for a question", () => {
  test("an untagged question finds the person who answered similar ones, with the evidence in words", async () => {
    const found = await expertsForQuestion(t.db, indexes.client, outsider, { title: "How often should I feed a sourdough starter?", tagIds: [] }, { prefix: indexes.prefix });
    expect(found[0]?.name).toBe("Bea Baker");
    expect(found[0]?.why).toBe("2 accepted answers on baking");
    expect(found.map((e) => e.name)).not.toContain("Sid Secret");
    // A question that is itself indexed (the question page's case) leaves itself out, and search answers without an error.
    const errors: unknown[] = [];
    const onPage = await expertsForQuestion(
      t.db,
      indexes.client,
      outsider,
      { id: firstQuestion, title: "How wet should a sourdough starter be kept between feedings?", tagIds: [] },
      { prefix: indexes.prefix, onError: (e) => errors.push(e) },
    );
    expect(errors).toEqual([]);
    expect(onPage[0]?.name).toBe("Bea Baker");
  });

  test("a member of the restricted space may be pointed to its expert; the asker never is", async () => {
    expect(await names(member, "Sourdough starter hydration for the secret recipe?")).toContain("Sid Secret");
    expect(await names(outsider, "Sourdough starter hydration for the secret recipe?")).not.toContain("Sid Secret");
    expect(await names(asker, "How often should I feed a sourdough starter?", [], baker.id)).not.toContain("Bea Baker");
  });

  test("people away or opted out of routing are not suggested", async () => {
    await t.db
      .update(users)
      .set({ awayUntil: new Date(Date.now() + 86_400_000) })
      .where(eq(users.id, baker.id));
    expect(await names(outsider, "How often should I feed a sourdough starter?")).not.toContain("Bea Baker");
    await t.db.update(users).set({ awayUntil: null, routingOptOut: true }).where(eq(users.id, baker.id));
    expect(await names(outsider, "How often should I feed a sourdough starter?")).not.toContain("Bea Baker");
    await t.db.update(users).set({ routingOptOut: false }).where(eq(users.id, baker.id));
    expect((await names(outsider, "How often should I feed a sourdough starter?"))[0]).toBe("Bea Baker");
  });
});
