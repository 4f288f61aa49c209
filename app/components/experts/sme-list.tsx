import { Form, Link, href } from "react-router";
import { expertsHref, TAG_PAGE_SMES } from "#app/features/expertise/directory-params.ts";
import type { SmeEntry } from "#app/features/expertise/smes.server.ts";
import { Badge } from "#app/components/badge.tsx";
import { Button } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { PersonRow } from "#app/components/person.tsx";

/** Assigned or automatic, in words. */
export function SmeSourceBadge({ source }: { source: SmeEntry["source"] }) {
  return source === "assigned" ? <Badge tone="brand">Assigned</Badge> : <Badge>Automatic</Badge>;
}

/**
 * A topic's subject-matter experts with their evidence on it. `manage` adds "Remove" to assigned
 * ones (a plain form to the SMEs screen); automatic ones say why they can't be removed.
 */
export function SmeList({ smes, tagName, manage = false }: { smes: SmeEntry[]; tagName: string; manage?: boolean }) {
  return (
    <ul className="divide-y divide-slate-100">
      {smes.map((s) => (
        <li key={s.id} className="py-1">
          <PersonRow
            person={{ id: s.id, name: s.name, title: s.title, deactivated: s.deactivated }}
            extra={
              <span className="flex shrink-0 items-center gap-2">
                <SmeSourceBadge source={s.source} />
                {manage && s.source === "assigned" ? (
                  <Form method="post" action={href("/tags/:name/smes", { name: encodeURIComponent(tagName) })}>
                    <input type="hidden" name="userId" value={s.id} />
                    <Button name="intent" value="remove" size="sm" variant="dangerOutline" aria-label={`Remove ${s.name} as an SME`}>
                      Remove
                    </Button>
                  </Form>
                ) : null}
              </span>
            }
          />
          <p className="pb-1 pl-11 text-xs text-slate-600">{s.evidence ?? "No evidence you can see on this topic."}</p>
        </li>
      ))}
    </ul>
  );
}

/** The tag page's card: the topic's SMEs, the way to all its experts and to the SMEs screen. */
export function TagSmesCard({ tagName, smes, manage }: { tagName: string; smes: SmeEntry[]; manage: boolean }) {
  const name = encodeURIComponent(tagName);
  return (
    <CardSection title="Subject-matter experts" titleId="tag-smes" description="The people to ask about this topic.">
      {smes.length > 0 ? <SmeList smes={smes} tagName={tagName} /> : <p className="text-sm text-slate-500">No SMEs yet.</p>}
      <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <Link to={expertsHref({ topics: [tagName] })} className="font-medium text-brand-700 hover:underline">
          All experts in {tagName}
        </Link>
        <Link to={href("/tags/:name/smes", { name })} className="font-medium text-brand-700 hover:underline">
          {manage ? "Manage SMEs" : smes.length >= TAG_PAGE_SMES ? "All SMEs, and how they are chosen" : "How SMEs are chosen"}
        </Link>
      </p>
    </CardSection>
  );
}
