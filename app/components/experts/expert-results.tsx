import { Form, href } from "react-router";
import type { ExpertCard as Expert } from "#app/features/expertise/directory.server.ts";
import { Button } from "#app/components/button.tsx";
import { ExpertCard } from "./expert-card.tsx";

/**
 * The people found, as cards. For HR and admins the list is a form: tick people, then
 * "Export shortlist (CSV)" downloads them (a plain form POST, so it works without JavaScript);
 * everyone on it sees in their profile that HR put them on a shortlist.
 */
export function ExpertResults({ people, viewerId, hr, topics }: { people: Expert[]; viewerId: number; hr: boolean; topics: string[] }) {
  const list = (
    <ul className="grid gap-4 sm:grid-cols-2" aria-label="Experts">
      {people.map((p) => (
        <li key={p.id}>
          <ExpertCard expert={p} self={p.id === viewerId} pick={hr} />
        </li>
      ))}
    </ul>
  );
  if (!hr) return list;
  return (
    <Form method="post" action={href("/experts/shortlist.csv")} reloadDocument aria-label="Shortlist">
      {topics.length ? <input type="hidden" name="topic" value={topics.join(" ")} /> : null}
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3 rounded-md border border-slate-200 bg-slate-50 px-3 py-2">
        <p className="text-sm text-slate-700">Tick people to export them. Each person exported sees in their profile that HR put them on a shortlist, and when.</p>
        <Button variant="secondary" size="sm">
          Export shortlist (CSV)
        </Button>
      </div>
      {list}
    </Form>
  );
}
