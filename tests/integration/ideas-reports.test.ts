import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { ideas } from "#db/schema/index.ts";
import { answerInvitation } from "#app/features/ideas/ideas.server.ts";
import { campaignCsv, campaignResults, foldDepartments, ROADMAP_COLUMN_CAP, roadmap } from "#app/features/ideas/reports.server.ts";
import type { SETTABLE_STATUSES } from "#app/features/ideas/schemas.ts";
import { scoreIdea } from "#app/features/ideas/scores.server.ts";
import { castIdeaVote } from "#app/features/ideas/votes.server.ts";
import { changeIdeaStatus, mergeIdea } from "#app/features/ideas/workflow.server.ts";
import { addComment, deleteComment } from "#app/features/social/comments.server.ts";
import { env } from "#app/lib/env.server.ts";
import { loader as csvLoader } from "#app/routes/campaigns/ideas-csv.ts";
import { loader as resultsLoader } from "#app/routes/campaigns/results.tsx";
import { loader as roadmapLoader } from "#app/routes/campaigns/roadmap.tsx";
import { countingDb, setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { requestAs, routeContext, thrownStatus } from "#tests/helpers.ts";

/**
 * The sponsor's views of a campaign (app/features/ideas/reports.server.ts) against a real
 * Postgres: the roadmap's columns, the funnel's arithmetic, participation with the rule of 5 for
 * departments, scores for managers only, and the CSV export with its escaping and access rules.
 * The pages' loaders are called the way React Router calls them.
 */
const t = setupTestDb();
const counted = countingDb(t);

type Person = Awaited<ReturnType<typeof createUser>>;
type Settable = (typeof SETTABLE_STATUSES)[number];
type Loader = (args: never) => Promise<unknown>;

/** What `loader` gives `user` for `path` (or throws), with a fresh request context, on `db`. */
async function load(loader: Loader, user: Person, path: string, campaignId: number, db = t.db): Promise<unknown> {
  const { context } = routeContext(db);
  return loader({ request: await requestAs(t.db, user, path), context, params: { campaignId: String(campaignId) } } as never);
}

async function sponsorSetup(attrs: { categories?: string[]; criteria?: string[]; evaluators?: Person[] } = {}) {
  const sponsor = await createUser(t.db, { department: "Management" }, "moderator");
  const space = await createSpace(t.db);
  const campaignId = await createCampaign(t.db, { sponsor, space, ...attrs });
  return { sponsor, space, campaignId };
}

/** Moves an idea through these statuses in turn, as the sponsor would. */
async function walk(sponsor: Person, ideaId: number, statuses: Settable[]) {
  for (const status of statuses) await changeIdeaStatus(t.db, sponsor, ideaId, { status, reason: status === "declined" ? "Not this year: the budget is spent." : "" });
}

async function voters(ideaId: number, count: number) {
  for (let i = 0; i < count; i++) await castIdeaVote(t.db, await createUser(t.db), ideaId);
}

describe("roadmap", () => {
  test("six columns in workflow order with their counts, most-voted first, owners named; merged ideas live on their target", async () => {
    const { sponsor, campaignId } = await sponsorSetup({ categories: ["Travel", "Payroll"] });
    const ada = await createUser(t.db, { name: "Ada Lovelace" });
    const grace = await createUser(t.db, { name: "Grace Hopper" });
    const quiet = await createIdea(t.db, { author: ada, campaignId, category: "Travel", title: "Book trains in one place" });
    const loved = await createIdea(t.db, { author: ada, campaignId, category: "Payroll", title: "Payslips in the app", coOwners: [grace] });
    await answerInvitation(t.db, grace, loved, true);
    const reviewed = await createIdea(t.db, { author: grace, campaignId, category: "Travel" });
    const accepted = await createIdea(t.db, { author: grace, campaignId, category: "Travel" });
    const declined = await createIdea(t.db, { author: grace, campaignId, category: "Travel" });
    const duplicate = await createIdea(t.db, { author: grace, campaignId, category: "Travel" });
    await voters(loved, 3);
    await voters(quiet, 1);
    await voters(duplicate, 3);
    await walk(sponsor, reviewed, ["under_review"]);
    await walk(sponsor, accepted, ["under_review", "accepted"]);
    await walk(sponsor, declined, ["declined"]);
    await mergeIdea(t.db, sponsor, duplicate, { targetId: quiet, reason: "Same idea." });

    const reader = await createUser(t.db);
    const { columns } = await roadmap(t.db, reader, campaignId);
    expect(columns.map((c) => [c.status, c.total])).toEqual([
      ["submitted", 2],
      ["under_review", 1],
      ["accepted", 1],
      ["in_progress", 0],
      ["implemented", 0],
      ["declined", 1],
    ]);
    // The duplicate's three votes moved to its target, which now comes first.
    expect(columns[0]!.ideas).toEqual([
      { id: quiet, title: "Book trains in one place", category: "Travel", voteCount: 4, owners: ["Ada Lovelace", "Grace Hopper"] },
      { id: loved, title: "Payslips in the app", category: "Payroll", voteCount: 3, owners: ["Ada Lovelace", "Grace Hopper"] },
    ]);
    expect(columns.flatMap((c) => c.ideas.map((i) => i.id))).not.toContain(duplicate);
    expect(columns.find((c) => c.status === "declined")!.ideas.map((i) => i.id)).toEqual([declined]);

    // The page's loader, for a plain reader, sends only what the page shows.
    const page = (await load(roadmapLoader, reader, `/campaigns/${campaignId}/roadmap`, campaignId)) as { campaign: object; columns: unknown[] };
    expect(page.campaign).toEqual({ id: campaignId, title: expect.any(String) });
    expect(page.columns).toEqual(columns);
  });

  test("a column shows its 50 most-voted ideas and counts them all", async () => {
    const { campaignId } = await sponsorSetup();
    const author = await createUser(t.db);
    const ids: number[] = [];
    for (let i = 0; i < ROADMAP_COLUMN_CAP + 2; i++) ids.push(await createIdea(t.db, { author, campaignId }));
    // The oldest idea, last in a tie, gets a vote and so makes the cut.
    await voters(ids[0]!, 1);
    const { columns } = await roadmap(t.db, author, campaignId);
    const submitted = columns.find((c) => c.status === "submitted")!;
    expect(submitted.total).toBe(ROADMAP_COLUMN_CAP + 2);
    expect(submitted.ideas).toHaveLength(ROADMAP_COLUMN_CAP);
    expect(submitted.ideas[0]!.id).toBe(ids[0]);
    // Ties go newest first, as the campaign page's "top" sort: the two oldest without votes are left out.
    expect(submitted.ideas.map((i) => i.id)).not.toContain(ids[1]);
    expect(submitted.ideas.map((i) => i.id)).not.toContain(ids[2]);
  });
});

describe("results", () => {
  test("the funnel counts an idea in every stage it reached, from its status and its timeline", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const author = await createUser(t.db);
    const idea = () => createIdea(t.db, { author, campaignId });
    const [stays, reviewed, skipped, building, done, lateDecline, rolledBack, declinedAtOnce, duplicate] = [
      await idea(),
      await idea(),
      await idea(),
      await idea(),
      await idea(),
      await idea(),
      await idea(),
      await idea(),
      await idea(),
    ];
    await walk(sponsor, reviewed, ["under_review"]);
    await walk(sponsor, skipped, ["accepted"]); // straight from submitted: counts as reviewed too
    await walk(sponsor, building, ["under_review", "accepted", "in_progress"]); // in progress is past accepted
    await walk(sponsor, done, ["accepted", "implemented"]);
    await walk(sponsor, lateDecline, ["under_review", "accepted", "declined"]); // reached accepted, then declined
    await walk(sponsor, rolledBack, ["accepted", "implemented", "under_review"]); // reached implemented once
    await walk(sponsor, declinedAtOnce, ["declined"]);
    await mergeIdea(t.db, sponsor, duplicate, { targetId: stays, reason: "Same idea." });

    const { funnel } = await campaignResults(t.db, author, campaignId);
    expect(funnel.stages.map((s) => [s.stage, s.count])).toEqual([
      ["submitted", 8],
      ["under_review", 6],
      ["accepted", 5],
      ["implemented", 2],
    ]);
    expect(funnel.declined).toBe(2);
    expect(funnel.merged).toBe(1);
  });

  test("participation counts each person once; departments under 5 people are folded into other departments", async () => {
    const { sponsor, campaignId } = await sponsorSetup();
    const people = async (department: string, n: number) => Promise.all(Array.from({ length: n }, () => createUser(t.db, { department })));
    const finance = await people("Finance", 5);
    const legal = await people("Legal", 4);
    const [nobody] = await people("", 1);
    const [removed] = await people("Sales", 1);
    const comment = async (who: Person, ideaId: number) => addComment(t.db, who, await ideaItemId(t.db, ideaId), { body: "I would use this every week.", submissionKey: undefined });

    const x = await createIdea(t.db, { author: finance[0]!, campaignId, coOwners: [finance[4]!] });
    await answerInvitation(t.db, finance[4]!, x, true);
    const y = await createIdea(t.db, { author: finance[1]!, campaignId });
    const z = await createIdea(t.db, { author: finance[0]!, campaignId });
    await mergeIdea(t.db, sponsor, z, { targetId: x, reason: "Same idea." });
    for (const voter of [finance[1]!, finance[2]!, legal[0]!]) await castIdeaVote(t.db, voter, x);
    for (const voter of [legal[1]!, legal[3]!, nobody!]) await castIdeaVote(t.db, voter, y);
    await comment(finance[3]!, x);
    await comment(legal[0]!, y);
    await comment(legal[2]!, x);
    await deleteComment(t.db, legal[3]!, (await comment(legal[3]!, x)).id);
    // Someone whose only part was a comment they removed took no part.
    await deleteComment(t.db, removed!, (await comment(removed!, x)).id);

    const reader = await createUser(t.db);
    const { participation } = await campaignResults(t.db, reader, campaignId);
    expect(participation).toEqual({
      ideas: 3,
      voters: 6,
      comments: 3,
      people: 10,
      departments: 2,
      byDepartment: [{ department: "Finance", people: 5 }],
      otherDepartments: 5,
    });

    // A small department's name never reaches the page.
    const page = await load(resultsLoader, reader, `/campaigns/${campaignId}/results`, campaignId);
    expect(JSON.stringify(page)).not.toMatch(/Legal|Sales/);
  });

  test("the department rule in isolation: 5 is named, 4 is not, a blank department is never named", () => {
    expect(
      foldDepartments([
        { department: "Ops", people: 4 },
        { department: "", people: 7 },
        { department: "Finance", people: 5 },
        { department: "Engineering", people: 12 },
      ]),
    ).toEqual({
      departments: 3,
      byDepartment: [
        { department: "Engineering", people: 12 },
        { department: "Finance", people: 5 },
      ],
      otherDepartments: 11,
    });
  });

  test("top ideas by votes; evaluators' averages per criterion only for those who manage the campaign", async () => {
    const [e1, e2] = [await createUser(t.db), await createUser(t.db)];
    const spaceModerator = await createUser(t.db);
    const sponsor = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db, { moderators: [spaceModerator] });
    const campaignId = await createCampaign(t.db, { sponsor, space, criteria: ["Impact", "Cost"], evaluators: [e1, e2] });
    const author = await createUser(t.db);
    const p = await createIdea(t.db, { author, campaignId, title: "The most wanted idea" });
    const q = await createIdea(t.db, { author, campaignId });
    const r = await createIdea(t.db, { author, campaignId });
    await voters(p, 3);
    await voters(q, 1);
    await scoreIdea(t.db, e1, p, { Impact: 5, Cost: 2 });
    await scoreIdea(t.db, e2, p, { Impact: 4 });
    await scoreIdea(t.db, e1, q, { Impact: 3 });

    const forSponsor = await campaignResults(t.db, sponsor, campaignId);
    expect(forSponsor.topIdeas.map((i) => [i.id, i.voteCount])).toEqual([
      [p, 3],
      [q, 1],
      [r, 0],
    ]);
    expect(forSponsor.scores).toEqual([
      {
        ideaId: p,
        criteria: [
          { criterion: "Impact", average: 4.5, count: 2 },
          { criterion: "Cost", average: 2, count: 1 },
        ],
      },
      {
        ideaId: q,
        criteria: [
          { criterion: "Impact", average: 3, count: 1 },
          { criterion: "Cost", average: null, count: 0 },
        ],
      },
      {
        ideaId: r,
        criteria: [
          { criterion: "Impact", average: null, count: 0 },
          { criterion: "Cost", average: null, count: 0 },
        ],
      },
    ]);
    expect((await campaignResults(t.db, spaceModerator, campaignId)).scores).toEqual(forSponsor.scores);

    // Evaluators score, but the averages are the sponsor's; readers and authors see none.
    for (const someone of [e1, author, await createUser(t.db)]) {
      expect((await campaignResults(t.db, someone, campaignId)).scores).toBeNull();
      const page = (await load(resultsLoader, someone, `/campaigns/${campaignId}/results`, campaignId)) as { scores: unknown; topIdeas: Array<{ id: number }> };
      expect(page.scores).toBeNull();
      expect(page.topIdeas[0]!.id).toBe(p);
    }
  });

  test("a restricted space's campaign answers 404 to outsiders on the roadmap and the results", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const insider = await createUser(t.db);
    const outsider = await createUser(t.db);
    const space = await createSpace(t.db, { members: [insider] }, "restricted");
    const campaignId = await createCampaign(t.db, { sponsor, space });
    await createIdea(t.db, { author: insider, campaignId });
    expect(await thrownStatus(load(roadmapLoader, outsider, `/campaigns/${campaignId}/roadmap`, campaignId))).toBe(404);
    expect(await thrownStatus(load(resultsLoader, outsider, `/campaigns/${campaignId}/results`, campaignId))).toBe(404);
    expect(await thrownStatus(load(roadmapLoader, insider, `/campaigns/999999/roadmap`, 999_999))).toBe(404);
    expect(await load(roadmapLoader, insider, `/campaigns/${campaignId}/roadmap`, campaignId)).toBeTruthy();
  });
});

