import { TagChip } from "#app/components/content/tag-list.tsx";

/** Tags often used beside these ones, with how many visible questions carry them. Nothing when there are none. */
export function RelatedTags({ tags }: { tags: ReadonlyArray<{ name: string; questions: number }> }) {
  if (tags.length === 0) return null;
  return (
    <section aria-labelledby="related-tags-heading" className="mt-6">
      <h2 id="related-tags-heading" className="text-sm font-semibold text-slate-900">
        Related tags
      </h2>
      <ul className="mt-2 flex flex-wrap gap-x-3 gap-y-1.5">
        {tags.map((t) => (
          <li key={t.name} className="flex items-center gap-1 text-xs text-slate-600">
            <TagChip name={t.name} />
            <span>
              × {t.questions.toLocaleString("en")}
              <span className="sr-only"> {t.questions === 1 ? "question" : "questions"}</span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
