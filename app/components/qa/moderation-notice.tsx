import { useSearchParams } from "react-router";
import { Notice } from "#app/components/form.tsx";

/**
 * What a flag, close or reopen form says when it returns to the question page: the page URL
 * carries `?notice=<key>`, and only these fixed messages are ever shown (never text from the URL).
 */
const NOTICES = {
  flagged: "Thanks. Your flag is with the moderators of this space.",
  closed: "The question is closed.",
  reopened: "The question is open again.",
} as const;

export type ModerationNoticeKey = keyof typeof NOTICES;

/** `url` with `?notice=<key>` added, keeping its `#anchor`. */
export function withNotice(url: string, key: ModerationNoticeKey): string {
  const [path, anchor] = url.split("#");
  const separator = path!.includes("?") ? "&" : "?";
  return `${path}${separator}notice=${key}${anchor ? `#${anchor}` : ""}`;
}

export function ModerationNotice() {
  const [params] = useSearchParams();
  const key = params.get("notice");
  const message = key && Object.hasOwn(NOTICES, key) ? NOTICES[key as ModerationNoticeKey] : null;
  return <Notice message={message} />;
}
