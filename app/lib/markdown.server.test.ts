import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
import katex from "katex";
import { describe, expect, test } from "vitest";
import { MARKDOWN_MAX_DEPTH, MARKDOWN_MAX_LENGTH, MarkdownError, nestingDepth, renderMarkdown } from "./markdown.server.ts";
import { MATH_MAX_DISTINCT, MATH_MAX_FORMULAS, MATH_MAX_SIZE } from "./markdown-math.server.ts";
import { isSafeAttribute, isSafeElement } from "#tests/xss-allowlist.ts";

describe("renderMarkdown: exact output", () => {
  test.each([
    ["plain *emphasis* and **strong**", "<p>plain <em>emphasis</em> and <strong>strong</strong></p>\n"],
    ["```ts\nconst a = 1 < 2;\n```", '<pre><code class="language-ts">const a = 1 &lt; 2;\n</code></pre>\n'],
    ["[docs](https://example.com/a?b=1)", '<p><a href="https://example.com/a?b=1" rel="nofollow noopener noreferrer">docs</a></p>\n'],
    ["[relative](/spaces/engineering#top)", '<p><a href="/spaces/engineering#top" rel="nofollow noopener noreferrer">relative</a></p>\n'],
    ["[mail](mailto:help@northwind.example)", '<p><a href="mailto:help@northwind.example" rel="nofollow noopener noreferrer">mail</a></p>\n'],
    ["- [x] done\n- [ ] todo", '<ul>\n<li><input checked="" disabled="" type="checkbox"> done</li>\n<li><input disabled="" type="checkbox"> todo</li>\n</ul>\n'],
    [
      "| a | b |\n|:--|--:|\n| 1 | 2 |",
      '<table>\n<thead>\n<tr>\n<th align="left">a</th>\n<th align="right">b</th>\n</tr>\n</thead>\n<tbody><tr>\n<td align="left">1</td>\n<td align="right">2</td>\n</tr>\n</tbody></table>\n',
    ],
    ['![logo](https://example.com/l.png "Logo")', '<p><img src="https://example.com/l.png" alt="logo" title="Logo"></p>\n'],
    ["Press <kbd>Ctrl</kbd>+<kbd>C</kbd>", "<p>Press <kbd>Ctrl</kbd>+<kbd>C</kbd></p>\n"],
  ])("%j", (source, html) => {
    expect(renderMarkdown(source)).toBe(html);
  });

  test("dangerous markup and schemes are removed, the text stays", () => {
    expect(renderMarkdown("hi <script>alert(1)</script> there")).toBe("<p>hi  there</p>\n");
    expect(renderMarkdown("[click](javascript:alert(1))")).toBe("<p><a>click</a></p>\n");
    expect(renderMarkdown('<a href="data:text/html,x" onclick="x()">x</a>')).toBe("<p><a>x</a></p>\n");
    expect(renderMarkdown('<p class="evil" style="color:red" data-x="1">t</p>')).toBe("<p>t</p>");
    expect(renderMarkdown('<input type="text" value="x">')).toBe("");
    // Only http, https, mailto and relative addresses, also for images (no data: URIs).
    expect(renderMarkdown('<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">')).toBe('<img alt="x">');
    expect(renderMarkdown("![x](ftp://example.com/a.png)")).toBe('<p><img alt="x"></p>\n');
  });

  test("a list item whose list was removed gets a list of its own, so it cannot close the page's list around it", () => {
    expect(renderMarkdown('<div id="41"><li style="x" onerror=alert(41)></li>')).toBe("<ul><li></li></ul>");
    expect(renderMarkdown("<li>one</li><li>two</li>")).toBe("<ul><li>one</li></ul><ul><li>two</li></ul>");
    expect(renderMarkdown("- a\n- b")).toBe("<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
  });
});

describe("renderMarkdown: limits", () => {
  test(`text over ${MARKDOWN_MAX_LENGTH} characters is refused with its length`, () => {
    expect(() => renderMarkdown("a".repeat(MARKDOWN_MAX_LENGTH))).not.toThrow();
    expect(() => renderMarkdown("a".repeat(MARKDOWN_MAX_LENGTH + 1))).toThrow(new MarkdownError("This text is 30,001 characters long; the limit is 30,000."));
  });

  test.each([
    ["2 KB of >", ">".repeat(2000)],
    ["2,000 inline list markers", "- ".repeat(2000) + "x"],
    ["a 100-level indented list", Array.from({ length: 100 }, (_, i) => " ".repeat(i * 2) + "- x").join("\n")],
  ])("%s is refused with a clear message instead of crashing the parser", (_name, source) => {
    expect(() => renderMarkdown(source)).toThrow(MarkdownError);
    expect(() => renderMarkdown(source)).toThrow(/nested more than 32 levels/);
  });

  test("nesting up to the limit renders; fenced code does not count", () => {
    expect(renderMarkdown(">".repeat(MARKDOWN_MAX_DEPTH) + " deep")).toContain("deep");
    expect(nestingDepth("```\n" + ">".repeat(500) + "\n```")).toBe(0);
    expect(nestingDepth("> - > 1. x")).toBe(4);
  });
});

// Everything that may appear in rendered HTML (tests/xss-allowlist.ts); anything else means the sanitizer let it through.

// One window parses every output: each check gets a fresh template element, and a new window per
// check (about 900 of them) took most of this file's time. It is the same parser either way.
const { document } = new JSDOM("").window;

/** Reasons the HTML could run script or restyle the page; empty when inert. */
function activeContent(html: string): string[] {
  const template = document.createElement("template");
  template.innerHTML = html;
  const problems: string[] = [];
  for (const element of template.content.querySelectorAll("*")) {
    if (!isSafeElement(element)) problems.push(`tag <${element.tagName.toLowerCase()}>`);
    for (const attr of element.attributes) {
      if (!isSafeAttribute(element, attr)) problems.push(`attribute ${attr.name}="${attr.value.slice(0, 60)}" on <${element.tagName.toLowerCase()}>`);
      if ((attr.name === "href" || attr.name === "src") && /^\s*[a-z][a-z0-9+.-]*:/i.test(attr.value) && !/^(https?|mailto):/i.test(attr.value.trim())) {
        problems.push(`${attr.name}=${attr.value.slice(0, 40)}`);
      }
    }
    if (element.tagName === "INPUT" && (element.getAttribute("type") !== "checkbox" || !element.hasAttribute("disabled"))) problems.push("an enabled or non-checkbox input");
  }
  return problems;
}

describe("renderMarkdown: every DOMPurify XSS payload comes out inert", () => {
  const payloads = JSON.parse(readFileSync(new URL("../../tests/fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;

  test("the fixture is complete", () => {
    expect(payloads).toHaveLength(223);
  });

  test.each(payloads.map((p, i) => [i, p.title, p.payload] as const))("#%i %s", (_i, _title, payload) => {
    let html: string;
    try {
      html = renderMarkdown(payload);
    } catch (error) {
      // Refusing an input is safe too, as long as it is refused with a message.
      expect(error).toBeInstanceOf(MarkdownError);
      return;
    }
    expect(activeContent(html)).toEqual([]);
    // Rendering the output again changes nothing: what is stored is stable.
    expect(renderMarkdown(html)).toBe(renderMarkdown(html));
  });
});

describe("renderMarkdown: math", () => {
  /** HTML as a browser serializes it, without the xmlns attributes the HTML parser ignores anyway. */
  const normalized = (html: string) => {
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const element of template.content.querySelectorAll("*")) element.removeAttribute("xmlns");
    return template.innerHTML;
  };
  const katexHtml = (tex: string, displayMode = false) => normalized(katex.renderToString(tex, { output: "htmlAndMathml", throwOnError: false, displayMode }));
  /** Every inline style value in `html` that is a length, in em. */
  const emValues = (html: string) => [...html.matchAll(/style="([^"]*)"/g)].flatMap((m) => [...m[1]!.matchAll(/(-?[\d.]+)em/g)].map((n) => Number(n[1])));

  test.each([
    "x^2 + y^2 = z^2",
    "\\frac{a}{b} + \\sqrt[3]{x}",
    "\\overrightarrow{AB} \\widehat{xyz} \\cancel{x} \\boxed{y}",
    "\\color{red}{x} \\textcolor{#00f}{y} \\colorbox{yellow}{z}",
    "\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}",
    "\\sum_{i=0}^n i = \\frac{n(n+1)}{2}",
    "\\underbrace{a+b}_{c} \\xrightarrow{f} \\mathbb{R}",
  ])("$%s$ is stored as KaTeX's own markup, unchanged", (tex) => {
    expect(renderMarkdown(`Inline $${tex}$ here.`)).toBe(`<p>Inline ${katexHtml(tex)} here.</p>\n`);
    expect(renderMarkdown(`$$\n${tex}\n$$`)).toBe(katexHtml(tex, true) + "\n");
  });

  test("$$…$$ inside a paragraph is shown as a block", () => {
    expect(renderMarkdown("So $$x^2$$ it is.")).toBe(`<p>So ${katexHtml("x^2", true)} it is.</p>\n`);
  });

  test.each([
    ["costs $5 and $10", "<p>costs $5 and $10</p>\n"],
    ["between $5-$10 a day", "<p>between $5-$10 a day</p>\n"],
    ["$ x$ and $y $", "<p>$ x$ and $y $</p>\n"],
    ["escaped \\$x\\$ dollars", "<p>escaped $x$ dollars</p>\n"],
    ["code `$x$` span", "<p>code <code>$x$</code> span</p>\n"],
    ["```\n$x$ and $$y$$\n```", "<pre><code>$x$ and $$y$$\n</code></pre>\n"],
    ["    $x$ indented code", "<pre><code>$x$ indented code\n</code></pre>\n"],
  ])("dollars in prose and code stay text: %j", (source, html) => {
    expect(renderMarkdown(source)).toBe(html);
  });

  test("an underscore inside a formula does not pair with one outside it", () => {
    const html = renderMarkdown("_a $b_c$ d");
    expect(html).not.toContain("<em>");
    expect(html).toContain(katexHtml("b_c"));
  });

  test("a formula in an image's alt text stays its source text", () => {
    expect(renderMarkdown("![$x^2$](/a.png)")).toBe('<p><img src="/a.png" alt="$x^2$"></p>\n');
  });

  test.each([
    ["\\href{javascript:alert(1)}{click}", "javascript"],
    ["\\url{javascript:alert(1)}", "javascript"],
    ["\\href{https://example.com}{x}", "example.com"],
    ["\\htmlClass{fixed inset-0}{x}", "inset-0"],
    ["\\htmlId{evil}{x}", 'id="evil"'],
    ["\\htmlStyle{position:fixed}{x}", "fixed"],
    ["\\htmlData{foo=bar}{x}", "data-foo"],
    ["\\includegraphics{https://example.com/x.png}", "<img"],
  ])("%s makes no link, class, id, style or image (KaTeX's trust is off)", (tex, absent) => {
    const html = renderMarkdown(`$${tex}$`);
    expect(html).toContain("katex");
    expect(activeContent(html)).toEqual([]);
    // Only the formula's source (the annotation, an error's title or the red text) may name it.
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const element of template.content.querySelectorAll("*")) {
      for (const attr of element.attributes) if (attr.name !== "title") expect(`${attr.name}="${attr.value}"`).not.toContain(absent);
      expect(element.localName).not.toBe("a");
      expect(element.localName).not.toBe("img");
    }
  });

  test("huge \\rule, \\kern and \\hspace are capped at the size limit", () => {
    const html = renderMarkdown("$\\rule{100000em}{100000em}$ $\\kern{5000em}x$ $\\hspace{3000em}y$ $\\raisebox{900em}{z}$");
    const values = emValues(html);
    expect(values.length).toBeGreaterThan(5);
    expect(Math.max(...values)).toBeLessThanOrEqual(MATH_MAX_SIZE + 1);
  });

  test("a macro that expands forever is an error in the formula, not a hang or a crash", () => {
    const html = renderMarkdown("$\\def\\a{\\a\\a}\\a$ and $\\frac{$");
    expect(html.match(/class="katex-error"/g)).toHaveLength(2);
    expect(html).toContain("Too many expansions");
    expect(activeContent(html)).toEqual([]);
  });

  test("markup typed as HTML gets nothing of KaTeX's allowance", () => {
    expect(renderMarkdown('<span class="katex" style="position:relative;top:-40em">x</span>')).toBe("<p>x</p>\n");
    expect(renderMarkdown("<math><mi>x</mi></math> <svg><path d='M0 0'/></svg>")).toBe("<p> </p>\n");
  });

  test("a placeholder typed by hand is just text", () => {
    expect(renderMarkdown("\uE000deadbeefdeadbeefdeadbeef:0\uE001 and $x$")).toContain("\uE000deadbeefdeadbeefdeadbeef:0\uE001 and <span");
  });

  test("a text with too many formulas is refused with a message", () => {
    // The same formula many times is typeset once, but every copy is stored.
    expect(() => renderMarkdown("$x$ ".repeat(MATH_MAX_FORMULAS))).not.toThrow();
    expect(() => renderMarkdown("$x$ ".repeat(MATH_MAX_FORMULAS + 1))).toThrow(new MarkdownError("This text has more than 1,000 formulas; split it up."));
    const different = (n: number) => Array.from({ length: n }, (_, i) => `$${i}$`).join(" ");
    expect(() => renderMarkdown(different(MATH_MAX_DISTINCT))).not.toThrow();
    expect(() => renderMarkdown(different(MATH_MAX_DISTINCT + 1))).toThrow(new MarkdownError(`This text has more than ${MATH_MAX_DISTINCT} different formulas; split it up.`));
  });

  describe("every DOMPurify XSS payload inside $…$ and $$…$$ comes out inert", () => {
    const payloads = JSON.parse(readFileSync(new URL("../../tests/fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;
    test.each(payloads.map((p, i) => [i, p.title, p.payload] as const))("#%i %s", (_i, _title, payload) => {
      const tex = payload.replace(/\$/g, "");
      for (const source of [`$${tex}$`, `$$\n${tex}\n$$`, `before $x$ ${payload} after $y$`]) {
        let html: string;
        try {
          html = renderMarkdown(source);
        } catch (error) {
          expect(error).toBeInstanceOf(MarkdownError);
          continue;
        }
        expect(activeContent(html), source).toEqual([]);
      }
    });
  });
});
