import { randomBytes } from "node:crypto";
import createDOMPurify, { type Config } from "dompurify";
import katex from "katex";
import type { MarkedExtension, Tokens } from "marked";

/**
 * Math in markdown: `$…$` inline and `$$…$$` on its own (or inline, shown as a block), rendered
 * with KaTeX when the text is saved, like the rest of the markdown (app/lib/markdown.server.ts).
 *
 * How it stays safe: the markdown is rendered with a placeholder for each formula and sanitized
 * with the module's ordinary allowlist, which knows nothing of math; each formula is rendered by
 * KaTeX (no \href, \url, \html…, no macros that run away, sizes capped) and sanitized on its own
 * against KaTeX's vocabulary: its span classes, the style properties it writes with numeric values,
 * MathML elements with KaTeX's attributes, and the few SVG shapes it draws. The sanitized formulas
 * then replace their placeholders in text. So the math allowance applies only to what KaTeX wrote:
 * a `<span class="katex" style="…">` typed into a post is not math and loses both attributes.
 */

// ---- finding math in markdown -----------------------------------------------------------------

/**
 * Inline `$…$`: opens with a `$` not followed by a space and closes with a `$` not preceded by a
 * space and not followed by a digit, so "costs $5 and $10" stays prose. `\$` inside is a dollar.
 */
const INLINE = /^\$(?!\$)(?!\s)((?:\\[\s\S]|[^\\$])+?)(?<!\s)\$(?!\d)/;
/** `$$…$$` inside a paragraph: shown as a block all the same, as TeX does. */
const INLINE_DISPLAY = /^\$\$(?!\$)((?:\\[\s\S]|[^\\$])+?)\$\$/;
/** `$$` starting a line, up to the next `$$`, ending its line: a display formula of its own. */
const BLOCK = /^ {0,3}\$\$(?!\$)((?:\\[\s\S]|[^\\$])+?)\$\$[ \t]*(?:\n|$)/;

type MathToken = Tokens.Generic & { tex: string; display: boolean };

/** The formulas of one render, in order, and the nonce that makes its placeholders unforgeable. */
export type MathRender = { nonce: string; formulas: Array<{ tex: string; display: boolean; raw: string }> };

let current: MathRender | null = null;

/**
 * Runs `render` (a marked parse) collecting the formulas it meets. A placeholder is
 * U+E000 nonce ":" index U+E001: text a writer cannot type, since the nonce is new each time.
 */
export function collectingMath<T>(render: () => T): { result: T; math: MathRender } {
  const math: MathRender = { nonce: randomBytes(12).toString("hex"), formulas: [] };
  const outer = current;
  current = math;
  try {
    return { result: render(), math };
  } finally {
    current = outer;
  }
}

function placeholder(token: MathToken): string {
  if (!current) throw new Error("math rendered outside collectingMath()");
  current.formulas.push({ tex: token.tex, display: token.display, raw: token.raw });
  return `\uE000${current.nonce}:${current.formulas.length - 1}\uE001`;
}

/** The marked extension: tokens for math (inside code spans and blocks marked never looks). */
export const mathExtension: MarkedExtension = {
  extensions: [
    {
      name: "mathBlock",
      level: "block",
      start: (src) => /^ {0,3}\$\$/m.exec(src)?.index,
      tokenizer(src) {
        const match = BLOCK.exec(src);
        if (!match || !match[1]!.trim()) return undefined;
        return { type: "mathBlock", raw: match[0], tex: match[1]!.trim(), display: true };
      },
      renderer: (token) => `${placeholder(token as MathToken)}\n`,
    },
    {
      name: "math",
      level: "inline",
      start: (src) => {
        const index = src.indexOf("$");
        return index === -1 ? undefined : index;
      },
      tokenizer(src) {
        const display = INLINE_DISPLAY.exec(src);
        if (display && display[1]!.trim()) return { type: "math", raw: display[0], tex: display[1]!.trim(), display: true };
        const inline = INLINE.exec(src);
        if (inline) return { type: "math", raw: inline[0], tex: inline[1]!, display: false };
        return undefined;
      },
      renderer: (token) => placeholder(token as MathToken),
    },
  ],
  hooks: {
    // An underscore or star inside a formula must not pair with one outside it as emphasis.
    emStrongMask(src) {
      return src.replace(/\$\$(?:\\[\s\S]|[^\\$])+?\$\$|\$(?!\s)(?:\\[\s\S]|[^\\$])+?(?<!\s)\$(?!\d)/g, (formula) => formula.replace(/[*_]/g, "a"));
    },
  },
};

