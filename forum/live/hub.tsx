import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { renderToStaticMarkup } from "react-dom/server";
import { projectRoot } from "#db/project-root.ts";
import type { Db } from "#db/client.server.ts";
import { LiveHub } from "../../server/live-hub.ts";
import { forumSession, forumSessionQuestions, isOpen } from "./live.server.ts";
import { QuestionList, STATUS_LABELS } from "./views.tsx";

/**
 * The forum's live hub and its page script. The hub's events carry the question list rendered to
 * HTML on the server (read as the forum's role) and who answered, for the script to swap in and
 * announce. A session the role cannot see (an internal one) loads as gone.
 */

export function createForumLiveHub(db: Db, onError?: (error: unknown) => void): LiveHub {
  return new LiveHub(db, (sessionId) => forumLiveState(db, sessionId), onError ? { onError } : {});
}

export async function forumLiveState(db: Db, sessionId: number): Promise<string | null> {
  const [session, questions] = await Promise.all([forumSession(db, sessionId), forumSessionQuestions(db, sessionId)]);
  if (!session) return null;
  const html = renderToStaticMarkup(<QuestionList sessionId={session.id} questions={questions} open={isOpen(session.status)} />);
  const answers = questions.filter((q) => q.answerHtml !== null).map((q) => ({ id: q.id, by: q.answeredByName ?? "an expert" }));
  return JSON.stringify({ status: session.status, statusLabel: STATUS_LABELS[session.status], html, answers });
}

export interface Script {
  url: string;
  body: Buffer;
}

let script: Script | undefined;

/** forum/public/live.js, read once, at a URL carrying a hash of its content (cached for a year). */
export function liveScript(): Script {
  if (!script) {
    const body = readFileSync(path.join(projectRoot(import.meta.url), "forum", "public", "live.js"));
    script = { url: `/live.${createHash("sha256").update(body).digest("hex").slice(0, 12)}.js`, body };
  }
  return script;
}
