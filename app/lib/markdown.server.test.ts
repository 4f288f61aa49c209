import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
import { describe, expect, test } from "vitest";
import { MARKDOWN_MAX_DEPTH, MARKDOWN_MAX_LENGTH, MarkdownError, nestingDepth, renderMarkdown } from "./markdown.server.ts";
import { SAFE_ATTRS, SAFE_TAGS } from "#tests/xss-allowlist.ts";

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

/** Reasons the HTML could run script or restyle the page; empty when inert. */
function activeContent(html: string): string[] {
  const { document } = new JSDOM("").window;
  const template = document.createElement("template");
  template.innerHTML = html;
  const problems: string[] = [];
  for (const element of template.content.querySelectorAll("*")) {
    if (!(element.namespaceURI === "http://www.w3.org/1999/xhtml" && SAFE_TAGS.has(element.localName))) problems.push(`tag <${element.tagName.toLowerCase()}>`);
    for (const attr of element.attributes) {
      if (!SAFE_ATTRS.has(attr.name)) problems.push(`attribute ${attr.name} on <${element.tagName.toLowerCase()}>`);
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