describe("queries per page", () => {
  test("the roadmap and the results make as many queries for many ideas, voters and owners as for one", async () => {
    const { sponsor, campaignId } = await sponsorSetup({ evaluators: [] });
    const author = await createUser(t.db);
    const first = await createIdea(t.db, { author, campaignId });
    const measure = async (loader: Loader, path: string) => {
      counted.queries = 0;
      await load(loader, sponsor, path, campaignId, counted.db);
      return counted.queries;
    };
    const roadmapPath = `/campaigns/${campaignId}/roadmap`;
    const resultsPath = `/campaigns/${campaignId}/results`;
    // The first load fills what is cached for a few seconds.
    await measure(roadmapLoader, roadmapPath);
    const small = { roadmap: await measure(roadmapLoader, roadmapPath), results: await measure(resultsLoader, resultsPath) };

    for (let i = 0; i < 12; i++) {
      const id = await createIdea(t.db, { author: await createUser(t.db), campaignId, coOwners: [author] });
      await answerInvitation(t.db, author, id, true);
      await castIdeaVote(t.db, await createUser(t.db), id);
      if (i % 3 === 0) await walk(sponsor, id, ["under_review", "accepted"]);
    }
    await castIdeaVote(t.db, await createUser(t.db), first);
    const big = { roadmap: await measure(roadmapLoader, roadmapPath), results: await measure(resultsLoader, resultsPath) };
    expect(big).toEqual(small);
    // The session, the campaign and one query for the board.
    expect(small.roadmap).toBeLessThanOrEqual(3);
    // The session, the campaign, the funnel, the top ideas, participation (two) and, for the sponsor, the scores.
    expect(small.results).toBeLessThanOrEqual(7);
  });
});

