import express from "express";
import type { Request } from "express";
import type { z } from "zod";
import { type FormResult, parseForm } from "#app/lib/forms.ts";

/**
 * Reading the forum's plain HTML forms. Bodies are urlencoded (no form of ours uploads a file); the
 * values go through the same `parseForm` as the app's, so a failed parse hands back field messages
 * and what was typed, without the passwords.
 */

/** Urlencoded bodies, small: the longest field of ours is a comment (5,000 characters). */
export const formBody = express.urlencoded({ extended: false, limit: "64kb", parameterLimit: 50 });

export function requestForm(req: Request): FormData {
  const form = new FormData();
  const body = (req.body ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    // NUL characters, which PostgreSQL cannot store in text and no one types, are removed.
    for (const one of Array.isArray(value) ? value : [value]) if (typeof one === "string") form.append(key.replaceAll("\0", ""), one.replaceAll("\0", ""));
  }
  return form;
}

export function readRequestForm<S extends z.ZodType>(schema: S, req: Request): FormResult<z.output<S>> {
  return parseForm(schema, requestForm(req));
}

/** The client's address as express sees it (TRUST_PROXY decides whether a proxy's header counts). */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? "unknown";
}

/** A string field of the body (or query), "" when absent or repeated. */
export function stringField(source: unknown, name: string): string {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === "string" ? value : "";
}
