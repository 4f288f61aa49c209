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
