import { Link } from "react-router";
import { Card } from "./card.tsx";
import { PageHeader } from "./page-header.tsx";

/**
 * The page a vote posted without JavaScript lands on when it was refused (the vote routes answer
 * fetchers with JSON and plain forms with a redirect back, or with this): why, and the way back.
 */
export function VoteRefused({ message, fallback, back, backLabel }: { message: string | null; fallback: string; back: string; backLabel: string }) {
  return (
    <div className="mx-auto max-w-xl">
      <PageHeader title={message ? "Your vote was not counted" : "Voting"} />
      <Card className="p-6">
        <p role="alert" className="text-base text-slate-700">
          {message ?? fallback}
        </p>
        <p className="mt-4">
          <Link to={back} className="font-medium text-brand-700 hover:underline">
            {backLabel}
          </Link>
        </p>
      </Card>
    </div>
  );
}
