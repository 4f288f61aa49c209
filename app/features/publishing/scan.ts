/**
 * The confidentiality scan: what in a draft's markdown must not reach the public forum without
 * someone deciding so. Pure (no database, no Node modules: the pages import the labels), and
 * linear in the text: every detector is one pass of a regular expression anchored so it cannot
 * start inside a longer word, and names and terms are looked up token by token in a Map rather
 * than through one giant expression. docs/publishing.md ("The confidentiality scan") lists what
 * each detector takes and leaves, and tests/fixtures/confidentiality holds the cases that pin it.
 */

export const DETECTORS = ["email", "phone", "internal_host", "internal_url", "ip", "secret", "person", "customer", "codename"] as const;
export type Detector = (typeof DETECTORS)[number];

export const DETECTOR_LABELS: Record<Detector, string> = {
  email: "Email address",
  phone: "Phone number",
  internal_host: "Internal host name",
  internal_url: "Internal link",
  ip: "Internal IP address",
  secret: "Secret",
  person: "Employee not agreed to be named",
  customer: "Customer name",
  codename: "Project code name",
};

export interface ScanContext {
  /** Host patterns: "*.northwind.internal", "intranet.northwind.com", "*.corp", "*.local". A URL or bare host matching is internal. */
  internalHosts: string[];
  /** CIDR ranges beyond the private ones (10/8, 172.16/12, 192.168/16, 127/8, 169.254/16, fc00::/7, fe80::/10 are always internal). */
  internalIpRanges: string[];
  /** Employees who have NOT agreed to be named in this draft: full names (and @handles if the app has them). */
  people: { name: string; handle?: string }[];
  customers: string[];
  codenames: string[];
}

export interface Finding {
  detector: Detector;
  start: number;
  end: number;
  match: string;
}

export const REDACTED = "[redacted]";

// ---------------------------------------------------------------- the public functions

/** Findings in `text` (markdown), sorted by start; overlapping findings collapse to the longest (a URL containing an email is one finding). */
export function scanText(text: string, context: ScanContext): Finding[] {
  const compiled = compile(context);
  const found: Finding[] = [];
  const add = (detector: Detector, start: number, end: number) => {
    if (end > start) found.push({ detector, start, end, match: text.slice(start, end) });
  };
  findEmails(text, compiled, add);
  findHandles(text, compiled, add);
  findPhones(text, add);
  findUrls(text, compiled, add);
  findLinkTargets(text, compiled, add);
  findHosts(text, compiled, add);
  findIps(text, compiled, add);
  findSecrets(text, add);
  findTerms(text, compiled, add);
  return collapse(found);
}

/** `text` with [start, end) replaced by REDACTED. */
export function redactSpan(text: string, start: number, end: number): string {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
    throw new RangeError(`redactSpan: [${start}, ${end}) is not a span of a ${text.length}-character text`);
  }
  return text.slice(0, start) + REDACTED + text.slice(end);
}

const CONTEXT_RADIUS = 40;
const MATCH_SHOWN = 80;

/** A short excerpt around a finding for the reviewers: { before, match, after } of at most ~40 chars each side. */
export function findingContext(text: string, finding: Pick<Finding, "start" | "end">): { before: string; match: string; after: string } {
  const from = Math.max(0, finding.start - CONTEXT_RADIUS);
  let before = text.slice(from, finding.start);
  if (from > 0) {
    // Start at a word: a cut word reads as a different word.
    const space = before.search(/\s/);
    if (space >= 0 && space < before.length - 1) before = before.slice(space + 1);
    before = `…${dropLoneSurrogates(before)}`;
  }
  const to = Math.min(text.length, finding.end + CONTEXT_RADIUS);
  let after = text.slice(finding.end, to);
  if (to < text.length) {
    const space = after.search(/\s\S*$/);
    if (space > 0) after = after.slice(0, space);
    after = `${dropLoneSurrogates(after)}…`;
  }
  let match = text.slice(finding.start, finding.end);
  // A private key block is a screenful: the reviewer needs to recognise it, not read it.
  if (match.length > MATCH_SHOWN) match = `${match.slice(0, MATCH_SHOWN - 20)}…${match.slice(-19)}`;
  return { before: oneLine(before), match: oneLine(match), after: oneLine(after) };
}

