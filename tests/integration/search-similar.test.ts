import { eq } from "drizzle-orm";
import type { Meilisearch } from "meilisearch";
import { beforeAll, describe, expect, test } from "vitest";
import { users } from "#db/schema/index.ts";
import { demoEmail, seedDemo } from "#db/seed.ts";
import { QUESTIONS } from "#db/seed-content.ts";
import { similarQuestions } from "#app/features/search/search.server.ts";
import { loader as similarLoader } from "#app/routes/api/similar-questions.ts";
import { runRelayUntilIdle } from "#search/relay.server.ts";
import { setupSearchIndexes, setupTestDb, useUnreachableMeili } from "#tests/db.ts";
import { requestAs, routeContext } from "#tests/helpers.ts";

/**
 * "Similar questions" on the ask page against the demo company's questions, indexed by the relay
 * into this file's own indexes of the run's real Meilisearch: the title of a demo question, or a
 * close paraphrase, finds it; unrelated titles find nothing. Then the JSON route, with Meilisearch
 * unreachable.
 */
const t = setupTestDb();
const indexes = setupSearchIndexes();
const { prefix } = indexes;
let client: Meilisearch;

async function demoUser(name: string) {
  const [user] = await t.db
    .select()
    .from(users)
    .where(eq(users.email, demoEmail(name)));
  return user!;
}

const similar = async (actor: Awaited<ReturnType<typeof demoUser>>, title: string) => (await similarQuestions(t.db, client, actor, title, { prefix })) ?? [];
const titles = async (actor: Awaited<ReturnType<typeof demoUser>>, title: string) => (await similar(actor, title)).map((q) => q.title);

beforeAll(async () => {
  client = indexes.client;
  await seedDemo(t.db);
  const relayed = await runRelayUntilIdle(t.db, client, { prefix });
  expect(relayed.failed + relayed.dead).toBe(0);
});

describe("similar questions on the demo data", () => {
  test("every demo question's title finds that question first (for the admin, who sees every space)", async () => {
    const admin = await demoUser("Amara Okafor");
    for (const q of QUESTIONS) {
      const found = await similar(admin, q.title);
      expect(found[0]?.title, q.title).toBe(q.title);
      expect(found.length).toBeLessThanOrEqual(5);
    }
  });

  test("close paraphrases find the question, with its space, answers and status", async () => {
    const member = await demoUser("Grace Liu");
    const paraphrases: Array<[string, string]> = [
      ["add an index to the orders table without a lock", "How do we add an index to the orders table without locking it?"],
      ["port 5432 already allocated in docker", "docker compose up fails with 'port 5432 is already allocated'"],
      ["pods in crashloopbackoff on staging", "Pods stuck in CrashLoopBackOff on staging after the node pool upgrade"],
      ["expense a monitor for the home office", "How do I expense a monitor for my home office?"],
      ["customer lost their phone, reset two-factor", "How do I reset two-factor authentication for a customer admin who lost their phone?"],
      ["parental leave in London", "How does parental leave work for the London office?"],
      ["refund for an annual plan", "Refund policy for an annual plan cancelled in the first 30 days?"],
      ["kafka lag every night", "Kafka consumer lag on order-events spikes every night at 02:00"],
    ];
    for (const [typed, expected] of paraphrases) expect((await titles(member, typed))[0], typed).toBe(expected);

    const [hit] = await similar(member, "Connection pool exhaustion in the billing worker");
    const seeded = QUESTIONS.find((q) => q.title.startsWith("Connection pool exhaustion"))!;
    expect(hit).toMatchObject({
      title: seeded.title,
      space: { slug: "engineering", name: "Engineering" },
      answerCount: seeded.answers?.length ?? 0,
    });
    expect(hit!.url).toMatch(new RegExp(`^/questions/${hit!.id}/connection-pool-exhaustion`));
    expect(["open", "answered", "closed"]).toContain(hit!.status);
  });

  test("a restricted space's question is found by its members only", async () => {
    const restricted = QUESTIONS.find((q) => q.space === "platform-security")!;
    expect((await titles(await demoUser("Priya Nair"), restricted.title))[0]).toBe(restricted.title);
    expect(await titles(await demoUser("Elena Petrova"), restricted.title)).not.toContain(restricted.title);
  });

  test("unrelated titles find nothing", async () => {
    const member = await demoUser("Grace Liu");
    for (const title of ["What is the best pizza in town", "Where is the coffee machine", "When is the summer party", "What is the wifi password", "ab"]) {
      expect(await titles(member, title), title).toEqual([]);
    }
  });

  // Common words ("How do I", "What is") are left out of the query, so they alone match nothing.
  test("titles sharing only common words (“How do I…”) find nothing", async () => {
    const member = await demoUser("Grace Liu");
    for (const title of ["How do I bake sourdough bread", "How do I book a meeting room", "Who is the fire warden on the third floor", "Can I bring my dog to the office"]) {
      expect(await titles(member, title), title).toEqual([]);
    }
  });
});

describe("GET /api/similar-questions", () => {
  const unreachable = useUnreachableMeili();

  function run(request: Request) {
    const { context, warn } = routeContext(t.db, unreachable.client);
    return {
      warn,
      response: similarLoader({ request, context, params: {} } as never),
    };
  }

  test("signed out: a 401 in JSON, not a redirect", async () => {
    const { response, warn } = run(await requestAs(t.db, null, "/api/similar-questions?title=docker+compose+port"));
    const answer = await response;
    expect(answer.status).toBe(401);
    expect(await answer.json()).toHaveProperty("error");
    expect(warn).not.toHaveBeenCalled();
  });

  test("Meilisearch unreachable: { status: 'unavailable' } with a 200, logged as a warning", async () => {
    const { response, warn } = run(await requestAs(t.db, await demoUser("Grace Liu"), "/api/similar-questions?title=docker+compose+port&space=engineering"));
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: "unavailable" });
    expect(warn).toHaveBeenCalledOnce();
  });

  test("a title too short to search answers an empty list without asking Meilisearch", async () => {
    const { response, warn } = run(await requestAs(t.db, await demoUser("Grace Liu"), "/api/similar-questions?title=ab"));
    expect(await (await response).json()).toEqual({
      status: "ok",
      questions: [],
      pages: [],
    });
    expect(warn).not.toHaveBeenCalled();
  });
});
