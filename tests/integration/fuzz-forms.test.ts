import fc from "fast-check";
import { beforeAll, describe, expect, test } from "vitest";
import { setupTestDb } from "../db.ts";
import { useProductionServer } from "../production-server.ts";
import { badAnswer } from "../fuzz/answers.ts";
import { BAD_IDS, FUZZ_SEED, bodyShape, formArbitrary } from "../fuzz/inputs.ts";
import { actionRoutes, formFieldsOf } from "../fuzz/routes.ts";
import { settledMark, watchWrites, writeMark, writesSince } from "../fuzz/rows.ts";
import { formBody, send } from "../fuzz/send.ts";
import { type FuzzWorld, cookieOf, fillPattern, fuzzWorld } from "../fuzz/world.ts";

/**
 * Issue 23, "Bad input everywhere": every form action of app/routes.ts, through the real server
 * (body parsing, the 1 MB limit, the same-origin check, the error boundary), as an admin and as a
 * member, with real and bad route params and fuzzed fields (tests/fuzz/inputs.ts). No answer is a
 * 500 or shows a stack trace, and a refused request (4xx) leaves every table as it was.
 *
 * The seed is fixed and printed: FUZZ_SEED=<seed> reproduces a run; FUZZ_RUNS sets the inputs per
 * route (default 5).
 */

const RUNS = Number(process.env.FUZZ_RUNS ?? 5);
const t = setupTestDb();
const server = useProductionServer(t, "fuzz-forms");
// FUZZ_ONLY=<regexp> fuzzes only the routes whose pattern matches (to reproduce one failure).
const routes = actionRoutes().filter((r) => new RegExp(process.env.FUZZ_ONLY ?? "").test(r.pattern));
let world: FuzzWorld;
let tried = 0;
const statuses = new Map<number, number>();

beforeAll(async () => {
  world = await fuzzWorld(t.db);
  await watchWrites(t.db);
  console.info(`fuzz-forms: seed ${FUZZ_SEED}, ${RUNS} inputs per route, ${routes.length} form actions`);
});

/** The fields and intents a route's forms name: its GET page as the admin sees it, and its source. */
async function fieldsOf(route: (typeof routes)[number], cookie: string) {
  const fields = new Set(route.sourceFields);
  const intents = new Set(route.sourceIntents);
  if (route.hasPage) {
    const page = await fetch(server.base + fillPattern(route.pattern, (p, optional) => (optional ? null : (world.real[p]?.[0] ?? "1"))), { headers: { cookie } });
    const found = formFieldsOf(await page.text());
    for (const f of found.fields) fields.add(f);
    for (const i of found.intents) intents.add(i);
  }
  return { fields: [...fields].sort(), intents: [...intents].sort() };
}

describe("every form action refuses bad input cleanly", () => {
  test.each(routes.map((r) => [r.pattern || "/", r] as const))("POST %s", async (_, route) => {
    const cookies = { admin: await cookieOf(t.db, world.admin), member: await cookieOf(t.db, world.member) };
    const { fields, intents } = await fieldsOf(route, cookies.admin);
    let mark = await settledMark(t.db);
    const seed = FUZZ_SEED + [...route.file].reduce((sum, c) => sum + c.charCodeAt(0), 0);

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("admin" as const, "member" as const),
        fc.boolean(),
        fc.nat(),
        fc.array(fc.constantFrom(...BAD_IDS), { minLength: 4, maxLength: 4 }),
        formArbitrary(fields, intents),
        bodyShape,
        fc.boolean(),
        async (actor, realIds, which, badIds, pairs, shape, asData) => {
          tried += 1;
          let bad = 0;
          const pathname = fillPattern(route.pattern, (param, optional) => {
            const real = world.real[param];
            if (optional && !realIds) return null;
            return realIds && real ? real[which % real.length]! : badIds[bad++ % badIds.length]!;
          });
          const url = server.base + (asData ? (pathname === "/" ? "/_root.data" : `${pathname}.data`) : pathname);
          const { body, contentType, text } = formBody(pairs, shape);
          const response = await send(url, {
            method: "POST",
            headers: { cookie: cookies[actor], origin: server.base, accept: "text/html", ...(contentType ? { "content-type": contentType } : {}) },
            body,
          });
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const answer = response.body;
          const what = `${actor} POST ${url.slice(server.base.length)} (${shape}) ${JSON.stringify(pairs).slice(0, 300)}`;
          const problem = badAnswer(response.status, answer, text);
          expect(problem, `${what}: ${problem}`).toBeNull();
          if (response.status >= 400 && response.status < 500) {
            expect(await writesSince(t.db, mark), `${what} answered ${response.status} but wrote rows`).toEqual([]);
            mark = await writeMark(t.db);
          } else mark = await settledMark(t.db);
        },
      ),
      { seed, numRuns: RUNS, endOnFailure: true },
    );
  });

  test("inputs tried", () => {
    const answers = [...statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
    console.info(`fuzz-forms: ${tried} inputs over ${routes.length} form actions (seed ${FUZZ_SEED}), answered ${answers.join(" ")}`);
    expect(tried).toBeGreaterThanOrEqual(routes.length * RUNS);
  });
});