// ---- rendering and sanitizing one formula -----------------------------------------------------

/** The largest size (in em) a formula may ask for with \rule, \kern, \hspace, \raisebox and the like. */
export const MATH_MAX_SIZE = 10;
/** How many macro expansions one formula may take: enough for real use, not for a runaway \def. */
export const MATH_MAX_EXPAND = 500;
/** One formula's TeX, in characters; longer ones show as their source with a message. */
export const MATH_MAX_TEX = 4000;
/**
 * Formulas in one text, and different ones among them. Each formula costs milliseconds to typeset
 * and sanitize and a few kilobytes of stored HTML, so more than this is not a post but a load test.
 */
export const MATH_MAX_FORMULAS = 1000;
export const MATH_MAX_DISTINCT = 300;
/** The HTML a text's formulas may come to, in characters: what every reader of the page downloads. */
export const MATH_MAX_HTML = 3_000_000;

const KATEX_OPTIONS = {
  output: "htmlAndMathml",
  throwOnError: false,
  trust: false,
  // LaTeX-incompatible input is refused where it matters (the HTML extensions, refused by
  // trust: false as well) and tolerated where it is only cosmetic (Unicode letters in math,
  // a newline in display math), as Stack Exchange's MathJax tolerates it.
  strict: (code: string) => (code === "htmlExtension" ? "error" : "ignore"),
  maxSize: MATH_MAX_SIZE,
  maxExpand: MATH_MAX_EXPAND,
  errorColor: "#cc0000",
} as const;

/** KaTeX's class names, as its stylesheet and renderer use them (katex 0.19). */
const KATEX_CLASSES = new Set(
  `accent-body accent-full accentunder allowbreak amsrm angl anglpad arraycolsep boldsymbol boxpad brace-center brace-left brace-right
  cancel-lap cancel-pad cd-arrow-pad cd-label-left cd-label-right cd-vert-arrow clap colorbox delimcenter delimsizing delimsizinginner
  eqn-num fbox fcolorbox fleqn fontsize-ensurer frac-line halfarrow-left halfarrow-right hide-tail katex katex-accent katex-base
  katex-display katex-error katex-fix katex-hdashline katex-hline katex-html katex-inner katex-mathml katex-newline katex-overlay
  katex-overline katex-root katex-rule katex-sizing katex-smash katex-sout katex-stretchy katex-strut katex-tag katex-thinbox
  katex-underline katex-vbox large-op leqno llap mainrm mathbb mathbf mathboldfrak mathboldsf mathcal mathfrak mathit mathitsf
  mathnormal mathrm mathscr mathsf mathsfit mathtt mbin mclose mfrac minner mml-eqn-num mop mopen mord mover mpunct mrel mspace
  msupsub mtable mtight mtr-glue mult munder nobreak nulldelimiter op-limits op-symbol overline-line pstrut reflectbox rlap
  small-op sqrt svg-align text textbb textbf textboldfrak textboldsf textfrak textit textitsf textmd textrm textscr textsf texttt
  textup underline-line vcenter vertical-separator vlist vlist-r vlist-s vlist-t vlist-t2 x-arrow x-arrow-pad`.split(/\s+/),
);
const KATEX_CLASS_PATTERNS = [/^(?:reset-)?size(?:[1-9]|1[01])$/, /^delim-size[1-4]$/, /^col-align-[lcr]$/];

const NUMBER = String.raw`(?:\d{1,5}(?:\.\d{1,6})?|\.\d{1,6})`;
const EM = String.raw`-?${NUMBER}em`;
// MathML's mpadded also measures by its content ("-1width"), as KaTeX's \mathllap does.
const LENGTH = String.raw`[+-]?${NUMBER}(?:em|ex|pt|px|mu|%|width|height|depth)?`;
const COLOR = String.raw`#[0-9a-f]{3,8}|[a-z]{1,24}`;
const exactly = (pattern: string) => new RegExp(`^(?:${pattern})$`, "i");
const listOf = (pattern: string) => new RegExp(`^(?:${pattern})(?: (?:${pattern}))*$`, "i");

