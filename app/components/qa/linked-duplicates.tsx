import { Link } from "react-router";
import type { QuestionLink } from "#app/features/qa/close.server.ts";
import { questionUrl } from "#app/features/qa/question-url.ts";

/** Questions closed as duplicates of this one, so the link between them shows from both sides. */
export function LinkedDuplicates({ duplicates }: { duplicates: QuestionLink[] }) {
  if (duplicates.length === 0) return null;
  return (
    <section aria-labelledby="linked-duplicates-heading" className="mt-2 mb-4 rounded-lg border border-slate-200 bg-white px-4 py-3">
      <h2 id="linked-duplicates-heading" className="text-sm font-semibold text-slate-900">
        Linked duplicates
      </h2>
      <p className="text-xs text-slate-600">These questions were closed as duplicates of this one.</p>
      <ul className="mt-2 space-y-1 text-sm">
        {duplicates.map((d) => (
          <li key={d.id}>
            <Link to={questionUrl(d)} className="text-brand-700 hover:underline">
              {d.title}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
