import { readFileSync } from "node:fs";
import { eq } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createMemoryRouter, Outlet, RouterProvider, useLoaderData } from "react-router";
import { describe, expect, test } from "vitest";
import { companyValues, kudos, kudosReceivers, users } from "#db/schema/index.ts";
import { companySpaceId } from "#app/features/recognition/company-space.server.ts";
import {
  GROUP_MIN,
  INSIGHT_TABLES,
  type Insights,
  OTHER_DEPARTMENTS,
  OTHER_TEAMS,
  departmentGroups,
  foldSmallGroups,
  insightWindow,
  insightsCsv,
  recognitionInsights,
  teamRows,
} from "#app/features/recognition/insights.server.ts";
import { giveKudos, withdrawKudos } from "#app/features/recognition/kudos.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";
import InsightsRoute, { loader as insightsLoader } from "#app/routes/hr/recognition.tsx";
import { loader as csvLoader } from "#app/routes/hr/recognition-csv.ts";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { createUser, createValue } from "#tests/factories/index.ts";
import { requestAs, routeContext, thrown } from "#tests/helpers.ts";

/**
 * HR's recognition insights (app/features/recognition/insights.server.ts) against a real
 * Postgres: the rule of 5 (a small department or team never shows on its own, in any aggregate or
 * CSV), the pairs pattern without names, withdrawn and private kudos, who may read it, the CSV's
 * escaping, and the page rendered with hostile department and value names.
 *
 * The aggregates are company-wide, so each test gives its kudos in a month of its own (the
 * features take `now`) and names its departments after itself.
 */
const t = setupTestDb();
const counted = countingDb(t);

type Person = Awaited<ReturnType<typeof createUser>>;

async function people(count: number, department: string): Promise<Person[]> {
  const made: Person[] = [];
  for (let i = 0; i < count; i++) made.push(await createUser(t.db, { department }));
  return made;
}

async function reportTo(manager: Person, reports: Person[]) {
  for (const r of reports) await t.db.update(users).set({ managerId: manager.id }).where(eq(users.id, r.id));
}

let valueId: number | undefined;
async function give(giver: Person, receivers: Person[], at: string, attrs: { private?: boolean; message?: string } = {}) {
  valueId ??= (await createValue(t.db)).id;
  return giveKudos(
    t.db,
    giver,
    { receiverIds: receivers.map((r) => r.id), message: attrs.message ?? "Thank you for the help", valueId, pointsEach: 1, private: attrs.private ?? false },
    new Date(at),
  );
}

function cell(i: Insights, from: string, to: string): number | undefined {
  const row = i.flow.groups.indexOf(from);
  const col = i.flow.groups.indexOf(to);
  return row < 0 || col < 0 ? undefined : i.flow.cells[row]![col];
}

async function allCsv(hr: Person, now: Date): Promise<string> {
  const files = await Promise.all(INSIGHT_TABLES.map((table) => insightsCsv(t.db, hr, table, 3, now)));
  return files.map((f) => f.csv).join("\n");
}

