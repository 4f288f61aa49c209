import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, test } from "vitest";
import { kudos, kudosAllowanceRules, notifications } from "#db/schema/index.ts";
import { CursorError } from "#app/features/api/endpoint.server.ts";
import { kudosEndpoints } from "#app/features/api/resources/kudos.server.ts";
import { giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { endpointCaller } from "#tests/api-endpoints.ts";
import { setupTestDb } from "#tests/db.ts";
import { createQuestion, createSpace, createUser, createValue } from "#tests/factories/index.ts";
import { createCampaign, createIdea } from "#tests/factories/ideas.ts";
import { thrown } from "#tests/helpers.ts";
import { payloads, problems } from "#tests/xss-render.ts";

/**
 * The REST API's kudos resource (issue 21): the feed and one kudos as `kudosVisibleTo` lets the
 * token's owner see them, and giving through `giveKudos` with its allowance. Handlers are called
 * as the router calls them, through the endpoints' own schemas.
 */
const t = setupTestDb();
const { endpoint, call } = endpointCaller(t, kudosEndpoints);

type Person = Awaited<ReturnType<typeof createUser>>;
let giver: Person;
let manager: Person;
let receiver: Person;
let outsider: Person;
let customer: Person;
let deactivated: Person;
let valueId: number;
let secretSpace: Awaited<ReturnType<typeof createSpace>>;
let secretIdea: number;
let publicKudos: number;
let privateKudos: number;
let secretKudos: number;

const feedIds = async (user: Person, query: Record<string, string> = {}) => (await call("listKudos", user, { query: { limit: "100", ...query } })).data.map((k: { id: number }) => k.id);

beforeAll(async () => {
  manager = await createUser(t.db, { name: "Mona Manager", title: "Engineering Manager" });
  giver = await createUser(t.db, { name: "Gil Giver", title: "Designer" });
  receiver = await createUser(t.db, { name: "Rita Receiver", title: "Engineer", managerId: manager.id });
  outsider = await createUser(t.db, { name: "Otto Outsider" });
  customer = await createUser(t.db, {}, "customer");
  deactivated = await createUser(t.db, {}, "deactivated");
  valueId = (await createValue(t.db, { name: "Craft" })).id;
  const sponsor = await createUser(t.db, {}, "moderator");
  secretSpace = await createSpace(t.db, { members: [giver, receiver], moderators: [sponsor] }, "restricted");
  const campaignId = await createCampaign(t.db, { sponsor, space: secretSpace });
  secretIdea = await createIdea(t.db, { author: receiver, campaignId, title: "Quietly sunset the legacy billing system" });
  const give = async (extra: Partial<Parameters<typeof giveKudos>[2]>) =>
    (await giveKudos(t.db, giver, { receiverIds: [receiver.id], valueId, pointsEach: 5, message: "Thanks for the **careful** review.", ...extra })).id;
  publicKudos = await give({});
  privateKudos = await give({ private: true, message: "Thanks for covering for me this week." });
  secretKudos = await call("giveKudos", giver, {
    body: { receiverIds: [receiver.id], valueId, pointsEach: 1, message: "For the billing idea.", subject: { type: "idea", id: secretIdea } },
  }).then((r) => r.kudos.id);
});

describe("reading kudos", () => {
  test("the feed holds what each person may see: private kudos only for its people and managers, a restricted space's only for its members", async () => {
    expect(await feedIds(giver)).toEqual(expect.arrayContaining([publicKudos, privateKudos, secretKudos]));
    expect(await feedIds(receiver)).toEqual(expect.arrayContaining([publicKudos, privateKudos, secretKudos]));
    // The receiver's manager sees the private one and the restricted one (it concerns their report).
    expect(await feedIds(manager)).toEqual(expect.arrayContaining([publicKudos, privateKudos, secretKudos]));
    const outside = await feedIds(outsider);
    expect(outside).toContain(publicKudos);
    expect(outside).not.toContain(privateKudos);
    expect(outside).not.toContain(secretKudos);
    expect(await feedIds(customer)).toEqual([]);
    expect(await feedIds(deactivated)).toEqual([]);
    // Received and given narrow the same feed.
    expect(await feedIds(outsider, { show: "received", person: String(receiver.id) })).toEqual([publicKudos]);
    expect(await feedIds(outsider, { show: "given", person: String(giver.id) })).toEqual([publicKudos]);
  });

  test("one kudos: its card and gifts; the thing it thanks named only to readers who may see it; a 404 for anyone else", async () => {
    const one = await call("getKudos", receiver, { params: { id: String(secretKudos) } });
    expect(one).toMatchObject({
      id: secretKudos,
      message: "For the billing idea.",
      pointsEach: 1,
      giver: { id: giver.id, name: "Gil Giver", title: "Designer" },
      receivers: [{ id: receiver.id, name: "Rita Receiver" }],
      value: { id: valueId, name: "Craft" },
      subject: { type: "idea", id: secretIdea, title: "Quietly sunset the legacy billing system" },
      space: { slug: secretSpace.slug },
      withdrawn: false,
      withdrawal: null,
    });
    expect(one.gifts).toEqual([expect.objectContaining({ giver: expect.objectContaining({ id: giver.id }), pointsEach: 1, reversed: false })]);
    expect(one.url).toMatch(new RegExp(`^https?://[^/]+/kudos/${secretKudos}$`));
    // The manager may see the kudos (it concerns their report) but not the restricted idea it thanks.
    expect((await call("getKudos", manager, { params: { id: String(secretKudos) } })).subject).toBeNull();
    for (const who of [outsider, customer, deactivated]) {
      expect(await thrown(call("getKudos", who, { params: { id: String(secretKudos) } }))).toBeInstanceOf(NotFoundError);
      expect(await thrown(call("getKudos", who, { params: { id: String(privateKudos) } }))).toBeInstanceOf(NotFoundError);
    }
    expect((await call("getKudos", outsider, { params: { id: String(publicKudos) } })).messageHtml).toBe("<p>Thanks for the <strong>careful</strong> review.</p>\n");
    expect(await thrown(call("getKudos", giver, { params: { id: "2147483647" } }))).toBeInstanceOf(NotFoundError);
  });

  test("a withdrawn kudos leaves the feed and answers only the people it concerned, with the reason", async () => {
    const hr = await createUser(t.db, {}, "hr");
    const id = (await giveKudos(t.db, giver, { receiverIds: [receiver.id], valueId, pointsEach: 0, message: "To withdraw." })).id;
    const [row] = await t.db.select({ itemId: kudos.itemId }).from(kudos).where(eq(kudos.id, id));
    await withdrawKudos(t.db, hr, row!.itemId, "Given by mistake.");
    expect(await feedIds(giver)).not.toContain(id);
    const seen = await call("getKudos", receiver, { params: { id: String(id) } });
    expect(seen).toMatchObject({ withdrawn: true, withdrawal: { reason: "Given by mistake." } });
    expect(await thrown(call("getKudos", outsider, { params: { id: String(id) } }))).toBeInstanceOf(NotFoundError);
  });

  test("the feed pages by cursor, newest first, stable when kudos arrive between pages; bad cursors are a CursorError", async () => {
    const pager = await createUser(t.db);
    const made: number[] = [];
    for (let i = 0; i < 5; i++) made.push((await giveKudos(t.db, giver, { receiverIds: [pager.id], valueId, pointsEach: 0, message: `Thanks number ${i}` })).id);
    const first = await call("listKudos", pager, { query: { show: "received", limit: "2" } });
    expect(first.data.map((k: { id: number }) => k.id)).toEqual([made[4], made[3]]);
    await giveKudos(t.db, giver, { receiverIds: [pager.id], valueId, pointsEach: 0, message: "A late one" });
    const rest: number[] = [];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await call("listKudos", pager, { query: { show: "received", limit: "2", cursor } });
      rest.push(...page.data.map((k: { id: number }) => k.id));
      cursor = page.nextCursor;
    }
    expect(rest).toEqual([made[2], made[1], made[0]]);
    for (const cursor of ["%%%", Buffer.from(JSON.stringify({ id: 3 })).toString("base64url"), Buffer.from(JSON.stringify({ t: "yesterday", id: 3 })).toString("base64url")]) {
      expect(await thrown(call("listKudos", pager, { query: { cursor } })), cursor).toBeInstanceOf(CursorError);
    }
    for (const query of [{ show: "everything" }, { person: "x" }, { limit: "1000" }]) expect(endpoint("listKudos").query!.safeParse(query).success).toBe(false);
  });

  test("the company's values, for giving", async () => {
    const values = await call("listCompanyValues", outsider);
    expect(values.data).toEqual(expect.arrayContaining([expect.objectContaining({ id: valueId, name: "Craft" })]));
  });
});