/** Style properties KaTeX writes on spans, each with the shape of value it writes. */
const SPAN_STYLES: Record<string, RegExp> = {
  ...Object.fromEntries(
    [
      "height",
      "min-width",
      "top",
      "left",
      "bottom",
      "vertical-align",
      "margin-left",
      "margin-right",
      "padding-left",
      "border-width",
      "border-top-width",
      "border-right-width",
      "border-bottom-width",
    ].map((property) => [property, exactly(EM)]),
  ),
  width: exactly(`${EM}|calc\\(\\d{1,3}% - ${EM}\\)`),
  margin: exactly(`(?:0|${EM})(?: (?:0|${EM})){0,3}`),
  position: exactly("relative"),
  "border-style": exactly("solid|dashed"),
  "border-right-style": exactly("solid|dashed"),
  color: exactly(COLOR),
  "background-color": exactly(COLOR),
  "border-color": exactly(COLOR),
  "text-shadow": exactly(String.raw`(?:-?\d{1,3}(?:\.\d{1,6})?(?:em|px) ?){2,3}`),
};

const MATHML_TAGS = [
  "math",
  "semantics",
  "annotation",
  "mrow",
  "mi",
  "mn",
  "mo",
  "ms",
  "mtext",
  "mspace",
  "msup",
  "msub",
  "msubsup",
  "mfrac",
  "msqrt",
  "mroot",
  "mover",
  "munder",
  "munderover",
  "mtable",
  "mtr",
  "mtd",
  "mpadded",
  "mphantom",
  "mstyle",
  "menclose",
];
const BOOLEAN = exactly("true|false");
/** MathML attributes KaTeX writes, with the values it writes. */
const MATHML_ATTRIBUTES: Record<string, RegExp> = {
  display: exactly("block|inline"),
  encoding: exactly("application/x-tex"),
  mathvariant: exactly("normal|bold|italic|bold-italic|double-struck|bold-fraktur|script|bold-script|fraktur|sans-serif|bold-sans-serif|sans-serif-italic|sans-serif-bold-italic|monospace"),
  stretchy: BOOLEAN,
  fence: BOOLEAN,
  separator: BOOLEAN,
  accent: BOOLEAN,
  accentunder: BOOLEAN,
  largeop: BOOLEAN,
  displaystyle: BOOLEAN,
  lspace: exactly(LENGTH),
  rspace: exactly(LENGTH),
  width: exactly(LENGTH),
  height: exactly(LENGTH),
  depth: exactly(LENGTH),
  voffset: exactly(LENGTH),
  minsize: exactly(LENGTH),
  maxsize: exactly(LENGTH),
  linethickness: exactly(LENGTH),
  mathsize: exactly(LENGTH),
  scriptlevel: exactly(String.raw`[+-]?\d`),
  columnalign: listOf("left|center|right"),
  rowspacing: listOf(LENGTH),
  columnspacing: listOf(LENGTH),
  rowlines: listOf("none|solid|dashed"),
  columnlines: listOf("none|solid|dashed"),
  notation: listOf("box|roundedbox|circle|left|right|top|bottom|updiagonalstrike|downdiagonalstrike|horizontalstrike|verticalstrike|actuarial|madruwb|phasorangle|longdiv|radical"),
  mathcolor: exactly(COLOR),
  mathbackground: exactly(COLOR),
  linebreak: exactly("newline"),
};

/** The SVG KaTeX draws (square roots, stretchy arrows, braces, \cancel): shapes, no links or scripts. */
const SVG_ATTRIBUTES: Record<string, Record<string, RegExp>> = {
  svg: {
    width: exactly(LENGTH),
    height: exactly(LENGTH),
    viewbox: exactly(String.raw`-?\d{1,7}(?:\.\d+)? -?\d{1,7}(?:\.\d+)? \d{1,7}(?:\.\d+)? \d{1,7}(?:\.\d+)?`),
    preserveaspectratio: exactly("none|x(?:Min|Mid|Max)Y(?:Min|Mid|Max)(?: (?:meet|slice))?"),
    style: exactly(`width: ?${EM};?`),
  },
  path: { d: /^[MmLlHhVvCcSsQqTtAaZz\d\s,.+-]+$/ },
  line: { x1: exactly(LENGTH), y1: exactly(LENGTH), x2: exactly(LENGTH), y2: exactly(LENGTH), "stroke-width": exactly(LENGTH) },
};

