import type postgres from "postgres";
import { addHeadingAnchors, linkKey } from "#app/features/wiki/markup.ts";
import { pageSlug, wikiPageUrl } from "#app/features/wiki/page-url.ts";
import { renderMarkdown } from "#app/lib/markdown.server.ts";
import { SPACES } from "./company.ts";
import { arrayLiteral, CopyTable } from "./copy.ts";
import { between, exponential, pick, type Rng } from "./random.ts";
import type { Writer } from "./text.ts";

/**
 * A generated company's knowledge (issue 16), written with COPY after its ideas: wiki pages in
 * every space, nested in trees, with their revisions, owners, `[[links]]`, verification dates (some
 * past due) and suggested edits in every state; and articles, mostly published, some drafts and
 * some scheduled. One page per 20 questions and one article per 25. Pages' current text is
 * rendered by the real markdown module, so their HTML, links and tables of contents are what the
 * app would have stored.
 */

export const pageCount = (questions: number) => Math.max(20, Math.round(questions / 20));
export const articleCount = (questions: number) => Math.max(10, Math.round(questions / 25));

const DAY = 86_400_000;
const PAGE_KINDS = ["How to", "Runbook", "Policy", "Guide", "FAQ", "Checklist", "Overview"] as const;
const SECTIONS: Record<(typeof PAGE_KINDS)[number], string[]> = {
  "How to": ["Before you start", "Steps", "Check that it worked", "If something goes wrong"],
  Runbook: ["Symptoms", "Diagnosis", "Mitigation", "Escalation", "Follow-up"],
  Policy: ["Purpose", "Scope", "Policy", "Exceptions", "Contacts"],
  Guide: ["Overview", "Getting started", "Day to day", "Where to ask"],
  FAQ: ["Common questions", "Less common questions", "Still stuck?"],
  Checklist: ["Before", "During", "After"],
  Overview: ["What it is", "Who owns it", "How it fits", "Further reading"],
};
const ARTICLE_TYPES = [
  ["knowledge", 0.4],
  ["how_to", 0.25],
  ["announcement", 0.15],
  ["personal", 0.2],
] as const;
const INTERVALS = [30, 90, 90, 90, 180, 365];

export type KnowledgeInputs = {
  rng: Rng;
  writer: Writer;
  questions: number;
  first: number;
  latest: number;
  /** Per space: who may take part there, most active first. */
  pools: number[][];
  writerRank: Array<(rng: Rng) => number>;
  tagNames: string[];
  tagRank: (rng: Rng) => number;
  ids: { user: (p: number) => number; space: (s: number) => number; firstItem: number };
};

export type KnowledgeCounts = { pages: number; pageRevisions: number; suggestions: number; articles: number };

export function makeKnowledgeTables() {
  return {
    items: new CopyTable("items", ["id", "kind", "space_id", "created_at"]),
    pages: new CopyTable("wiki_pages", [
      "id",
      "item_id",
      "space_id",
      "parent_id",
      "position",
      "slug",
      "title",
      "body",
      "body_html",
      "toc",
      "tags",
      "author_id",
      "last_editor_id",
      "last_edited_at",
      "revision_count",
      "protected",
      "verified_at",
      "verified_by_id",
      "review_interval_days",
      "review_due_at",
      "review_notified_at",
      "created_at",
      "updated_at",
    ]),
    owners: new CopyTable("wiki_page_owners", ["page_id", "user_id", "created_at"]),
    links: new CopyTable("wiki_page_links", ["from_page_id", "target_title", "to_page_id"]),
    revisions: new CopyTable("revisions", ["item_id", "number", "kind", "editor_id", "title", "body", "tags", "comment", "created_at"]),
    suggestions: new CopyTable("wiki_suggestions", [
      "id",
      "page_id",
      "space_id",
      "author_id",
      "base_revision",
      "title",
      "body",
      "comment",
      "status",
      "reviewer_id",
      "review_note",
      "reviewed_at",
      "result_revision",
      "created_at",
      "updated_at",
    ]),
    articles: new CopyTable("articles", [
      "id",
      "item_id",
      "space_id",
      "author_id",
      "type",
      "status",
      "title",
      "body",
      "body_html",
      "tags",
      "publish_at",
      "published_at",
      "view_count",
      "revision_count",
      "created_at",
      "updated_at",
    ]),
    articleRevisions: new CopyTable("revisions", ["item_id", "number", "kind", "editor_id", "title", "body", "tags", "comment", "created_at"]),
  };
}

export type KnowledgeTables = ReturnType<typeof makeKnowledgeTables>;

function weightedType(rng: Rng): (typeof ARTICLE_TYPES)[number][0] {
  let x = rng();
  for (const [type, share] of ARTICLE_TYPES) {
    x -= share;
    if (x < 0) return type;
  }
  return "knowledge";
}