describe("CSV export", () => {
  test("the sponsor downloads every idea: headers, BOM, CRLF, owners, dates and absolute links", async () => {
    const { sponsor, campaignId } = await sponsorSetup({ categories: ["Café & Co", "@Ops"] });
    const countess = await createUser(t.db, { name: "+Ada, Countess" });
    const zoe = await createUser(t.db, { name: "Zoë Brontë" });
    const formula = await createIdea(t.db, {
      author: countess,
      campaignId,
      title: '=HYPERLINK("http://evil.example","Click")',
      category: "Café & Co",
      tags: ["process", "travel"],
      coOwners: [zoe],
    });
    await answerInvitation(t.db, zoe, formula, true);
    const plain = await createIdea(t.db, { author: zoe, campaignId, title: "Crème brûlée on Fridays", category: "@Ops" });
    await castIdeaVote(t.db, await createUser(t.db), formula);
    await castIdeaVote(t.db, countess, plain);
    await addComment(t.db, sponsor, await ideaItemId(t.db, plain), { body: "Tasty and cheap, let us try.", submissionKey: undefined });
    await changeIdeaStatus(t.db, sponsor, formula, { status: "declined", reason: '-Too costly, "for now"\nMaybe next year.' });

    const response = (await load(csvLoader, sponsor, `/campaigns/${campaignId}/ideas.csv`, campaignId)) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="campaign-${campaignId}-ideas.csv"`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith("\uFEFFid,title,status,status reason,category,tags,votes,comments,owners,submitted at,status changed at,url\r\n")).toBe(true);
    expect(text.endsWith("\r\n")).toBe(true);

    const stored = await t.db.select({ id: ideas.id, createdAt: ideas.createdAt, statusChangedAt: ideas.statusChangedAt }).from(ideas).where(eq(ideas.campaignId, campaignId));
    const at = (id: number) => stored.find((r) => r.id === id)!;
    const url = (id: number) => new URL(`/ideas/${id}`, env().APP_URL ?? "http://localhost").toString();
    expect(text).toContain(
      [
        formula,
        `"'=HYPERLINK(""http://evil.example"",""Click"")"`,
        "Declined",
        `"'-Too costly, ""for now""\nMaybe next year."`,
        "Café & Co",
        "process; travel",
        "1",
        "0",
        `"'+Ada, Countess; Zoë Brontë"`,
        at(formula).createdAt.toISOString(),
        at(formula).statusChangedAt.toISOString(),
        url(formula),
      ].join(",") + "\r\n",
    );
    expect(text).toContain(
      [
        plain,
        "Crème brûlée on Fridays",
        "Submitted",
        "",
        "'@Ops",
        "process",
        "1",
        "1",
        "Zoë Brontë",
        at(plain).createdAt.toISOString(),
        at(plain).statusChangedAt.toISOString(),
        url(plain),
      ].join(",") + "\r\n",
    );
    // Header, two ideas; the line break inside the quoted reason is not a record separator.
    expect(text.split("\r\n")).toHaveLength(4);
  });

  test("403 for a plain member or an evaluator, 404 for an outsider of a restricted space; a space moderator may export", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const member = await createUser(t.db);
    const evaluator = await createUser(t.db);
    const spaceModerator = await createUser(t.db);
    const outsider = await createUser(t.db);
    const space = await createSpace(t.db, { members: [member, evaluator], moderators: [spaceModerator] }, "restricted");
    const campaignId = await createCampaign(t.db, { sponsor, space, evaluators: [evaluator] });
    await createIdea(t.db, { author: member, campaignId });
    const path = `/campaigns/${campaignId}/ideas.csv`;
    expect(await thrownStatus(load(csvLoader, member, path, campaignId))).toBe(403);
    expect(await thrownStatus(load(csvLoader, evaluator, path, campaignId))).toBe(403);
    expect(await thrownStatus(load(csvLoader, outsider, path, campaignId))).toBe(404);
    expect(await thrownStatus(campaignCsv(t.db, outsider, 2_147_483_648, "http://localhost"))).toBe(404);
    expect(((await load(csvLoader, spaceModerator, path, campaignId)) as Response).status).toBe(200);
  });
});