const MATH_ATTRIBUTES = [
  ...new Set(["class", "style", "title", "aria-hidden", ...Object.keys(MATHML_ATTRIBUTES), ...Object.values(SVG_ATTRIBUTES).flatMap((attributes) => Object.keys(attributes))]),
];
const MATH_CONFIG: Config = {
  ALLOWED_TAGS: ["span", ...MATHML_TAGS, "svg", "path", "line"],
  ALLOWED_ATTR: MATH_ATTRIBUTES,
  // No attribute of a formula is a URL: each is held to its own shape by the hook below instead
  // of DOMPurify's URL check (which would refuse "width:0.5em" for looking like a scheme).
  ADD_URI_SAFE_ATTR: MATH_ATTRIBUTES,
  ALLOWED_URI_REGEXP: /^$/,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  KEEP_CONTENT: true,
  RETURN_TRUSTED_TYPE: false,
};

const mathmlTags = new Set(MATHML_TAGS);

/** Only the class tokens KaTeX uses; null when none is left. */
function katexClasses(value: string): string | null {
  const kept = value.split(/\s+/).filter((token) => KATEX_CLASSES.has(token) || KATEX_CLASS_PATTERNS.some((pattern) => pattern.test(token)));
  return kept.length > 0 ? kept.join(" ") : null;
}

/** Only the declarations KaTeX writes, with KaTeX's shapes of value; null when none is left. */
function katexStyle(value: string): string | null {
  const kept: string[] = [];
  for (const declaration of value.split(";")) {
    const colon = declaration.indexOf(":");
    if (colon === -1) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const shape = SPAN_STYLES[property];
    const propertyValue = declaration.slice(colon + 1).trim();
    if (shape?.test(propertyValue)) kept.push(`${property}:${propertyValue}`);
  }
  return kept.length > 0 ? kept.join(";") + ";" : null;
}

/** The DOMPurify instance for formulas only, with hooks that hold every attribute to KaTeX's shapes. */
function mathSanitizer(window: Parameters<typeof createDOMPurify>[0]) {
  const purify = createDOMPurify(window);
  purify.addHook("uponSanitizeAttribute", (node, data) => {
    const tag = node.nodeName.toLowerCase();
    const namespace = node.namespaceURI;
    const name = data.attrName;
    let keep: string | null = null;
    if (namespace === "http://www.w3.org/1999/xhtml" && tag === "span") {
      if (name === "class") keep = katexClasses(data.attrValue);
      else if (name === "style") keep = katexStyle(data.attrValue);
      else if (name === "aria-hidden") keep = data.attrValue === "true" ? "true" : null;
      else if (name === "title") keep = data.attrValue;
    } else if (namespace === "http://www.w3.org/1998/Math/MathML" && mathmlTags.has(tag)) {
      const shape = MATHML_ATTRIBUTES[name];
      if (name === "encoding" && tag !== "annotation") keep = null;
      else if (shape?.test(data.attrValue)) keep = data.attrValue;
    } else if (namespace === "http://www.w3.org/2000/svg") {
      const shape = SVG_ATTRIBUTES[tag]?.[name];
      if (shape?.test(data.attrValue)) keep = data.attrValue;
    }
    if (keep === null) data.keepAttr = false;
    else data.attrValue = keep;
  });
  purify.addHook("uponSanitizeElement", (node, data) => {
    // An annotation other than the TeX source could carry markup meant for another renderer.
    if (data.tagName === "annotation" && (node as Element).getAttribute?.("encoding") !== "application/x-tex") node.parentNode?.removeChild(node);
    // KaTeX nests MathML inside <mo> and <mi> for \overset, \mathop and the like; an HTML parser
    // reads those children as HTML elements with MathML names, which DOMPurify would drop with
    // their text. Their text is what a screen reader needs: it stays, as text.
    if ((node as Element).namespaceURI === "http://www.w3.org/1999/xhtml" && mathmlTags.has(data.tagName) && node.parentNode) {
      node.parentNode.replaceChild(node.ownerDocument!.createTextNode(node.textContent ?? ""), node);
    }
  });
  return purify;
}

/** Typesets one formula with KaTeX (not yet sanitized); a formula too long to try shows as its source. */
export function typeset(tex: string, display: boolean): string {
  if (tex.length > MATH_MAX_TEX) return errorSpan(tex, `This formula is longer than ${MATH_MAX_TEX.toLocaleString("en")} characters.`);
  return katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode: display });
}