describe("giving kudos", () => {
  const body = (extra: Record<string, unknown> = {}) => ({ receiverIds: [receiver.id], valueId, pointsEach: 2, message: "Thanks for the *quick* fix.", ...extra });

  test("gives through giveKudos: points move, the receiver is told, the allowance left comes back", async () => {
    const given = await call("giveKudos", outsider, { body: body({ submissionKey: "api-kudos-1" }) });
    expect(given.kudos).toMatchObject({ giver: { id: outsider.id }, receivers: [{ id: receiver.id }], pointsEach: 2, totalPoints: 2, subject: null, private: false });
    expect(given.kudos.space.companyWide).toBe(true);
    expect(typeof given.allowanceLeft).toBe("number");
    const told = await t.db.select().from(notifications).where(eq(notifications.userId, receiver.id));
    expect(told.some((n) => n.kind === "kudos" && n.actorId === outsider.id)).toBe(true);
    // A retry with the same key finds the first kudos and spends nothing more.
    const again = await call("giveKudos", outsider, { body: body({ submissionKey: "api-kudos-1" }) });
    expect(again.kudos.id).toBe(given.kudos.id);
    expect(again.allowanceLeft).toBe(given.allowanceLeft);
    // Thanks for a question, named as the API names things.
    const questionId = await createQuestion(t.db, { author: receiver, space: await createSpace(t.db) });
    const thanked = await call("giveKudos", outsider, { body: body({ subject: { type: "question", id: questionId } }) });
    expect(thanked.kudos.subject).toMatchObject({ type: "question", id: questionId });
  });

  test("the allowance, the form's rules and visibility: a 400 with the message, and nothing written", async () => {
    const [before] = await t.db.select({ n: count() }).from(kudos);
    const over = await thrown(call("giveKudos", giver, { body: body({ pointsEach: 1000, receiverIds: [receiver.id, outsider.id] }) }));
    expect(over).toBeInstanceOf(InputError);
    expect((over as Error).message).toMatch(/That takes 2000 points and you have \d+ left to give this month|no points left/);
    expect((over as InputError).fieldErrors.pointsEach).toBeDefined();
    const self = await thrown(call("giveKudos", giver, { body: body({ receiverIds: [giver.id] }) }));
    expect((self as InputError).fieldErrors.receiverIds).toMatch(/yourself/);
    // An outsider cannot thank a restricted idea, nor find out it exists: the same words as a missing one.
    const hidden = await thrown(call("giveKudos", outsider, { body: body({ subject: { type: "idea", id: secretIdea } }) }));
    const missing = await thrown(call("giveKudos", outsider, { body: body({ subject: { type: "idea", id: 2_147_483_000 } }) }));
    expect((hidden as InputError).fieldErrors).toEqual({ subject: "That item no longer exists, or you can't see it." });
    expect((missing as InputError).fieldErrors).toEqual((hidden as InputError).fieldErrors);
    // The same question id named as an answer is not one.
    expect(await thrown(call("giveKudos", outsider, { body: body({ subject: { type: "answer", id: secretIdea } }) }))).toBeInstanceOf(InputError);
    // A receiver who cannot see the thing's space is refused.
    const receiverOutside = await thrown(call("giveKudos", giver, { body: body({ receiverIds: [outsider.id], subject: { type: "idea", id: secretIdea } }) }));
    expect((receiverOutside as InputError).fieldErrors.receiverIds).toMatch(/can't receive kudos here/);
    const [after] = await t.db.select({ n: count() }).from(kudos);
    expect(after!.n).toBe(before!.n);

    const schema = endpoint("giveKudos").body!;
    for (const bad of [
      body({ message: "" }),
      body({ message: "m".repeat(2001) }),
      body({ receiverIds: [] }),
      body({ receiverIds: Array.from({ length: 21 }, (_, i) => i + 1) }),
      body({ pointsEach: -1 }),
      body({ pointsEach: 1.5 }),
      body({ pointsEach: "2" }),
      body({ subject: { type: "badge", id: 1 } }),
    ]) {
      expect(schema.safeParse(bad).success, JSON.stringify(bad).slice(0, 80)).toBe(false);
    }
  });

  test("every XSS payload given as a kudos message comes back inert", { timeout: 180_000 }, async () => {
    await t.db.update(kudosAllowanceRules).set({ points: 100_000 });
    for (const { payload } of payloads) {
      const input = body({ message: payload, pointsEach: 0 });
      if (!endpoint("giveKudos").body!.safeParse(input).success) continue;
      const given = await call("giveKudos", giver, { body: input }).catch((error: unknown) => {
        if (error instanceof InputError) return null;
        throw error;
      });
      if (!given) continue;
      expect(problems(given.kudos.messageHtml), payload).toEqual([]);
    }
  });
});
