import { isRouteErrorResponse } from "react-router";

/** What the one error boundary (app/root.tsx) shows for an error: one handler per status. */
export type ErrorView = {
  /** The page title before " · Commons". */
  title: string;
  /** Shown above the heading: the status, or "Error" for a thrown error. */
  label: string;
  heading: string;
  text: string;
  /** "missing" is the calm not-found look; everything else is the warning look. */
  tone: "missing" | "warning";
  /** Whether to offer the request id for the administrator: only when something broke on our side. */
  reference: boolean;
};

const NOT_FOUND_TEXT = "The link may be old, the page may have moved, or it may be in a space you are not a member of.";

/**
 * The view for a response `status` (null for an error that is not an HTTP answer) with the
 * `message` it carried, if any. A 403's message says who may do what, so it is shown; a 404's
 * never is, so a hidden page and a missing one look the same.
 */
export function errorView(status: number | null, message: string | null): ErrorView {
  switch (status) {
    case 404:
      return { title: "Page not found", label: "404", heading: "We can't find that page", text: NOT_FOUND_TEXT, tone: "missing", reference: false };
    case 403:
      return { title: "Not allowed", label: "403", heading: "You can't do that", text: message ?? "You don't have permission to do that.", tone: "warning", reference: false };
    case 400:
      return {
        title: "Request not understood",
        label: "400",
        heading: "That request didn't work",
        text: message ?? "The page sent something we did not expect. Go back, reload the page and try again.",
        tone: "warning",
        reference: false,
      };
    case 405:
      return {
        title: "Not allowed here",
        label: "405",
        heading: "This page doesn't take that kind of request",
        text: "Go back and use the page's own buttons and forms.",
        tone: "warning",
        reference: false,
      };
    case 413:
      return {
        title: "Too large",
        label: "413",
        heading: "That was too large to send",
        text: "What you sent is over the size limit. Make it shorter and try again.",
        tone: "warning",
        reference: false,
      };
    case 429:
      return {
        title: "Too many attempts",
        label: "429",
        heading: "Too many attempts",
        text: message ?? "You tried that too often in a short time. Wait a few minutes and try again.",
        tone: "warning",
        reference: false,
      };
    case 503:
      // The database is away (server/route-errors.ts): restarting, usually for a few seconds.
      return {
        title: "Back in a moment",
        label: "503",
        heading: "Back in a moment",
        text: "Commons can't reach its database just now, usually for a few seconds while it restarts. Wait a moment and reload the page; if you were sending something, nothing was saved: send it again.",
        tone: "warning",
        reference: false,
      };
    default:
      return {
        title: "Something went wrong",
        label: status === null ? "Error" : String(status),
        heading: "Something went wrong",
        text: "We couldn't finish that request. It's not something you did; please try again in a moment.",
        tone: "warning",
        reference: true,
      };
  }
}

/** The view for whatever the error boundary caught: an HTTP answer (with its text message, if any) or a thrown error. */
export function errorViewOf(error: unknown): ErrorView {
  if (!isRouteErrorResponse(error)) return errorView(null, null);
  const message = typeof error.data === "string" && error.data.trim() !== "" ? error.data : null;
  return errorView(error.status, message);
}
