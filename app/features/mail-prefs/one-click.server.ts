import { Readable } from "node:stream";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { href } from "react-router";
import type { Db } from "#db/client.server.ts";
import { unsubscribe } from "./unsubscribe.server.ts";

/**
 * POST /unsubscribe/:token, mounted in express before the same-origin check (server/main.ts):
 * mail clients send RFC 8058's one-click POST with no cookie and no Origin. The token is the whole
 * authority (unsubscribe.server.ts); the body must say `List-Unsubscribe=One-Click`, urlencoded or
 * multipart, as the RFC has it.
 *
 * The unsubscribe page's own button posts here too, with `from=page`: it gets a redirect back to
 * the page, which then says what was done, so the button works without JavaScript.
 */

export type OneClickLog = { warn: (obj: object, msg: string) => void };

async function readBody(req: ExpressRequest): Promise<FormData | null> {
  const type = req.headers["content-type"] ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return null;
  try {
    const request = new Request("http://localhost/", {
      method: "POST",
      headers: { "content-type": type },
      body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
      duplex: "half",
    } as RequestInit);
    return await request.formData();
  } catch {
    // A truncated or forged multipart body: answered 400 below, like no body at all.
    return null;
  }
}

export function oneClickUnsubscribe(db: Db, log: OneClickLog) {
  return async (req: ExpressRequest, res: ExpressResponse): Promise<void> => {
    res.set("Cache-Control", "no-store");
    const token = String(req.params.token ?? "");
    const form = await readBody(req);
    const fromPage = form?.get("from") === "page";
    const page = href("/unsubscribe/:token", { token: encodeURIComponent(token) });
    if (form?.get("List-Unsubscribe") !== "One-Click") {
      res.status(400).type("text/plain").send("A one-click unsubscribe posts List-Unsubscribe=One-Click (RFC 8058).\n");
      return;
    }
    let done: Awaited<ReturnType<typeof unsubscribe>>;
    try {
      done = await unsubscribe(db, token);
    } catch (error) {
      log.warn({ err: error }, "unsubscribe failed");
      res.status(503).type("text/plain").send("Unsubscribing failed for a moment. Please try again.\n");
      return;
    }
    if (fromPage) {
      res.redirect(303, done ? `${page}?done=1` : page);
      return;
    }
    if (!done) {
      res.status(400).type("text/plain").send("This unsubscribe link is not valid.\n");
      return;
    }
    res.status(200).type("text/plain").send("You are unsubscribed.\n");
  };
}
