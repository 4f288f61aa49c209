import type { Route } from "./+types/preview";
import { getAuth } from "#app/features/auth/session.server.ts";
import { previewMarkdown } from "#app/features/wiki/preview.server.ts";
import { InputError, NotFoundError } from "#app/lib/errors.ts";
import { readForm } from "#app/lib/forms.ts";
import { MARKDOWN_MAX_LENGTH } from "#app/lib/markdown.server.ts";

/**
 * The editors' live preview: `POST /api/preview` with JSON `{ text, space? }` (or the form fields
 * `text` and `space`) → `{ html }`, the text rendered by the one markdown module (and, with a
 * space's slug, a wiki page's `[[links]]` resolved as its writer's save would). A text the module
 * refuses answers 400 `{ error }` with its message; a space the writer can't see, 404. Only
 * signed-in employees: a fetch gets a 401, never the sign-in redirect. Nothing is stored.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const auth = await getAuth(context, request);
  const headers = new Headers({ "Cache-Control": "no-store" });
  if (auth.setCookie) headers.append("Set-Cookie", auth.setCookie);
  const answer = (body: unknown, status = 200) => Response.json(body, { status, headers });
  if (!auth.user || auth.user.kind !== "employee" || auth.user.deactivatedAt) return answer({ error: "Sign in with an employee account." }, 401);
  const input = await readInput(request);
  if (!input) return answer({ error: 'Send the text to preview as JSON { "text": "…" } or as the form field text.' }, 400);
  // Longer than any text the module renders: refused before any work, with the module's limit.
  if (input.text.replace(/\r\n?/g, "\n").length > MARKDOWN_MAX_LENGTH) {
    return answer({ error: `This text is ${input.text.length.toLocaleString("en")} characters long; the limit is ${MARKDOWN_MAX_LENGTH.toLocaleString("en")}.` }, 400);
  }
  try {
    return answer(await previewMarkdown(context.db, auth.user, input));
  } catch (error) {
    if (error instanceof InputError) return answer({ error: error.message }, 400);
    if (error instanceof NotFoundError) return answer({ error: "Not found." }, 404);
    throw error;
  }
}

/** `{ text, space? }` from a JSON body or a form; null when neither holds a text. */
async function readInput(request: Request): Promise<{ text: string; space?: string | undefined } | null> {
  if ((request.headers.get("content-type") ?? "").includes("application/json")) {
    const body: unknown = await request.json().catch(() => null);
    if (!body || typeof body !== "object") return null;
    const { text, space } = body as { text?: unknown; space?: unknown };
    if (typeof text !== "string") return null;
    return { text, space: typeof space === "string" && space ? space : undefined };
  }
  const form = await readForm(request).catch(() => null);
  const text = form?.get("text");
  if (typeof text !== "string") return null;
  const space = form?.get("space");
  return { text, space: typeof space === "string" && space ? space : undefined };
}