/** A formula refused before KaTeX saw it, shown as KaTeX shows its own errors: the source, in red, with why. */
function errorSpan(tex: string, message: string): string {
  const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  return `<span class="katex-error" title="${escape(message)}" style="color:#cc0000;">${escape(tex)}</span>`;
}

// ---- putting formulas in place ----------------------------------------------------------------

export type FormulaPlacer = (clean: string, math: MathRender) => string;

/**
 * Returns the function that puts a render's formulas in place: `clean` (sanitized HTML holding
 * placeholders) with each placeholder in text replaced by its typeset and sanitized formula, and
 * any placeholder that ended up in an attribute (an image's alt text) replaced by the formula's
 * source. It works on the parsed HTML, never on the string, so a formula can only land where text
 * was. All of a text's formulas are sanitized in one pass (parsing HTML is most of the cost), each
 * distinct formula once.
 */
export function formulaPlacer(window: Parameters<typeof createDOMPurify>[0] & { document: Document }): FormulaPlacer {
  const purify = mathSanitizer(window);
  const document = window.document;
  return (clean, math) => {
    if (math.formulas.length > MATH_MAX_FORMULAS) throw new TooMuchMath(`This text has more than ${MATH_MAX_FORMULAS.toLocaleString("en")} formulas; split it up.`);
    const distinct = new Map<string, number>();
    const slotOf: number[] = [];
    const sources: string[] = [];
    for (const { tex, display } of math.formulas) {
      const key = `${display ? "D" : "I"}${tex}`;
      let slot = distinct.get(key);
      if (slot === undefined) {
        if (distinct.size >= MATH_MAX_DISTINCT) throw new TooMuchMath(`This text has more than ${MATH_MAX_DISTINCT} different formulas; split it up.`);
        slot = sources.length;
        distinct.set(key, slot);
        sources.push(typeset(tex, display));
      }
      slotOf.push(slot);
    }
    // Each formula in a bare span of its own: the spans come back in order, one per formula.
    const sanitized = purify.sanitize(sources.map((html) => `<span>${html}</span>`).join(""), { ...MATH_CONFIG, RETURN_DOM_FRAGMENT: true }) as DocumentFragment;
    const holders: Node[] = [...sanitized.childNodes];
    if (holders.length !== sources.length) throw new Error(`typeset formulas came back as ${holders.length} pieces, not ${sources.length}`);
    const used = new Set<number>();
    const formula = (index: number): Node => {
      const slot = slotOf[index]!;
      const holder = holders[slot]!;
      if (!used.has(slot)) {
        used.add(slot);
        const content = document.createDocumentFragment();
        content.append(...holder.childNodes);
        holders[slot] = content.cloneNode(true);
        return content;
      }
      return holder.cloneNode(true);
    };

    const pattern = new RegExp(`\uE000${math.nonce}:(\\d+)\uE001`, "g");
    const root = document.createElement("template");
    root.innerHTML = clean;
    const walker = document.createTreeWalker(root.content, 4 /* NodeFilter.SHOW_TEXT */);
    const texts: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.nodeValue?.includes("\uE000")) texts.push(node as Text);
    for (const text of texts) {
      const value = text.nodeValue!;
      const parts = document.createDocumentFragment();
      let last = 0;
      for (const match of value.matchAll(pattern)) {
        if (match.index > last) parts.append(value.slice(last, match.index));
        parts.append(formula(Number(match[1])));
        last = match.index + match[0].length;
      }
      if (last === 0) continue;
      if (last < value.length) parts.append(value.slice(last));
      text.replaceWith(parts);
    }
    for (const element of root.content.querySelectorAll("*")) {
      for (const attribute of [...element.attributes]) {
        if (attribute.value.includes("\uE000"))
          element.setAttribute(
            attribute.name,
            attribute.value.replace(pattern, (_, index: string) => math.formulas[Number(index)]!.raw),
          );
      }
    }
    const html = root.innerHTML;
    if (html.length > MATH_MAX_HTML) throw new TooMuchMath("The formulas in this text are too large to show; split it up or simplify them.");
    return html;
  };
}

/** More math than one text may hold; the message says what to change. */
export class TooMuchMath extends Error {
  override name = "TooMuchMath";
}
