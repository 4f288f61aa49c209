import { Form } from "react-router";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { Card } from "#app/components/card.tsx";
import { FormError } from "#app/components/form.tsx";
import { shareTargets } from "#app/features/share/share-urls.ts";
import { CopyLink } from "./copy-link.tsx";
import { SuggestedTextField } from "./suggested-text-field.tsx";

export type KitItemData = {
  id: number;
  kind: "thread" | "article";
  title: string;
  suggestedText: string;
  href: string;
  available: boolean;
  myLink: string | null;
  clicks30: number;
  clicksAll: number;
};

/** A failed form on this item: which one, its message and what was typed. */
export type ItemFailure = { intent: string; itemId: string; formError?: string | undefined; fieldErrors: Partial<Record<string, string>>; values: Record<string, string> };

const shareLinkClass = "rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-xs font-semibold text-slate-800 shadow-sm hover:bg-slate-50";

/** One thing to share: what it is, the suggested text, the reader's link and share buttons; the curator's edits. */
export function KitItem({ item, curate, archived, failure, maxText }: { item: KitItemData; curate: boolean; archived: boolean; failure: ItemFailure | null; maxText: number }) {
  const headingId = `item-${item.id}`;
  const targets = item.myLink ? shareTargets(item.myLink, item.suggestedText, item.title) : null;
  const failedHere = failure && failure.itemId === String(item.id) ? failure : null;
  return (
    <Card as="li" className="p-5" aria-labelledby={headingId}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 id={headingId} className="text-base font-semibold text-slate-900">
            {item.available && item.href ? (
              <a href={item.href} className="hover:underline" rel="noopener noreferrer">
                {item.title}
              </a>
            ) : (
              item.title
            )}
          </h3>
          <div className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-600">
            <Badge tone={item.kind === "thread" ? "brand" : "neutral"}>{item.kind === "thread" ? "Forum thread" : "Article"}</Badge>
            {item.available ? null : <Badge tone="amber">No longer on the forum</Badge>}
            <span>
              {item.clicks30.toLocaleString("en")} clicks in 30 days · {item.clicksAll.toLocaleString("en")} all time (everyone’s links)
            </span>
          </div>
        </div>
      </div>
      {item.suggestedText ? <p className="mt-3 rounded-md bg-slate-50 px-3 py-2 text-sm whitespace-pre-line text-slate-800">{item.suggestedText}</p> : null}

      <div className="mt-4">
        {item.myLink && targets ? (
          <div className="space-y-3">
            <CopyLink link={item.myLink} label={`My link for “${item.title}”`} />
            <div className="flex flex-wrap gap-2">
              <a className={shareLinkClass} href={targets.linkedIn} target="_blank" rel="noopener noreferrer">
                Share on LinkedIn
              </a>
              <a className={shareLinkClass} href={targets.x} target="_blank" rel="noopener noreferrer">
                Share on X
              </a>
              <a className={shareLinkClass} href={targets.mail}>
                Share by email
              </a>
            </div>
          </div>
        ) : (
          <Form method="post">
            <input type="hidden" name="itemId" value={item.id} />
            <Button name="intent" value="link" variant="primary" disabled={!item.available || archived} aria-describedby={item.available ? undefined : `${headingId}-gone`}>
              Get my link
            </Button>
            {item.available ? null : (
              <p id={`${headingId}-gone`} className="mt-1 text-xs text-slate-600">
                This thread is no longer on the forum, so it can’t be shared.
              </p>
            )}
          </Form>
        )}
        {failedHere?.intent === "link" ? <FormError message={failedHere.formError} /> : null}
      </div>

      {curate && !archived ? (
        <details className="mt-4 border-t border-slate-100 pt-3" open={failedHere?.intent === "edit-text"}>
          <summary className="cursor-pointer text-sm font-medium text-slate-700">Edit or remove</summary>
          <Form method="post" className="mt-3" noValidate>
            <input type="hidden" name="itemId" value={item.id} />
            <SuggestedTextField
              max={maxText}
              defaultValue={failedHere?.intent === "edit-text" ? failedHere.values.suggestedText : item.suggestedText}
              error={failedHere?.intent === "edit-text" ? failedHere.fieldErrors.suggestedText : undefined}
            />
            <div className="flex flex-wrap gap-2">
              <Button name="intent" value="edit-text" size="sm">
                Save the text
              </Button>
            </div>
          </Form>
          <Form method="post" className="mt-3">
            <input type="hidden" name="itemId" value={item.id} />
            <Button name="intent" value="remove-item" variant="dangerOutline" size="sm">
              Remove from the kit
            </Button>
            <p className="mt-1 text-xs text-slate-500">Removing it ends everyone’s links to it and their counts.</p>
          </Form>
        </details>
      ) : null}
    </Card>
  );
}