/** A page's markdown: an introduction, then its kind's sections, each a few blocks of the company's prose. */
function pageText(rng: Rng, writer: Writer, kind: (typeof PAGE_KINDS)[number], technical: boolean): string[] {
  const blocks = [writer.body(between(rng, 20, 50), false).markdown];
  for (const section of SECTIONS[kind]) blocks.push(`## ${section}`, writer.body(between(rng, 25, 90), technical).markdown);
  return blocks;
}

/** Builds every page's and article's rows; ids start at 1 in their own tables, items after `ids.firstItem - 1`. */
export function generateKnowledge(input: KnowledgeInputs): { tables: KnowledgeTables; counts: KnowledgeCounts } {
  const { rng, writer, first, latest, ids } = input;
  const t = makeKnowledgeTables();
  const iso = (ms: number) => new Date(Math.min(latest, ms)).toISOString();
  const counts: KnowledgeCounts = { pages: 0, pageRevisions: 0, suggestions: 0, articles: 0 };
  let nextItem = ids.firstItem;
  let nextSuggestion = 1;
  const totalPages = pageCount(input.questions);
  const spaceShare = SPACES.map((_, i) => SPACES.slice(0, i + 1).reduce((s, x) => s + x.share, 0));
  /** Per space: its pages so far (id, title, depth, children count), for parents and links. */
  const bySpace = SPACES.map(() => [] as Array<{ id: number; title: string; slug: string; depth: number; children: number }>);
  const topCount = SPACES.map(() => 0);
  const titlesUsed = SPACES.map(() => new Set<string>());
  // Pages were written over the company's life, most of them in its later half.
  const span = latest - first;

  for (let id = 1; id <= totalPages; id++) {
    const x = rng() * spaceShare.at(-1)!;
    const space = Math.max(
      0,
      spaceShare.findIndex((c) => x < c),
    );
    const def = SPACES[space]!;
    const pool = input.pools[space]!;
    const author = pool[input.writerRank[space]!(rng)]!;
    const kind = pick(rng, PAGE_KINDS);
    const words = writer.chain.sentence(rng, 3, 7, () => "process").join(" ");
    let title = `${kind}: ${words.replace(/[[\]|]/g, "")}`.slice(0, 140);
    const taken = titlesUsed[space]!;
    for (let n = 2; taken.has(linkKey(title)); n++) title = `${title.replace(/ \(\d+\)$/, "")} (${n})`;
    taken.add(linkKey(title));
    const created = first + span * (0.3 + 0.7 * Math.sqrt(rng()));
    const siblings = bySpace[space]!;
    // A quarter of the pages sit at the top of their space's tree; the rest under a recent, shallow page.
    const parent =
      siblings.length === 0 || rng() < 0.25
        ? null
        : pick(
            rng,
            siblings
              .slice(-60)
              .filter((p) => p.depth < 4)
              .concat(siblings.slice(0, 1)),
          );
    const position = parent ? parent.children++ : topCount[space]!++;
    const tagCount = between(rng, 0, 3);
    const tags = [...new Set(Array.from({ length: tagCount }, () => input.tagNames[input.tagRank(rng)]!))];

    // Revisions: the text grows and changes section by section; each version is stored whole.
    let blocks = pageText(rng, writer, kind, def.technical);
    let link: { title: string; id: number; slug: string } | null = null;
    if (siblings.length > 0 && rng() < 0.35) {
      const target = pick(rng, siblings);
      link = { title: target.title, id: target.id, slug: target.slug };
      blocks.push(`See also [[${target.title}]].`);
    }
    const itemId = nextItem++;
    t.items.add(itemId, "wiki_page", ids.space(space), iso(created));
    const editCount = Math.min(6, Math.floor(exponential(rng, 1.2)));
    const editors = [author, ...Array.from({ length: editCount }, () => pool[input.writerRank[space]!(rng)]!)];
    let at = created;
    const revisionTimes: number[] = [];
    editors.forEach((editor, i) => {
      if (i > 0) {
        at = Math.min(latest, at + exponential(rng, 20 * DAY));
        // An edit rewrites one block of prose (never a heading) or adds one at the end.
        const prose = blocks.map((b, j) => (b.startsWith("## ") || b.startsWith("See also") ? -1 : j)).filter((j) => j >= 0);
        const fresh = writer.body(between(rng, 20, 60), def.technical).markdown;
        if (rng() < 0.6 && prose.length > 0) blocks = blocks.map((b, j) => (j === pick(rng, prose) ? fresh : b));
        else blocks = [...blocks, fresh];
      }
      revisionTimes.push(at);
      t.revisions.add(itemId, i + 1, i === 0 ? "create" : "edit", ids.user(editor), title, blocks.join("\n\n"), arrayLiteral(tags), i === 0 ? "" : "Brought up to date", iso(at));
      counts.pageRevisions++;
    });
    const body = blocks.join("\n\n");
    const source = link ? body.replace(`[[${link.title}]]`, `[${link.title}](<${wikiPageUrl(link)}>)`) : body;
    const { html, toc } = addHeadingAnchors(renderMarkdown(source));
    const lastEditor = editors.at(-1)!;

    // Verification: half the pages, some of them past their review date by now.
    let verifiedAt: number | null = null;
    let interval: number | null = null;
    if (rng() < 0.5) {
      verifiedAt = Math.min(latest, at + exponential(rng, 15 * DAY));
      interval = pick(rng, INTERVALS);
    }
    const dueAt = verifiedAt !== null && interval !== null ? verifiedAt + interval * DAY : null;
    const slug = pageSlug(title);
    t.pages.add(
      id,
      itemId,
      ids.space(space),
      parent?.id ?? null,
      position,
      slug,
      title,
      body,
      html,
      JSON.stringify(toc),
      arrayLiteral(tags),
      ids.user(author),
      editors.length > 1 ? ids.user(lastEditor) : null,
      editors.length > 1 ? iso(at) : null,
      editors.length,
      rng() < 0.1,
      verifiedAt === null ? null : iso(verifiedAt),
      verifiedAt === null ? null : ids.user(author),
      interval,
      dueAt === null ? null : new Date(dueAt).toISOString(),
      // Pages past due were already announced to their owners (the review job would have).
      dueAt !== null && dueAt < latest ? new Date(dueAt + 3_600_000).toISOString() : null,
      iso(created),
      iso(at),
    );
    t.owners.add(id, ids.user(author), iso(created));
    if (editors.length > 2 && editors[1] !== author) t.owners.add(id, ids.user(editors[1]!), iso(revisionTimes[1]!));
    if (link) t.links.add(id, linkKey(link.title), link.id);
    siblings.push({ id, title, slug, depth: (parent?.depth ?? -1) + 1, children: 0 });
    counts.pages++;

    // Suggested edits on about one page in twelve, in every state.
    if (rng() < 0.08 && pool.length > 1) {
      const suggester = pool[input.writerRank[space]!(rng)]!;
      const state = rng();
      const status = state < 0.45 ? "open" : state < 0.7 ? "declined" : state < 0.85 ? "changes_requested" : "withdrawn";
      const suggested = [...blocks, writer.body(between(rng, 15, 40), def.technical).markdown].join("\n\n");
      const when = Math.min(latest, at + exponential(rng, 10 * DAY));
      const reviewed = status === "open" || status === "withdrawn" ? null : Math.min(latest, when + exponential(rng, 3 * DAY));
      t.suggestions.add(
        nextSuggestion++,
        id,
        ids.space(space),
        ids.user(suggester),
        editors.length,
        title,
        suggested,
        "Added what we learned last time this came up.",
        status,
        reviewed === null ? null : ids.user(author),
        status === "declined" ? "This belongs on another page." : status === "changes_requested" ? "Please add where the numbers come from." : "",
        reviewed === null ? null : iso(reviewed),
        null,
        iso(when),
        iso(reviewed ?? when),
      );
      counts.suggestions++;
    }
  }

  // Articles: people's own posts, in the spaces they take part in.
  const totalArticles = articleCount(input.questions);
  for (let id = 1; id <= totalArticles; id++) {
    const x = rng() * spaceShare.at(-1)!;
    const space = Math.max(
      0,
      spaceShare.findIndex((c) => x < c),
    );
    const def = SPACES[space]!;
    const pool = input.pools[space]!;
    const author = pool[input.writerRank[space]!(rng)]!;
    const type = weightedType(rng);
    const title = writer.ideaTitle().slice(0, 140);
    const text = writer.body(between(rng, 120, 400), def.technical);
    const created = first + span * (0.2 + 0.8 * Math.sqrt(rng()));
    const state = rng();
    const status = state < 0.92 ? "published" : state < 0.97 ? "draft" : "scheduled";
    const publishAt = status === "scheduled" ? latest + between(rng, 1, 14) * DAY : status === "published" ? Math.min(latest, created + exponential(rng, DAY)) : null;
    const tags = [...new Set(Array.from({ length: between(rng, 0, 3) }, () => input.tagNames[input.tagRank(rng)]!))];
    const itemId = nextItem++;
    t.items.add(itemId, "article", ids.space(space), iso(created));
    t.articles.add(
      id,
      itemId,
      ids.space(space),
      ids.user(author),
      type,
      status,
      title,
      text.markdown,
      text.html,
      arrayLiteral(tags),
      publishAt === null ? null : new Date(publishAt).toISOString(),
      status === "published" && publishAt !== null ? iso(publishAt) : null,
      status === "published" ? Math.round(exponential(rng, 60)) : 0,
      1,
      iso(created),
      iso(created),
    );
    t.articleRevisions.add(itemId, 1, "create", ids.user(author), title, text.markdown, arrayLiteral(tags), "", iso(created));
    counts.articles++;
  }
  return { tables: t, counts };
}

export async function writeKnowledgeTables(sql: postgres.TransactionSql, t: KnowledgeTables): Promise<number> {
  let rows = 0;
  for (const table of [t.items, t.pages, t.owners, t.links, t.revisions, t.suggestions, t.articles, t.articleRevisions]) rows += await table.write(sql);
  return rows;
}
