import { setTimeout as sleep } from "node:timers/promises";
import { eq, sql } from "drizzle-orm";
import { JSDOM } from "jsdom";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { forumAccounts, forumAnswers, forumThreads } from "#db/schema/index.ts";
import { SESSION_COOKIE } from "#forum/accounts/index.ts";
import { createForumSession } from "#forum/accounts/session.server.ts";
import type { RunningForum } from "#forum/main.ts";
import { setupTestDb } from "#tests/db.ts";
import { executable, payloads } from "#tests/xss-render.ts";
import { startTestForum } from "#tests/forum.ts";

/**
 * The public forum's reading pages through HTTP: the forum runs in-process, connected as its own
 * PostgreSQL role (so every query here is one that role may run); threads are written with the
 * app's role, as the publishing code writes them, and a change is announced with the same NOTIFY.
 */

const t = setupTestDb();
/** The public address: canonical links and feeds name it, whatever port the test reaches. */
const PUBLIC = "https://forum.northwind.example";
let forum: RunningForum;
let base: string;

const window = new JSDOM("").window;
const parseHtml = (html: string) => new window.DOMParser().parseFromString(html, "text/html");
/** An XML document, or a failure naming the parser's complaint. */
function parseXml(xml: string): Document {
  const doc = new window.DOMParser().parseFromString(xml, "application/xml");
  const error = doc.getElementsByTagName("parsererror")[0];
  if (error) throw new Error(`not well-formed XML: ${error.textContent}`);
  return doc;
}

beforeAll(async () => {
  ({ forum, base } = await startTestForum(t, { publicUrl: PUBLIC }));
});
afterAll(async () => {
  await forum?.stop();
});

type Page = { status: number; headers: Headers; body: string };

