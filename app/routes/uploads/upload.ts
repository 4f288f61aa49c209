import type { Route } from "./+types/upload";
import { getAuth } from "#app/features/auth/session.server.ts";
import { acceptUpload, readUploadRequest, refuseDeclaredTooLarge, UploadRefused, uploadLimits } from "#app/features/uploads/uploads.server.ts";

/**
 * `POST /uploads` with a multipart field `file`: the editor's paste, drop and "Attach a file".
 * Answers JSON: the stored upload (`{ key, url, filename, contentType, size, width, height,
 * markdown }`), or `{ error }` with 400 (no file), 413 (too large), 415 (a type Commons doesn't
 * take), 429 (too many this hour), 507 (the disk is full) or 503 (the storage failed). Like the
 * other JSON routes, anyone who is not a signed-in, active employee gets a 401 rather than a redirect.
 */
export async function action({ request, context }: Route.ActionArgs) {
  const headers = new Headers({ "Cache-Control": "no-store" });
  const limits = uploadLimits();
  try {
    // Before the session lookup: a body that says it is too large costs nothing to refuse.
    refuseDeclaredTooLarge(request, limits.maxBytes);
  } catch (error) {
    return refused(error, headers);
  }
  const auth = await getAuth(context, request);
  if (auth.setCookie) headers.append("Set-Cookie", auth.setCookie);
  const user = auth.user;
  if (!user || user.kind !== "employee" || user.deactivatedAt) {
    return Response.json({ error: "Sign in with an employee account." }, { status: 401, headers });
  }
  try {
    const upload = await readUploadRequest(request, limits.maxBytes);
    return Response.json(await acceptUpload(context.db, user, upload, { limits }), { status: 201, headers });
  } catch (error) {
    // Issue 23, disk full: the person gets the refusal, the operator the cause in the log.
    if (error instanceof UploadRefused && error.status >= 503) context.log.error({ err: error.cause }, "upload not stored");
    return refused(error, headers);
  }
}

/** A refusal as JSON with its status; anything else is a bug and goes on to the error log. */
function refused(error: unknown, headers: Headers): Response {
  if (!(error instanceof UploadRefused)) throw error;
  // The rest of a refused body is not worth reading: the connection closes after the answer.
  if (error.status === 413) headers.set("Connection", "close");
  return Response.json({ error: error.message }, { status: error.status, headers });
}

/** Uploading is a POST; a GET of this address is a page that does not exist. */
export function loader() {
  return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
