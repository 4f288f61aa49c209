import { type IncomingHttpHeaders, request } from "node:http";
import type { BodyShape } from "./inputs.ts";

/** 1 MB, the form body limit of server/http.ts (FORM_BODY_LIMIT), repeated here so the fuzzer needs no server import. */
const LIMIT = 1024 * 1024;

/**
 * percent-encodes like a form, but keeps what URLSearchParams would repair: a lone surrogate is
 * sent as its own (invalid UTF-8) bytes, as a broken client would send it, not as U+FFFD.
 */
function encode(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      out += encodeURIComponent(text.slice(i, i + 2));
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      out += `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 0x3f)).toString(16)}%${(0x80 | (code & 0x3f)).toString(16)}`.toUpperCase();
    } else out += encodeURIComponent(text[i]!);
  }
  return out;
}

/** The body and Content-Type of a form post of `pairs` in `shape`. */
export function formBody(pairs: ReadonlyArray<[string, string]>, shape: BodyShape): { body?: BodyInit; contentType?: string; text: string } {
  const urlencoded = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join("&");
  const text = pairs.map(([k, v]) => `${k}=${v}`).join("&");
  const big = (size: number) => {
    const name = pairs.find(([k]) => k !== "intent")?.[0] ?? "body";
    const head = urlencoded ? `${urlencoded}&${encode(name)}=` : `${encode(name)}=`;
    return head + "x".repeat(Math.max(0, size - head.length));
  };
  switch (shape) {
    case "urlencoded":
      return { body: urlencoded, contentType: "application/x-www-form-urlencoded", text };
    case "multipart": {
      const form = new FormData();
      for (const [k, v] of pairs) form.append(k, v);
      return { body: form, text };
    }
    case "json-as-form":
      return { body: JSON.stringify(Object.fromEntries(pairs)), contentType: "application/x-www-form-urlencoded", text };
    case "broken-percent":
      return { body: `${urlencoded}&%zz=%E0%A4%A&=&&%=%`, contentType: "application/x-www-form-urlencoded", text };
    case "text-plain":
      return { body: text, contentType: "text/plain", text };
    case "none":
      return { contentType: "application/x-www-form-urlencoded", text: "" };
    case "near-limit":
      return { body: big(LIMIT - 512), contentType: "application/x-www-form-urlencoded", text };
    case "over-limit":
      return { body: big(LIMIT + 16), contentType: "application/x-www-form-urlencoded", text };
  }
}

/**
 * One request by node:http rather than fetch: when the server refuses a body over the limit it
 * answers 413 and closes the connection while the client is still writing, which fetch reports as
 * a failure of its own (ECONNRESET) instead of the answer. Here the answer wins.
 */
export async function send(url: string, init: { method: string; headers: Record<string, string>; body?: BodyInit }): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  const headers = { ...init.headers };
  let payload: Buffer | undefined;
  if (init.body !== undefined) {
    const encoded = new Response(init.body);
    payload = Buffer.from(await encoded.arrayBuffer());
    const type = encoded.headers.get("content-type");
    if (type && !headers["content-type"]) headers["content-type"] = type;
  }
  return new Promise((resolve, reject) => {
    let answered = false;
    // A connection of its own: after a 413 the server closes the one it answered on.
    const req = request(url, { agent: false, method: init.method, headers: { ...headers, ...(payload ? { "content-length": String(payload.length) } : {}) } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
      res.on("error", reject);
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    req.end(payload);
  });
}