async function get(path: string, headers: Record<string, string> = {}): Promise<Page> {
  const response = await fetch(base + path, { headers, redirect: "manual" });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

let published = 0;
/** A published thread as the publishing code leaves it (NOTIFY included); each one a second newer than the last. */
async function publish(fields: Partial<typeof forumThreads.$inferInsert> = {}, answers: Array<Partial<typeof forumAnswers.$inferInsert>> = [], announced = true) {
  published++;
  const at = new Date(Date.UTC(2026, 0, 1) + published * 1000);
  const [thread] = await t.db
    .insert(forumThreads)
    .values({
      slug: `thread-${published}`,
      title: `Thread ${published}`,
      bodyHtml: "<p>How do I rotate the <code>api</code> keys?</p>",
      summary: "How do I rotate the api keys?",
      authorName: "A Northwind engineer",
      askedAt: new Date(at.getTime() - 86_400_000),
      publishedAt: at,
      updatedAt: at,
      tags: ["keys"],
      answerCount: answers.length,
      ...fields,
    })
    .returning();
  if (answers.length > 0) {
    await t.db.insert(forumAnswers).values(
      answers.map((a, i) => ({
        threadId: thread!.id,
        position: i + 1,
        bodyHtml: `<p>Answer ${i + 1}</p>`,
        authorName: "A Northwind engineer",
        answeredAt: at,
        ...a,
      })),
    );
  }
  if (announced) await announce(thread!.id);
  return thread!;
}

/**
 * What the publishing code sends in its transaction when a thread changes; resolves once the forum
 * has heard it (its cache was emptied: the generation moved), polling, never a fixed wait.
 */
async function announce(threadId: number) {
  const before = forum.cache.generation;
  await t.db.execute(sql`select pg_notify('commons_forum', ${String(threadId)})`);
  for (let i = 0; i < 200 && forum.cache.generation === before; i++) await sleep(25);
  expect(forum.cache.generation).toBeGreaterThan(before);
}

function mainOf(html: string): Element {
  return parseHtml(html).querySelector("main")!;
}

describe("the forum's pages", () => {
  test("an empty forum says so; health and readiness answer as the forum's role", async () => {
    const home = await get("/");
    expect(home.status).toBe(200);
    expect(mainOf(home.body).textContent).toContain("Nothing is published yet");
    expect((await get("/healthz")).status).toBe(200);
    const ready = await get("/readyz");
    expect([ready.status, JSON.parse(ready.body)]).toEqual([200, { status: "ready", database: "ok" }]);
    // Our own script file only (the ask form's similar threads): never an inline one.
    expect(home.headers.get("content-security-policy")).toContain("script-src 'self';");
    expect(home.headers.get("x-frame-options")).toBe("DENY");
    const robots = await get("/robots.txt");
    expect(robots.body).toContain(`Sitemap: ${PUBLIC}/sitemap.xml`);
    const missing = await get("/no/such/page");
    expect(missing.status).toBe(404);
    expect(parseHtml(missing.body).querySelector("h1")?.textContent).toBe("Page not found");
    // Bad input is a 400 page, never a 500: a cursor that is no id, an address that does not decode.
    expect((await get("/?before=nonsense")).status).toBe(400);
    const undecodable = await get("/topics/%E0%A4%A");
    expect(undecodable.status).toBe(400);
    expect(undecodable.body).not.toContain("URIError");
  });

  test("a thread: its page, authors, accepted answer first, structured data, canonical and sharing tags", async () => {
    const thread = await publish(
      {
        slug: "rotate-api-keys",
        title: "How do I rotate API keys?",
        authorName: "Sofia Martins",
        authorTitle: "Senior Engineer",
        authorNamed: true,
        tags: ["security", "keys"],
        solved: true,
      },
      [{ bodyHtml: "<p>Use the console.</p>" }, { bodyHtml: "<p>Run <code>keys rotate</code>.</p>", accepted: true, authorName: "Priya Nair", authorTitle: "SRE", authorNamed: true }],
    );
    const page = await get(`/t/${thread.id}/rotate-api-keys`);
    expect(page.status).toBe(200);
    const doc = parseHtml(page.body);
    expect(doc.documentElement.lang).toBe("en");
    expect(doc.querySelectorAll("h1")).toHaveLength(1);
    expect(doc.querySelector("h1")!.textContent).toBe("How do I rotate API keys?");
    expect(doc.title).toBe("How do I rotate API keys? · Northwind Community");
    const question = doc.querySelector(".question")!;
    expect(question.querySelector(".byline")!.textContent).toBe("Sofia Martins · Senior Engineer works at Northwind");
    const answers = [...doc.querySelectorAll(".answer")];
    expect(answers.map((a) => a.querySelector(".prose")!.textContent)).toEqual(["Run keys rotate.", "Use the console."]);
    expect(answers[0]!.textContent).toContain("Accepted solution");
    expect(answers[1]!.textContent).not.toContain("Accepted solution");
    // Not named: the name as stored, and no "works at" badge.
    expect(answers[1]!.querySelector(".byline")!.textContent).toMatch(/^A Northwind engineer · Answered/);
    expect([...question.querySelectorAll(".tags a")].map((a) => a.getAttribute("href"))).toEqual(["/topics/security", "/topics/keys"]);

    const canonical = `${PUBLIC}/t/${thread.id}/rotate-api-keys`;
    const meta = (selector: string) => doc.querySelector(selector)?.getAttribute("content");
    expect(doc.querySelector('link[rel="canonical"]')?.getAttribute("href")).toBe(canonical);
    expect(meta('meta[property="og:url"]')).toBe(canonical);
    expect(meta('meta[property="og:title"]')).toBe("How do I rotate API keys? · Northwind Community");
    expect(meta('meta[property="og:description"]')).toBe("How do I rotate the api keys?");
    expect(meta('meta[property="og:type"]')).toBe("article");
    expect(meta('meta[property="og:site_name"]')).toBe("Northwind Community");
    expect(meta('meta[name="twitter:card"]')).toBe("summary");
    expect(meta('meta[name="description"]')).toBe("How do I rotate the api keys?");

    const scripts = [...doc.querySelectorAll("script")];
    expect(scripts.map((s) => s.getAttribute("type"))).toEqual(["application/ld+json"]);
    const data = JSON.parse(scripts[0]!.textContent!) as { "@type": string; mainEntity: { acceptedAnswer: { url: string } } };
    expect(data["@type"]).toBe("QAPage");
    expect(data.mainEntity).toMatchObject({
      "@type": "Question",
      name: "How do I rotate API keys?",
      text: "How do I rotate the api keys?",
      answerCount: 2,
      author: { "@type": "Person", name: "Sofia Martins" },
      acceptedAnswer: { "@type": "Answer", text: "Run keys rotate.", author: { "@type": "Person", name: "Priya Nair" } },
      suggestedAnswer: [{ "@type": "Answer", text: "Use the console.", author: { "@type": "Organization", name: "Northwind" } }],
    });
    expect(data.mainEntity.acceptedAnswer.url).toMatch(new RegExp(`^${canonical}#answer-\\d+$`));

    // Any other slug, or none, is a permanent redirect to the one address (the query kept).
    for (const path of [`/t/${thread.id}/old-title?ref=mail`, `/t/${thread.id}`]) {
      const moved = await get(path);
      expect(moved.status).toBe(301);
      expect(moved.headers.get("location")).toBe(`/t/${thread.id}/rotate-api-keys${path.includes("?") ? "?ref=mail" : ""}`);
    }
    for (const path of ["/t/999999/x", "/t/abc/x", "/t/99999999999/x"]) expect((await get(path)).status).toBe(404);
  });

  test("home, topics, feeds and the sitemap list live threads, and well-formed", async () => {
    const thread = await publish({ slug: "vpn-setup", title: "VPN & proxy setup", summary: "Setting up <the> VPN", tags: ["network"] });
    const home = mainOf((await get("/")).body);
    expect([...home.querySelectorAll(".thread-title a")].map((a) => a.textContent)).toContain("VPN & proxy setup");
    expect(home.querySelector(".topic-list")!.textContent).toContain("network");

    const topic = await get("/topics/network");
    expect(topic.status).toBe(200);
    expect(parseHtml(topic.body).querySelector('link[rel="alternate"][type="application/rss+xml"]')?.getAttribute("href")).toBe("/topics/network/feed.xml");
    expect(mainOf(topic.body).textContent).toContain("VPN & proxy setup");
    expect((await get("/topics/no-such-topic")).status).toBe(404);
    expect(mainOf((await get("/topics")).body).textContent).toContain("network");

    const link = `${PUBLIC}/t/${thread.id}/vpn-setup`;
    for (const path of ["/topics/network/feed.xml", "/feed.xml"]) {
      const feed = await get(path);
      expect(feed.headers.get("content-type")).toContain("application/rss+xml");
      const items = [...parseXml(feed.body).getElementsByTagName("item")];
      const item = items.find((i) => i.getElementsByTagName("guid")[0]?.textContent === link);
      expect(item, feed.body).toBeDefined();
      expect(item!.getElementsByTagName("title")[0]!.textContent).toBe("VPN & proxy setup");
      expect(item!.getElementsByTagName("description")[0]!.textContent).toBe("Setting up <the> VPN");
      expect(new Date(item!.getElementsByTagName("pubDate")[0]!.textContent!).toISOString()).toBe(thread.publishedAt.toISOString());
    }
    const map = parseXml((await get("/sitemap.xml")).body);
    const locs = [...map.getElementsByTagName("loc")].map((l) => l.textContent);
    expect(locs).toEqual(expect.arrayContaining([`${PUBLIC}/`, `${PUBLIC}/topics`, `${PUBLIC}/topics/network`, link]));
  });

  test("keyset pages: 30 to a page, the next page after the last one shown", async () => {
    for (let i = 0; i < 31; i++) await publish({ title: `Paged ${i}`, tags: ["paged"] });
    const first = mainOf((await get("/topics/paged")).body);
    const titles = [...first.querySelectorAll(".thread-title a")].map((a) => a.textContent);
    expect(titles).toHaveLength(30);
    expect(titles[0]).toBe("Paged 30");
    const older = first.querySelector('a[rel="next"]')!.getAttribute("href")!;
    const second = mainOf((await get(older)).body);
    expect([...second.querySelectorAll(".thread-title a")].map((a) => a.textContent)).toEqual(["Paged 0"]);
    expect(second.querySelector('a[rel="next"]')).toBeNull();
  });

  test("a withdrawn thread answers 410 and is gone from every list, feed and the sitemap", async () => {
    const thread = await publish({ slug: "to-withdraw", title: "Soon withdrawn", tags: ["withdrawn-topic"] });
    expect((await get(`/t/${thread.id}/to-withdraw`)).status).toBe(200);
    expect((await get("/")).body).toContain("Soon withdrawn");
    await t.db.update(forumThreads).set({ withdrawnAt: new Date(), bodyHtml: "" }).where(eq(forumThreads.id, thread.id));
    await announce(thread.id);

    const gone = await get(`/t/${thread.id}/to-withdraw`);
    expect(gone.status).toBe(410);
    expect(parseHtml(gone.body).querySelector("h1")?.textContent).toBe("This thread is no longer published");
    expect(parseHtml(gone.body).querySelector('meta[name="robots"]')?.getAttribute("content")).toBe("noindex");
    for (const path of ["/", "/feed.xml", "/sitemap.xml", "/topics"]) expect((await get(path)).body, path).not.toMatch(/Soon withdrawn|to-withdraw|withdrawn-topic/);
    expect((await get("/topics/withdrawn-topic")).status).toBe(404);
  });

  test("an expiry takes effect at its moment, even on a cached page, with no job and no NOTIFY", async () => {
    const thread = await publish({ slug: "expiring", title: "Expiring soon", publishedAt: new Date(Date.UTC(2030, 0, 1)), expiresAt: new Date(Date.now() + 2500) });
    const before = await get("/");
    expect(before.body).toContain("Expiring soon");
    // Browsers revalidate every time: none keeps the page past the thread's expiry.
    expect(before.headers.get("cache-control")).toBe("public, no-cache");
    expect((await get("/")).headers.get("x-forum-cache")).toBe("hit");
    await sleep(Math.max(0, thread.expiresAt!.getTime() - Date.now()) + 100);
    expect((await get("/")).body).not.toContain("Expiring soon");
    expect((await get(`/t/${thread.id}/expiring`)).status).toBe(410);
    expect((await get("/sitemap.xml")).body).not.toContain("/expiring");
  });

  test("anonymous pages are cached with an ETag, 304 on a match, and cleared by NOTIFY commons_forum", async () => {
    const thread = await publish({ slug: "cached", title: "Cached title" });
    const path = `/t/${thread.id}/cached`;
    const first = await get(path);
    expect(first.headers.get("x-forum-cache")).toBe("miss");
    expect(first.headers.get("cache-control")).toBe("public, no-cache");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const second = await get(path);
    expect(second.headers.get("x-forum-cache")).toBe("hit");
    expect(second.body).toBe(first.body);
    const notModified = await get(path, { "if-none-match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.body).toBe("");

    // A change nobody announced is not seen until the entry ends; the NOTIFY clears the cache.
    await t.db.update(forumThreads).set({ title: "Republished title" }).where(eq(forumThreads.id, thread.id));
    expect(parseHtml((await get(path)).body).querySelector("h1")!.textContent).toBe("Cached title");
    await announce(thread.id);
    const fresh = await get(path, { "if-none-match": etag });
    expect(fresh.status).toBe(200);
    expect(parseHtml(fresh.body).querySelector("h1")!.textContent).toBe("Republished title");
    expect(fresh.headers.get("etag")).not.toBe(etag);
  });

  test("a signed-in customer bypasses the cache (private, no-store) and never leaks into it; a deactivated account reads as signed out", async () => {
    const thread = await publish({ slug: "private", title: "Private view" });
    const path = `/t/${thread.id}/private`;
    await get(path);
    expect((await get(path)).headers.get("x-forum-cache")).toBe("hit");
    const [account] = await t.db.insert(forumAccounts).values({ email: "carla@customer.example", name: "Carla Customer", passwordHash: "not-used", verifiedAt: new Date() }).returning();
    const { token } = await createForumSession(t.db, account!.id);
    const cookie = { cookie: `${SESSION_COOKIE}=${token}` };

    const signedIn = await get(path, cookie);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("cache-control")).toBe("private, no-store");
    expect(signedIn.headers.get("x-forum-cache")).toBeNull();
    expect(signedIn.headers.get("etag")).toBeNull();
    expect(parseHtml(signedIn.body).querySelector(".account-name")?.textContent).toBe("Carla Customer");
    expect(parseHtml(signedIn.body).querySelector("h1")?.textContent).toBe("Private view");
    // Signed out again, the reader gets the shared page, without her name.
    const anonymous = await get(path);
    expect(anonymous.headers.get("x-forum-cache")).toBe("hit");
    expect(anonymous.body).not.toContain("Carla Customer");

    await t.db.update(forumAccounts).set({ deactivatedAt: new Date() }).where(eq(forumAccounts.id, account!.id));
    const deactivated = await get(path, cookie);
    expect(deactivated.status).toBe(200);
    expect(deactivated.headers.get("cache-control")).toBe("private, no-store");
    const doc = parseHtml(deactivated.body);
    expect(doc.querySelector(".account-name")).toBeNull();
    expect(doc.querySelector('a[href="/signin"]')).not.toBeNull();
  });

  test("search without Meilisearch says it is unavailable; the rest works", async () => {
    const page = await get("/search?q=keys");
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    expect(mainOf(page.body).textContent).toContain("Search is unavailable right now");
    expect((await get("/search?q=a&q=b")).status).toBe(400);
  });
});

describe("every XSS payload in a title, an author's name and title, a summary and a tag stays text", () => {
  test("thread pages, lists, feeds and the sitemap run nothing and keep the text", { timeout: 120_000 }, async () => {
    const threads = [];
    for (const [i, { payload }] of payloads.entries()) {
      const tag = payload.trim().slice(0, 60) || `empty-${i}`;
      threads.push({
        payload,
        tag,
        thread: await publish(
          { slug: `payload-${i}`, title: payload, summary: payload, authorName: payload, authorTitle: payload, authorNamed: i % 2 === 0, tags: [tag] },
          [{ authorName: payload, authorTitle: payload, authorNamed: true, accepted: true }],
          false,
        ),
      });
    }
    // The one payload the brief names: a title that tries to close the JSON-LD block.
    const breakout = "</script><script>alert(1)</script><!--";
    threads.push({ payload: breakout, tag: "breakout", thread: await publish({ slug: "breakout", title: breakout, tags: ["breakout"] }) });

    // Text as the HTML parser gives it back: a lone carriage return becomes a line feed.
    const asParsed = (text: string) => text.replace(/\r\n?/g, "\n");
    for (const { payload, thread } of threads) {
      const page = await get(`/t/${thread.id}/${thread.slug}`);
      expect(page.status).toBe(200);
      const doc = parseHtml(page.body);
      expect(executable(doc.body), payload).toEqual([]);
      expect(doc.querySelector("h1")!.textContent).toBe(asParsed(payload));
      expect(doc.querySelector("title")!.textContent).toBe(asParsed(`${payload} · Northwind Community`));
      // The head holds only our own tags, and one script: the JSON-LD data block, whole.
      expect([...doc.querySelectorAll("script")].map((s) => s.getAttribute("type"))).toEqual(["application/ld+json"]);
      const metas = [...doc.querySelectorAll("meta")].map((m) => m.getAttribute("name") ?? m.getAttribute("property") ?? (m.hasAttribute("charset") ? "charset" : "?"));
      expect(metas).toEqual(["charset", "viewport", "description", "og:title", "og:description", "og:url", "og:type", "og:site_name", "twitter:card"]);
      expect(doc.querySelector('meta[property="og:title"]')!.getAttribute("content")).toBe(asParsed(`${payload} · Northwind Community`));
      const data = JSON.parse(doc.querySelector("script")!.textContent!) as { mainEntity: { name: string } };
      expect(data.mainEntity.name).toBe(payload);
    }
    for (const path of ["/", "/topics", "/topics?page=2", "/topics/breakout"]) {
      const page = await get(path);
      expect(page.status, path).toBe(200);
      expect(executable(parseHtml(page.body).body), path).toEqual([]);
    }
    for (const path of ["/feed.xml", "/sitemap.xml", "/topics/breakout/feed.xml"]) parseXml((await get(path)).body);
    const feed = parseXml((await get("/feed.xml")).body);
    const titles = [...feed.getElementsByTagName("item")].map((item) => item.getElementsByTagName("title")[0]!.textContent);
    expect(titles).toContain(breakout);
  });
});
