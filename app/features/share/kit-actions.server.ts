import { data } from "react-router";
import type { Db } from "#db/client.server.ts";
import type { Actor } from "#app/features/spaces/visibility.server.ts";
import { attempt } from "#app/lib/errors.ts";
import { type FormFailure, parseForm } from "#app/lib/forms.ts";
import { requireCurator } from "./curators.server.ts";
import { addArticleItem, addThreadItem, archiveKit, editSuggestedText, getMyLink, removeItem, updateKit } from "./kits.server.ts";
import { ArticleItemSchema, ItemSchema, KitSchema, SuggestedTextSchema, ThreadItemSchema } from "./schemas.ts";

/**
 * The kit page's forms, by intent. Every answer names its intent and item, so the page shows a
 * failure beside the form it came from with what was typed. Rights are the features' to check:
 * any employee may get a link; the rest throws a 403 for anyone who doesn't curate.
 */
export type KitActionResult = { ok: true; intent: string; itemId: string; notice: string } | (FormFailure & { intent: string; itemId: string });

export async function kitAction(db: Db, actor: Actor, kitId: number, form: FormData): Promise<KitActionResult> {
  const intent = String(form.get("intent") ?? "");
  const itemId = typeof form.get("itemId") === "string" ? String(form.get("itemId")) : "";
  const done = (notice: string): KitActionResult => ({ ok: true, intent, itemId, notice });
  const run = async <T>(parsed: { ok: true; data: T; values: Record<string, string> } | FormFailure, call: (input: T) => Promise<string>): Promise<KitActionResult> => {
    const result = parsed.ok ? await attempt(parsed.values, () => call(parsed.data)) : parsed;
    return result.ok ? done(result.result) : { ...result, intent, itemId };
  };
  // A non-curator's edit is refused as such (403), whatever the form holds.
  if (intent !== "link") await requireCurator(db, actor);
  switch (intent) {
    case "link":
      return run(parseForm(ItemSchema, form), async ({ itemId: id }) => {
        const { created } = await getMyLink(db, actor, kitId, id);
        return created ? "Your link is ready: copy it or use a share button." : "This is your link for it.";
      });
    case "add-thread":
      return run(parseForm(ThreadItemSchema, form), async (input) => (await addThreadItem(db, actor, kitId, input), "Thread added."));
    case "add-article":
      return run(parseForm(ArticleItemSchema, form), async (input) => (await addArticleItem(db, actor, kitId, input), "Article added."));
    case "edit-text":
      return run(parseForm(SuggestedTextSchema, form), async (input) => (await editSuggestedText(db, actor, kitId, input), "Suggested text saved."));
    case "remove-item":
      return run(parseForm(ItemSchema, form), async ({ itemId: id }) => (await removeItem(db, actor, kitId, id), "Item removed."));
    case "edit-kit":
      return run(parseForm(KitSchema, form), async (input) => (await updateKit(db, actor, kitId, input), "Kit saved."));
    case "archive":
      return run({ ok: true, data: null, values: {} }, async () => (await archiveKit(db, actor, kitId), "Kit archived. It has left the list of kits; its links keep working."));
    default:
      throw data("Unknown action", { status: 400 });
  }
}
