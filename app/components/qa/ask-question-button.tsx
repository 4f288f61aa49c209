import { href } from "react-router";
import { ButtonLink } from "#app/components/button.tsx";
import { PlusIcon } from "#app/components/icons.tsx";

/** The ask page, with `spaceSlug` preselected when the link comes from a space or one of its questions. */
export function askQuestionHref(spaceSlug?: string): string {
  return spaceSlug ? `${href("/questions/ask")}?space=${encodeURIComponent(spaceSlug)}` : href("/questions/ask");
}

/** The "Ask a question" button of the question lists (all questions, a tag, a space). */
export function AskQuestionButton({ spaceSlug }: { spaceSlug?: string }) {
  return (
    <ButtonLink to={askQuestionHref(spaceSlug)} variant="primary">
      <PlusIcon />
      Ask a question
    </ButtonLink>
  );
}
