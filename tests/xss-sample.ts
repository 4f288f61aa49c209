/**
 * The XSS payloads (titles from tests/fixtures/xss) whose outcome depends on a real HTML parser
 * and script engine, one of each kind: what the browser journey over the profile runs
 * (tests/e2e/xss.spec.ts), and the core of the sample the integration tests take for paths whose
 * every payload already went through the module that makes it inert (tests/xss-render.ts).
 * Kept apart from xss-render.ts so that the browser journey doesn't load JSDOM.
 */
export const BROWSER_SAMPLE = [
  // A plain <script> after a broken <option>/<iframe>: the classic.
  "Iframe inside option element",
  // An event handler hidden in a malformed attribute.
  "mXSS Variation II",
  // <noscript> is parsed differently with scripting on (a browser) than off (JSDOM, DOMPurify's tests).
  "Img element inside noscript terminated inside attribute",
  // Namespace confusion (SVG and MathML), the mutation XSS of Chrome 77 and later.
  "Tests against mXSS behavior with SVG in Chrome 77 and alike 1/2",
  "Tests against nesting-based mXSS behavior 2/5",
  // A handler that fires on its own (svg onload, autofocus): no click needed.
  "DOM clobbering attack using name=body and injecting SVG + keygen",
  // Carriage returns and line feeds inside the payload (the bio keeps its lines).
  "Image with data URI src with whitespace",
  // Unicode line separators inside a javascript: URL.
  "JavaScript URIs using Unicode LS/PS I",
];
