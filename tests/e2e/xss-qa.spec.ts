import { readFileSync } from "node:fs";
import type { APIRequestContext } from "@playwright/test";
import { test, expect } from "./fixtures.ts";

// Every DOMPurify XSS payload, written into questions, answers, comments, an edit and a tag
// description through the app's own forms, must come out inert in Chromium: no dialog, no page
// error, no Content-Security-Policy violation on the pages that show them (the page fixture fails
// the test on any of these).
const payloads = (JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ payload: string }>).map((p) => p.payload);

const CHUNK = 20;
const COMMENT_MAX = 600;
const chunks: string[][] = [];
for (let i = 0; i < payloads.length; i += CHUNK) chunks.push(payloads.slice(i, i + CHUNK));

/** Comments are short: as many payloads as fit in one, whole payloads only (longer ones are left to the other paths). */
function commentBodies(list: string[]): string[] {
  const bodies: string[] = [];
  let current = "";
  for (const payload of list.filter((p) => p.length <= COMMENT_MAX)) {
    if (current && current.length + 2 + payload.length > COMMENT_MAX) {
      bodies.push(current);
      current = "";
    }
    current = current ? `${current}\n\n${payload}` : payload;
  }
  if (current) bodies.push(current);
  return bodies.filter((b) => b.trim().length >= 2);
}

/** A payload usable as a title (one line, 15–150 characters), or a plain one. */
function titleFrom(list: string[], fallback: string): string {
  const fits = list.map((p) => p.replace(/\s+/g, " ").trim()).find((p) => p.length >= 15 && p.length <= 150);
  return fits ?? fallback;
}

test("Q&A: every payload in questions, answers, comments, edits and tag descriptions renders inert", async ({ page, login, baseURL }) => {
  test.setTimeout(300_000);
  const origin = { Origin: baseURL! };
  // An admin: creates a restricted space of its own, so the corpus shows up in nobody else's lists.
  await login("amara.okafor@northwind.example");
  const request: APIRequestContext = page.request;
  const stamp = Date.now().toString(36);
  const slug = `xss-lab-${stamp}`;
  const tag = `xss-${stamp}`;

  const post = async (url: string, form: Record<string, string>) => {
    const response = await request.post(url, { headers: origin, form, maxRedirects: 0 });
    expect(response.status(), `${url} ${form.intent ?? ""}`).toBeLessThan(500);
    return response;
  };
  const location = (response: Awaited<ReturnType<typeof post>>) => {
    expect(response.status()).toBe(302);
    return new URL(response.headers().location!, baseURL).pathname;
  };

  location(await post("/admin/spaces", { intent: "create-space", name: `XSS lab ${stamp}`, slug, description: "Payloads for the browser test.", visibility: "restricted" }));

  let stored = 0;
  const questions: Array<{ url: string; id: string; marker: string }> = [];
  for (const [i, chunk] of chunks.entries()) {
    const marker = `XSS corpus part ${i + 1}`;
    const body = `${marker} (question)\n\n${chunk.join("\n\n")}`;
    const asked = await post("/questions/ask", {
      space: slug,
      title: titleFrom(chunk, `${marker} as a question`),
      body,
      tags: `testing ${tag}`,
      submissionKey: `xss-ask-${stamp}-${i}`,
    });
    // A chunk the markdown module refuses as a whole (too deep, too long) is still covered one payload at a time below.
    if (asked.status() !== 302) continue;
    stored += chunk.length;
    const url = location(asked);
    const id = url.split("/")[2]!;
    questions.push({ url, id, marker });

    const answered = await post(url, { intent: "answer", body: `${marker} (answer)\n\n${chunk.join("\n\n")}`, submissionKey: `xss-answer-${stamp}-${i}` });
    const answerId = /#answer-(\d+)$/.exec(answered.headers().location ?? "")?.[1];
    // Comments name the item they are on: the page's comment forms carry them, the question's first.
    const items = [...(await (await request.get(url)).text()).matchAll(/name="itemId" value="(\d+)"/g)].map((m) => m[1]!);
    const [questionItem, answerItem] = [items[0]!, answerId ? items.at(-1)! : undefined];
    for (const [j, comment] of commentBodies(chunk).entries()) {
      await post(url, { intent: "comment", itemId: j % 2 === 0 || !answerItem ? questionItem : answerItem, body: comment, submissionKey: `xss-comment-${stamp}-${i}-${j}` });
    }
  }
  // Most chunks went in whole; the rest one payload per answer on the first question.
  expect(questions.length).toBeGreaterThan(chunks.length / 2);
  for (const [i, chunk] of chunks.entries()) {
    if (questions.some((q) => q.marker === `XSS corpus part ${i + 1}`)) continue;
    for (const [j, payload] of chunk.entries()) {
      const answered = await post(questions[0]!.url, { intent: "answer", body: `${payload}\n\npart ${i + 1}, payload ${j + 1}`, submissionKey: `xss-one-${stamp}-${i}-${j}` });
      if (answered.status() === 302) stored++;
    }
  }
  expect(stored).toBeGreaterThan(200);

  // An edit (the history page shows the old and the new text side by side) and a tag description.
  const first = questions[0]!;
  const edited = await post(`/posts/${first.id}/edit`, {
    intent: "edit",
    title: titleFrom(chunks[chunks.length - 1]!, "XSS corpus, edited"),
    body: `${first.marker} (question, edited)\n\n${chunks[chunks.length - 1]!.join("\n\n")}`,
    tags: `testing ${tag}`,
    comment: payloads[0]!.slice(0, 200),
  });
  first.url = location(edited);
  first.marker = `${first.marker} (question, edited)`;
  const described = await post(`/tags/${tag}/edit`, { intent: "save-tag", description: chunks[0]!.join("\n\n").slice(0, 5000) });
  expect(described.status()).toBe(302);

  for (const q of questions) {
    await page.goto(q.url);
    // Posts may hold headings of their own (markdown "#"): the page's is the first.
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    // The stored HTML was rendered (not an error page): the chunk's marker is on the page as text.
    await expect(page.getByText(q.marker, { exact: false }).first()).toBeVisible();
  }
  for (const path of [`/posts/${first.id}/revisions`, `/spaces/${slug}`, "/questions", `/questions?tag=${tag}`, `/tags/${tag}`, "/tags"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  }
});
