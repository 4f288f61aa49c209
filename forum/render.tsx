import type { Request, Response } from "express";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { sendBody } from "./cache.ts";
import type { ForumContext } from "./context.ts";
import { type ForumAccount, Layout } from "./views/layout.tsx";

export interface PageOptions {
  /** The page's own title; the site's name is added after it. */
  title: string;
  description?: string;
  /** The path the canonical link names; the request's path (without its query) when not given. */
  canonicalPath?: string;
  status?: number;
  noindex?: boolean;
  /** More tags for the head (a feed link, JSON-LD). */
  head?: ReactNode;
  /** The same page for every anonymous reader: kept in the page cache for them. */
  cacheable?: boolean;
  /** The nearest `expires_at` of what the page shows: a cached copy never outlives it. */
  expiresAt?: Date | null;
  ogType?: "website" | "article";
  body: ReactNode;
}

/** The signed-in customer, or null (set by the accounts code's session middleware). */
export function currentAccount(res: Response): ForumAccount | null {
  return (res.locals.account as ForumAccount | null | undefined) ?? null;
}

/**
 * Renders a page inside the forum's layout and sends it. Static markup: the forum sends no scripts,
 * so there is nothing to hydrate. A page is only ever cached for anonymous readers.
 */
export function sendPage(req: Request, res: Response, ctx: ForumContext, options: PageOptions) {
  const account = currentAccount(res);
  const site = `${ctx.company} Community`;
  const title = options.title === site ? site : `${options.title} · ${site}`;
  const canonicalPath = options.canonicalPath ?? req.path;
  const html = renderToStaticMarkup(
    <Layout
      company={ctx.company}
      title={title}
      description={options.description ?? `Questions and answers from ${ctx.company}'s engineers.`}
      canonicalUrl={ctx.baseUrl + canonicalPath}
      ogType={options.ogType ?? "website"}
      noindex={options.noindex ?? false}
      head={options.head}
      account={account}
      query={req.path === "/search" && typeof req.query.q === "string" ? req.query.q : undefined}
    >
      {options.body}
    </Layout>,
  );
  sendBody(req, res, {
    status: options.status,
    type: "text/html; charset=utf-8",
    body: "<!doctype html>" + html,
    cacheable: (options.cacheable ?? false) && account === null,
    expiresAt: options.expiresAt,
  });
}
