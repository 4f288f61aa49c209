import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { ideas } from "#db/schema/index.ts";
import { CursorError } from "#app/features/api/endpoint.server.ts";
import { ideaEndpoints } from "#app/features/api/resources/ideas.server.ts";
import { runCampaign } from "#app/features/ideas/campaigns.server.ts";
import { scoreIdea } from "#app/features/ideas/scores.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { endpointCaller } from "#tests/api-endpoints.ts";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { thrown } from "#tests/helpers.ts";
import { payloads, problems } from "#tests/xss-render.ts";

/**
 * The REST API's ideas resource (issue 21), its handlers called directly as the router calls them:
 * the input parsed with the endpoint's own schemas, the answer checked against its response schema.
 * Authentication, scopes and the HTTP answers of typed errors are the router's (api-*.test.ts).
 */
const t = setupTestDb();
const { endpoint, call } = endpointCaller(t, ideaEndpoints);

type Person = Awaited<ReturnType<typeof createUser>>;
let sponsor: Person;
let member: Person;
let outsider: Person;
let customer: Person;
let deactivated: Person;
let openSpace: Awaited<ReturnType<typeof createSpace>>;
let secretSpace: Awaited<ReturnType<typeof createSpace>>;
let openCampaign: number;
let secretCampaign: number;
let secretIdea: number;

beforeAll(async () => {
  sponsor = await createUser(t.db, { name: "Sam Sponsor", title: "Head of Operations" }, "moderator");
  member = await createUser(t.db, { name: "Mia Member", title: "Engineer" });
  outsider = await createUser(t.db, { name: "Otto Outsider" });
  customer = await createUser(t.db, {}, "customer");
  deactivated = await createUser(t.db, {}, "deactivated");
  openSpace = await createSpace(t.db);
  secretSpace = await createSpace(t.db, { members: [member], moderators: [sponsor] }, "restricted");
  openCampaign = await createCampaign(t.db, { sponsor, space: openSpace, title: "Open campaign for simpler expense claims" });
  secretCampaign = await createCampaign(t.db, { sponsor, space: secretSpace, title: "Secret campaign about the reorganisation", voteBudget: 1, criteria: ["Impact"], evaluators: [sponsor] });
  secretIdea = await createIdea(t.db, { author: sponsor, campaignId: secretCampaign, title: "Merge the two platform teams next quarter" });
});

describe("campaigns", () => {
  test("a member lists both campaigns; a non-member, a customer and a deactivated account see no restricted one", async () => {
    const ids = async (user: Person) => (await call("listCampaigns", user, { query: { limit: "100" } })).data.map((c) => c.id);
    expect(await ids(member)).toEqual(expect.arrayContaining([openCampaign, secretCampaign]));
    expect(await ids(outsider)).toContain(openCampaign);
    expect(await ids(outsider)).not.toContain(secretCampaign);
    expect(await ids(customer)).toEqual([]);
    expect(await ids(deactivated)).toEqual([]);
  });

  test("one campaign: the brief, counts and the reader's votes left; a 404 for anyone who may not see it", async () => {
    const campaign = await call("getCampaign", member, { params: { id: String(secretCampaign) } });
    expect(campaign).toMatchObject({ id: secretCampaign, phase: "open", voteBudget: 1, votesLeft: 1, ideaCount: 1, space: { slug: secretSpace.slug } });
    expect(campaign.sponsor).toMatchObject({ id: sponsor.id, name: "Sam Sponsor", title: "Head of Operations" });
    expect(String(campaign.url)).toMatch(new RegExp(`^https?://[^/]+/campaigns/${secretCampaign}$`));
    expect((campaign.statusCounts as Record<string, number>).submitted).toBe(1);
    for (const who of [outsider, customer, deactivated]) {
      expect(await thrown(call("getCampaign", who, { params: { id: String(secretCampaign) } }))).toBeInstanceOf(NotFoundError);
    }
    // Missing and out of range answer alike.
    expect(await thrown(call("getCampaign", member, { params: { id: "2147483647" } }))).toBeInstanceOf(NotFoundError);
    expect(await thrown(call("getCampaign", member, { params: { id: "99999999999" } }))).toBeInstanceOf(NotFoundError);
    // Not a number at all: the schema refuses it (the router's 400).
    for (const id of ["abc", "0", "-3", "1.5", ""]) expect(endpoint("getCampaign").params!.safeParse({ id }).success, id).toBe(false);
  });

  test("pages walk every campaign once, newest first; archived ones only when asked", async () => {
    const space = await createSpace(t.db);
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createCampaign(t.db, { sponsor, space }));
    await runCampaign(t.db, sponsor, made[0]!, "archive");
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await call("listCampaigns", member, { query: { space: space.slug, limit: "2", ...(cursor ? { cursor } : {}) } });
      seen.push(...page.data.map((c) => c.id as number));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(made.slice(1).reverse());
    const archived = await call("listCampaigns", member, { query: { space: space.slug, archived: "true" } });
    expect(archived.data.map((c) => [c.id, c.phase])).toEqual([[made[0], "archived"]]);
  });
});