// ---------------------------------------------------------------- settings validation (shared with settings.server.ts)

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST_PATTERN = new RegExp(`^(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);

/** "intranet.northwind.com", "*.corp" or "localhost": a host name, optionally with "*." before it (any name under it). */
export function isHostPattern(pattern: string): boolean {
  // A last label of digits only is an IP address's, which go in the ranges.
  return pattern.length <= 253 && HOST_PATTERN.test(pattern) && !/(?:^|\.)\d+$/.test(pattern);
}

export interface IpRange {
  bytes: Uint8Array;
  prefix: number;
}

/** "10.2.0.0/16", "2001:db8:42::/48", or one address (a range of one); null when it is neither. */
export function parseCidr(value: string): IpRange | null {
  const slash = value.indexOf("/");
  const address = slash < 0 ? value : value.slice(0, slash);
  const bytes = parseIp(address);
  if (!bytes) return null;
  const max = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: max };
  const prefixText = value.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? { bytes, prefix } : null;
}

// ---------------------------------------------------------------- the compiled context

interface Phrase {
  detector: "person" | "customer" | "codename";
  keys: string[];
  /** joined[j]: token j touches token j-1 (no space between), as in "AT&T". */
  joined: boolean[];
}

interface Compiled {
  exactHosts: Set<string>;
  /** ".corp" for "*.corp". */
  hostSuffixes: Set<string>;
  /** The most labels a suffix has (".northwind.internal": 2). */
  suffixLabels: number;
  /** Whether some exact pattern has no dot ("localhost"), so single words must be checked too. */
  singleLabelHosts: boolean;
  ranges: IpRange[];
  /**
   * The phrases by their first two token keys ("anna\u0000schmidt"), or by their one key: a common
   * first name shared by hundreds of employees costs one lookup, not hundreds of comparisons.
   */
  phrases: Map<string, Phrase[]>;
  handles: Set<string>;
}

const ALWAYS_INTERNAL = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128"].map((r) => parseCidr(r)!);

// A draft is scanned part by part against one context: build the lookups once per context.
const compiledContexts = new WeakMap<ScanContext, Compiled>();

function compile(context: ScanContext): Compiled {
  const hit = compiledContexts.get(context);
  if (hit) return hit;
  const exactHosts = new Set<string>();
  const hostSuffixes = new Set<string>();
  for (const raw of context.internalHosts) {
    const pattern = raw.trim().toLowerCase();
    if (!isHostPattern(pattern)) continue;
    if (pattern.startsWith("*.")) hostSuffixes.add(pattern.slice(1));
    else exactHosts.add(pattern);
  }
  const ranges = [...ALWAYS_INTERNAL];
  for (const raw of context.internalIpRanges) {
    const range = parseCidr(raw.trim());
    if (range) ranges.push(range);
  }
  const phrases = new Map<string, Phrase[]>();
  const addPhrase = (detector: Phrase["detector"], phrase: Omit<Phrase, "detector"> | null) => {
    if (!phrase) return;
    const key = phrase.keys.length === 1 ? phrase.keys[0]! : `${phrase.keys[0]}\u0000${phrase.keys[1]}`;
    const list = phrases.get(key);
    if (list) list.push({ detector, ...phrase });
    else phrases.set(key, [{ detector, ...phrase }]);
  };
  const handles = new Set<string>();
  for (const person of context.people) {
    for (const phrase of personPhrases(person.name)) addPhrase("person", phrase);
    const handle = person.handle?.trim().replace(/^@/, "").toLowerCase();
    if (handle && handle.length >= 2) handles.add(handle);
  }
  for (const term of context.customers) addPhrase("customer", phraseOf(term));
  for (const term of context.codenames) addPhrase("codename", phraseOf(term));
  for (const list of phrases.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  const suffixLabels = Math.max(0, ...[...hostSuffixes].map((suffix) => suffix.split(".").length - 1));
  const compiled: Compiled = { exactHosts, hostSuffixes, suffixLabels, singleLabelHosts: [...exactHosts].some((h) => !h.includes(".")), ranges, phrases, handles };
  compiledContexts.set(context, compiled);
  return compiled;
}

// Every draft's context names most employees again: their phrases are made once per name.
const personPhraseCache = new Map<string, Array<Omit<Phrase, "detector">>>();
const PERSON_CACHE_LIMIT = 100_000;

/** The phrases a person's name is found by: the full name, and first and last name of a longer one. */
function personPhrases(name: string): Array<Omit<Phrase, "detector">> {
  const hit = personPhraseCache.get(name);
  if (hit) return hit;
  const made: Array<Omit<Phrase, "detector">> = [];
  const phrase = phraseOf(name);
  // A one-word name would flag the word everywhere ("Will", "Grace"): only full names count.
  if (phrase && wordCount(phrase.keys) >= 2) {
    made.push(phrase);
    // "Anna Maria Schmidt" is usually "Anna Schmidt" in a text.
    if (phrase.keys.length >= 3 && phrase.keys.every(isWordKey)) made.push({ keys: [phrase.keys[0]!, phrase.keys.at(-1)!], joined: [false, false] });
  }
  if (personPhraseCache.size >= PERSON_CACHE_LIMIT) personPhraseCache.clear();
  personPhraseCache.set(name, made);
  return made;
}

// ---------------------------------------------------------------- tokens (names and terms)

// A word is a run of letters, marks and digits; every other visible character is a token of its
// own, so "AT&T" is three tokens that touch and "Nair's" ends the word "Nair". Read character by
// character (ASCII without a regular expression): every token of the text is looked up.
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const SPACE_CHAR = /\s/;
const NON_ASCII = /[\u0080-\uffff]/;

interface Tokens {
  keys: string[];
  starts: number[];
  ends: number[];
}

function tokenize(text: string): Tokens {
  const keys: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let wordStart = -1;
  const closeWord = (at: number) => {
    if (wordStart < 0) return;
    keys.push(keyOf(text.slice(wordStart, at)));
    starts.push(wordStart);
    ends.push(at);
    wordStart = -1;
  };
  for (let i = 0; i < text.length;) {
    const code = text.charCodeAt(i);
    let size = 1;
    let word: boolean;
    let space: boolean;
    if (code < 128) {
      word = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
      space = code === 32 || (code >= 9 && code <= 13);
    } else {
      const point = text.codePointAt(i)!;
      size = point > 0xffff ? 2 : 1;
      const char = text.slice(i, i + size);
      word = WORD_CHAR.test(char);
      space = !word && SPACE_CHAR.test(char);
    }
    if (word) {
      if (wordStart < 0) wordStart = i;
    } else {
      closeWord(i);
      if (!space) {
        // A typographic apostrophe is the typed one: "O’Brien" is "O'Brien".
        keys.push(code === 0x2019 ? "'" : text.slice(i, i + size));
        starts.push(i);
        ends.push(i + size);
      }
    }
    i += size;
  }
  closeWord(text.length);
  return { keys, starts, ends };
}

/** A token as compared: lower-cased, accents dropped ("José" finds "Jose"). */
function keyOf(token: string): string {
  return NON_ASCII.test(token)
    ? token
        .normalize("NFD")
        .replace(/\p{M}+/gu, "")
        .toLowerCase()
    : token.toLowerCase();
}

function isWordKey(key: string): boolean {
  const code = key.charCodeAt(0);
  return code < 128 ? (code >= 48 && code <= 57) || (code >= 97 && code <= 122) : WORD_CHAR.test(key);
}

function wordCount(keys: string[]): number {
  return keys.filter(isWordKey).length;
}

const SIMPLE_PHRASE = /^ *[A-Za-z0-9]+(?: +[A-Za-z0-9]+)* *$/;

function phraseOf(text: string): Omit<Phrase, "detector"> | null {
  // Most names and terms are plain words and spaces.
  if (SIMPLE_PHRASE.test(text)) {
    const keys = text.trim().toLowerCase().split(/ +/);
    return { keys, joined: keys.map(() => false) };
  }
  const { keys, starts, ends } = tokenize(text);
  const joined = keys.map((_, i) => i > 0 && starts[i] === ends[i - 1]);
  return keys.length > 0 && keys.some(isWordKey) ? { keys, joined } : null;
}

type Add = (detector: Detector, start: number, end: number) => void;

function findTerms(text: string, compiled: Compiled, add: Add): void {
  if (compiled.phrases.size === 0) return;
  const { keys, starts, ends } = tokenize(text);
  const check = (i: number, candidates: Phrase[] | undefined) => {
    if (!candidates) return;
    for (const phrase of candidates) {
      const last = i + phrase.keys.length - 1;
      if (last >= keys.length) continue;
      let matches = true;
      for (let j = 1; j < phrase.keys.length && matches; j++) {
        const at = i + j;
        if (keys[at] !== phrase.keys[j]) matches = false;
        else if (phrase.joined[j] !== (starts[at] === ends[at - 1])) matches = false;
        // Words of a name stay within a paragraph: a blank line between them is two texts.
        else if (!phrase.joined[j] && blankLineBetween(text, ends[at - 1]!, starts[at]!)) matches = false;
      }
      if (matches) add(phrase.detector, starts[i]!, ends[last]!);
    }
  };
  for (let i = 0; i < keys.length; i++) {
    check(i, compiled.phrases.get(keys[i]!));
    if (i + 1 < keys.length) check(i, compiled.phrases.get(`${keys[i]}\u0000${keys[i + 1]}`));
  }
}

/** Two line breaks in the (short, blank) gap between two words. */
function blankLineBetween(text: string, from: number, to: number): boolean {
  let breaks = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10 && ++breaks === 2) return true;
  return false;
}

// ---------------------------------------------------------------- email addresses and @handles

const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN_CHAR = /[A-Za-z0-9.-]/;

/** Found from each "@" outwards: a pass over the text however long its words are. */
function findEmails(text: string, compiled: Compiled, add: Add): void {
  const urls = text.includes("://");
  // Read once from left to right, however many "@" there are: whether the current word is a
  // "scheme://" URL still in its authority (user:password@host), before any path.
  let cursor = 0;
  let inAuthority = false;
  // Not indexOf("@", from) in a loop: optimised, V8 made that quadratic on long texts.
  for (const hit of text.matchAll(/@/g)) {
    const at = hit.index;
    let start = at;
    while (start > 0 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    while (start < at && text[start] === ".") start++;
    if (start === at) continue;
    if (urls) {
      for (; cursor < start; cursor++) {
        const c = text.charCodeAt(cursor);
        if (c === 32 || (c >= 9 && c <= 13)) inAuthority = false;
        else if (c === 47 && text.charCodeAt(cursor - 1) === 47 && text.charCodeAt(cursor - 2) === 58) inAuthority = true;
        else if (c === 47 || c === 63 || c === 35) inAuthority = false;
      }
      // "https://user@host" and "postgres://app:pw@host" are a URL's user, seen with the URL; an
      // address in a URL's path is an address.
      if (inAuthority) continue;
    }
    let end = at + 1;
    while (end < text.length && DOMAIN_CHAR.test(text[end]!)) end++;
    while (end > at + 1 && (text[end - 1] === "." || text[end - 1] === "-")) end--;
    const labels = text.slice(at + 1, end).split(".");
    if (labels.length < 2 || !/^[A-Za-z]{2,63}$/.test(labels.at(-1)!)) continue;
    if (labels.some((l) => !/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(l))) continue;
    // "icon@2x.png" is a retina image's file name.
    if (/^\d+(?:\.\d+)?x$/i.test(labels[0]!)) continue;
    if (end < text.length && /[\p{L}\p{N}_]/u.test(text[end]!)) continue;
    // "git@github.com:org/repo.git" is an SSH remote, not a mailbox: internal only by its host.
    const remote = /^:[\w~.-][^\s]*/.exec(text.slice(end, end + 512));
    if (remote) {
      const remoteEnd = end + trimUrl(remote[0]).length;
      if (hostIsInternal(text.slice(at + 1, end).toLowerCase(), compiled)) add("internal_url", start, remoteEnd);
      continue;
    }
    add("email", start, end);
  }
}

// As app/features/notifications/mentions.server.ts reads them: a handle is not preceded by anything
// that makes the @ part of a word, an address, a path or an escape.
const MENTION = /(?<![\w.%+\-\\@/])@([a-z0-9][a-z0-9._%+-]*)(@[a-z0-9-]+(?:\.[a-z0-9-]+)+)?/gi;

function findHandles(text: string, compiled: Compiled, add: Add): void {
  if (compiled.handles.size === 0 || !text.includes("@")) return;
  for (const m of text.matchAll(MENTION)) {
    const local = m[1]!.toLowerCase();
    const domain = m[2]?.toLowerCase();
    if (domain && compiled.handles.has(local + domain)) {
      add("person", m.index, m.index + m[0].length);
      continue;
    }
    // "Thanks @ada." ends a sentence: trailing punctuation is not part of the handle.
    const handle = domain ? local : local.replace(/[._%+-]+$/, "");
    if (!compiled.handles.has(handle)) continue;
    add("person", m.index, m.index + 1 + (domain ? m[0].length - 1 : handle.length));
  }
}

// ---------------------------------------------------------------- phone numbers

// Only shapes that are phone numbers on their face: a leading "+", "(555) 123-4567",
// "555-123-4567", "030 1234 5678". A bare run of digits (an order id, a timestamp) is not one, and
// the anchors keep dates, versions and UUIDs out. Each group after the first needs a separator,
// so a long run of digits can be split only one way (no backtracking blow-up).
const PHONE = new RegExp(
  [
    String.raw`(?<![\w.+\-/])(?:`,
    String.raw`\+(?:\d{8,15}|\d{1,3}(?:[ .\-]?\(\d{1,5}\)\d{0,5}|[ .\-]\d{1,5}){2,6})`,
    String.raw`|(?:1[ .\-])?\(\d{3}\)[ .\-]?\d{3}[ .\-]\d{4}`,
    String.raw`|(?:1[.\-])?\d{3}[.\-]\d{3}[.\-]\d{4}`,
    String.raw`|0\d{1,4}[ /\-]\d{3,4}[ \-]?\d{3,5}`,
    String.raw`)(?![\w\-]|[.,:]\d)`,
  ].join(""),
  "g",
);

function findPhones(text: string, add: Add): void {
  for (const m of text.matchAll(PHONE)) {
    const digits = m[0].replace(/\D/g, "").length;
    if (digits >= 7 && digits <= 15) add("phone", m.index, m.index + m[0].length);
  }
}

// ---------------------------------------------------------------- URLs, links and host names

const URL_START = /(?<![\w.+-])([a-z][a-z0-9+.-]{1,20}):\/\/[^\s<>"'`]+/gi;

