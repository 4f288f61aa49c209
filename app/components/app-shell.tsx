import { Link, NavLink, href } from "react-router";
import type { UserSummary } from "#app/features/users/actor.server.ts";
import { AlertIcon, ArticleIcon, StarIcon, BookIcon, HomeIcon, LightbulbIcon, QuestionIcon, SearchIcon, ShieldIcon, SpacesIcon, TagIcon } from "./icons.tsx";
// @experts-nav
import { UsersIcon } from "./icons.tsx";
import { InboxLink } from "./inbox-link.tsx";
import { HeaderSearch } from "./search/header-search.tsx";
import { UserMenu } from "./user-menu.tsx";

function navClass({ isActive }: { isActive: boolean }) {
  return `inline-flex items-center gap-2 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium transition-colors ${
    isActive ? "bg-brand-50 text-brand-700 shadow-[inset_0_-2px_0_var(--color-brand-600)]" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"
  }`;
}

export function Wordmark() {
  return (
    <Link to={href("/")} className="flex items-center gap-2.5 rounded-md text-slate-900">
      <span aria-hidden="true" className="flex size-8 items-center justify-center rounded-lg bg-brand-600 text-white shadow-sm">
        <svg viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
          <path d="M4 6.5A2.5 2.5 0 0 1 6.5 4h7A2.5 2.5 0 0 1 16 6.5v4a2.5 2.5 0 0 1-2.5 2.5H9l-3 2.5V13h0A2.5 2.5 0 0 1 4 10.5Z" />
          <path d="M19 9.5a1.5 1.5 0 0 1 1 1.4v3.6a2.5 2.5 0 0 1-2.5 2.5H17v2.5L14 17h-2" />
        </svg>
      </span>
      <span className="text-lg font-semibold tracking-tight">Commons</span>
    </Link>
  );
}

/**
 * The frame of every page a person sees once signed in, the error page included: skip link,
 * header with the main navigation (only links that work for this user) and the account menu.
 */
export function AppShell({
  user,
  unread = 0,
  moderation = null,
  children,
}: {
  user: UserSummary | null;
  unread?: number;
  /** Set only for people who moderate a space (or the site): the Moderation link and its pending count. */
  moderation?: { pending: number } | null;
  children: React.ReactNode;
}) {
  const employee = user?.kind === "employee";
  return (
    <div className="flex min-h-screen flex-col">
      <a href="#main" className="sr-only z-50 rounded-md bg-white px-4 py-2 text-sm font-semibold text-brand-700 shadow-lg focus:not-sr-only focus:fixed focus:top-3 focus:left-3">
        Skip to content
      </a>
      <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur supports-[backdrop-filter]:bg-white/80">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 px-4 sm:px-6">
          <div className="flex h-16 items-center">
            <Wordmark />
          </div>
          {employee ? (
            <nav aria-label="Main" className="order-last -mx-4 w-[calc(100%+2rem)] overflow-x-auto border-t border-slate-100 px-4 py-2 sm:order-none sm:mx-0 sm:w-auto sm:border-0 sm:p-0">
              {/* Twelve destinations for an admin: below 2xl the icons go, so the words fit at 1280 px. */}
              <ul className="flex items-center gap-1 max-2xl:[&_svg]:hidden">
                <li>
                  <NavLink to={href("/")} end className={navClass}>
                    <HomeIcon />
                    Home
                  </NavLink>
                </li>
                <li>
                  <NavLink to={href("/questions")} className={navClass}>
                    <QuestionIcon />
                    Questions
                  </NavLink>
                </li>
                <li>
                  <NavLink to={href("/tags")} className={navClass}>
                    <TagIcon />
                    Tags
                  </NavLink>
                </li>
                {/* @experts-nav: expert discovery (issue 18), for every employee. */}
                <li>
                  <NavLink to={href("/experts")} className={navClass}>
                    <UsersIcon />
                    Experts
                  </NavLink>
                </li>
                <li>
                  <NavLink to={href("/campaigns")} className={navClass}>
                    <LightbulbIcon />
                    Ideas
                  </NavLink>
                </li>
                <li>
                  <NavLink to={href("/wiki")} className={navClass}>
                    <BookIcon />
                    Wiki
                  </NavLink>
                </li>
                <li>
                  <NavLink to={href("/articles")} className={navClass}>
                    <ArticleIcon />
                    Articles
                  </NavLink>
                </li>
                <li>
                  {/* Recognition: kudos, badges, awards and rewards (issue 17); its pages share RecognitionTabs. */}
                  <NavLink to="/kudos" className={navClass}>
                    <StarIcon />
                    Recognition
                  </NavLink>
                </li>
                <li>
                  <NavLink to={href("/spaces")} className={navClass}>
                    <SpacesIcon />
                    Spaces
                  </NavLink>
                </li>
                <li className="md:hidden">
                  <NavLink to={href("/search")} className={navClass}>
                    <SearchIcon />
                    Search
                  </NavLink>
                </li>
                {moderation ? (
                  <li>
                    <NavLink to={href("/moderation")} className={navClass}>
                      <AlertIcon />
                      Moderation
                      {moderation.pending > 0 ? (
                        <span className="rounded-full bg-red-100 px-1.5 text-xs font-semibold text-red-800">
                          {moderation.pending}
                          <span className="sr-only"> waiting</span>
                        </span>
                      ) : null}
                    </NavLink>
                  </li>
                ) : null}
                {user.role === "admin" ? (
                  <li>
                    <NavLink to={href("/admin")} className={navClass}>
                      <ShieldIcon />
                      Admin
                    </NavLink>
                  </li>
                ) : null}
              </ul>
            </nav>
          ) : null}
          <div className="ml-auto flex h-16 items-center gap-2">
            {/* The search box from md up (below that, the nav's Search link); it stands open where the nav is short. */}
            {employee ? (
              <div className="hidden md:block">
                <HeaderSearch roomy={!moderation && user.role !== "admin"} />
              </div>
            ) : null}
            {employee ? <InboxLink unread={unread} /> : null}
            {user ? (
              <UserMenu user={user} />
            ) : (
              <Link to={href("/sign-in")} className="rounded-md px-3 py-2 text-sm font-semibold text-brand-700 hover:bg-brand-50">
                Sign in
              </Link>
            )}
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-8 outline-none sm:px-6 lg:py-10">
        {children}
      </main>
      <footer className="border-t border-slate-200 bg-white">
        <div className="mx-auto max-w-6xl px-4 py-5 text-xs text-slate-500 sm:px-6">Commons: questions, answers and ideas, inside the company.</div>
      </footer>
    </div>
  );
}