describe("ideas", () => {
  test("a campaign's ideas page by cursor, newest or most voted first, and stay stable when ideas arrive between pages", async () => {
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const made: number[] = [];
    for (let i = 0; i < 5; i++) made.push(await createIdea(t.db, { author: sponsor, campaignId }));
    const voters = [member, outsider];
    for (const voter of voters) await call("voteForIdea", voter, { params: { id: String(made[1]) } });
    await call("voteForIdea", member, { params: { id: String(made[3]) } });

    const first = await call("listCampaignIdeas", member, { params: { id: String(campaignId) }, query: { limit: "2" } });
    expect(first.data.map((i) => i.id)).toEqual([made[4], made[3]]);
    expect(first.data.map((i) => i.voted)).toEqual([false, true]);
    // A new idea while the client pages: it is newer than the cursor, so the next pages are unchanged.
    await createIdea(t.db, { author: member, campaignId });
    const rest: unknown[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await call("listCampaignIdeas", member, { params: { id: String(campaignId) }, query: { limit: "2", cursor } });
      rest.push(...page.data.map((i) => i.id));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual([made[2], made[1], made[0]]);

    const top = await call("listCampaignIdeas", member, { params: { id: String(campaignId) }, query: { sort: "top", limit: "2" } });
    expect(top.data.map((i) => [i.id, i.voteCount])).toEqual([
      [made[1], 2],
      [made[3], 1],
    ]);
    const next = await call("listCampaignIdeas", member, { params: { id: String(campaignId) }, query: { sort: "top", limit: "10", cursor: top.nextCursor } });
    expect(next.data).toHaveLength(4);
    expect(next.data.every((i) => i.voteCount === 0)).toBe(true);
  });

  test("a non-member gets a 404 for a restricted campaign's ideas and for each idea; a member reads it all", async () => {
    const list = await call("listCampaignIdeas", member, { params: { id: String(secretCampaign) } });
    expect(list.data.map((i) => i.id)).toEqual([secretIdea]);
    expect(list.data[0]!.author).toMatchObject({ id: sponsor.id, name: "Sam Sponsor" });
    const idea = await call("getIdea", member, { params: { id: String(secretIdea) } });
    expect(idea).toMatchObject({
      id: secretIdea,
      status: "submitted",
      voteCount: 0,
      voted: false,
      isOwner: false,
      votesLeft: 1,
      scores: null,
      campaign: { id: secretCampaign, phase: "open" },
      space: { slug: secretSpace.slug },
    });
    expect(idea.owners).toEqual([expect.objectContaining({ id: sponsor.id })]);
    for (const who of [outsider, customer, deactivated]) {
      expect(await thrown(call("listCampaignIdeas", who, { params: { id: String(secretCampaign) } }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call("getIdea", who, { params: { id: String(secretIdea) } }))).toBeInstanceOf(NotFoundError);
    }
  });

  test("evaluators' scores show only to those the idea page shows them to", async () => {
    const ideaId = await createIdea(t.db, { author: member, campaignId: secretCampaign });
    await scoreIdea(t.db, sponsor, ideaId, { Impact: 4 });
    const asSponsor = await call("getIdea", sponsor, { params: { id: String(ideaId) } });
    expect(asSponsor.scores).toMatchObject({ criteria: ["Impact"], summary: [{ criterion: "Impact", average: 4, count: 1 }], mine: { Impact: 4 } });
    expect((await call("getIdea", member, { params: { id: String(ideaId) } })).scores).toBeNull();
  });

  test("bad cursors are a CursorError (the router's 400), never a query error", async () => {
    const params = { id: String(openCampaign) };
    const forged = [
      "not-a-cursor",
      Buffer.from("[1,2]").toString("base64url"),
      Buffer.from(JSON.stringify({ id: "1; drop table ideas" })).toString("base64url"),
      Buffer.from(JSON.stringify({ t: "2026-02-31T00:00:00.000000Z", id: 1 })).toString("base64url"),
      Buffer.from(JSON.stringify({ t: "0000-01-01T00:00:00.000000Z", id: 1 })).toString("base64url"),
      Buffer.from(JSON.stringify({ t: "2026-01-01T00:00:00.000000Z", id: 99_999_999_999 })).toString("base64url"),
    ];
    for (const cursor of forged) {
      expect(await thrown(call("listCampaignIdeas", member, { params, query: { cursor } })), cursor).toBeInstanceOf(CursorError);
    }
    // A "new" cursor given to the "top" order, and the reverse.
    const newCursor = Buffer.from(JSON.stringify({ t: "2026-01-01T00:00:00.000000Z", id: 1 })).toString("base64url");
    expect(await thrown(call("listCampaignIdeas", member, { params, query: { sort: "top", cursor: newCursor } }))).toBeInstanceOf(CursorError);
    expect(await thrown(call("listCampaigns", member, { query: { cursor: newCursor } }))).toBeInstanceOf(CursorError);
    for (const query of [{ limit: "0" }, { limit: "101" }, { limit: "ten" }, { sort: "trending" }, { status: "lost" }, { cursor: "x".repeat(201) }]) {
      expect(endpoint("listCampaignIdeas").query!.safeParse(query).success, JSON.stringify(query)).toBe(false);
    }
  });
});

describe("writes", () => {
  const body = (extra: Record<string, unknown> = {}) => ({
    title: "Let teams book the big room for a whole day",
    body: "Workshops need a full day; today the calendar allows four hours at most.",
    tags: ["process"],
    ...extra,
  });

  test("giving an idea goes through the form's schema and submitIdea: limits, closed campaigns and visibility hold, and nothing half-written is left", async () => {
    const created = await call("submitIdea", member, { params: { id: String(openCampaign) }, body: body({ submissionKey: "api-idea-key-1" }) });
    expect(created).toMatchObject({ title: "Let teams book the big room for a whole day", status: "submitted", author: { id: member.id }, isOwner: true, tags: ["process"] });
    expect(String(created.bodyHtml)).toContain("<p>Workshops need a full day");
    // A retry with the same key finds the first idea.
    const again = await call("submitIdea", member, { params: { id: String(openCampaign) }, body: body({ submissionKey: "api-idea-key-1" }) });
    expect(again.id).toBe(created.id);
    // Tags as a string, as the form sends them, are read the same way.
    expect((await call("submitIdea", member, { params: { id: String(openCampaign) }, body: body({ tags: "process" }) })).tags).toEqual(["process"]);

    // The form's limits are the schema's: too short, too long, no tags, too many tags.
    const schema = endpoint("submitIdea").body!;
    for (const bad of [
      body({ title: "Short" }),
      body({ title: "x".repeat(151) }),
      body({ body: "y".repeat(100_001) }),
      body({ tags: [] }),
      body({ tags: ["a", "b", "c", "d", "e", "f"] }),
      { title: 3 },
    ]) {
      expect(schema.safeParse(bad).success).toBe(false);
    }

    const [before] = await t.db.select({ n: count() }).from(ideas);
    // A non-member cannot give an idea to a campaign they may not see: the 404 of a missing one.
    expect(await thrown(call("submitIdea", outsider, { params: { id: String(secretCampaign) }, body: body() }))).toBeInstanceOf(NotFoundError);
    // A closed campaign takes no ideas: a 400 with the reason.
    const closed = await createCampaign(t.db, { sponsor, space: openSpace });
    await runCampaign(t.db, sponsor, closed, "close");
    const refused = await thrown(call("submitIdea", member, { params: { id: String(closed) }, body: body() }));
    expect(refused).toBeInstanceOf(InputError);
    expect((refused as Error).message).toMatch(/closed/);
    // A category the campaign does not have: a field error, and no row.
    const categorised = await createCampaign(t.db, { sponsor, space: openSpace, categories: ["Travel", "Office"] });
    const wrong = await thrown(call("submitIdea", member, { params: { id: String(categorised) }, body: body({ category: "Lunch" }) }));
    expect((wrong as InputError).fieldErrors.category).toMatch(/Travel, Office/);
    const [after] = await t.db.select({ n: count() }).from(ideas);
    expect(after!.n).toBe(before!.n);
  });

  test("votes follow the campaign's rules: the budget, no vote for one's own idea, retracting gives the vote back", async () => {
    const other = await createIdea(t.db, { author: sponsor, campaignId: secretCampaign });
    const vote = await call("voteForIdea", member, { params: { id: String(secretIdea) } });
    expect(vote).toEqual({ voted: true, voteCount: 1, votesLeft: 0 });
    // Again is no change.
    expect(await call("voteForIdea", member, { params: { id: String(secretIdea) } })).toEqual({ voted: true, voteCount: 1, votesLeft: 0 });
    const overBudget = await thrown(call("voteForIdea", member, { params: { id: String(other) } }));
    expect(overBudget).toBeInstanceOf(InputError);
    expect((overBudget as Error).message).toMatch(/used all 1 of your votes/);
    expect(await call("retractIdeaVote", member, { params: { id: String(secretIdea) } })).toEqual({ voted: false, voteCount: 0, votesLeft: 1 });
    expect((await call("voteForIdea", member, { params: { id: String(other) } })).votesLeft).toBe(0);

    const own = await thrown(call("voteForIdea", sponsor, { params: { id: String(secretIdea) } }));
    expect((own as Error).message).toMatch(/your own idea/);
    for (const who of [outsider, customer, deactivated]) {
      expect(await thrown(call("voteForIdea", who, { params: { id: String(secretIdea) } }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call("retractIdeaVote", who, { params: { id: String(secretIdea) } }))).toBeInstanceOf(NotFoundError);
    }
    const [stored] = await t.db.select({ voteCount: ideas.voteCount }).from(ideas).where(eq(ideas.id, secretIdea));
    expect(stored!.voteCount).toBe(0);
  });

  test("every XSS payload given as an idea comes back inert", { timeout: 180_000 }, async () => {
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space });
    let stored = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const input = { title: `Idea ${i} ${payload}`.slice(0, 150), body: `Payload ${i}: ${payload}`, tags: ["process"] };
      const parsed = endpoint("submitIdea").body!.safeParse(input);
      if (!parsed.success) continue;
      let idea: Awaited<ReturnType<typeof call>>;
      try {
        idea = await call("submitIdea", member, { params: { id: String(campaignId) }, body: input });
      } catch (error) {
        // Refused with a message for the writer (nothing stored) is inert too.
        if (error instanceof InputError) continue;
        throw error;
      }
      stored++;
      expect(problems(String(idea.bodyHtml)), payload).toEqual([]);
      // The title is text, stored as typed (one line): JSON carries it as a string, never markup.
      expect(idea.title, payload).toBe((parsed.data as { title: string }).title);
    }
    expect(stored).toBeGreaterThan(payloads.length / 2);
  });
});
