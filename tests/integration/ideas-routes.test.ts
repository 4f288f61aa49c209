import { eq } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { campaigns, ideas } from "#db/schema/index.ts";
import { action as newCampaignAction } from "#app/routes/campaigns/new.tsx";
import { action as submitAction } from "#app/routes/campaigns/submit.tsx";
import { action as ideaAction, loader as ideaLoader } from "#app/routes/ideas/idea.tsx";
import { action as voteAction } from "#app/routes/items/vote.tsx";
import { action as followAction } from "#app/routes/items/follow.ts";
import { loader as campaignLoader } from "#app/routes/campaigns/campaign.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createSpace, createUser } from "#tests/factories/index.ts";
import { createCampaign, createIdea, ideaItemId } from "#tests/factories/ideas.ts";
import { requestAs, routeContext, thrownStatus, postAs } from "#tests/helpers.ts";

const t = setupTestDb();

type Reply = { data?: Record<string, unknown>; init?: { status?: number } };
const run = (fn: (args: never) => unknown, request: Request, params: Record<string, string> = {}) =>
  Promise.resolve(fn({ request, context: routeContext(t.db).context, params } as never)) as Promise<Reply & Record<string, unknown>>;

const post = (user: { id: number }, path: string, fields: Record<string, string>) => postAs(t.db, user, path, fields);

/** The Response a route threw (a redirect), or fails the test. */
async function redirected(promise: Promise<unknown>): Promise<string> {
  const thrown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(Response);
  return (thrown as Response).headers.get("location") ?? "";
}

