import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { users } from "#db/schema/index.ts";
import { CursorError } from "#app/features/api/endpoint.server.ts";
import { peopleEndpoints } from "#app/features/api/resources/people.server.ts";
import { drainExpertiseOutbox } from "#app/features/expertise/evidence.server.ts";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import { endpointCaller } from "#tests/api-endpoints.ts";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { thrown } from "#tests/helpers.ts";
import { payloads } from "#tests/xss-render.ts";

/**
 * The REST API's people and experts resource (issue 21): a profile as the profile page shows it
 * to the token's owner, people by name, and experts for a topic from the expertise model. Work in
 * a restricted space must never show through a person to someone outside it.
 */
const t = setupTestDb();
const { endpoint, call } = endpointCaller(t, peopleEndpoints);

type Person = Awaited<ReturnType<typeof createUser>>;
let expert: Person;
let awayExpert: Person;
let member: Person;
let outsider: Person;
let customer: Person;
let deactivated: Person;
let pending: Person;
let secretSpace: Awaited<ReturnType<typeof createSpace>>;

/** `author` answers a question tagged `tags` in `space`, and the asker accepts it. */
async function acceptedAnswer(asker: Person, author: Person, space: { slug: string }, tags: string[]) {
  const questionId = await createQuestion(t.db, { author: asker, space, tags });
  const answerId = await createAnswer(t.db, { author, questionId });
  await acceptAnswer(t.db, asker, answerId);
}

beforeAll(async () => {
  const manager = await createUser(t.db, { name: "Mona Manager", title: "Director" });
  expert = await createUser(t.db, { name: "Fern Brewer", title: "Fermentation Scientist", department: "R&D", location: "Lyon", bio: "I make things bubble.", managerId: manager.id });
  awayExpert = await createUser(t.db, { name: "Fabian Brewster", title: "Brewer", department: "R&D" });
  member = await createUser(t.db, { name: "Mia Member" });
  outsider = await createUser(t.db, { name: "Otto Outsider" });
  customer = await createUser(t.db, { name: "Fergus Customer" }, "customer");
  deactivated = await createUser(t.db, { name: "Fernand Gone" }, "deactivated");
  pending = await createUser(t.db, { name: "Fenna Pending", emailVerifiedAt: null });
  const open = await createSpace(t.db);
  secretSpace = await createSpace(t.db, { name: "Project Falcon", members: [expert, member] }, "restricted");
  await acceptedAnswer(member, expert, open, ["fermentation"]);
  await acceptedAnswer(member, awayExpert, open, ["fermentation"]);
  // Work only a member of the restricted space may know about.
  await acceptedAnswer(member, expert, secretSpace, ["falcon-launch"]);
  await acceptedAnswer(member, expert, secretSpace, ["falcon-launch"]);
  await t.db
    .update(users)
    .set({ awayUntil: new Date(Date.now() + 7 * 86_400_000) })
    .where(eq(users.id, awayExpert.id));
  while ((await drainExpertiseOutbox(t.db)) > 0) {
    // until every person's model is rebuilt
  }
});

describe("a person's profile", () => {
  test("what the profile page shows: a member sees the restricted space's work, a non-member never does", async () => {
    const asMember = await call("getPerson", member, { params: { id: String(expert.id) } });
    const asOutsider = await call("getPerson", outsider, { params: { id: String(expert.id) } });
    expect(asOutsider).toMatchObject({
      id: expert.id,
      name: "Fern Brewer",
      title: "Fermentation Scientist",
      department: "R&D",
      location: "Lyon",
      bio: "I make things bubble.",
      role: "member",
      deactivated: false,
      manager: { name: "Mona Manager" },
      availability: { status: "open", awayUntil: null },
    });
    expect(asOutsider.url).toMatch(new RegExp(`^https?://[^/]+/people/${expert.id}$`));
    expect(asMember.reputation).toBeGreaterThan(asOutsider.reputation);
    expect(asMember.topTags.map((t: { name: string }) => t.name)).toContain("falcon-launch");
    expect(asOutsider.topTags.map((t: { name: string }) => t.name)).toEqual(["fermentation"]);
    expect(asMember.topics.map((t: { tag: string }) => t.tag)).toContain("falcon-launch");
    expect(JSON.stringify(asOutsider)).not.toMatch(/falcon|Falcon/);
    expect(asMember.spaces.map((s: { slug: string }) => s.slug)).toContain(secretSpace.slug);
    expect(asOutsider.topics[0]).toMatchObject({ tag: "fermentation", facts: [expect.objectContaining({ kind: "answer", count: 1, accepted: 1 })] });
  });

  test("away people say so; customers, pending and missing accounts are the 404 of a missing profile; customer and deactivated readers see nothing", async () => {
    const away = await call("getPerson", outsider, { params: { id: String(awayExpert.id) } });
    expect(away.availability.status).toBe("away");
    expect(Date.parse(away.availability.awayUntil)).toBeGreaterThan(Date.now());
    for (const id of [customer.id, pending.id, 2_147_483_647]) {
      expect(await thrown(call("getPerson", member, { params: { id: String(id) } })), String(id)).toBeInstanceOf(NotFoundError);
    }
    for (const who of [customer, deactivated]) expect(await thrown(call("getPerson", who, { params: { id: String(expert.id) } }))).toBeInstanceOf(NotFoundError);
    // A deactivated colleague's profile is still there, marked so, as on the page.
    expect((await call("getPerson", member, { params: { id: String(deactivated.id) } })).deactivated).toBe(true);
    for (const id of ["me", "0", ""]) expect(endpoint("getPerson").params!.safeParse({ id }).success).toBe(false);
  });

  test("profile text comes back exactly as typed: plain text, never markup", async () => {
    for (const { payload } of payloads.slice(0, 40)) {
      await t.db
        .update(users)
        .set({ bio: payload.slice(0, 500), title: payload.slice(0, 100) })
        .where(eq(users.id, member.id));
      const seen = await call("getPerson", outsider, { params: { id: String(member.id) } });
      expect(seen.bio).toBe(payload.slice(0, 500));
      expect(seen.title).toBe(payload.slice(0, 100));
    }
  });
});