/**
 * An address as written, without what closes the sentence or the markdown around it: it ends
 * before the first ")" or "]" it did not open (`[x](https://a.corp/b)and`), and before trailing
 * punctuation. One pass.
 */
function trimUrl(url: string): string {
  let end = url.length;
  let parens = 0;
  let brackets = 0;
  for (let i = 0; i < url.length; i++) {
    const c = url[i];
    if (c === "(") parens++;
    else if (c === "[") brackets++;
    else if (c === ")" && --parens < 0) end = i;
    else if (c === "]" && --brackets < 0) end = i;
    if (end === i) break;
  }
  while (end > 0 && ".,;:!?*_~".includes(url[end - 1]!)) end--;
  return url.slice(0, end);
}

/** The host of "scheme://user:pass@host:port/path" (or "//host/path"), and the password when there is one. */
function authorityOf(afterSlashes: string): { host: string; password: { offset: number; text: string } | null } {
  const authorityEnd = afterSlashes.search(/[/?#]/);
  const authority = authorityEnd < 0 ? afterSlashes : afterSlashes.slice(0, authorityEnd);
  const at = authority.lastIndexOf("@");
  let password: { offset: number; text: string } | null = null;
  if (at >= 0) {
    const colon = authority.indexOf(":");
    if (colon >= 0 && colon < at) password = { offset: colon + 1, text: authority.slice(colon + 1, at) };
  }
  const hostPort = authority.slice(at + 1);
  const host = hostPort.startsWith("[") ? hostPort.slice(1, Math.max(1, hostPort.indexOf("]"))) : hostPort.split(":")[0]!;
  return { host: host.toLowerCase().replace(/\.$/, ""), password };
}

function hostIsInternal(host: string, compiled: Compiled): boolean {
  if (!host) return false;
  const ip = parseIp(host);
  if (ip) return ipIsInternal(ip, compiled);
  return nameIsInternal(host, compiled);
}

/** A lower-cased host name against the patterns. A name's last label is never all digits ("1.2.3"). */
function nameIsInternal(host: string, compiled: Compiled): boolean {
  if (host.length > 253) return false;
  if (compiled.exactHosts.has(host)) return true;
  // From the right, only as many labels as the longest pattern has.
  let dot = host.length;
  for (let labels = 0; labels < compiled.suffixLabels; labels++) {
    dot = host.lastIndexOf(".", dot - 1);
    if (dot < 0) return false;
    if (compiled.hostSuffixes.has(host.slice(dot))) return true;
  }
  return false;
}

function findUrls(text: string, compiled: Compiled, add: Add): void {
  if (!text.includes("://")) return;
  for (const m of text.matchAll(URL_START)) {
    const url = trimUrl(m[0]);
    const scheme = m[1]!;
    const { host, password } = authorityOf(url.slice(scheme.length + 3));
    if (hostIsInternal(host, compiled)) {
      add("internal_url", m.index, m.index + url.length);
    } else if (password && !isPlaceholder(password.text) && password.text.length >= 3) {
      // A public host, but the address carries a password: that part is a secret.
      const start = m.index + scheme.length + 3 + password.offset;
      add("secret", start, start + password.text.length);
    }
  }
}

// Where markdown (or HTML in it) names a link's or image's target. The "[" must not follow a word
// or a closing bracket, so `handlers[type](event)` in code is no link.
const INLINE_LINK = /(?<![\w\])])!?\[[^[\]\n]{0,500}\]\(\s*(<[^>\n]*>|[^\s)]+)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]\n]{1,500}\]:[ \t]*(<[^>\n]*>|\S+)/gm;
const HTML_TARGET = /\b(?:href|src)\s*=\s*(?:"([^"\n]*)"|'([^'\n]*)'|([^\s"'>]+))/gi;

