import { QUESTIONS } from "#db/seed-content.ts";
import { between, pick, random, type Rng, zipf } from "./random.ts";

/**
 * Generated text: a word-level Markov chain trained on the demo content (db/seed-content.ts), with
 * occasional jumps to any demo word and to made-up words (service names, hosts, codes), so the
 * vocabulary keeps growing with the data as a real one does.
 *
 * Bodies are markdown built only from constructs whose HTML this module writes itself: paragraphs
 * of plain words with inline code and bold, bullet lists and fenced code blocks. Rendering 350,000
 * posts through app/lib/markdown.server.ts would take longer than everything else together; a test
 * (tests/integration/data-generate.test.ts) renders a sample through it and requires the same HTML.
 */

/** Letters and digits only (with inner apostrophes and hyphens): no markdown meaning, no HTML escaping. */
const WORD = /[A-Za-z][A-Za-z0-9]*(?:['’-][A-Za-z0-9]+)*/g;
const END = "";

export type Text = { markdown: string; html: string };

/** What marked escapes in text and code (quotes it leaves as they are, after sanitizing). */
export const escapeHtml = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** A word-level Markov chain over sentences. */
export class Chain {
  private readonly next = new Map<string, string[]>();
  private readonly starts: string[] = [];
  /** Every word as often as it occurs: picking from it follows the corpus' frequencies. */
  readonly words: string[] = [];

  constructor(texts: string[]) {
    for (const text of texts) {
      for (const sentence of text.split(/(?<=[.!?:])\s+|\n\s*\n/)) {
        const tokens = sentence.match(WORD) ?? [];
        if (tokens.length < 3) continue;
        this.starts.push(tokens[0]!);
        tokens.forEach((token, i) => {
          this.words.push(token);
          const list = this.next.get(token) ?? [];
          list.push(tokens[i + 1] ?? END);
          this.next.set(token, list);
        });
      }
    }
  }

  /** One sentence of `min`..`max` words, its first letter capitalised. */
  sentence(rng: Rng, min: number, max: number, invent: () => string): string[] {
    const out = [pick(rng, this.starts)];
    while (out.length < max) {
      const r = rng();
      let word: string;
      if (r < 0.035) word = invent();
      else if (r < 0.13) word = pick(rng, this.words);
      else {
        const options = this.next.get(out.at(-1)!);
        word = options ? pick(rng, options) : pick(rng, this.words);
        if (word === END) {
          if (out.length >= min) break;
          word = pick(rng, this.words);
        }
      }
      out.push(word);
    }
    out[0] = out[0]!.charAt(0).toUpperCase() + out[0]!.slice(1);
    return out;
  }
}

const SYLLABLES = [
  "ka",
  "lo",
  "ri",
  "ven",
  "tor",
  "mi",
  "sa",
  "dex",
  "ul",
  "bra",
  "no",
  "qua",
  "zen",
  "fi",
  "rel",
  "ost",
  "ap",
  "cy",
  "mar",
  "ta",
  "glo",
  "vix",
  "en",
  "do",
  "pra",
  "sul",
  "ko",
  "thu",
  "ber",
  "ix",
];

/** Made-up words (service names, hosts, codes), most of them rare: the long tail of a real vocabulary. */
function inventor(rng: Rng): () => string {
  const words = new Set<string>();
  const wordRng = random(7);
  while (words.size < 20_000) {
    let w = "";
    for (let i = between(wordRng, 2, 4); i > 0; i--) w += pick(wordRng, SYLLABLES);
    if (wordRng() < 0.15) w += String(between(wordRng, 1, 99));
    words.add(w);
  }
  const list = [...words];
  const rank = zipf(list.length, 1.05, 2);
  return () => list[rank(rng)]!;
}

const CODE_LANGUAGES = ["sh", "sql", "js", "yaml", "json", ""];
const EXTENSIONS = ["yaml", "json", "ts", "sql", "conf", "log", "csv", "env"];
/** How an idea's title starts: ideas propose, questions ask. */
const IDEA_OPENERS = ["Automate", "Add", "Replace", "Share", "Offer", "Create", "Simplify", "Publish", "Track", "Stop", "Start", "Improve", "Make", "Let us", "Set up", "Document"];

/** Writes titles, bodies and comments from one random stream. */
export class Writer {
  readonly chain: Chain;
  private readonly titles: Chain;
  private readonly invent: () => string;

  constructor(private readonly rng: Rng) {
    this.chain = new Chain(QUESTIONS.flatMap((q) => [q.body, ...(q.answers ?? []).map((a) => a.body), ...(q.comments ?? []).map((c) => c.body)]));
    this.titles = new Chain(QUESTIONS.map((q) => q.title));
    this.invent = inventor(rng);
  }

  title(): string {
    const words = this.titles.sentence(this.rng, between(this.rng, 6, 12), 12, this.invent);
    return words.join(" ") + (this.rng() < 0.8 ? "?" : "");
  }

  /** A proposal rather than a question: an opening verb, then words of the content chain. */
  ideaTitle(): string {
    const opener = pick(this.rng, IDEA_OPENERS);
    const words = this.chain.sentence(this.rng, between(this.rng, 5, 10), 10, this.invent);
    // The chain capitalised its first word; lower it back, unless it is "I" or an acronym.
    const head = words[0]!;
    if (head === "A" || /^[A-Z][a-z]/.test(head)) words[0] = head.charAt(0).toLowerCase() + head.slice(1);
    return `${opener} ${words.join(" ")}`;
  }

  private word(): string {
    return this.rng() < 0.5 ? this.invent() : pick(this.rng, this.chain.words).toLowerCase().replace(/['’]/g, "");
  }

  /** Sentences of plain words, sometimes with `inline code` or **bold**; returns [markdown, html, words]. */
  private paragraph(target: number): [string, string, number] {
    const md: string[] = [];
    const html: string[] = [];
    let count = 0;
    for (let n = between(this.rng, 2, 5); n > 0 && count < target; n--) {
      const words = this.chain.sentence(this.rng, 5, Math.max(5, Math.min(24, target - count)), this.invent);
      count += words.length;
      const r = this.rng();
      if (r < 0.12 && words.length > 3) {
        // Inline code in place of a word in the middle.
        const code = `${this.word()}${this.rng() < 0.5 ? "." + pick(this.rng, EXTENSIONS) : "()"}`;
        const at = between(this.rng, 1, words.length - 2);
        md.push([...words.slice(0, at), "`" + code + "`", ...words.slice(at + 1)].join(" ") + ".");
        html.push([...words.slice(0, at), `<code>${escapeHtml(code)}</code>`, ...words.slice(at + 1)].join(" ") + ".");
        continue;
      }
      if (r < 0.17 && words.length > 4) {
        const at = between(this.rng, 1, words.length - 3);
        const bold = words.slice(at, at + 2).join(" ");
        md.push([...words.slice(0, at), `**${bold}**`, ...words.slice(at + 2)].join(" ") + ".");
        html.push([...words.slice(0, at), `<strong>${bold}</strong>`, ...words.slice(at + 2)].join(" ") + ".");
        continue;
      }
      const sentence = words.join(" ") + (this.rng() < 0.1 ? "?" : ".");
      md.push(sentence);
      html.push(sentence);
    }
    return [md.join(" "), html.join(" "), count];
  }

  private codeLine(): string {
    const w = this.word();
    const v = this.word();
    switch (between(this.rng, 0, 7)) {
      case 0:
        return `kubectl -n ${w} rollout restart deployment/${v}`;
      case 1:
        return `SELECT id, ${w} FROM ${v} WHERE created_at > now() - interval '7 days';`;
      case 2:
        return `curl -s -H "Authorization: Bearer $TOKEN" https://${w}.internal.example/api/v2/${v}`;
      case 3:
        return `if (${w}.length > 0 && ${v} !== undefined) return <${w} />;`;
      case 4:
        return `${w}: ${between(this.rng, 1, 500)}`;
      case 5:
        return `grep -rn "${w}" src/ | head -n ${between(this.rng, 5, 50)}`;
      case 6:
        return `  "${w}": "${v}",`;
      default:
        return `export ${w.toUpperCase()}_URL=postgres://${v}@db.internal.example:5432/${w}`;
    }
  }

  /** Markdown and its HTML, exactly as the markdown module renders it: each block followed by a newline. */
  body(target: number, technical: boolean): Text {
    const md: string[] = [];
    const html: string[] = [];
    let count = 0;
    let blocks = 0;
    // Two lists in a row would be one loose list to markdown.
    let lastWasList = false;
    while (count < target) {
      const r = this.rng();
      if (blocks > 0 && r < (technical ? 0.22 : 0.06)) {
        const language = pick(this.rng, CODE_LANGUAGES);
        const lines = Array.from({ length: between(this.rng, 1, 6) }, () => this.codeLine());
        md.push("```" + language + "\n" + lines.join("\n") + "\n```");
        const open = language ? `<code class="language-${language}">` : "<code>";
        html.push(`<pre>${open}${escapeHtml(lines.join("\n"))}\n</code></pre>`);
        count += lines.length * 4;
        lastWasList = false;
      } else if (blocks > 0 && !lastWasList && r < (technical ? 0.32 : 0.16)) {
        const items = Array.from({ length: between(this.rng, 2, 5) }, () => this.chain.sentence(this.rng, 3, 9, this.invent).join(" "));
        md.push(items.map((i) => `- ${i}`).join("\n"));
        html.push(`<ul>\n${items.map((i) => `<li>${i}</li>`).join("\n")}\n</ul>`);
        count += items.length * 6;
        lastWasList = true;
      } else {
        const [m, h, n] = this.paragraph(target - count);
        md.push(m);
        html.push(`<p>${h}</p>`);
        count += n;
        lastWasList = false;
      }
      blocks++;
    }
    return { markdown: md.join("\n\n"), html: html.map((h) => h + "\n").join("") };
  }

  comment(): Text {
    const [m, h] = this.paragraph(between(this.rng, 8, 30));
    return { markdown: m, html: `<p>${h}</p>\n` };
  }

  /** A one-sentence description for a tag without one in the demo content. */
  tagDescription(tag: string): string {
    const words = this.chain.sentence(this.rng, 8, 18, this.invent);
    return `Questions about ${tag}: ${words.join(" ").replace(/^./, (c) => c.toLowerCase())}.`;
  }
}
