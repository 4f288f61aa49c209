import { Link, href } from "react-router";
import type { ProfileExpertise, TopicFact } from "#app/features/expertise/topics.server.ts";
import { Badge } from "#app/components/badge.tsx";
import { ButtonLink } from "#app/components/button.tsx";
import { CardSection } from "#app/components/card.tsx";
import { TagChip } from "#app/components/content/tag-list.tsx";
import { plural } from "#app/lib/plural.ts";
import { AvailabilityBadge } from "./availability.tsx";

/** One fact of a topic's evidence in words; the topic is the heading, so the fact leaves it out. */
function factText(f: TopicFact): string {
  const n = f.count;
  switch (f.kind) {
    case "answer":
      return `${plural(n, "answer", "answers")}${f.accepted ? `, ${f.accepted.toLocaleString("en")} accepted` : ""}`;
    case "accepted_answer":
      return plural(n, "accepted answer", "accepted answers");
    case "answer_vote":
      return plural(n, "upvoted answer", "upvoted answers");
    case "page_owned":
      return f.title ? `owns the page ${f.title}` : `owns ${plural(n, "page", "pages")}`;
    case "page_verified":
      return f.title ? `verified the page ${f.title}` : `verified ${plural(n, "page", "pages")}`;
    case "wiki_edit":
      return plural(n, "approved page edit", "approved page edits");
    case "idea_accepted":
      return plural(n, "accepted idea", "accepted ideas");
    case "idea_implemented":
      return plural(n, "implemented idea", "implemented ideas");
    case "kudos":
      return plural(n, "kudos", "kudos");
    case "declared":
      return "self-declared";
  }
}

/** "5 answers, 2 accepted, owns the page Brewing basics": the strongest three facts. */
export function topicLine(facts: readonly TopicFact[]): string {
  const text = facts.slice(0, 3).map(factText).join(", ");
  return text ? text[0]!.toUpperCase() + text.slice(1) : "";
}

/**
 * The Expertise section of a profile: availability, the top topics with their evidence in one line
 * each, and the skills declared. The person sees their hidden topics marked; nobody else gets them.
 */
export function ProfileExpertiseSection({ expertise, userId, firstName }: { expertise: ProfileExpertise; userId: number; firstName: string }) {
  const { self, topics, declaredOnly, availability } = expertise;
  const empty = topics.length === 0 && declaredOnly.length === 0;
  return (
    <CardSection
      title="Expertise"
      titleId="expertise"
      description={self ? "What colleagues see: your strongest topics, from the evidence each of them may see." : `Topics ${firstName} knows, from work you can see.`}
      actions={
        self ? (
          <ButtonLink to={href("/people/:userId/expertise", { userId: String(userId) })} size="sm">
            Your scores explained
          </ButtonLink>
        ) : null
      }
    >
      {availability.active ? (
        <p className="mb-4 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          <span className="sr-only">Availability:</span>
          <AvailabilityBadge availability={availability} />
          {self ? (
            <Link to={href("/settings/expertise")} className="font-medium text-brand-700 hover:underline">
              Change availability
            </Link>
          ) : null}
        </p>
      ) : null}
      {empty ? (
        <p className="text-sm text-slate-600">
          {self ? (
            <>
              Nothing yet. Answers, pages you own, ideas and kudos on tagged work build your expertise; you can also{" "}
              <Link to={href("/people/:userId/expertise", { userId: String(userId) })} className="font-medium text-brand-700 hover:underline">
                declare skills
              </Link>
              .
            </>
          ) : (
            `${firstName} has no expertise on topics you can see yet.`
          )}
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label={self ? "Your topics" : `${firstName}'s topics`}>
          {topics.map((t) => (
            <li key={t.tag} className="py-2.5">
              <div className="flex flex-wrap items-center gap-2">
                <TagChip name={t.tag} />
                {t.declared ? <Badge tone="brand">Self-declared</Badge> : null}
                {t.hidden ? <Badge tone="amber">Hidden from others</Badge> : null}
              </div>
              {t.facts.length > 0 ? <p className="mt-1 text-sm text-slate-700">{topicLine(t.facts)}</p> : null}
            </li>
          ))}
          {declaredOnly.map((t) => (
            <li key={t.tag} className="flex flex-wrap items-center gap-2 py-2.5">
              <TagChip name={t.tag} />
              <Badge tone="brand">Self-declared</Badge>
              {t.hidden ? <Badge tone="amber">Hidden from others</Badge> : null}
            </li>
          ))}
        </ul>
      )}
    </CardSection>
  );
}