describe("the rule of 5", () => {
  test("groups under k fold into Other, and then the smallest named ones until Other has k", () => {
    const rows = (sizes: number[]) => sizes.map((people, i) => ({ id: i, people }));
    const ids = (r: { named: Array<{ id: number }>; folded: Array<{ id: number }> }) => ({ named: r.named.map((g) => g.id), folded: r.folded.map((g) => g.id) });
    expect(ids(foldSmallGroups(rows([5, 12])))).toEqual({ named: [0, 1], folded: [] });
    // "Other" holds the 4 people of group 1 and the 3 of group 2 together (7): no more folding.
    expect(ids(foldSmallGroups(rows([5, 4, 3, 12])))).toEqual({ named: [0, 3], folded: [1, 2] });
    // "Other" alone would single out 4 people: the smallest named group (5, before 12) joins them.
    expect(ids(foldSmallGroups(rows([5, 4, 12])))).toEqual({ named: [2], folded: [1, 0] });
    expect(ids(foldSmallGroups(rows([9, 2, 6])))).toEqual({ named: [0], folded: [1, 2] });
    expect(GROUP_MIN).toBe(5);
  });

  test("teams are named by their manager's department and size, numbered within it; small teams are one row", () => {
    const departments = departmentGroups([
      { key: "sales", name: "Sales", people: 12 },
      { key: "legal", name: "Legal", people: 3 },
      { key: "hr", name: "HR", people: 2 },
    ]);
    const rows = teamRows(
      [
        { managerId: 1, managerKey: "sales", people: 5, received: 10 },
        { managerId: 2, managerKey: "sales", people: 6, received: 3 },
        { managerId: 3, managerKey: "legal", people: 7, received: 14 },
        { managerId: 4, managerKey: "sales", people: 4, received: 0 },
        { managerId: 5, managerKey: "hr", people: 1, received: 1 },
      ],
      departments,
    );
    expect(rows).toEqual(
      [
        { team: "Sales team 2 (6 people)", people: 6, received: 3, perPerson: 0.5, other: false },
        { team: "Other teams", people: 5, received: 1, perPerson: 0.2, other: true },
        { team: "Sales team 1 (5 people)", people: 5, received: 10, perPerson: 2, other: false },
        { team: "Team in another department (7 people)", people: 7, received: 14, perPerson: 2, other: false },
      ].sort((a, b) => a.perPerson - b.perPerson || a.team.localeCompare(b.team, "en")),
    );
  });

  test("a department of 4 is folded into Other in every aggregate and CSV; one of 5 is not; withdrawn kudos don't count, private ones do", async () => {
    const hr = await createUser(t.db, { department: "People Ops R5" }, "hr");
    const sales = await people(5, "Sales R5");
    const legal = await people(4, "Legal R5");
    const facilities = await people(3, "Facilities R5");
    const [s0, s1, s2, s3, s4] = sales as [Person, Person, Person, Person, Person];
    const [l0, l1, l2, l3] = legal as [Person, Person, Person, Person];
    const [f0, f1, f2] = facilities as [Person, Person, Person];
    // A team of 5 under a Sales manager, and two small teams (4 and 1) under Legal and Facilities people.
    await reportTo(s0, [s1, s2, s3, s4, f0]);
    await reportTo(l0, [l1, l2, l3, f1]);
    await reportTo(f1, [f2]);

    await give(l0, [s1], "2021-05-03T10:00:00Z");
    await give(s2, [l1], "2021-05-04T10:00:00Z");
    await give(l2, [l3], "2021-06-01T10:00:00Z");
    await give(f0, [s2], "2021-06-02T10:00:00Z");
    await give(s1, [s3], "2021-06-03T10:00:00Z");
    await give(s0, [f2], "2021-06-04T10:00:00Z", { private: true, message: "A private thank-you only they see" });
    const withdrawn = await give(l1, [s4], "2021-06-05T10:00:00Z");
    await withdrawKudos(t.db, hr, withdrawn.itemId, "Given by mistake", new Date("2021-06-06T10:00:00Z"));

    const now = new Date("2021-06-20T12:00:00Z");
    const i = await recognitionInsights(t.db, hr, 3, now);
    // Six kudos, the private one among them; the withdrawn one is gone.
    expect(i.totals).toEqual({ kudos: 6, points: 6 });
    expect(i.overTime.map((m) => [m.month, m.kudos])).toEqual([
      ["2021-04", 0],
      ["2021-05", 2],
      ["2021-06", 4],
    ]);
    expect(i.departments).toContainEqual({ name: "Sales R5", people: 5, other: false });
    expect(i.departments.at(-1)).toMatchObject({ name: OTHER_DEPARTMENTS, other: true });
    expect(i.flow.groups).toEqual(["Sales R5", OTHER_DEPARTMENTS]);
    expect([cell(i, "Sales R5", "Sales R5"), cell(i, "Sales R5", "Other"), cell(i, "Other", "Sales R5"), cell(i, "Other", "Other")]).toEqual([1, 2, 2, 1]);
    expect(i.teams).toContainEqual({ team: "Sales R5 team (5 people)", people: 5, received: 3, perPerson: 0.6, other: false });
    const otherTeams = i.teams.find((row) => row.team === OTHER_TEAMS);
    expect(otherTeams?.received).toBe(3);
    expect(i.pairs).toEqual([]);

    // Nothing names the small departments, a person, or says what a kudos said.
    const page = JSON.stringify(i);
    const csv = await allCsv(hr, now);
    for (const text of [page, csv]) {
      expect(text).not.toMatch(/Legal R5|Facilities R5/);
      for (const person of [...sales, ...legal, ...facilities]) expect(text).not.toContain(person.name);
      expect(text).not.toMatch(/private thank-you|Thank you for the help/);
    }
    expect(csv).toContain("Sales R5 team (5 people),5,3,0.6\r\n");
    expect(csv).toContain("from / to,Sales R5,Other,total given\r\nSales R5,1,2,3\r\nOther,2,1,3\r\ntotal received,3,3,6\r\n");
  });

  test("the pattern of pairs: a mutual pair shows as two departments and counts, a one-sided pair does not", async () => {
    const hr = await createUser(t.db, { department: "People Ops P" }, "admin");
    const support = await people(5, "Support P");
    const design = await people(5, "Design P");
    const [p0, p1, p2, p3, p4] = support as [Person, Person, Person, Person, Person];
    const [d0] = design as [Person];
    // p0 and d0: 6 each way over two months, and one kudos of p0's to someone else (6 of 7 = 86%).
    for (let k = 0; k < 6; k++) {
      const at = `2022-0${k < 3 ? 2 : 3}-1${k}T10:00:00Z`;
      await give(p0, [d0], at);
      await give(d0, [p0], at);
    }
    await give(p0, [p1], "2022-03-18T10:00:00Z");
    // p2 gives only to p3, but p3 gives mostly to p4: one-sided, not the pattern.
    for (let k = 0; k < 6; k++) {
      await give(p2, [p3], `2022-03-0${k + 1}T10:00:00Z`);
      await give(p3, [p4], `2022-03-0${k + 1}T11:00:00Z`);
    }
    await give(p3, [p2], "2022-03-09T10:00:00Z");

    const i = await recognitionInsights(t.db, hr, 3, new Date("2022-03-25T12:00:00Z"));
    expect(i.pairs).toEqual([{ departments: ["Design P", "Support P"], kudos: 12, share: 92, months: 2 }]);
    expect(i.pairCount).toBe(1);
    const csv = (await insightsCsv(t.db, hr, "pairs", 3, new Date("2022-03-25T12:00:00Z"))).csv;
    expect(csv).toContain("Design P,Support P,12,92,2\r\n");
    for (const person of [...support, ...design]) expect(JSON.stringify(i) + csv).not.toContain(person.name);
  });

  test("the page is a fixed number of queries, and the window is whole UTC months", async () => {
    const hr = await createUser(t.db, {}, "hr");
    counted.queries = 0;
    await recognitionInsights(counted.db, hr, 12, new Date("2020-01-15T00:00:00Z"));
    expect(counted.queries).toBe(6);
    const w = insightWindow(6, new Date("2026-01-01T00:00:00Z"));
    expect(w.since.toISOString()).toBe("2025-08-01T00:00:00.000Z");
    expect(w.until.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(w.monthKeys).toEqual(["2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01"]);
  });
});

describe("who reads insights", () => {
  type Loader = (args: never) => Promise<unknown>;
  async function load(loader: Loader, user: Person, path: string, params: Record<string, string> = {}) {
    return loader({ request: await requestAs(t.db, user, path), context: routeContext(t.db).context, params } as never);
  }
  const redirectTo = (error: unknown) => (error instanceof Response && error.status >= 300 && error.status < 400 ? error.headers.get("Location") : null);

  test("HR and admins read the page and the CSVs; members and moderators get a 404; customers and deactivated accounts never reach it", async () => {
    for (const role of ["hr", "admin"] as const) {
      const reader = await createUser(t.db, {}, role);
      expect(await load(insightsLoader, reader, "/hr/recognition?months=6")).toMatchObject({ months: 6 });
      // An unknown window is the default one rather than an error.
      expect(await load(insightsLoader, reader, "/hr/recognition?months=7")).toMatchObject({ months: 12 });
      const response = (await load(csvLoader, reader, "/hr/recognition/teams.csv", { table: "teams" })) as Response;
      expect(response.status).toBe(200);
    }
    for (const role of ["member", "moderator"] as const) {
      const user = await createUser(t.db, { role });
      expect(await thrown(load(insightsLoader, user, "/hr/recognition"))).toBeInstanceOf(NotFoundError);
      expect(await thrown(load(csvLoader, user, "/hr/recognition/flow.csv", { table: "flow" }))).toBeInstanceOf(NotFoundError);
    }
    const customer = await createUser(t.db, {}, "customer", "hr");
    expect(redirectTo(await thrown(load(insightsLoader, customer, "/hr/recognition")))).toBe("/");
    expect(redirectTo(await thrown(load(csvLoader, customer, "/hr/recognition/flow.csv", { table: "flow" })))).toBe("/");
    const gone = await createUser(t.db, {}, "hr", "deactivated");
    expect(redirectTo(await thrown(load(insightsLoader, gone, "/hr/recognition")))).toMatch(/^\/sign-in\?/);
    expect(redirectTo(await thrown(load(csvLoader, gone, "/hr/recognition/flow.csv", { table: "flow" })))).toMatch(/^\/sign-in\?/);
    // The feature refuses on its own too, whatever calls it.
    const member = await createUser(t.db);
    await expect(recognitionInsights(t.db, member, 12)).rejects.toBeInstanceOf(NotFoundError);
    await expect(insightsCsv(t.db, member, "flow", 12)).rejects.toBeInstanceOf(NotFoundError);
  });

  test("an unknown table is a 404; a CSV is an attachment, with formulas defused and RFC 4180 quoting", async () => {
    const hr = await createUser(t.db, {}, "hr");
    expect(await thrown(load(csvLoader, hr, "/hr/recognition/people.csv", { table: "people" }))).toBeInstanceOf(NotFoundError);
    const formula = await people(5, "=cmd()");
    const quoted = await people(5, '-2+3,"x"');
    await give(formula[0]!, [quoted[0]!], new Date().toISOString());
    const response = (await load(csvLoader, hr, "/hr/recognition/flow.csv?months=3", { table: "flow" })) as Response;
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="recognition-flow-\d{4}-\d{2}-to-\d{4}-\d{2}\.csv"$/);
    // A byte order mark first, so spreadsheets read it as UTF-8.
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.startsWith("from / to,")).toBe(true);
    // Rows and columns come in the collation's order; either way each row says what it gave.
    expect(text).toMatch(/\r\n'=cmd\(\),(0,1|1,0),1\r\n/);
    expect(text).toContain(`\r\n"'-2+3,""x""",0,0,0\r\n`);
    expect(text).not.toMatch(/(^|[,\n])=cmd/);
  });
});

