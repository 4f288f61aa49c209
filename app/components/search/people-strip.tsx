import { Link, href } from "react-router";
import type { PersonHit } from "#app/features/search/search-params.ts";
import { Avatar } from "#app/components/avatar.tsx";
import { Card } from "#app/components/card.tsx";
import { snippetText, SnippetText } from "./snippet.tsx";

/** Colleagues whose name, title, department, location or top tags match: shown above the questions on page 1. */
export function PeopleStrip({ people }: { people: PersonHit[] }) {
  if (people.length === 0) return null;
  return (
    <section aria-labelledby="search-people-heading" className="mb-6">
      <h2 id="search-people-heading" className="mb-2 text-base font-semibold text-slate-900">
        People
      </h2>
      <ul className="grid gap-3 sm:grid-cols-2">
        {people.map((person) => (
          <li key={person.id}>
            <Card className="flex h-full gap-3 px-4 py-3">
              <Avatar name={snippetText(person.name)} size="md" />
              <div className="min-w-0 flex-1">
                <Link to={href("/people/:userId", { userId: String(person.id) })} className="block truncate text-sm font-semibold text-slate-900 hover:text-brand-700 hover:underline">
                  <SnippetText snippet={person.name} />
                </Link>
                {person.title || person.department ? <p className="truncate text-xs text-slate-600">{[person.title, person.department].filter(Boolean).join(" · ")}</p> : null}
                <p className="mt-1 text-xs text-slate-600">
                  <span className="font-medium text-slate-800">{person.reputation.toLocaleString("en")}</span> reputation
                  {person.topTags.length > 0 ? (
                    <>
                      {" · "}
                      <span className="sr-only">top tags: </span>
                      {person.topTags.slice(0, 3).join(", ")}
                    </>
                  ) : null}
                </p>
              </div>
            </Card>
          </li>
        ))}
      </ul>
    </section>
  );
}