describe("campaign and idea forms", () => {
  test("a bad campaign comes back with field errors and the typed text; nothing is written", async () => {
    const sponsor = await createUser(t.db, {}, "moderator");
    const space = await createSpace(t.db);
    const fields = {
      space: space.slug,
      title: "Make travel simpler for everyone",
      brief: "Short",
      startsOn: "2026-12-10",
      endsOn: "2026-12-01",
      voteBudget: "500",
      evaluators: "@nobody.here",
    };
    const reply = await run(newCampaignAction, await post(sponsor, "/campaigns/new", fields));
    expect(reply.init?.status).toBe(400);
    const failure = reply.data as { fieldErrors: Record<string, string>; values: Record<string, string> };
    expect(failure.fieldErrors.brief).toMatch(/at least/);
    expect(failure.fieldErrors.endsOn).toMatch(/cannot come before/);
    expect(failure.fieldErrors.voteBudget).toMatch(/1 to 100/);
    expect(failure.values.title).toBe("Make travel simpler for everyone");
    expect(await t.db.select().from(campaigns).where(eq(campaigns.spaceId, space.id))).toHaveLength(0);

    // An unknown evaluator is the feature's field error, with the text kept.
    const second = await run(newCampaignAction, await post(sponsor, "/campaigns/new", { ...fields, brief: "What slows travel booking down today?", endsOn: "2026-12-20", voteBudget: "5" }));
    expect((second.data as { fieldErrors: Record<string, string> }).fieldErrors.evaluators).toMatch(/@nobody\.here/);
    const created = await redirected(
      run(newCampaignAction, await post(sponsor, "/campaigns/new", { ...fields, brief: "What slows travel booking down today?", endsOn: "2026-12-20", voteBudget: "5", evaluators: "" })),
    );
    expect(created).toMatch(/^\/campaigns\/\d+$/);
  });

  test("submitting, declining without a reason and unknown intents answer 400s with messages, never a 500", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const author = await createUser(t.db);
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const bad = await run(submitAction, await post(author, `/campaigns/${campaignId}/submit`, { title: "Too short", body: "Also short", tags: "" }), { campaignId: String(campaignId) });
    expect(bad.init?.status).toBe(400);
    expect(Object.keys((bad.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["body", "tags", "title"]);
    expect((bad.data as { values: Record<string, string> }).values.body).toBe("Also short");

    const ideaId = await createIdea(t.db, { author, campaignId });
    const params = { ideaId: String(ideaId) };
    const declined = await run(ideaAction, await post(sponsor, `/ideas/${ideaId}`, { intent: "status", status: "declined", reason: "" }), params);
    expect(declined.init?.status).toBe(400);
    expect((declined.data as { fieldErrors: Record<string, string> }).fieldErrors.reason).toMatch(/why it was declined/);
    const [row] = await t.db.select({ status: ideas.status }).from(ideas).where(eq(ideas.id, ideaId));
    expect(row!.status).toBe("submitted");

    expect(await thrownStatus(run(ideaAction, await post(sponsor, `/ideas/${ideaId}`, { intent: "launch-rockets" }), params))).toBe(400);
    // Votes go through the one vote protocol, on the idea's item.
    const itemId = await ideaItemId(t.db, ideaId);
    const vote = `/items/${itemId}/vote`;
    const itemParams = { itemId: String(itemId) };
    expect(await thrownStatus(run(voteAction, await post(sponsor, vote, { value: "maybe" }), itemParams))).toBe(400);
    // A member trying the sponsor's form is refused, not crashed.
    expect(await thrownStatus(run(ideaAction, await post(author, `/ideas/${ideaId}`, { intent: "status", status: "accepted", reason: "" }), params))).toBe(403);
    // A refused vote through a fetcher is JSON with the reason.
    const own = await run(voteAction, await post(author, vote, { value: "up", _fetcher: "1" }), itemParams);
    expect(own.init?.status).toBe(400);
    expect(own.data).toEqual({ ok: false, message: "You can't vote for your own idea." });
    // Ideas take support: there is no vote against one.
    const against = await run(voteAction, await post(sponsor, vote, { value: "down", _fetcher: "1" }), itemParams);
    expect(against.init?.status).toBe(400);
    expect((against.data as { message: string }).message).toMatch(/no votes against it/);
    // Without JavaScript a vote redirects back where it came from (same-site paths only).
    expect(await redirected(run(voteAction, await post(sponsor, vote, { value: "up", redirectTo: `/campaigns/${campaignId}` }), itemParams))).toBe(`/campaigns/${campaignId}`);
    expect(await redirected(run(voteAction, await post(sponsor, vote, { value: "none", redirectTo: "https://evil.example/" }), itemParams))).not.toMatch(/evil/);
    // A fetcher gets the vote, the count and the budget back.
    expect(await run(voteAction, await post(sponsor, vote, { value: "up", _fetcher: "1" }), itemParams)).toEqual({ ok: true, myVote: 1, score: 1, votesLeft: null });
    expect(await run(voteAction, await post(sponsor, vote, { value: "none", _fetcher: "1" }), itemParams)).toEqual({ ok: true, myVote: 0, score: 0, votesLeft: null });
  });

  test("comments, their removal and following go through the shared forms and routes, back to the idea", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const [author, writer] = [await createUser(t.db), await createUser(t.db)];
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space });
    const ideaId = await createIdea(t.db, { author, campaignId });
    const itemId = String(await ideaItemId(t.db, ideaId));
    const params = { ideaId: String(ideaId) };
    const page = `/ideas/${ideaId}`;

    // A bad comment comes back for the form under this item, with the text kept.
    const bad = await run(ideaAction, await post(writer, page, { intent: "comment", itemId, body: "x" }), params);
    expect(bad.init?.status).toBe(400);
    expect(bad.data).toMatchObject({ intent: "comment", itemId: Number(itemId), values: { body: "x" } });
    expect((bad.data as { fieldErrors: Record<string, string> }).fieldErrors.body).toMatch(/at least/);

    const at = await redirected(
      run(ideaAction, await post(writer, page, { intent: "comment", itemId, body: "Could we try it with one team first?", submissionKey: "first-submit-key" }), params),
    );
    expect(at).toMatch(new RegExp(`^/ideas/${ideaId}#comment-\\d+$`));
    const commentId = at.split("#comment-")[1]!;
    // The same form sent twice is one comment.
    expect(
      await redirected(run(ideaAction, await post(writer, page, { intent: "comment", itemId, body: "Could we try it with one team first?", submissionKey: "first-submit-key" }), params)),
    ).toBe(at);
    const [row] = await t.db.select({ commentCount: ideas.commentCount }).from(ideas).where(eq(ideas.id, ideaId));
    expect(row!.commentCount).toBe(1);

    expect(await redirected(run(ideaAction, await post(writer, page, { intent: "delete-comment", commentId }), params))).toBe(at);
    expect(await redirected(run(ideaAction, await post(writer, page, { intent: "undelete-comment", commentId }), params))).toBe(at);
    // Someone else's comment is not theirs to remove.
    expect(await thrownStatus(run(ideaAction, await post(author, page, { intent: "delete-comment", commentId }), params))).toBe(403);

    // Following is the items' follow route; the page shows it.
    const reader = await createUser(t.db);
    expect(await run(followAction, await post(reader, `/items/${itemId}/follow`, { intent: "follow" }), { itemId })).toEqual({ following: true });
    expect((await run(ideaLoader, await requestAs(t.db, reader, page), params)).following).toBe(true);
    expect(await redirected(run(followAction, await post(reader, `/items/${itemId}/follow`, { intent: "unfollow", redirectTo: page }), { itemId }))).toBe(page);
    expect((await run(ideaLoader, await requestAs(t.db, reader, page), params)).following).toBe(false);
  });

  test("scores stay out of the idea page's data for anyone but evaluators and the sponsor", async () => {
    const sponsor = await createUser(t.db, {}, "admin");
    const evaluator = await createUser(t.db);
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const campaignId = await createCampaign(t.db, { sponsor, space, evaluators: [evaluator] });
    const ideaId = await createIdea(t.db, { author: await createUser(t.db), campaignId });
    const params = { ideaId: String(ideaId) };
    expect(await redirected(run(ideaAction, await post(evaluator, `/ideas/${ideaId}`, { intent: "score", "score.0": "5", "score.1": "2" }), params))).toBe(`/ideas/${ideaId}`);
    const bad = await run(ideaAction, await post(evaluator, `/ideas/${ideaId}`, { intent: "score", "score.0": "9" }), params);
    expect((bad.data as { fieldErrors: Record<string, string> }).fieldErrors["score.0"]).toMatch(/1 to 5/);

    const readerPage = await run(ideaLoader, await requestAs(t.db, reader, `/ideas/${ideaId}`), params);
    expect(readerPage.scores).toEqual({ kind: "none" });
    // Nothing about scores at all (not even the criteria they would be on).
    expect(JSON.stringify(readerPage)).not.toMatch(/summary|"mine"|"average"|Feasibility/);
    const sponsorPage = await run(ideaLoader, await requestAs(t.db, sponsor, `/ideas/${ideaId}`), params);
    expect(sponsorPage.scores).toMatchObject({
      kind: "sponsor",
      evaluators: 1,
      summary: [
        { criterion: "Impact", average: 5 },
        { criterion: "Feasibility", average: 2 },
      ],
    });
    const campaignPage = await run(campaignLoader, await requestAs(t.db, reader, `/campaigns/${campaignId}`), { campaignId: String(campaignId) });
    expect(JSON.stringify(campaignPage)).not.toMatch(/"score"/);
  });
});
