import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import type { Db, Tx } from "#db/client.server.ts";
import { outboundAllowlist } from "#db/schema/index.ts";

/**
 * The SSRF guard of everything Commons calls on an admin's behalf (webhook endpoints, Slack and
 * Teams incoming webhooks). A URL may only be http(s), may not carry a user name or password, and
 * every address its host resolves to must be public unicast, unless an admin listed the host name
 * or the address (or a range holding it) on Admin → Integrations → Private addresses allowed.
 *
 * The check runs twice: when the URL is saved (`checkDestination`, so the admin hears of it at
 * once) and when each request connects (`guardedLookup` for host names, `refusedAddress` for
 * addresses written in the URL), because a host name may resolve somewhere else by then (DNS
 * rebinding).
 */

export type DestinationCheck = { ok: true } | { ok: false; reason: string };

/** The admin's entries, parsed once per check: host names, and address ranges (a lone address is a /32 or /128). */
export interface Allowlist {
  hosts: Set<string>;
  ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
}

export const EMPTY_ALLOWLIST: Allowlist = { hosts: new Set(), ranges: [] };

/** A host name as the allowlist stores it: lower case, no trailing dot. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, "");
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/**
 * What an allowlist entry means: a host name, an address, or a CIDR range, in its normal form
 * (`10.20.0.0/16`, `fd00::/8`, `hooks.internal`); null for anything else.
 */
export function parseAllowlistPattern(input: string): { kind: "host" | "address" | "range"; pattern: string } | null {
  const text = input.trim().replace(/^\[|\]$/g, "");
  if (!text) return null;
  if (text.includes("/")) {
    if (!ipaddr.isValidCIDR(text)) return null;
    const [address, bits] = ipaddr.parseCIDR(text);
    // The range's first address, so "10.20.3.4/16" and "10.20.0.0/16" are the same entry.
    const network = address.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
    return { kind: "range", pattern: `${network.toString()}/${bits}` };
  }
  if (isIP(text)) return { kind: "address", pattern: ipaddr.parse(text).toString() };
  const host = normalizeHost(text);
  // Something that looks like a mangled address ("10.1") is neither an address nor a name.
  if (/^[\d.]+$/.test(host) || !HOST_NAME.test(host)) return null;
  return { kind: "host", pattern: host };
}

/** The allowlist as stored (a handful of rows: read whole). */
export async function loadAllowlist(db: Db | Tx): Promise<Allowlist> {
  const rows = await db.select({ pattern: outboundAllowlist.pattern }).from(outboundAllowlist);
  const list: Allowlist = { hosts: new Set(), ranges: [] };
  for (const { pattern } of rows) {
    const parsed = parseAllowlistPattern(pattern);
    if (!parsed) continue;
    if (parsed.kind === "host") list.hosts.add(parsed.pattern);
    else if (parsed.kind === "range") list.ranges.push(ipaddr.parseCIDR(parsed.pattern));
    else {
      const address = ipaddr.parse(parsed.pattern);
      list.ranges.push([address, address.kind() === "ipv4" ? 32 : 128]);
    }
  }
  return list;
}

/** An IPv4 address hidden in an IPv6 one that the system would reach as that IPv4 address. */
function unwrap(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function allowlisted(address: ipaddr.IPv4 | ipaddr.IPv6, list: Allowlist): boolean {
  const forms = [address, unwrap(address)];
  return list.ranges.some(([range, bits]) => forms.some((a) => a.kind() === range.kind() && a.match(range, bits)));
}

/**
 * Why Commons may not connect to this address, or null when it may: it must be public unicast
 * (ipaddr.js's `range()` says "unicast"), seen through IPv4-mapped IPv6, unless allowlisted.
 * Tunnel and translation prefixes (6to4, Teredo, NAT64) and the old IPv4-compatible ::/96 are
 * refused too: each can carry a private IPv4 address inside.
 */
export function refusedAddress(text: string, list: Allowlist): string | null {
  if (!ipaddr.isValid(text)) return `${text} is not an address.`;
  const address = ipaddr.parse(text);
  if (allowlisted(address, list)) return null;
  const seen = unwrap(address);
  const range = seen.range();
  const compatible = range === "unicast" && seen.kind() === "ipv6" && (seen as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0);
  if (range === "unicast" && !compatible) return null;
  return `${text} is a ${compatible ? "reserved" : describeRange(range)} address. Ask an admin to allow it under Private addresses allowed if this is intended.`;
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: "loopback",
    private: "private",
    linkLocal: "link-local",
    uniqueLocal: "private (unique local)",
    carrierGradeNat: "carrier-grade NAT",
    unspecified: "unspecified",
    multicast: "multicast",
    broadcast: "broadcast",
    reserved: "reserved",
  };
  return names[range] ?? `special-purpose (${range})`;
}

