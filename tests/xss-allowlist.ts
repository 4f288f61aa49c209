/**
 * What may appear in HTML the markdown module stores, written out here rather than imported from
 * it: the XSS tests (the module's unit test, every write path, imported posts) state what may come
 * out independently of the code they check. Element names in lower case, as `localName` gives them.
 */
export const SAFE_TAGS: ReadonlySet<string> = new Set([
  "p",
  "br",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "ul",
  "ol",
  "li",
  "pre",
  "code",
  "em",
  "strong",
  "del",
  "s",
  "a",
  "img",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "input",
  "kbd",
  "sup",
  "sub",
]);

export const SAFE_ATTRS: ReadonlySet<string> = new Set(["href", "title", "src", "alt", "class", "align", "start", "type", "checked", "disabled", "rel"]);

/**
 * Math (`$…$`, `$$…$$`) is rendered by KaTeX and may add exactly this, and only inside a KaTeX
 * formula (a `span` whose class is `katex`, `katex-display` or `katex-error`, or inside one):
 * spans with KaTeX's class names and the style properties KaTeX writes with numeric values, the
 * MathML of the formula for screen readers, and the SVG shapes KaTeX draws (roots, stretchy arrows).
 */
const KATEX_ROOT = "span.katex, span.katex-display, span.katex-error";
const KATEX_CLASS_WORDS = new Set(
  `katex katex-display katex-error katex-html katex-mathml katex-base katex-strut katex-sizing katex-rule katex-vbox katex-thinbox
  katex-inner katex-fix katex-accent katex-hline katex-hdashline katex-newline katex-overlay katex-overline katex-underline
  katex-root katex-smash katex-sout katex-stretchy katex-tag mord mbin mrel mopen mclose mpunct minner mop mspace msupsub mfrac
  mtight mtable mover munder mult mathnormal mathit mathrm mathbf mathbb mathcal mathfrak mathscr mathsf mathsfit mathtt
  mathboldfrak mathboldsf mathitsf mainrm amsrm boldsymbol text textrm textbf textit textsf texttt textup textmd textbb textfrak
  textscr textboldfrak textboldsf textitsf vlist vlist-t vlist-t2 vlist-r vlist-s pstrut sqrt svg-align hide-tail frac-line
  nulldelimiter delimsizing delimsizinginner delimcenter op-symbol small-op large-op op-limits accent-body accent-full accentunder
  overline-line underline-line llap rlap clap boxpad fbox fcolorbox colorbox cancel-pad cancel-lap anglpad angl x-arrow
  x-arrow-pad brace-left brace-center brace-right halfarrow-left halfarrow-right arraycolsep vertical-separator eqn-num
  mml-eqn-num mtr-glue cd-arrow-pad cd-label-left cd-label-right cd-vert-arrow reflectbox vcenter nobreak allowbreak fleqn leqno
  fontsize-ensurer`.split(/\s+/),
);
const KATEX_CLASS_PATTERN = /^(?:(?:reset-)?size(?:[1-9]|1[01])|delim-size[1-4]|col-align-[lcr])$/;
const EM = /^-?(?:\d+(?:\.\d+)?|\.\d+)em$/;
const COLOR = /^(?:#[0-9a-f]{3,8}|[a-z]+)$/i;
const KATEX_STYLE: Record<string, (value: string) => boolean> = {
  ...Object.fromEntries(
    ["height", "min-width", "top", "left", "bottom", "vertical-align", "margin-left", "margin-right", "padding-left", "border-width"]
      .concat(["border-top-width", "border-right-width", "border-bottom-width"])
      .map((property) => [property, (value: string) => EM.test(value)]),
  ),
  width: (value) => EM.test(value) || /^calc\(\d+% - [\d.]+em\)$/.test(value),
  margin: (value) => value.split(" ").every((part) => part === "0" || EM.test(part)),
  position: (value) => value === "relative",
  "border-style": (value) => value === "solid" || value === "dashed",
  "border-right-style": (value) => value === "solid" || value === "dashed",
  color: (value) => COLOR.test(value),
  "background-color": (value) => COLOR.test(value),
  "border-color": (value) => COLOR.test(value),
  "text-shadow": (value) => /^(?:-?[\d.]+(?:em|px) ?){2,3}$/.test(value),
};
export const MATHML_TAGS: ReadonlySet<string> = new Set(
  "math semantics annotation mrow mi mn mo ms mtext mspace msup msub msubsup mfrac msqrt mroot mover munder munderover mtable mtr mtd mpadded mphantom mstyle menclose".split(" "),
);
const MATHML_ATTRS: ReadonlySet<string> = new Set(
  `display encoding mathvariant stretchy fence separator accent accentunder largeop displaystyle lspace rspace width height depth
  voffset minsize maxsize linethickness mathsize scriptlevel columnalign rowspacing columnspacing rowlines columnlines notation
  mathcolor mathbackground linebreak`.split(/\s+/),
);
const SVG_ATTRS: Record<string, ReadonlySet<string>> = {
  svg: new Set(["width", "height", "viewBox", "preserveAspectRatio", "style"]),
  path: new Set(["d"]),
  line: new Set(["x1", "y1", "x2", "y2", "stroke-width"]),
};
const XHTML = "http://www.w3.org/1999/xhtml";
const MATHML = "http://www.w3.org/1998/Math/MathML";
const SVG = "http://www.w3.org/2000/svg";

function inFormula(element: Element): boolean {
  return element.closest(KATEX_ROOT) !== null;
}

/** Whether `element` may appear in stored HTML: the markdown allowlist, or part of a KaTeX formula. */
export function isSafeElement(element: Element): boolean {
  if (element.namespaceURI === XHTML) return SAFE_TAGS.has(element.localName) || (element.localName === "span" && inFormula(element));
  if (element.namespaceURI === MATHML) return MATHML_TAGS.has(element.localName) && inFormula(element);
  if (element.namespaceURI === SVG) return element.localName in SVG_ATTRS && inFormula(element);
  return false;
}

/**
 * Whether `attribute` may appear on `element` (which `isSafeElement` accepts): the markdown
 * allowlist (a class only as a code block's language), or what KaTeX writes on its own elements.
 * Link schemes are checked by the tests themselves.
 */
export function isSafeAttribute(element: Element, attribute: Attr): boolean {
  const name = attribute.name;
  const value = attribute.value;
  if (element.namespaceURI === XHTML && element.localName === "span") {
    if (name === "class") return value.split(" ").every((word) => KATEX_CLASS_WORDS.has(word) || KATEX_CLASS_PATTERN.test(word));
    if (name === "style")
      return value
        .split(";")
        .filter((declaration) => declaration.trim() !== "")
        .every((declaration) => {
          const [property = "", ...rest] = declaration.split(":");
          return KATEX_STYLE[property.trim()]?.(rest.join(":").trim()) === true;
        });
    if (name === "aria-hidden") return value === "true";
    return name === "title";
  }
  if (element.namespaceURI === MATHML) {
    if (name === "encoding") return element.localName === "annotation" && value === "application/x-tex";
    return MATHML_ATTRS.has(name) && !/[:()<>"']/.test(value.replace(/^#/, ""));
  }
  if (element.namespaceURI === SVG) {
    if (name === "style") return /^width: ?[\d.]+em;?$/.test(value);
    return SVG_ATTRS[element.localName]?.has(name) === true && /^[\w\s.,%+-]*$/.test(value);
  }
  if (name === "class") return element.localName === "code" && /^language-[\w+#.-]+$/.test(value);
  return SAFE_ATTRS.has(name);
}