function findLinkTargets(text: string, compiled: Compiled, add: Add): void {
  const check = (target: string, start: number) => {
    let value = target;
    let at = start;
    if (value.startsWith("<") && value.endsWith(">")) {
      value = value.slice(1, -1);
      at += 1;
    }
    if (!value || value === REDACTED || value.startsWith("#")) return;
    if (value.startsWith("//")) {
      if (hostIsInternal(authorityOf(value.slice(2)).host, compiled)) add("internal_url", at, at + value.length);
      return;
    }
    // With a scheme it is an address the URL detector judges (mailto: is an email's).
    if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return;
    // Anything else is relative: it points into the internal app ("/questions/12", "/uploads/…"),
    // which the forum is not.
    add("internal_url", at, at + value.length);
  };
  if (text.includes("](")) {
    for (const m of text.matchAll(INLINE_LINK)) check(m[1]!, m.index + m[0].length - m[1]!.length);
  }
  if (text.includes("]:")) {
    for (const m of text.matchAll(REFERENCE_DEFINITION)) check(m[1]!, m.index + m[0].length - m[1]!.length);
  }
  if (/href|src/i.test(text)) {
    for (const m of text.matchAll(HTML_TARGET)) {
      const value = m[1] ?? m[2] ?? m[3]!;
      const start = m.index + m[0].length - value.length - (m[3] === undefined ? 1 : 0);
      check(value, start);
    }
  }
}

