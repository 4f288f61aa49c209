import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createMemoryRouter, Outlet, RouterProvider, useActionData, useLoaderData } from "react-router";
import { InputError } from "#app/lib/errors.ts";
import { isSafeAttribute, isSafeElement } from "./xss-allowlist.ts";
import { BROWSER_SAMPLE } from "./xss-sample.ts";

/**
 * What the XSS tests share: the DOMPurify corpus, the check of stored HTML against
 * tests/xss-allowlist.ts, the check of a whole rendered screen for anything that runs, and a route
 * component rendered as the app renders it. One JSDOM window parses everything: a new one per
 * screen is far slower, and it is the same parser.
 */

/** Every DOMPurify payload (tests/fixtures/xss/README.md). */
export const payloads = JSON.parse(readFileSync(new URL("./fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title: string; payload: string }>;

const NEVER = [
  "script",
  "style",
  "iframe",
  "frame",
  "svg",
  "math",
  "form",
  "object",
  "embed",
  "link",
  "meta",
  "base",
  "template",
  "noscript",
  "textarea",
  "button",
  "select",
  "video",
  "audio",
  "source",
];
// Browsers ignore control characters and spaces inside a URL's scheme.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const URL_IGNORED = /[\u0000-\u0020\u00a0]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

const window = new JSDOM("").window;

/** Whether a link or source would run something: a scheme other than http, https and mailto. */
export function badUrl(value: string): boolean {
  const scheme = SCHEME.exec(value.replace(URL_IGNORED, ""))?.[1]?.toLowerCase();
  return scheme !== undefined && !["http", "https", "mailto"].includes(scheme);
}

/**
 * What is wrong with `html` as stored output of the markdown module; empty when it is inert.
 * `headingAnchors` also accepts ids on headings (the wiki's table of contents).
 */
export function problems(html: string, { headingAnchors = false }: { headingAnchors?: boolean } = {}): string[] {
  const found: string[] = [];
  const check = (root: Element) => {
    // <math> and <svg> only as part of a KaTeX formula (tests/xss-allowlist.ts).
    for (const name of NEVER) for (const el of root.querySelectorAll(name)) if (!isSafeElement(el)) found.push(`<${name}>`);
    for (const el of root.querySelectorAll("*")) {
      const tag = el.localName;
      if (!isSafeElement(el)) found.push(`element <${tag}> (${el.namespaceURI})`);
      if (tag === "input" && (el.getAttribute("type") !== "checkbox" || !el.hasAttribute("disabled"))) found.push("an input that is not a disabled checkbox");
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) found.push(`handler ${name} on <${tag}>`);
        const anchor = headingAnchors && name === "id" && /^h[1-4]$/.test(tag) && /^h-[a-z0-9-]+$/.test(attr.value);
        if (!isSafeAttribute(el, attr) && !anchor) found.push(`attribute ${name} on <${tag}>`);
        if ((name === "href" || name === "src") && badUrl(attr.value)) found.push(`${name}="${attr.value.slice(0, 60)}" on <${tag}>`);
      }
    }
  };
  const first = window.document.createElement("div");
  first.innerHTML = html;
  check(first);
  // What a browser builds from the serialized result must be just as inert (mutation XSS).
  const second = window.document.createElement("div");
  second.innerHTML = first.innerHTML;
  check(second);
  // On a page the HTML sits in a div inside other markup (a comment is a list item): parsed there,
  // it must stay inside its div and leave what follows it in place.
  const page = parseDocument(`<ul id="list"><li id="item"><div id="post">${html}</div><span id="after"></span></li></ul>`);
  const post = page.getElementById("post");
  if (page.getElementById("after")?.previousElementSibling !== post || post?.parentElement?.id !== "item" || page.getElementById("list")?.children.length !== 1) {
    found.push("escapes its container when the page is parsed");
  }
  return [...new Set(found)];
}

function parseDocument(html: string): Document {
  return new window.DOMParser().parseFromString(`<!doctype html><body>${html}</body>`, "text/html");
}

/** A rendered screen as a browser parses it: the body of a whole document. */
export function parseScreen(html: string): HTMLElement {
  return parseDocument(html).body;
}

/** What could run in a whole rendered screen (our own markup included): scripts, frames, handlers, script URLs. */
export function executable(screen: string | ParentNode): string[] {
  const root = typeof screen === "string" ? parseScreen(screen) : screen;
  const found: string[] = [];
  for (const name of ["script", "iframe", "frame", "object", "embed", "base", "meta", "link", "style", "template", "math"]) if (root.querySelector(name)) found.push(`<${name}>`);
  for (const el of root.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) found.push(`handler ${name} on <${el.localName}>`);
      if (["href", "src", "action", "formaction", "xlink:href", "srcdoc"].includes(name) && (name === "srcdoc" || badUrl(attr.value))) found.push(`${name} on <${el.localName}>`);
    }
  }
  return [...new Set(found)];
}

/** Plain text rendered the way React renders it: one text node, no element. */
export function rendersAsText(text: string): boolean {
  const el = window.document.createElement("div");
  el.innerHTML = renderToStaticMarkup(createElement("p", null, text));
  const p = el.firstElementChild;
  // The HTML parser turns a lone carriage return into a line feed: that is not markup.
  return el.children.length === 1 && p !== null && p.children.length === 0 && p.textContent === text.replace(/\r\n?/g, "\n");
}

/** A route component rendered as the app renders it: inside a data router, with its loader's data and the signed-in `user` in the root route's. */
export function renderRoute(Component: ComponentType<never>, loaderData: unknown, user: { id: number; name: string; role: string }): string {
  function Page() {
    return createElement(Component, { loaderData: useLoaderData(), actionData: useActionData(), params: {}, matches: [] } as never);
  }
  const router = createMemoryRouter([{ id: "root", path: "/", loader: () => null, Component: Outlet, children: [{ id: "page", path: "*", loader: () => null, Component: Page }] }], {
    initialEntries: ["/page"],
    hydrationData: { loaderData: { root: { user: { ...user, kind: "employee" } }, page: loaderData } },
  });
  return renderToStaticMarkup(createElement(RouterProvider, { router }));
}

/**
 * The payloads of the browser journey's sample (tests/e2e/xss.spec.ts), one of each kind whose
 * outcome depends on the parser, and every 16th of the corpus for the rest (long ones, short ones
 * that fit a title, control characters): 22 in all. For the paths whose every payload already went
 * through the module that makes it inert (the markdown module, React's escaping), where the whole
 * corpus would prove nothing more.
 */
export const SAMPLE_TITLES = BROWSER_SAMPLE;
export const sample = payloads.filter((p, i) => SAMPLE_TITLES.includes(p.title) || i % 16 === 0);

/** What `run` stored, or null when it refused the input with a message for the writer (nothing stored). */
export async function refusedOrStored<T>(run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof InputError) return null;
    throw error;
  }
}
