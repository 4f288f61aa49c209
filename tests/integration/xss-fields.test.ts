import { existsSync, readFileSync } from "node:fs";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import type { ComponentType } from "react";
import { describe, expect, test } from "vitest";
import * as schema from "#db/schema/index.ts";
import CampaignRoute, { loader as campaignLoader } from "#app/routes/campaigns/campaign.tsx";
import { LABEL_MAX } from "#app/features/ideas/schemas.ts";
import { setupTestDb } from "../db.ts";
import { createSpace, createUser } from "../factories/index.ts";
import { createCampaign } from "../factories/ideas.ts";
import { requestAs, routeCaller } from "../helpers.ts";
import { executable, parseScreen, payloads, problems, refusedOrStored, renderRoute } from "../xss-render.ts";
import { XSS_FIELDS } from "../xss-fields.ts";

const t = setupTestDb();

/**
 * The list of fields that render user text (tests/xss-fields.ts) is kept whole: every text column
 * of db/schema is classified, and every test it names runs the XSS corpus and names the column.
 * And the corpus through a campaign's fields (the rest of the fields that lacked a test of it are in
 * tests/integration/xss-gaps.test.ts).
 */

/** "table.property" of every text-like column (text, varchar, citext, and arrays of them). */
function textColumns(): string[] {
  return (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => value instanceof PgTable)
    .flatMap((table) => {
      const config = getTableConfig(table);
      return config.columns.filter((c) => /^(text|varchar|citext|character)/.test(c.getSQLType())).map((c) => `${config.name}.${c.name}`);
    })
    .sort();
}

describe("every text column is classified for XSS", () => {
  test("no text column of the schema is missing from tests/xss-fields.ts, and none listed is gone", () => {
    const columns = textColumns();
    expect(columns.length).toBeGreaterThan(200);
    const missing = columns.filter((c) => !(c in XSS_FIELDS));
    const gone = Object.keys(XSS_FIELDS).filter((c) => !columns.includes(c));
    expect(missing, "classify these columns in tests/xss-fields.ts (markdown, text, generated, never or gap)").toEqual([]);
    expect(gone, "these columns are no longer in db/schema: remove them from tests/xss-fields.ts").toEqual([]);
  });

  test("every test named for a rendered column exists, runs the corpus and names the column", () => {
    const sources = new Map<string, string>();
    const problems: string[] = [];
    for (const [column, use] of Object.entries(XSS_FIELDS)) {
      if (use.kind !== "markdown" && use.kind !== "text") continue;
      if (!existsSync(use.test)) {
        problems.push(`${column}: ${use.test} does not exist`);
        continue;
      }
      if (!sources.has(use.test)) sources.set(use.test, readFileSync(use.test, "utf8"));
      const source = sources.get(use.test)!;
      if (!/\bpayloads\b|dompurify-payloads/.test(source)) problems.push(`${column}: ${use.test} does not run the XSS corpus`);
      const property = column.split(".")[1]!;
      if (!new RegExp(`\\b${property}\\b`).test(source)) problems.push(`${column}: ${use.test} never names ${property}`);
    }
    expect(problems).toEqual([]);
  });

  test("the figures", () => {
    const counts: Record<string, number> = {};
    for (const use of Object.values(XSS_FIELDS)) counts[use.kind] = (counts[use.kind] ?? 0) + 1;
    const gaps = Object.entries(XSS_FIELDS).filter(([, use]) => use.kind === "gap");
    console.info(`xss-fields: ${JSON.stringify(counts)}`);
    // No gaps: a new rendered column comes with its corpus test.
    expect(
      gaps.map(([c]) => c),
      "run the XSS corpus through these columns where they render, and name that test in tests/xss-fields.ts",
    ).toEqual([]);
  });
});

describe("the corpus through the fields that lacked it", () => {
  test("a campaign's brief (markdown), categories and criteria: stored inert, the page runs nothing and says the categories as text", { timeout: 120_000 }, async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const space = await createSpace(t.db, { moderators: [sponsor] });
    const call = routeCaller(t);
    // Briefs of about 8,000 characters, labels of the payloads short enough to be one (at most 40).
    const briefs: string[] = [];
    for (const { payload } of payloads) {
      if (briefs.length === 0 || briefs.at(-1)!.length > 8000) briefs.push("The brief, with payloads:");
      briefs[briefs.length - 1] += `\n\n${payload}`;
    }
    const labels = [...new Set(payloads.map((p) => p.payload.trim()).filter((p) => p.length > 0 && p.length <= LABEL_MAX && !/[\r\n\0]/.test(p)))];
    const rounds = Math.max(briefs.length, Math.ceil(labels.length / 12));
    let shown = 0;
    for (let i = 0; i < rounds; i++) {
      const categories = labels.slice(i * 12, i * 12 + 12);
      const criteria = labels.slice(i * 6, i * 6 + 6);
      const id = await refusedOrStored(() => createCampaign(t.db, { sponsor, space, brief: briefs[i] ?? "A brief long enough for the form.", categories, criteria }));
      if (id === null) continue;
      const data = await call(campaignLoader as never, await requestAs(t.db, sponsor, `/campaigns/${id}`), { campaignId: String(id) });
      const brief = (data as unknown as { campaign: { briefHtml: string } }).campaign.briefHtml;
      expect(problems(brief), `brief ${i}`).toEqual([]);
      const html = renderRoute(CampaignRoute as ComponentType<never>, data, sponsor);
      expect(executable(html), `campaign ${i}`).toEqual([]);
      // What the page says is the typed text: each category a payload, none of them markup.
      const said = parseScreen(html).textContent ?? "";
      for (const label of categories) expect(said.includes(label), label).toBe(true);
      shown++;
    }
    expect(shown).toBe(rounds);
  });
});