describe("finding people", () => {
  test("by the start of any word of the name, a handle or an address: active employees only, with reputation as the reader sees it", async () => {
    const names = async (q: string, who: Person = outsider) => (await call("searchPeople", who, { query: { q } })).data.map((p: { name: string }) => p.name);
    expect(await names("fer")).toEqual(["Fern Brewer"]);
    expect(await names("brew")).toEqual(["Fabian Brewster", "Fern Brewer"]);
    expect(await names("@" + expert.email.split("@")[0])).toEqual(["Fern Brewer"]);
    // Percent and underscore are letters, not patterns.
    expect(await names("%")).toEqual([]);
    expect(await names("_")).toEqual([]);
    const [seenByMember] = (await call("searchPeople", member, { query: { q: "fern" } })).data;
    const [seenByOutsider] = (await call("searchPeople", outsider, { query: { q: "fern" } })).data;
    expect(seenByMember.reputation).toBeGreaterThan(seenByOutsider.reputation);
    for (const q of ["", "   ", "x".repeat(101)]) expect(endpoint("searchPeople").query!.safeParse({ q }).success, q).toBe(false);
    expect(endpoint("searchPeople").query!.safeParse({}).success).toBe(false);
  });

  test("pages by cursor in name order; bad cursors are a CursorError", async () => {
    for (const name of ["Pat Alpha", "Pat Bravo", "Pat Charlie", "Pat Delta", "Pat Echo"]) await createUser(t.db, { name });
    const first = await call("searchPeople", member, { query: { q: "pat", limit: "2" } });
    expect(first.data.map((p: { name: string }) => p.name)).toEqual(["Pat Alpha", "Pat Bravo"]);
    await createUser(t.db, { name: "Pat Aaron" });
    const rest: string[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await call("searchPeople", member, { query: { q: "pat", limit: "2", cursor } });
      rest.push(...page.data.map((p: { name: string }) => p.name));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual(["Pat Charlie", "Pat Delta", "Pat Echo"]);
    expect(await thrown(call("searchPeople", member, { query: { q: "pat", cursor: Buffer.from(JSON.stringify({ n: 5, id: 1 })).toString("base64url") } }))).toBeInstanceOf(CursorError);
    for (const who of [customer, deactivated]) expect((await call("searchPeople", who, { query: { q: "pat" } })).data).toEqual([]);
  });
});

describe("experts", () => {
  test("ranked by the model for a topic, with the evidence and figures behind each, and whether they are away", async () => {
    const found = await call("findExperts", outsider, { query: { topic: "fermentation" } });
    expect(found.topics).toEqual(["fermentation"]);
    expect(found.data.map((e: { person: { id: number } }) => e.person.id).sort()).toEqual([expert.id, awayExpert.id].sort());
    const fern = found.data.find((e: { person: { id: number } }) => e.person.id === expert.id);
    expect(fern).toMatchObject({ department: "R&D", availability: { status: "open" }, evidence: expect.stringMatching(/accepted answer on fermentation/) });
    expect(fern.score).toMatchObject({ evidenceCount: expect.any(Number), declared: false });
    expect(fern.score.rank).toBeGreaterThan(0);
    const away = found.data.find((e: { person: { id: number } }) => e.person.id === awayExpert.id);
    expect(away.availability.status).toBe("away");
    expect(found.nextCursor).toBeNull();
    // Only people open to questions.
    const open = await call("findExperts", outsider, { query: { topic: "fermentation", available: "true" } });
    expect(open.data.map((e: { person: { id: number } }) => e.person.id)).toEqual([expert.id]);
  });

  test("a restricted space's topic finds no one for a non-member, and its expert for a member", async () => {
    const outside = await call("findExperts", outsider, { query: { topic: "falcon-launch" } });
    expect(outside).toEqual({ topics: [], data: [], nextCursor: null });
    const inside = await call("findExperts", member, { query: { topic: "falcon-launch" } });
    expect(inside.data.map((e: { person: { id: number } }) => e.person.id)).toEqual([expert.id]);
    expect(inside.data[0].evidence).toMatch(/2 accepted answers on falcon-launch/);
    expect((await call("findExperts", customer, { query: { topic: "fermentation" } })).data).toEqual([]);
  });

  test("bad input: no topic, nonsense topics, forged cursors", async () => {
    for (const query of [{}, { topic: "" }, { topic: "!!!" }, { topic: "x".repeat(501) }]) expect(endpoint("findExperts").query!.safeParse(query).success, JSON.stringify(query)).toBe(false);
    for (const cursor of ["zzz", Buffer.from(JSON.stringify({ page: 1 })).toString("base64url"), Buffer.from(JSON.stringify({ page: 10_001 })).toString("base64url")]) {
      expect(await thrown(call("findExperts", member, { query: { topic: "fermentation", cursor } }))).toBeInstanceOf(CursorError);
    }
    const beyond = await call("findExperts", member, { query: { topic: "fermentation", cursor: Buffer.from(JSON.stringify({ page: 2 })).toString("base64url") } });
    expect(beyond.data).toEqual([]);
  });
});