// A host-like token: labels of letters, digits and hyphens joined by dots, not inside a longer
// word, an address or a dotted path (".env.local").
const HOST_TOKEN = /(?<![\w.@-])[a-z0-9-]+(?:\.[a-z0-9-]+)*/gi;
/** "this.local", "self.internal": a property in code, not a host. */
const CODE_RECEIVERS = new Set(["this", "self", "super", "window", "document", "globalthis", "module", "exports", "process", "props", "state"]);

function findHosts(text: string, compiled: Compiled, add: Add): void {
  if (compiled.exactHosts.size === 0 && compiled.hostSuffixes.size === 0) return;
  for (const m of text.matchAll(HOST_TOKEN)) {
    const token = m[0];
    const dotted = token.includes(".");
    if (!dotted && !compiled.singleLabelHosts) continue;
    // Every word of the text comes here: the cheap lookups first.
    const host = token.toLowerCase();
    if (!nameIsInternal(host, compiled)) continue;
    let end = m.index + token.length;
    const next = text[end];
    if (next !== undefined && (/[\p{L}\p{N}_]/u.test(next) || next === "(")) continue;
    if (host.split(".").some((label) => !label || label.startsWith("-") || label.endsWith("-"))) continue;
    if (dotted && CODE_RECEIVERS.has(host.slice(0, host.indexOf(".")))) continue;
    const port = /^:\d{1,5}(?!\d)/.exec(text.slice(end, end + 7));
    if (port) end += port[0].length;
    // "wiki.corp/pages/plan": an address without its scheme, as internal as with one.
    const path = /^\/[^\s<>"'`]*/.exec(text.slice(end, end + 2048));
    if (path) {
      const trimmed = trimUrl(path[0]);
      if (trimmed.length > 1) {
        add("internal_url", m.index, end + trimmed.length);
        continue;
      }
    }
    add("internal_host", m.index, end);
  }
}

// ---------------------------------------------------------------- IP addresses

const IPV4 = /(?<![\w.])(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})(\/\d{1,2})?(?![\w]|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\/\d{1,3})?(?![\w:])/gi;

