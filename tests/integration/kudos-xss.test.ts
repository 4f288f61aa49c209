import { eq, inArray } from "drizzle-orm";
import type { ComponentType } from "react";
import { beforeAll, describe, expect, test } from "vitest";
import { companyValues, kudos, kudosAllowanceRules, kudosGifts } from "#db/schema/index.ts";
import { addToKudos, giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { GiveKudosFormSchema, ValueSchema } from "#app/features/recognition/kudos-schemas.ts";
import { createCompanyValue } from "#app/features/recognition/values.server.ts";
import AdminRecognitionRoute, { loader as adminLoader } from "#app/routes/admin/recognition.tsx";
import FeedRoute, { loader as feedLoader } from "#app/routes/kudos/index.tsx";
import KudosRoute, { loader as kudosLoader } from "#app/routes/kudos/kudos.tsx";
import NewKudosRoute, { loader as newLoader } from "#app/routes/kudos/new.tsx";
import { setupTestDb } from "#tests/db.ts";
import { requestAs, routeContext } from "#tests/helpers.ts";
import { createUser } from "#tests/factories/index.ts";
import { executable, payloads, problems, refusedOrStored, renderRoute, rendersAsText } from "#tests/xss-render.ts";

/**
 * Every DOMPurify payload through kudos' text fields: a kudos's message (markdown, stored as HTML
 * through the markdown module), the note of added points and a withdrawal's reason (plain text),
 * and a company value's name, emoji and description (plain text). What is stored holds only the
 * markdown module's allowlist or stays text, and the feed, each kudos's page, the give form and the
 * admin's page, rendered by their route components from their loaders' data, hold nothing that runs.
 */
const t = setupTestDb();
let admin: Awaited<ReturnType<typeof createUser>>;
let receiver: Awaited<ReturnType<typeof createUser>>;
let adder: Awaited<ReturnType<typeof createUser>>;
const load = async (loader: (args: never) => unknown, path: string, params: Record<string, string> = {}) =>
  loader({ request: await requestAs(t.db, admin, path), context: routeContext(t.db).context, params } as never);

beforeAll(async () => {
  admin = await createUser(t.db, { name: "Xena Admin" }, "admin");
  receiver = await createUser(t.db, { name: "Rita Receiver" });
  adder = await createUser(t.db, { name: "Adam Adder" });
  // Enough allowance for a point on every payload.
  await t.db.update(kudosAllowanceRules).set({ points: 100_000 });
});

describe("every XSS payload through kudos comes out inert", () => {
  test("values, messages, notes and reasons are stored inert and render as text", { timeout: 180_000 }, async () => {
    let named = 0;
    for (const [i, { payload }] of payloads.entries()) {
      const fields = (name: string) => ({ name, emoji: [...payload.trim()].slice(0, 8).join(""), description: payload.slice(0, 280) });
      const asNamed = ValueSchema.safeParse(fields(payload));
      let made = asNamed.success ? await refusedOrStored(() => createCompanyValue(t.db, admin, asNamed.data)) : null;
      if (made) named++;
      made ??= await refusedOrStored(() => createCompanyValue(t.db, admin, ValueSchema.parse(fields(`Payload value ${i}`))));
      expect(made, payload).not.toBeNull();
    }
    // Names are at most 40 characters: the short payloads are tried as names.
    expect(named).toBeGreaterThan(10);
    const values = await t.db.select().from(companyValues);
    for (const v of values) {
      expect(rendersAsText(v.name), v.name).toBe(true);
      expect(rendersAsText(v.emoji), v.emoji).toBe(true);
      expect(rendersAsText(v.description), v.description).toBe(true);
    }

    const given: number[] = [];
    for (const [i, { payload }] of payloads.entries()) {
      const form = GiveKudosFormSchema.safeParse({ receivers: "x", valueId: String(values[i % values.length]!.id), pointsEach: "1", message: payload.trim() ? payload : `${payload}padded` });
      if (!form.success) continue;
      const k = await refusedOrStored(() => giveKudos(t.db, admin, { receiverIds: [receiver.id], valueId: form.data.valueId, pointsEach: 1, message: form.data.message }));
      if (!k) continue;
      given.push(k.id);
      await addToKudos(t.db, adder, k.id, { pointsEach: 1, message: payload });
      if (i % 5 === 0) await withdrawKudos(t.db, admin, k.itemId, payload);
    }
    expect(given.length).toBeGreaterThan(200);
    const rows = await t.db.select().from(kudos).where(inArray(kudos.id, given));
    for (const row of rows) {
      expect(problems(row.messageHtml), row.message).toEqual([]);
      expect(rendersAsText(row.deletedReason), row.deletedReason).toBe(true);
    }
    const notes = await t.db.select({ message: kudosGifts.message }).from(kudosGifts).where(eq(kudosGifts.giverId, adder.id));
    expect(notes.length).toBe(given.length);
    for (const n of notes) expect(rendersAsText(n.message), n.message).toBe(true);
  });

  test("the feed, every kudos's page, the give form and the admin's page run nothing", { timeout: 240_000 }, async () => {
    const ids = (await t.db.select({ id: kudos.id }).from(kudos)).map((r) => r.id);
    expect(ids.length).toBeGreaterThan(200);
    // Withdrawn kudos leave the feed; the giver still sees each one's page with its reason.
    for (let page = 1; page <= Math.ceil(ids.length / 25); page++) {
      const html = renderRoute(FeedRoute as ComponentType<never>, await load(feedLoader, `/kudos?page=${page}`), admin);
      expect(executable(html), `feed page ${page}`).toEqual([]);
    }
    for (const id of ids) {
      const data = await load(kudosLoader, `/kudos/${id}`, { kudosId: String(id) });
      const html = renderRoute(KudosRoute as ComponentType<never>, data, admin);
      expect(executable(html), `kudos ${id}`).toEqual([]);
    }
    expect(executable(renderRoute(NewKudosRoute as ComponentType<never>, await load(newLoader, "/kudos/new"), admin))).toEqual([]);
    expect(executable(renderRoute(AdminRecognitionRoute as ComponentType<never>, await load(adminLoader, "/admin/recognition"), admin))).toEqual([]);
  });
});
