import type { Route } from "./+types/file";
import { getAuth } from "#app/features/auth/session.server.ts";
import { contentDisposition, isImage } from "#app/features/uploads/content.server.ts";
import { uploadStorage } from "#app/features/uploads/storage.server.ts";
import { uploadForReader } from "#app/features/uploads/uploads.server.ts";
import { NotFoundError } from "#app/lib/errors.ts";

/**
 * `GET /uploads/:key/:filename?`: an upload's bytes, for people who may see it (its uploader until
 * it is attached, then whoever may see its item); everyone else, and unknown keys, get the same
 * 404. The file name in the URL is for people and is not checked. The headers keep the file from
 * ever running as part of Commons: its stored type with nosniff, a sandboxing CSP should it be
 * opened directly, images inline and everything else as a download.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const auth = await getAuth(context, request);
  let upload;
  try {
    upload = await uploadForReader(context.db, auth.user, params.key);
  } catch (error) {
    if (error instanceof NotFoundError) return notFound();
    throw error;
  }
  const headers = new Headers({
    "Content-Type": upload.contentType.startsWith("text/") ? `${upload.contentType}; charset=utf-8` : upload.contentType,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox",
    "Content-Disposition": contentDisposition(isImage(upload.contentType) ? "inline" : "attachment", upload.filename),
    // Private: only this reader's browser keeps it, and only for an hour, so losing access to the
    // item soon means losing the file too.
    "Cache-Control": "private, max-age=3600",
    Vary: "Cookie",
    ETag: `"${upload.sha256}"`,
  });
  if (auth.setCookie) headers.append("Set-Cookie", auth.setCookie);
  if (matchesEtag(request.headers.get("if-none-match"), upload.sha256)) {
    headers.delete("Content-Type");
    return new Response(null, { status: 304, headers });
  }
  const stored = await uploadStorage().get(upload.key);
  // A row whose bytes are gone (a storage restored from an older backup): nothing to serve.
  if (!stored) return notFound();
  headers.set("Content-Length", String(stored.size));
  return new Response(stored.body, { status: 200, headers });
}

function notFound(): Response {
  return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });
}

/** Whether If-None-Match names this upload's ETag (or is `*`), weak or strong. */
function matchesEtag(header: string | null, sha256: string): boolean {
  if (!header) return false;
  return header.split(",").some((tag) => {
    const value = tag.trim();
    return value === "*" || value.replace(/^W\//, "") === `"${sha256}"`;
  });
}
