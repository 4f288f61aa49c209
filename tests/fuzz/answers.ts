/**
 * What no answer may be: a 500 (or another 5xx than the 503 of a dependency that is away), or a
 * body that shows the server's insides (a stack trace's "    at " lines, file paths, node_modules).
 */

const INSIDES: ReadonlyArray<[string, RegExp]> = [
  ["a stack frame", /\n\s+at (?:async )?[\w$.<>[\] ]+ \(|\n\s+at (?:file:|node:|\/)/],
  ["node_modules", /node_modules/],
  ["a source position", /\.(?:ts|tsx|js|mjs|cjs):\d+:\d+/],
  ["a server path", /(?:^|["'\s(])\/(?:home|work|root|usr\/lib|tmp\/commons)\/[\w.-]+/],
];

/** Why the answer is wrong, or null. `sent` is what the request carried: an echo of the request's own text is not a leak. */
export function badAnswer(status: number, body: string, sent = ""): string | null {
  if (status >= 500 && status !== 503) return `answered ${status}`;
  for (const [what, pattern] of INSIDES) {
    const match = pattern.exec(body);
    if (match && !sent.includes(match[0].trim())) return `the body shows ${what}: ${JSON.stringify(body.slice(Math.max(0, match.index - 80), match.index + 120))}`;
  }
  return null;
}
