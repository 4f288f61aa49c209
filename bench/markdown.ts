/**
 * Markdown rendering cost (render + sanitize), run by bench/run.ts or alone:
 * `npx tsx bench/markdown.ts`. Figures only.
 */
import { renderMarkdown } from "../app/lib/markdown.server.ts";

const paragraph = "Our **on-call** rotation uses [PagerDuty](https://example.com/pd); see `runbook.md` and the table below.\n\n";
const code =
  "```ts\nexport function retry<T>(fn: () => Promise<T>, times = 3): Promise<T> {\n  return fn().catch((e) => (times > 0 ? retry(fn, times - 1) : Promise.reject(e)));\n}\n```\n\n";
const table = "| service | owner | pager |\n|:--|:--|--:|\n| billing | Sofia | yes |\n| search | Kenji | no |\n\n";
const post = (paragraph + code + table + "- [x] check logs\n- [ ] page the owner\n\n> quoted advice\n\n").repeat(4); // about 2 KB

export function benchMarkdown(): string[] {
  const rows: string[] = [];
  for (const [name, text] of [
    ["typical post", post.slice(0, 2000)],
    ["30,000 characters", post.repeat(20).slice(0, 30_000)],
  ] as const) {
    for (let i = 0; i < 20; i++) renderMarkdown(text); // warm up
    const runs = name === "typical post" ? 500 : 50;
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      renderMarkdown(text);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
    rows.push(`| ${name} (${text.length} chars) | ${p(0.5)} | ${p(0.95)} | ${p(0.99)} |`);
  }
  return ["| markdown render + sanitize | p50 ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: |", ...rows];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of benchMarkdown()) console.log(line);
}
