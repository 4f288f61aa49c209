/**
 * The addresses a share kit accepts for a public article, and the thread references it accepts.
 * Pure, so the browser-free rules are tested without a database.
 *
 * An article is shared with customers and the public through a redirect on the forum, so its
 * address must be one anyone can open safely: https only (no http, javascript:, data:), no
 * credentials in the URL (they would be handed to everyone who clicks), and no host that is an IP
 * address in a private, loopback, link-local or otherwise non-public range, nor a single-label or
 * localhost name: those lead into someone's own network, never to a public article.
 */

export const ARTICLE_URL_MAX = 2000;

export type Checked = { ok: true; url: string } | { ok: false; message: string };

export function checkArticleUrl(raw: string): Checked {
  const text = raw.trim();
  if (text === "") return { ok: false, message: "Paste the article's address, starting with https://." };
  if (text.length > ARTICLE_URL_MAX) return { ok: false, message: `An address is at most ${ARTICLE_URL_MAX.toLocaleString("en")} characters.` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "That is not a web address. Paste the article's address, starting with https://." };
  }
  if (url.protocol !== "https:") return { ok: false, message: "Only https:// addresses can be shared." };
  if (url.username !== "" || url.password !== "") return { ok: false, message: "The address carries a user name or password: remove them before sharing it." };
  const host = url.hostname.toLowerCase();
  if (isNonPublicIp(host)) return { ok: false, message: "The address points at a private network address, not a public article." };
  if (host === "localhost" || host.endsWith(".localhost") || !host.includes(".") || host.endsWith(".local") || host.endsWith(".internal")) {
    return { ok: false, message: "The address points at an internal host, not a public article." };
  }
  return { ok: true, url: url.href };
}

/** Whether `host` (a URL's hostname, which the URL parser has already normalized) is an IP that is not a public one. */
export function isNonPublicIp(host: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return nonPublicV4(host.split(".").map(Number) as [number, number, number, number]);
  if (host.startsWith("[") && host.endsWith("]")) return nonPublicV6(host.slice(1, -1));
  return false;
}

function nonPublicV4([a, b, c]: [number, number, number, number]): boolean {
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local (cloud metadata lives here)
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113) ||
    a >= 224 // multicast and reserved
  );
}

function nonPublicV6(address: string): boolean {
  const a = address.toLowerCase();
  if (a === "::" || a === "::1") return true;
  // IPv4 written inside IPv6 (mapped, compatible, NAT64): judged by nothing public we would want to share.
  if (a.startsWith("::ffff:") || a.startsWith("64:ff9b:") || /^::[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(a)) return true;
  const first = parseInt(a.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // site-local (deprecated) fec0::/10
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x2001 && a.startsWith("2001:db8:")) // documentation
  );
}

/**
 * The thread a curator means: its id, from a pasted forum address (`…/t/12/slug`, `/t/12`) or the
 * id alone. A full address must be on the forum (`forumOrigin`). Null when it names none.
 */
export function threadReference(raw: string, forumOrigin: string): number | null {
  const text = raw.trim();
  const digits = /^#?(\d{1,10})$/.exec(text);
  if (digits) return Number(digits[1]);
  let path = text;
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    if (url.origin !== forumOrigin) return null;
    path = url.pathname;
  }
  const match = /^\/t\/(\d{1,10})(?:\/|$)/.exec(path);
  return match ? Number(match[1]) : null;
}
