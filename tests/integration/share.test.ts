import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { forumThreads, shareClicks, shareKitItems, shareLinks, users } from "#db/schema/index.ts";
import { checkArticleUrl, threadReference } from "#app/features/share/article-url.ts";
import { addCurator } from "#app/features/share/curators.server.ts";
import { sinceDay, utcDay } from "#app/features/share/days.ts";
import { activeKits, addArticleItem, addThreadItem, createKit, getMyLink, kitPage } from "#app/features/share/kits.server.ts";
import { leaderboard, myReach, setOnLeaderboard } from "#app/features/share/reach.server.ts";
import { referrerHost } from "#forum/share/router.ts";
import type { RunningForum } from "#forum/main.ts";
import { InputError } from "#app/lib/errors.ts";
import { setupTestDb } from "#tests/db.ts";
import { startTestForum } from "#tests/forum.ts";
import { createUser } from "#tests/factories/index.ts";
import { rejects } from "#tests/helpers.ts";

/**
 * Share kits and personal links: the features against a real database, and the forum's redirect
 * over HTTP with the forum running as its own role (commons_forum), which may read of a link only
 * its code and target and may write clicks.
 */

const t = setupTestDb();
let forum: RunningForum;
let base: string;

type User = Awaited<ReturnType<typeof createUser>>;
let admin: User;
let curator: User;
let ana: User;
let ben: User;

let threadNumber = 0;
async function thread(options: { withdrawnAt?: Date; expiresAt?: Date; moderation?: "visible" | "pending" } = {}) {
  threadNumber++;
  const [row] = await t.db
    .insert(forumThreads)
    .values({
      slug: `rotating-keys-${threadNumber}`,
      title: `Rotating keys, part ${threadNumber}`,
      bodyHtml: "<p>How?</p>",
      authorName: "A Northwind engineer",
      askedAt: new Date("2026-01-05T10:00:00Z"),
      withdrawnAt: options.withdrawnAt ?? null,
      expiresAt: options.expiresAt ?? null,
      moderation: options.moderation ?? "visible",
    })
    .returning();
  return row!;
}

/** GET (or HEAD) on the forum without following the redirect. */
function visit(path: string, init: RequestInit = {}) {
  return fetch(base + path, { redirect: "manual", ...init });
}

beforeAll(async () => {
  admin = await createUser(t.db, {}, "admin");
  curator = await createUser(t.db, { name: "Carla Curator" });
  ana = await createUser(t.db, { name: "Ana Alvarez" });
  ben = await createUser(t.db, { name: "Ben Brandt" });
  await addCurator(t.db, admin, { person: curator.email });
  ({ forum, base } = await startTestForum(t));
});

afterAll(async () => {
  await forum?.stop();
});

describe("personal links", () => {
  test("one link per person and item: asked again it is the same; another person or item gets another", async () => {
    const live = await thread();
    const kit = await createKit(t.db, curator, { title: "Launch week", description: "" });
    const first = await addThreadItem(t.db, curator, kit.id, { thread: `http://localhost:3001/t/${live.id}/whatever`, suggestedText: "Worth a read" });
    const second = await addArticleItem(t.db, curator, kit.id, { url: "https://blog.example.com/launch", title: "Our launch", suggestedText: "" });

    const mine = await getMyLink(t.db, ana, kit.id, first.id);
    expect(mine.created).toBe(true);
    expect(mine.code).toMatch(/^[0-9A-Za-z]{16}$/);
    expect(await getMyLink(t.db, ana, kit.id, first.id)).toEqual({ code: mine.code, created: false });
    const bens = await getMyLink(t.db, ben, kit.id, first.id);
    const other = await getMyLink(t.db, ana, kit.id, second.id);
    expect(new Set([mine.code, bens.code, other.code]).size).toBe(3);

    // Two parallel asks still make one row.
    const parallel = await Promise.all([getMyLink(t.db, curator, kit.id, first.id), getMyLink(t.db, curator, kit.id, first.id)]);
    expect(parallel[0].code).toBe(parallel[1].code);
    const rows = await t.db.select().from(shareLinks).where(eq(shareLinks.itemId, first.id));
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.code === mine.code)?.target).toBe(`/t/${live.id}/${live.slug}`);
    expect((await t.db.select().from(shareLinks).where(eq(shareLinks.code, other.code)))[0]?.target).toBe("https://blog.example.com/launch");
  });

  test("a thread the forum no longer shows can't be added, and an item whose thread went away gives no new links", async () => {
    const kit = await createKit(t.db, curator, { title: "Gone things", description: "" });
    for (const gone of [await thread({ withdrawnAt: new Date() }), await thread({ expiresAt: new Date(Date.now() - 1000) }), await thread({ moderation: "pending" })]) {
      const error = await rejects(addThreadItem(t.db, curator, kit.id, { thread: String(gone.id), suggestedText: "" }));
      expect(error.fieldErrors.thread).toMatch(/No thread the forum shows/);
    }
    const later = await thread();
    const item = await addThreadItem(t.db, curator, kit.id, { thread: `/t/${later.id}`, suggestedText: "" });
    const early = await getMyLink(t.db, ana, kit.id, item.id);
    await t.db.update(forumThreads).set({ withdrawnAt: new Date() }).where(eq(forumThreads.id, later.id));

    const page = await kitPage(t.db, ben, kit.id);
    expect(page.items[0]).toMatchObject({ id: item.id, available: false, myLink: null });
    expect((await rejects(getMyLink(t.db, ben, kit.id, item.id))).formError).toMatch(/no longer on the forum/);
    // Ana's existing link still leads to the thread's address, where the forum says it is gone.
    const response = await visit(`/s/${early.code}`);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`${base}/t/${later.id}/${later.slug}`);
    expect((await visit(`/t/${later.id}/${later.slug}`)).status).toBe(410);
  });
});

