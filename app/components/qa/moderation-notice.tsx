import { useSearchParams } from "react-router";
import type { ModerationNoticeKey } from "#app/features/qa/question-url.ts";
import { Notice } from "#app/components/form.tsx";

/**
 * What a flag, close or reopen form says when it returns to the question page: the page URL
 * carries `?notice=<key>`, and only these fixed messages are ever shown (never text from the URL).
 */
const NOTICES: Record<ModerationNoticeKey, string> = {
  flagged: "Thanks. Your flag is with the moderators of this space.",
  closed: "The question is closed.",
  reopened: "The question is open again.",
};

export function ModerationNotice() {
  const [params] = useSearchParams();
  const key = params.get("notice");
  const message = key && Object.hasOwn(NOTICES, key) ? NOTICES[key as ModerationNoticeKey] : null;
  return <Notice message={message} />;
}
