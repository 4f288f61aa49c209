import type { ReactNode } from "react";
import { assets } from "../assets.ts";

/** The signed-in customer, as the accounts code puts it on `res.locals.account`. */
export interface ForumAccount {
  id: number;
  name: string;
  email: string;
  verified: boolean;
}

export interface LayoutProps {
  company: string;
  /** The whole `<title>` text. */
  title: string;
  description: string;
  /** Absolute: FORUM_URL plus the page's path. */
  canonicalUrl: string;
  ogType: "website" | "article";
  noindex: boolean;
  head?: ReactNode;
  account: ForumAccount | null;
  /** What the search box shows (the search page's query). */
  query?: string;
  children: ReactNode;
}

/**
 * Every forum page's document: head with the SEO and sharing tags, a header with the company's
 * name, the search box and the account links, the page in `<main>`, a footer. Never the internal
 * app's navigation: the forum knows nothing of it.
 */
export function Layout({ company, title, description, canonicalUrl, ogType, noindex, head, account, query, children }: LayoutProps) {
  const site = `${company} Community`;
  const { css, icon } = assets();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title}</title>
        <meta name="description" content={description} />
        {noindex ? <meta name="robots" content="noindex" /> : null}
        <link rel="canonical" href={canonicalUrl} />
        <meta property="og:title" content={title} />
        <meta property="og:description" content={description} />
        <meta property="og:url" content={canonicalUrl} />
        <meta property="og:type" content={ogType} />
        <meta property="og:site_name" content={site} />
        <meta name="twitter:card" content="summary" />
        <link rel="stylesheet" href={css.url} />
        <link rel="icon" href={icon.url} type="image/svg+xml" />
        {head}
      </head>
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <div className="wrap header-row">
            <a className="brand" href="/">
              {site}
            </a>
            <form className="search-box" role="search" action="/search" method="get">
              <label htmlFor="site-search" className="visually-hidden">
                Search the community
              </label>
              <input id="site-search" type="search" name="q" defaultValue={query} placeholder="Search questions" maxLength={200} />
              <button type="submit">Search</button>
            </form>
            <nav className="account-nav" aria-label="Community">
              <a href="/ask">Ask a question</a>
              <a href="/questions">Questions</a>
              {/* @live */}
              <a href="/sessions">Live sessions</a>
              {account ? <a href="/my/questions">My questions</a> : null}
            </nav>
            <nav className="account-nav" aria-label="Account">
              {account ? (
                <>
                  <span className="account-name">{account.name}</span>
                  <form method="post" action="/signout">
                    <button type="submit" className="link-button">
                      Sign out
                    </button>
                  </form>
                </>
              ) : (
                <>
                  <a href="/signin">Sign in</a>
                  <a href="/signup" className="button-link">
                    Sign up
                  </a>
                </>
              )}
            </nav>
          </div>
        </header>
        <main id="main" className="wrap" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <div className="wrap">
            <p>
              Questions answered by {company}&rsquo;s engineers and published for our customers. <a href="/topics">All topics</a> · <a href="/feed.xml">RSS feed</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