describe("the forum's redirect", () => {
  test("sends a thread's link to the forum and an article's to the article, counting GETs but not HEADs", async () => {
    const live = await thread();
    const kit = await createKit(t.db, curator, { title: "Redirects", description: "" });
    const threadItem = await addThreadItem(t.db, curator, kit.id, { thread: String(live.id), suggestedText: "" });
    const articleItem = await addArticleItem(t.db, curator, kit.id, { url: "https://news.example.org/a?x=1", title: "News", suggestedText: "" });
    const toThread = await getMyLink(t.db, ana, kit.id, threadItem.id);
    const toArticle = await getMyLink(t.db, ana, kit.id, articleItem.id);

    const first = await visit(`/s/${toThread.code}`);
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe(`${base}/t/${live.id}/${live.slug}`);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(first.headers.get("referrer-policy")).toBe("no-referrer");
    await visit(`/s/${toThread.code}`, { headers: { referer: "https://www.LinkedIn.com/feed/" } });
    await visit(`/s/${toThread.code}`, { headers: { referer: "https://www.linkedin.com/in/someone?x=1" } });
    expect((await visit(`/s/${toThread.code}`, { method: "HEAD" })).status).toBe(302);

    const article = await visit(`/s/${toArticle.code}`, { headers: { referer: `${base}/t/${live.id}` } });
    expect(article.status).toBe(302);
    expect(article.headers.get("location")).toBe("https://news.example.org/a?x=1");

    const clicks = await t.db
      .select({ code: shareClicks.code, host: shareClicks.referrerHost, clicks: shareClicks.clicks, day: shareClicks.day })
      .from(shareClicks)
      .where(sql`${shareClicks.code} in (${toThread.code}, ${toArticle.code})`);
    const today = utcDay(new Date());
    expect(clicks.sort((a, b) => (a.code + a.host).localeCompare(b.code + b.host))).toEqual(
      [
        { code: toThread.code, host: "", clicks: 1, day: today },
        { code: toThread.code, host: "www.linkedin.com", clicks: 2, day: today },
        // The forum's own pages are no referring site.
        { code: toArticle.code, host: "", clicks: 1, day: today },
      ].sort((a, b) => (a.code + a.host).localeCompare(b.code + b.host)),
    );
  });

  test("unknown and malformed codes answer the forum's 404 page", async () => {
    for (const path of ["/s/AAAAAAAAAAAAAAAA", "/s/short", "/s/not-a-code!!!!!!!!", `/s/${"a".repeat(80)}`]) {
      const response = await visit(path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).toContain("Page not found");
    }
  });

  test("the referring host is kept alone, lower-cased; anything unreadable is no host", () => {
    expect(referrerHost("https://News.Example.com:8443/path/to?q=secret#frag", "forum.example")).toBe("news.example.com");
    expect(referrerHost("https://forum.example/t/1", "forum.example")).toBe("");
    expect(referrerHost("not a url", "forum.example")).toBe("");
    expect(referrerHost("android-app://com.linkedin.android/", "forum.example")).toBe("");
    expect(referrerHost(undefined, "forum.example")).toBe("");
  });

  test("the counter keeps no personal data: a click writes one count of (code, day, host), no cookie, nothing else", async () => {
    const live = await thread();
    const kit = await createKit(t.db, curator, { title: "Privacy", description: "" });
    const item = await addThreadItem(t.db, curator, kit.id, { thread: String(live.id), suggestedText: "" });
    const { code } = await getMyLink(t.db, ben, kit.id, item.id);

    // Every table the forum's role may write, with a fingerprint of all its rows.
    const writable = await t.db.execute<{ table_name: string }>(sql`
      select distinct table_name from information_schema.role_table_grants
       where grantee = 'commons_forum' and privilege_type in ('INSERT', 'UPDATE', 'DELETE')
      union
      select distinct table_name from information_schema.column_privileges
       where grantee = 'commons_forum' and privilege_type in ('INSERT', 'UPDATE')`);
    const tables = [...writable].map((r) => r.table_name).sort();
    expect(tables).toContain("share_clicks");
    expect(tables).toContain("forum_sessions");
    const fingerprint = async () => {
      const out: Record<string, string> = {};
      for (const table of tables) {
        const [row] = await t.db.execute<{ n: number; digest: string | null }>(
          sql`select count(*)::int as n, md5(string_agg(x::text, '|' order by x::text)) as digest from ${sql.identifier(table)} x`,
        );
        out[table] = `${row!.n}:${row!.digest ?? ""}`;
      }
      return out;
    };
    const before = await fingerprint();

    const response = await visit(`/s/${code}`, {
      headers: {
        cookie: "commons_forum_session=made-up-session-token; tracking=abc",
        "user-agent": "Mozilla/5.0 (Secret Machine; Person 42)",
        "x-forwarded-for": "203.0.113.77",
        referer: "https://mail.example.net/inbox/12345?user=jane.doe%40example.net&token=xyz",
      },
    });
    expect(response.status).toBe(302);
    expect(response.headers.get("set-cookie")).toBeNull();

    const after = await fingerprint();
    for (const table of tables) if (table !== "share_clicks") expect(after[table], table).toBe(before[table]);
    expect(after.share_clicks).not.toBe(before.share_clicks);
    const [{ columns }] = (await t.db.execute<{ columns: string[] }>(
      sql`select array_agg(column_name::text order by column_name) as columns from information_schema.columns where table_name = 'share_clicks'`,
    )) as unknown as [{ columns: string[] }];
    expect(columns).toEqual(["clicks", "code", "day", "referrer_host"]);
    const rows = await t.db.select().from(shareClicks).where(eq(shareClicks.code, code));
    expect(rows).toEqual([{ code, day: utcDay(new Date()), referrerHost: "mail.example.net", clicks: 1 }]);
  });
});

