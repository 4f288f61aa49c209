import { describe, expect, test } from "vitest";
import { acceptAnswer } from "#app/features/qa/accept.server.ts";
import { castVote } from "#app/features/qa/votes.server.ts";
import { reputationProfile } from "#app/features/reputation/profile.server.ts";
import { eq } from "drizzle-orm";
import { posts, spaces } from "#db/schema/index.ts";
import { removeSpaceMember } from "#app/features/spaces/spaces.server.ts";
import { loader as profileLoader } from "#app/routes/people/profile.tsx";
import { NotFoundError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { reputationOf, requestAs, routeContext } from "#tests/helpers.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";

const t = setupTestDb();

async function spaceOf(postId: number) {
  const [row] = await t.db.select({ id: spaces.id }).from(posts).innerJoin(spaces, eq(spaces.id, posts.spaceId)).where(eq(posts.id, postId));
  return row!;
}

/**
 * A person active in an open space and in a restricted one. Whoever views their profile sees the
 * restricted space's questions, answers, tags, events and their counts only if they may see it.
 */
async function scenario() {
  const person = await createUser(t.db, { name: "Rita Profile" });
  const member = await createUser(t.db);
  const outsider = await createUser(t.db);
  const open = await createSpace(t.db);
  const restricted = await createSpace(t.db, { members: [person, member] }, "restricted");

  const openQuestion = await createQuestion(t.db, { author: person, space: open, title: "Where do we book meeting rooms?", tags: ["facilities"] });
  const secretQuestion = await createQuestion(t.db, { author: person, space: restricted, title: "Rotating the signing keys for Project Falcon", tags: ["falcon-keys"] });
  const otherSecret = await createQuestion(t.db, { author: member, space: restricted, title: "Who holds the Falcon escrow credentials?", tags: ["falcon-escrow"] });
  const secretAnswer = await createAnswer(t.db, { author: person, questionId: otherSecret, body: "The escrow credentials sit with the security lead." });

  await castVote(t.db, member, openQuestion, 1);
  await castVote(t.db, member, secretQuestion, 1);
  await castVote(t.db, member, secretAnswer, 1);
  await acceptAnswer(t.db, member, secretAnswer);
  return { person, member, outsider, openQuestion, secretQuestion, secretAnswer };
}

describe("a profile shows only what the viewer may see", () => {
  test("a non-member sees nothing from the restricted space: no item, count, tag or event", async () => {
    const s = await scenario();
    const profile = await reputationProfile(t.db, s.outsider, s.person.id);
    // The total too: only the open space's upvote (of 5 + 5 + 10 + 15).
    expect(profile.reputation).toBe(5);
    expect(profile.questionCount).toBe(1);
    expect(profile.answerCount).toBe(0);
    expect(profile.questions.map((q) => q.title)).toEqual(["Where do we book meeting rooms?"]);
    expect(profile.answers).toEqual([]);
    expect(profile.topTags).toEqual([{ name: "facilities", score: 5 }]);
    expect(profile.events.map((e) => [e.label, e.delta, e.link?.title])).toEqual([["Question voted up", 5, "Where do we book meeting rooms?"]]);
    expect(profile.chart.at(-1)!.total).toBe(5);
    const text = JSON.stringify(profile);
    for (const secret of ["Falcon", "falcon", "escrow"]) expect(text).not.toContain(secret);
  });

  test("a member sees all of it", async () => {
    const s = await scenario();
    const profile = await reputationProfile(t.db, s.member, s.person.id);
    expect(profile.questionCount).toBe(2);
    expect(profile.answerCount).toBe(1);
    expect(profile.questions.map((q) => q.title).sort()).toEqual(["Rotating the signing keys for Project Falcon", "Where do we book meeting rooms?"]);
    expect(profile.answers).toMatchObject([{ id: s.secretAnswer, title: "Who holds the Falcon escrow credentials?", accepted: true }]);
    expect(profile.topTags).toEqual([
      { name: "falcon-escrow", score: 25 },
      { name: "facilities", score: 5 },
      { name: "falcon-keys", score: 5 },
    ]);
    expect(profile.events.map((e) => e.delta).sort((a, b) => a - b)).toEqual([5, 5, 10, 15]);
    expect(profile.chart.at(-1)!.total).toBe(35);
    expect(profile.reputation).toBe(35);
    // The person sees their own restricted work too.
    const own = await reputationProfile(t.db, s.person, s.person.id);
    expect(own.questionCount).toBe(2);
  });

  test("the total: the visible spaces' part to others, the whole to the person and to admins, on the profile page too", async () => {
    const s = await scenario();
    const admin = await createUser(t.db, {}, "admin");
    expect(await reputationOf(t.db, s.person.id)).toBe(35);
    const shown = async (viewer: { id: number }) => {
      const { context } = routeContext(t.db);
      const page = (await profileLoader({ request: await requestAs(t.db, viewer, `/people/${s.person.id}`), context, params: { userId: String(s.person.id) } } as never)) as {
        reputation: { reputation: number };
      };
      return page.reputation.reputation;
    };
    expect(await shown(s.outsider)).toBe(5);
    expect(await shown(s.member)).toBe(35);
    expect(await shown(s.person)).toBe(35);
    expect(await shown(admin)).toBe(35);
    // The person left the restricted space: others no longer see what it paid, they still see all of it.
    await removeSpaceMember(t.db, admin, (await spaceOf(s.secretQuestion)).id, s.person.id);
    expect(await shown(s.person)).toBe(35);
    expect(await shown(s.member)).toBe(35);
  });

  test("deleted posts leave the lists and counts, and their events lose the link", async () => {
    const s = await scenario();
    await t.db.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, s.openQuestion));
    const profile = await reputationProfile(t.db, s.outsider, s.person.id);
    expect(profile.questionCount).toBe(0);
    expect(profile.questions).toEqual([]);
    expect(profile.events).toMatchObject([{ delta: 5, link: null }]);
  });

  test("privileges held and the next one", async () => {
    const s = await scenario();
    const profile = await reputationProfile(t.db, s.outsider, s.person.id);
    expect(profile.progress.privileges.filter((p) => p.earned)).toEqual([]);
    // Counted from the total shown: privileges passed would give the hidden part away.
    expect(profile.progress.next).toMatchObject({ key: "voteDown", threshold: 50, remaining: 45 });
    const member = await reputationProfile(t.db, s.member, s.person.id);
    expect(member.progress.next).toMatchObject({ key: "voteDown", threshold: 50, remaining: 15 });
  });

  test("customers and missing people have no profile", async () => {
    const customer = await createUser(t.db, {}, "customer");
    const viewer = await createUser(t.db);
    await expect(reputationProfile(t.db, viewer, customer.id)).rejects.toThrow(NotFoundError);
    await expect(reputationProfile(t.db, viewer, 999_999)).rejects.toThrow(NotFoundError);
  });
});
