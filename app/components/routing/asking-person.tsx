import { Link, href } from "react-router";

/** The ask page's link that sends the new question to one person (`?to=`), as the experts page and profiles offer it. */
export function askPersonHref(userId: number): string {
  return `${href("/questions/ask")}?to=${userId}`;
}

/**
 * On the ask page opened with `?to=`: whom the question will be sent to (a hidden `to` field
 * carries them), or why it can't be, in which case the question is simply asked in the space.
 */
export function AskingPerson({ to }: { to: { id: number; name: string; unavailable: string | null } | null }) {
  if (!to) return null;
  const person = (
    <Link to={href("/people/:userId", { userId: String(to.id) })} className="font-semibold hover:underline">
      {to.name}
    </Link>
  );
  if (to.unavailable) {
    return (
      <p role="status" className="mb-5 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
        {to.unavailable} Your question will be asked in the space you choose, without being sent to {person}.
      </p>
    );
  }
  return (
    <div className="mb-5 rounded-md border border-brand-100 bg-brand-50 px-3 py-2 text-sm text-brand-800">
      <input type="hidden" name="to" value={to.id} />
      <p>You are asking {person}. They get your question in their inbox and by mail; everyone who can see the space can answer it too.</p>
    </div>
  );
}