describe("reach, totals and the leaderboard", () => {
  test("my reach, a kit's totals and the kit list add up; the leaderboard lists only those who opted in", async () => {
    const now = new Date();
    const old = sinceDay(now, 45);
    const today = utcDay(now);
    const kit = await createKit(t.db, curator, { title: "Reach", description: "Share *these*." });
    const a = await addArticleItem(t.db, curator, kit.id, { url: "https://a.example.com/1", title: "First", suggestedText: "" });
    const b = await addArticleItem(t.db, curator, kit.id, { url: "https://a.example.com/2", title: "Second", suggestedText: "" });
    const carl = await createUser(t.db, { name: "Carl Clicks" });
    const dora = await createUser(t.db, { name: "Dora Dawn" });
    const carlA = (await getMyLink(t.db, carl, kit.id, a.id)).code;
    const carlB = (await getMyLink(t.db, carl, kit.id, b.id)).code;
    const doraA = (await getMyLink(t.db, dora, kit.id, a.id)).code;
    const hosts = ["one.example", "two.example", "three.example", "four.example", "five.example", "six.example"];
    await t.db
      .insert(shareClicks)
      .values([
        ...hosts.map((host, i) => ({ code: carlA, day: today, referrerHost: host, clicks: 10 - i })),
        { code: carlA, day: old, referrerHost: "", clicks: 100 },
        { code: carlB, day: today, referrerHost: "one.example", clicks: 3 },
        { code: doraA, day: today, referrerHost: "", clicks: 50 },
      ]);

    const reach = await myReach(t.db, carl, now);
    const recent = 10 + 9 + 8 + 7 + 6 + 5 + 3;
    expect(reach).toMatchObject({ clicks30: recent, clicksAll: recent + 100, linkCount: 2 });
    expect(reach.items.map((i) => [i.title, i.clicks30, i.clicksAll])).toEqual([
      ["First", 45, 145],
      ["Second", 3, 3],
    ]);
    expect(reach.hosts).toEqual([
      { host: "", clicks: 100 },
      { host: "one.example", clicks: 13 },
      { host: "two.example", clicks: 9 },
      { host: "three.example", clicks: 8 },
      { host: "four.example", clicks: 7 },
    ]);
    expect(await myReach(t.db, await createUser(t.db), now)).toEqual({ clicks30: 0, clicksAll: 0, linkCount: 0, items: [], hosts: [] });

    const page = await kitPage(t.db, dora, kit.id, now);
    expect(page.items.map((i) => [i.title, i.clicks30, i.clicksAll])).toEqual([
      ["First", 95, 195],
      ["Second", 3, 3],
    ]);
    expect(page.totals).toEqual({ clicks30: 98, clicksAll: 198 });
    expect(page.kit.descriptionHtml).toContain("<em>these</em>");
    expect(page.items[0]!.myLink).toMatch(new RegExp(`/s/${doraA}$`));
    const listed = (await activeKits(t.db, 1)).kits.find((k) => k.id === kit.id);
    expect(listed).toMatchObject({ itemCount: 2, clicks: 198 });

    // Dora has more clicks but never opted in: she is not listed.
    await setOnLeaderboard(t.db, carl, true);
    let board = await leaderboard(t.db, now);
    expect(board.map((r) => r.name)).toContain("Carl Clicks");
    expect(board.find((r) => r.userId === carl.id)?.clicks).toBe(recent);
    expect(board.map((r) => r.userId)).not.toContain(dora.id);
    // Leaving takes them off; a deactivated person is never listed.
    await setOnLeaderboard(t.db, carl, false);
    await setOnLeaderboard(t.db, dora, true);
    await t.db.update(users).set({ deactivatedAt: new Date() }).where(eq(users.id, dora.id));
    board = await leaderboard(t.db, now);
    expect(board.map((r) => r.userId)).not.toContain(carl.id);
    expect(board.map((r) => r.userId)).not.toContain(dora.id);
  });
});

