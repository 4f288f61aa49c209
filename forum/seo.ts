import { escapeXml, htmlToText, threadPath, topicPath } from "./format.ts";
import type { Answer, Thread, ThreadSummary } from "./threads.server.ts";

/**
 * What search engines and feed readers get: the thread's schema.org `QAPage`, the RSS feeds and
 * the sitemap. Every address in them is absolute, built on FORUM_URL.
 */

function person(company: string, who: { authorName: string; authorNamed: boolean }) {
  // A generic author is the company speaking: no made-up person.
  return who.authorNamed ? { "@type": "Person", name: who.authorName } : { "@type": "Organization", name: company };
}

export function qaPageData(baseUrl: string, company: string, thread: Thread, answers: Answer[]) {
  const url = baseUrl + threadPath(thread);
  // An employee's answer on a customer's question is always named (the transparency badge).
  const named = (a: Answer) => (thread.origin === "customer" ? { ...a, authorNamed: true } : a);
  const answer = (a: Answer) => ({
    "@type": "Answer",
    text: htmlToText(a.bodyHtml),
    dateCreated: a.answeredAt.toISOString(),
    url: `${url}#answer-${a.id}`,
    author: person(company, named(a)),
  });
  const accepted = answers.find((a) => a.accepted);
  const suggested = answers.filter((a) => a !== accepted);
  return {
    "@context": "https://schema.org",
    "@type": "QAPage",
    mainEntity: {
      "@type": "Question",
      name: thread.title,
      text: htmlToText(thread.bodyHtml) || thread.title,
      answerCount: answers.length,
      dateCreated: thread.askedAt.toISOString(),
      datePublished: thread.publishedAt.toISOString(),
      dateModified: thread.updatedAt.toISOString(),
      url,
      // A customer's question is theirs: a person, never the company.
      author: thread.origin === "customer" ? { "@type": "Person", name: thread.authorName } : person(company, thread),
      ...(accepted ? { acceptedAnswer: answer(accepted) } : {}),
      ...(suggested.length > 0 ? { suggestedAnswer: suggested.map(answer) } : {}),
    },
  };
}

/** An RSS 2.0 feed of threads, newest first. */
export function rssFeed(options: { baseUrl: string; title: string; description: string; path: string; selfPath: string; threads: ThreadSummary[] }): string {
  const { baseUrl } = options;
  const newest = options.threads[0]?.publishedAt ?? new Date(0);
  const items = options.threads.map((thread) => {
    const link = escapeXml(baseUrl + threadPath(thread));
    return [
      "    <item>",
      `      <title>${escapeXml(thread.title)}</title>`,
      `      <link>${link}</link>`,
      `      <guid isPermaLink="true">${link}</guid>`,
      `      <pubDate>${thread.publishedAt.toUTCString()}</pubDate>`,
      `      <description>${escapeXml(thread.summary)}</description>`,
      ...thread.tags.map((tag) => `      <category>${escapeXml(tag)}</category>`),
      "    </item>",
    ].join("\n");
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    "  <channel>",
    `    <title>${escapeXml(options.title)}</title>`,
    `    <link>${escapeXml(baseUrl + options.path)}</link>`,
    `    <description>${escapeXml(options.description)}</description>`,
    "    <language>en</language>",
    `    <lastBuildDate>${newest.toUTCString()}</lastBuildDate>`,
    `    <atom:link href="${escapeXml(baseUrl + options.selfPath)}" rel="self" type="application/rss+xml"/>`,
    ...items,
    "  </channel>",
    "</rss>",
    "",
  ].join("\n");
}

/**
 * The sitemap: the home page, the topic index, every topic and every live thread with when it
 * changed. "Live" (forum/threads.server.ts) leaves out customers' questions that wait for a
 * moderator or were removed, as the feeds do.
 */
export function sitemap(baseUrl: string, threads: Array<Pick<Thread, "id" | "slug" | "updatedAt" | "tags">>): string {
  const url = (path: string, lastmod?: Date) => `  <url><loc>${escapeXml(baseUrl + path)}</loc>${lastmod ? `<lastmod>${lastmod.toISOString()}</lastmod>` : ""}</url>`;
  const newest = threads.reduce<Date | undefined>((max, t) => (!max || t.updatedAt > max ? t.updatedAt : max), undefined);
  const topicsChanged = new Map<string, Date>();
  for (const thread of threads) {
    for (const tag of thread.tags) {
      const seen = topicsChanged.get(tag);
      if (!seen || thread.updatedAt > seen) topicsChanged.set(tag, thread.updatedAt);
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    url("/", newest),
    url("/topics", newest),
    ...[...topicsChanged].sort(([a], [b]) => a.localeCompare(b)).map(([tag, changed]) => url(topicPath(tag), changed)),
    ...threads.map((thread) => url(threadPath(thread), thread.updatedAt)),
    "</urlset>",
    "",
  ].join("\n");
}

export function robotsTxt(baseUrl: string): string {
  return `User-agent: *\nAllow: /\nSitemap: ${baseUrl}/sitemap.xml\n`;
}