describe("the page with hostile names", () => {
  const payloads = JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ payload: string }>;

  const window = new JSDOM("").window;
  /** HTML as a browser parses it, in one shared window (a JSDOM per page would be slow). */
  function parse(html: string): HTMLElement {
    const root = window.document.createElement("div");
    root.innerHTML = html;
    return root;
  }

  /** What could run in the rendered page: scripts, frames, handlers, script URLs. */
  function executable(doc: HTMLElement): string[] {
    const found: string[] = [];
    for (const name of ["script", "iframe", "frame", "object", "embed", "base", "meta", "link", "style", "template", "math", "img", "svg"])
      if (doc.querySelector(name)) found.push(`<${name}>`);
    for (const el of doc.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) found.push(`handler ${name} on <${el.localName}>`);
        if (["href", "src", "action", "formaction", "xlink:href", "srcdoc"].includes(name) && !/^\/[^/]/.test(attr.value))
          found.push(`${name}="${attr.value.slice(0, 40)}" on <${el.localName}>`);
      }
    }
    return [...new Set(found)];
  }

  function renderPage(loaderData: unknown): HTMLElement {
    function Page() {
      return createElement(InsightsRoute as ComponentType<never>, { loaderData: useLoaderData(), params: {}, matches: [] } as never);
    }
    const router = createMemoryRouter([{ id: "root", path: "/", loader: () => null, Component: Outlet, children: [{ id: "page", path: "*", loader: () => null, Component: Page }] }], {
      initialEntries: ["/hr/recognition"],
      hydrationData: { loaderData: { root: { user: { id: 1, name: "HR", role: "hr", kind: "employee" } }, page: loaderData } },
    });
    return parse(renderToStaticMarkup(createElement(RouterProvider, { router })));
  }

  test("every XSS payload as a department and a value name renders as text, on the page and in its tables", { timeout: 60_000 }, async () => {
    const names = [...new Map(payloads.map(({ payload }) => [payload.trim().toLowerCase(), payload.trim()])).values()].filter((p) => p !== "");
    // HR in the first department, so no department is folded to keep "Other" at 5 when this test runs alone.
    const hr = await createUser(t.db, { department: names[0] }, "hr");
    // Five people per department, inserted at once: the page reads only the tables.
    const rows = names.flatMap((department, d) => Array.from({ length: GROUP_MIN }, (_, k) => ({ email: `xss-${d}-${k}@northwind.example`, name: `Xss Person ${d}-${k}`, department })));
    const inserted = await t.db.insert(users).values(rows).returning({ id: users.id });
    const values = await t.db
      .insert(companyValues)
      .values(names.map((name, i) => ({ name, position: 1000 + i })))
      .returning({ id: companyValues.id });
    const firstOf = (d: number) => inserted[d * GROUP_MIN]!.id;
    // The departments in chunks of 25, each chunk's kudos in a quarter of its own (a chain from each
    // department to the next within the chunk), so each page's flow matrix stays small.
    const spaceId = await companySpaceId(t.db);
    const chunks = Array.from({ length: Math.ceil(names.length / 25) }, (_, c) => names.map((_, d) => d).slice(c * 25, c * 25 + 25));
    const quarter = (c: number) => new Date(Date.UTC(2023, c * 3, 10));
    const links = chunks.flatMap((chunk, c) => chunk.map((d, j) => ({ d, to: chunk[(j + 1) % chunk.length]!, at: quarter(c) })));
    const made = await t.db
      .insert(kudos)
      .values(links.map(({ d, at }) => ({ spaceId, giverId: firstOf(d), valueId: values[d]!.id, message: "x", messageHtml: "<p>x</p>", pointsEach: 1, totalPoints: 1, createdAt: at })))
      .returning({ id: kudos.id });
    await t.db.insert(kudosReceivers).values(made.map((k, i) => ({ kudosId: k.id, userId: firstOf(links[i]!.to), createdAt: links[i]!.at })));

    const textOf = (name: string) => parse(renderToStaticMarkup(createElement("span", null, name))).textContent;
    for (const [c, chunk] of chunks.entries()) {
      const data = await recognitionInsights(t.db, hr, 3, quarter(c));
      expect(data.flow.groups).toHaveLength(chunk.length);
      const doc = renderPage(data);
      expect(executable(doc)).toEqual([]);
      // Each department heads its row of the flow matrix as the very text it is (as HTML parsing reads text), and each value its row.
      const rowHeads = new Set([...doc.querySelectorAll("table th[scope=row]")].map((th) => th.textContent));
      for (const d of chunk) {
        expect(rowHeads).toContain(`From ${textOf(names[d]!)}`);
        expect(rowHeads).toContain(textOf(names[d]!));
      }
    }
  });
});