describe("article addresses", () => {
  test("only public https addresses without credentials are accepted", () => {
    expect(checkArticleUrl("https://blog.example.com/post?id=1")).toEqual({ ok: true, url: "https://blog.example.com/post?id=1" });
    for (const bad of [
      "http://blog.example.com/post",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "https://user:secret@blog.example.com/",
      "https://user@blog.example.com/",
      "https://10.0.0.5/",
      "https://192.168.1.1/admin",
      "https://172.20.0.1/",
      "https://127.0.0.1/",
      "https://0x7f.0.0.1/",
      "https://2130706433/",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/",
      "https://[fd00::1]/",
      "https://[fe80::1]/",
      "https://[::ffff:127.0.0.1]/",
      "https://localhost/",
      "https://intranet/",
      "not a url",
      "",
    ]) {
      expect(checkArticleUrl(bad).ok, bad).toBe(false);
    }
  });

  test("a refused address is a field error and writes nothing", async () => {
    const kit = await createKit(t.db, curator, { title: "Refusals", description: "" });
    const error = await rejects(addArticleItem(t.db, curator, kit.id, { url: "https://192.168.0.10/x", title: "Internal", suggestedText: "" }));
    expect(error).toBeInstanceOf(InputError);
    expect(error.fieldErrors.url).toMatch(/private network/);
    expect(
      await t.db
        .select()
        .from(shareKitItems)
        .where(and(eq(shareKitItems.kitId, kit.id))),
    ).toEqual([]);
  });

  test("a thread is named by its forum address or number, and only on the forum", () => {
    expect(threadReference("12", "https://forum.example")).toBe(12);
    expect(threadReference("https://forum.example/t/12/some-slug", "https://forum.example")).toBe(12);
    expect(threadReference("/t/12", "https://forum.example")).toBe(12);
    expect(threadReference("https://evil.example/t/12/some-slug", "https://forum.example")).toBeNull();
    expect(threadReference("https://forum.example/topics/12", "https://forum.example")).toBeNull();
  });
});