/** The checks that need no DNS: scheme, credentials, a host. Returns the URL, or the reason it is refused. */
export function parseDestination(text: string): { ok: true; url: URL } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return { ok: false, reason: "Enter a full address starting with https:// (or http://)." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "Only http:// and https:// addresses can be called." };
  if (url.username || url.password) return { ok: false, reason: "Leave the user name and password out of the address; put a secret in the path or use the signing secret." };
  if (!url.hostname) return { ok: false, reason: "The address has no host." };
  return { ok: true, url };
}

/** The URL's host as a bare address ("[::1]" → "::1"), or null when it is a name. */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return isIP(host) ? host : null;
}

/**
 * Whether Commons may call this URL (SSRF guard): http(s) only, no credentials in it, and every
 * address the host resolves to must be public unless an admin allowlisted the host or range.
 * Checked when an endpoint or a connection is saved; the sender checks again at connect time.
 */
export async function checkDestination(db: Db | Tx, text: string): Promise<DestinationCheck> {
  const parsed = parseDestination(text);
  if (!parsed.ok) return parsed;
  const list = await loadAllowlist(db);
  const literal = literalAddress(parsed.url);
  if (literal) {
    const refused = refusedAddress(literal, list);
    return refused ? { ok: false, reason: refused } : { ok: true };
  }
  const host = normalizeHost(parsed.url.hostname);
  if (list.hosts.has(host)) return { ok: true };
  let addresses: LookupAddress[];
  try {
    addresses = await dns.lookup(host, { all: true, verbatim: true });
  } catch {
    return { ok: false, reason: `${host} could not be found (DNS). Check the address.` };
  }
  if (addresses.length === 0) return { ok: false, reason: `${host} could not be found (DNS). Check the address.` };
  for (const { address } of addresses) {
    const refused = refusedAddress(address, list);
    if (refused) return { ok: false, reason: `${host} resolves to ${refused}` };
  }
  return { ok: true };
}

/** The error a refused connection fails with (the attempt records its message). */
export class DestinationRefusedError extends Error {
  readonly code = "EDESTINATIONREFUSED";

  constructor(message: string) {
    super(message);
    this.name = "DestinationRefusedError";
  }
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http(s).request that resolves like the system does and then refuses the
 * connection when any address is not public (unless allowlisted): the check happens on the
 * addresses actually connected to, so a name that resolved to a public address at save time and
 * to 127.0.0.1 now is still refused.
 */
export function guardedLookup(list: Allowlist) {
  return (hostname: string, options: { all?: boolean; family?: number | string } | undefined, callback: LookupCallback): void => {
    const family = options?.family === "IPv4" ? 4 : options?.family === "IPv6" ? 6 : typeof options?.family === "number" ? options.family : 0;
    dnsLookup(hostname, { all: true, verbatim: true, family }, (error, addresses) => {
      if (error) return callback(error, options?.all ? [] : "", 0);
      if (!list.hosts.has(normalizeHost(hostname))) {
        for (const { address } of addresses) {
          const refused = refusedAddress(address, list);
          if (refused) return callback(new DestinationRefusedError(`Refused to connect: ${hostname} resolves to ${refused}`), options?.all ? [] : "", 0);
        }
      }
      if (options?.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "", 0);
      callback(null, first.address, first.family);
    });
  };
}

/** Why a URL whose host is an address may not be called now, or null (host names go through `guardedLookup`). */
export function refusedLiteral(url: URL, list: Allowlist): string | null {
  const literal = literalAddress(url);
  return literal ? refusedAddress(literal, list) : null;
}
