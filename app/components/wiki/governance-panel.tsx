import { useId } from "react";
import { Form, Link, href } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { LockIcon } from "#app/components/icons.tsx";
import { suggestionUrl } from "#app/features/wiki/governance-schemas.ts";
import { SuggestionStatusBadge, type SuggestionStatus } from "./suggestion-list.tsx";
import { type Verification, VerificationBadge, VerificationLine, VerifyForm } from "./verification-status.tsx";

/**
 * What the panel reads from the page's loader data: the page view (app/features/wiki/view.server.ts
 * `pageView`) and, when the loader adds it, `governance` from `pageGovernance`
 * (app/features/wiki/suggestions.server.ts). Without it the panel still shows verification,
 * protection and the links, only not the counts and sources.
 */
export type GovernanceViewData = {
  page: { id: number; deletedAt: Date | string | null; protected: boolean; verification: Verification };
  space: { slug: string; wikiProtected: boolean };
  permissions: { canManage: boolean; isOwner: boolean; canSuggest: boolean };
  owners: ReadonlyArray<{ id: number; name: string }>;
  governance?: GovernanceData | null | undefined;
};

/** What `pageGovernance` (app/features/wiki/suggestions.server.ts) adds. */
export type GovernanceData = {
  openSuggestions: number;
  mySuggestions: ReadonlyArray<{ id: number; status: SuggestionStatus; createdAt: Date | string }>;
  promotedFrom: ReadonlyArray<{ title: string; url: string }>;
};

const link = "font-medium text-brand-700 hover:underline";

/**
 * A page's governance, beside or under its text: verification (verify, review interval, remove),
 * protection, owners, suggested edits waiting and the reader's own, and the answers the page came
 * from. Every control is a plain form posting to its own route, which comes back to the page.
 */
export function GovernancePanel({ view }: { view: GovernanceViewData }) {
  const headingId = useId();
  const { page, space, permissions, owners, governance } = view;
  const pageId = String(page.id);
  const deleted = page.deletedAt !== null;
  const open = governance?.openSuggestions ?? 0;
  return (
    <Card as="section" aria-labelledby={headingId} className="space-y-4 p-5 text-sm">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={headingId} className="text-base font-semibold text-slate-900">
          Page status
        </h2>
        <p className="flex flex-wrap gap-1.5">
          <VerificationBadge verification={page.verification} />
          {page.protected || space.wikiProtected ? (
            <Badge tone="violet" icon={<LockIcon className="size-3.5" />}>
              Protected
            </Badge>
          ) : null}
        </p>
      </div>
      <VerificationLine verification={page.verification} />
      {page.protected || space.wikiProtected ? (
        <p className="text-slate-600">
          {space.wikiProtected ? "This space's whole wiki is protected" : "This page is protected"}: edits by anyone but its owners and moderators are suggested edits, which the owners
          review.
        </p>
      ) : null}

      {permissions.canManage && !deleted ? (
        <div className="space-y-3 border-t border-slate-100 pt-4">
          <VerifyForm pageId={page.id} verification={page.verification} />
          <Form method="post" action={href("/wiki/:pageId/owners", { pageId })}>
            <input type="hidden" name="back" value="page" />
            <Button name="intent" value={page.protected ? "unprotect" : "protect"} size="sm">
              {page.protected ? "Lift this page's protection" : "Protect this page"}
            </Button>
          </Form>
        </div>
      ) : null}

      <div className="border-t border-slate-100 pt-4">
        <h3 className="font-medium text-slate-900">Owners</h3>
        <p className="mt-1 text-slate-600">{owners.length === 1 ? "1 owner vouches" : `${owners.length} owners vouch`} for this page: they verify it and review suggested edits.</p>
        <p className="mt-2 flex flex-wrap gap-x-4 gap-y-1">
          <Link to={href("/wiki/:pageId/owners", { pageId })} className={link}>
            {permissions.canManage ? "Manage owners" : "About the owners"}
          </Link>
          {permissions.isOwner ? (
            <Link to={href("/wiki/review")} className={link}>
              Pages to review
            </Link>
          ) : null}
        </p>
      </div>

      <div className="border-t border-slate-100 pt-4">
        <h3 className="font-medium text-slate-900">Suggested edits</h3>
        <p className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          <Link to={href("/wiki/:pageId/suggestions", { pageId })} className={link}>
            {!governance ? "See suggested edits" : open === 0 ? "None waiting" : open === 1 ? "1 waiting for review" : `${open.toLocaleString("en")} waiting for review`}
          </Link>
          {!deleted ? (
            <Link to={href("/wiki/:pageId/suggest", { pageId })} className={link}>
              Suggest an edit
            </Link>
          ) : null}
        </p>
        {governance && governance.mySuggestions.length > 0 ? (
          <ul aria-label="Your suggestions" className="mt-2 space-y-1">
            {governance.mySuggestions.map((s) => (
              <li key={s.id} className="flex items-center gap-2">
                <Link to={suggestionUrl(page.id, s.id)} className="text-slate-700 hover:underline">
                  Your suggestion #{s.id}
                </Link>
                <SuggestionStatusBadge status={s.status} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>

      {governance && governance.promotedFrom.length > 0 ? (
        <div className="border-t border-slate-100 pt-4">
          <h3 className="font-medium text-slate-900">Where it came from</h3>
          <ul className="mt-1 space-y-1">
            {governance.promotedFrom.map((q) => (
              <li key={q.url}>
                From an answer to:{" "}
                <Link to={q.url} className={link}>
                  {q.title}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