function findIps(text: string, compiled: Compiled, add: Add): void {
  for (const m of text.matchAll(IPV4)) {
    const range = parseCidr(m[0]);
    // A public address (or "0.0.0.0/0") is nobody's secret; a private one says where something runs.
    if (range && ipIsInternal(range.bytes, compiled)) add("ip", m.index, m.index + m[0].length);
  }
  if (!text.includes(":")) return;
  for (const m of text.matchAll(IPV6)) {
    const range = parseCidr(m[0]);
    if (range && ipIsInternal(range.bytes, compiled)) add("ip", m.index, m.index + m[0].length);
  }
}

function parseIp(value: string): Uint8Array | null {
  return value.includes(":") ? parseIpv6(value) : parseIpv4(value);
}

function parseIpv4(value: string): Uint8Array | null {
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i]!)) return null;
    const n = Number(parts[i]);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

function parseIpv6(value: string): Uint8Array | null {
  let text = value.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  const gap = text.indexOf("::");
  if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) return null;
  const split = (s: string) => (s ? s.split(":") : []);
  const head = gap >= 0 ? split(text.slice(0, gap)) : split(text);
  const tail = gap >= 0 ? split(text.slice(gap + 2)) : [];
  const words: number[][] = [[], []];
  for (const [side, groups] of [head, tail].entries()) {
    for (const [i, group] of groups.entries()) {
      const last = side === (gap >= 0 ? 1 : 0) && i === groups.length - 1;
      if (last && group.includes(".")) {
        // "::ffff:10.0.0.1": an IPv4 address as the last two groups.
        const v4 = parseIpv4(group);
        if (!v4) return null;
        words[side]!.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-f]{1,4}$/.test(group)) {
        words[side]!.push(Number.parseInt(group, 16));
      } else {
        return null;
      }
    }
  }
  const given = words[0]!.length + words[1]!.length;
  if (gap < 0 ? given !== 8 : given > 7) return null;
  const all = [...words[0]!, ...Array<number>(8 - given).fill(0), ...words[1]!];
  const bytes = new Uint8Array(16);
  all.forEach((word, i) => {
    bytes[i * 2] = word >> 8;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

function inRange(bytes: Uint8Array, range: IpRange): boolean {
  if (bytes.length !== range.bytes.length) return false;
  const whole = range.prefix >> 3;
  for (let i = 0; i < whole; i++) if (bytes[i] !== range.bytes[i]) return false;
  const bits = range.prefix & 7;
  if (bits === 0) return true;
  const mask = (0xff << (8 - bits)) & 0xff;
  return (bytes[whole]! & mask) === (range.bytes[whole]! & mask);
}

function ipIsInternal(bytes: Uint8Array, compiled: Compiled): boolean {
  if (compiled.ranges.some((range) => inRange(bytes, range))) return true;
  // An IPv4 address written as IPv6 ("::ffff:10.0.0.1") is that IPv4 address.
  if (bytes.length === 16 && bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return ipIsInternal(bytes.slice(12), compiled);
  }
  return false;
}

// ---------------------------------------------------------------- secrets

/** Tokens whose shape alone says what they are; `group` marks the secret part when there is context around it. */
const SECRET_PATTERNS: { pattern: RegExp; group?: number }[] = [
  // AWS access key ids (long-term and temporary).
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  // The AWS secret key is 40 characters of base64 with nothing to mark it but its name.
  { pattern: /\b(?:aws_?secret_?(?:access_?)?key|secretaccesskey)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi, group: 1 },
  // GitHub: personal, OAuth, user-to-server, server-to-server and refresh tokens; fine-grained tokens.
  { pattern: /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255}\b/g },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{22,255}\b/g },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/g },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g },
  { pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9/]+/g },
  { pattern: /\b(?:sk|rk)_live_[A-Za-z0-9]{16,}/g },
  { pattern: /\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}/g },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/g },
  // A JSON Web Token: header and claims are base64 JSON, so both start "eyJ".
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
];

