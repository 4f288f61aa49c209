import { Link, href } from "react-router";
import { ButtonLink } from "#app/components/button.tsx";
import { ShieldIcon } from "#app/components/icons.tsx";
import { type BreakGlassView, BreakGlassList, type RelayMessageView, RelayMessageList } from "./anonymous-records.tsx";

export type AnonymousPanelView = { askedByYou: boolean; canReachAsker: boolean; messages: RelayMessageView[]; lookups: BreakGlassView[] };

/**
 * The question page's note on an anonymous question: for everyone, that it was asked anonymously;
 * for its asker (and no one else), what that means for what they write here, and what moderators
 * sent them; for the space's moderators and admins, the two ways to reach the asker.
 */
export function AnonymousQuestionPanel({ panel, questionId, now }: { panel: AnonymousPanelView; questionId: number; now: number }) {
  const id = String(questionId);
  return (
    <section aria-labelledby="anonymous-heading" className="mb-4 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700">
      <h2 id="anonymous-heading" className="flex items-center gap-2 font-semibold text-slate-900">
        <ShieldIcon className="size-4 text-slate-500" />
        {panel.askedByYou ? "You asked this anonymously" : "Asked anonymously"}
      </h2>
      {panel.askedByYou ? (
        <>
          <p className="mt-1">
            Only you see this note. Nobody else, admins included, is shown that you asked. Answers and comments reach your inbox, and you can accept an answer. What you write here yourself
            (an answer, a comment, an edit) shows your name.{" "}
            <Link to={href("/questions/anonymous")} className="font-medium text-brand-700 hover:underline">
              Your anonymous questions
            </Link>
          </p>
          {panel.messages.length > 0 ? (
            <div className="mt-3">
              <RelayMessageList messages={panel.messages} now={now} />
            </div>
          ) : null}
          {panel.lookups.length > 0 ? (
            <div className="mt-3">
              <BreakGlassList records={panel.lookups} now={now} />
            </div>
          ) : null}
        </>
      ) : (
        <p className="mt-1">Who asked is kept apart and shown to no one, admins included.</p>
      )}
      {panel.canReachAsker ? (
        <div className="mt-3 flex flex-wrap gap-2">
          <ButtonLink to={href("/questions/:questionId/asker/message", { questionId: id })} size="sm">
            Message the asker
          </ButtonLink>
          <ButtonLink to={href("/questions/:questionId/asker/break-glass", { questionId: id })} size="sm" variant="dangerOutline">
            Look up the asker (abuse only)
          </ButtonLink>
        </div>
      ) : null}
    </section>
  );
}
