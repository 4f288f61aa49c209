import type { Db } from "#db/client.server.ts";
import { type Actor, spaceBySlugForActor } from "#app/features/spaces/visibility.server.ts";
import { renderField } from "#app/lib/markdown.server.ts";
import { renderPage } from "./pages.server.ts";

/**
 * The live preview of an editor: the text as it would be stored, through the one markdown module.
 * With a space (a wiki page's editor), `[[Page title]]` links resolve as a save by this writer
 * would resolve them and headings get their anchors; a space the writer doesn't see is a 404.
 * A text the module refuses (too long, nested too deeply) is an InputError saying what to change.
 */
export async function previewMarkdown(db: Db, actor: Actor, input: { text: string; space?: string | undefined }): Promise<{ html: string }> {
  if (!input.space) return { html: renderField(input.text, "text") };
  const { space } = await spaceBySlugForActor(db, actor, input.space);
  const { bodyHtml } = await renderPage(db, actor, space, input.text);
  return { html: bodyHtml };
}