const PEM_BEGIN = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g;

// `password = "…"`, `DB_PASSWORD=…`, `"client_secret": "…"`, `api-key: …`: a name that ends in one
// of these words (a short suffix like "_key" aside, so `tokenizer` and `token_type` are not
// secrets), then = or :, then the value.
const ASSIGNMENT =
  /(?<![A-Za-z0-9_.])([A-Za-z0-9_.-]{0,40}?(?:password|passwd|passphrase|secret|api[_-]?key|access[_-]?key|private[_-]?key|token|credentials?)(?:[_-]?(?:key|base|value|hash)){0,2}s?)["']?[ \t]*(?::=|=>|=|:)[ \t]*(?:(["'`])([^"'`\n]{1,500})\2|([^\s"'`,;)\]}<>&#]+))/gi;
const AUTHORIZATION = /\bAuthorization["']?\s*[:=]\s*["']?(?:(?:Bearer|Basic|Token|Digest)\s+)?([A-Za-z0-9._~+/=-]{8,})/gi;
// `curl -u admin:hunter22`, `--user me:pw`: the part after the colon.
const CLI_USER = /(?<=\s|^)(?:-u|--user)[ =]["']?[^\s:"']+:([^\s"']+)/gm;
const BEARER = /\bBearer\s+([A-Za-z0-9._~+/-]{16,}=*)/g;

const PLACEHOLDER_WORDS = new Set([
  "password",
  "pass",
  "passwd",
  "secret",
  "token",
  "changeme",
  "change_me",
  "redacted",
  "example",
  "placeholder",
  "null",
  "none",
  "nil",
  "undefined",
  "true",
  "false",
  "string",
  "required",
  "optional",
  "hidden",
  "masked",
  "empty",
  "bearer",
  "basic",
  "value",
  "default",
]);

// "your_api_key", "your-token-here", "yourToken"; not "mysql_pw".
const PLACEHOLDER_PREFIX = /^(?:your|my|some|example|sample|dummy|fake|insert|enter)[\s_-]/i;
const PLACEHOLDER_CAMEL = /^(?:your|my|some|example|sample|dummy|fake|insert|enter)[A-Z]/;

/** A value that stands for a secret rather than being one: `${DB_PASSWORD}`, `<token>`, `********`, "changeme". */
function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (/^[$%<{[(*!&@]/.test(v)) return true;
  if (/\{\{|\$\{|process\.env|os\.environ|getenv|\benv\(|ENV\[|secrets\./i.test(v)) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if (PLACEHOLDER_PREFIX.test(v) || PLACEHOLDER_CAMEL.test(v) || /[_-]here$/i.test(v)) return true;
  if (/^x{3,}|^\.{3}|…/i.test(v)) return true;
  return PLACEHOLDER_WORDS.has(v.toLowerCase());
}

function findSecrets(text: string, add: Add): void {
  for (const { pattern, group } of SECRET_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      if (group === undefined) add("secret", m.index, m.index + m[0].length);
      else add("secret", m.index + m[0].length - m[group]!.length, m.index + m[0].length);
    }
  }
  if (text.includes("PRIVATE KEY")) {
    PEM_BEGIN.lastIndex = 0;
    for (let begin = PEM_BEGIN.exec(text); begin; begin = PEM_BEGIN.exec(text)) {
      PEM_END.lastIndex = begin.index + begin[0].length;
      const end = PEM_END.exec(text);
      // Cut off before its END line (a partial paste), the key still runs to the end of the text.
      add("secret", begin.index, end ? end.index + end[0].length : text.length);
      if (!end) break;
      PEM_BEGIN.lastIndex = end.index + end[0].length;
    }
  }
  for (const m of text.matchAll(ASSIGNMENT)) {
    const key = m[1]!;
    const quoted = m[3];
    const value = quoted ?? m[4]!;
    if (value.length < 6 || isPlaceholder(value) || /\s/.test(value)) continue;
    if (quoted === undefined) {
      // Unquoted, it is often code: `token = response.data.token`, `secret = makeSecret(…)`,
      // `password = newPassword`, or prose: "Password: remember to rotate it".
      if (/[([]/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)) continue;
      if (/^\p{L}+$/u.test(value)) continue;
    }
    // A number next to "token" or "key" is a limit (`max_tokens = 4096`); next to "password" it is one.
    if (/^\d+$/.test(value) && !/pass/i.test(key)) continue;
    const start = m.index + m[0].length - value.length - (quoted === undefined ? 0 : 1);
    add("secret", start, start + value.length);
  }
  if (/authorization/i.test(text)) {
    for (const m of text.matchAll(AUTHORIZATION)) {
      const value = m[1]!;
      if (isPlaceholder(value) || /^(?:Bearer|Basic|Token|Digest)$/i.test(value)) continue;
      add("secret", m.index + m[0].length - value.length, m.index + m[0].length);
    }
  }
  if (text.includes("-u")) {
    for (const m of text.matchAll(CLI_USER)) {
      const value = m[1]!;
      if (value.length < 3 || isPlaceholder(value)) continue;
      add("secret", m.index + m[0].length - value.length, m.index + m[0].length);
    }
  }
  if (text.includes("Bearer")) {
    for (const m of text.matchAll(BEARER)) {
      const value = m[1]!;
      // "a Bearer authentication scheme" is prose; a token has digits in it.
      if (!/\d/.test(value) || isPlaceholder(value)) continue;
      add("secret", m.index + m[0].length - value.length, m.index + m[0].length);
    }
  }
}

// ---------------------------------------------------------------- overlaps

// On a tie in length, the more specific detector names the finding.
const PRIORITY: Record<Detector, number> = { secret: 0, internal_url: 1, email: 2, person: 3, customer: 4, codename: 5, internal_host: 6, ip: 7, phone: 8 };

/** Longest first, each kept unless it overlaps one already kept; then in text order. */
function collapse(found: Finding[]): Finding[] {
  found.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start || PRIORITY[a.detector] - PRIORITY[b.detector]);
  const kept: Finding[] = [];
  for (const finding of found) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < finding.start) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0 && kept[lo - 1]!.end > finding.start) continue;
    if (lo < kept.length && kept[lo]!.start < finding.end) continue;
    kept.splice(lo, 0, finding);
  }
  return kept;
}

// ---------------------------------------------------------------- small helpers

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ");
}

function dropLoneSurrogates(text: string): string {
  return text.replace(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/g, "");
}
