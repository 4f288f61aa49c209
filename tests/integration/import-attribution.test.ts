import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, test } from "vitest";
import { questionPage } from "#app/features/qa/question-page.server.ts";
import { ImportedSource, licenseLink, safeSourceUrl } from "#app/components/qa/imported-source.tsx";
import { setupTestDb } from "#tests/db.ts";
import { createAnswer, createQuestion, createSpace, createUser } from "#tests/factories/index.ts";
import { createImportedProfile, markImported } from "#tests/factories/imports.ts";

const t = setupTestDb();

describe("attribution of imported posts", () => {
  test("the question page carries each imported post's source, author and licence, and nothing for posts written here", async () => {
    const reader = await createUser(t.db);
    const space = await createSpace(t.db);
    const { user: placeholder } = await createImportedProfile(t.db, { name: "hopsfan" });
    const questionId = await createQuestion(t.db, { author: placeholder, space });
    await markImported(t.db, questionId, { sourceId: 42, author: "hopsfan" });
    const importedAnswer = await createAnswer(t.db, { author: placeholder, questionId });
    await markImported(t.db, importedAnswer, { sourceId: 43, author: "Malty Mal", license: "CC BY-SA 4.0" });
    const localAnswer = await createAnswer(t.db, { author: reader, questionId });

    const page = await questionPage(t.db, reader, questionId, new Date());
    expect(page.question.source).toEqual({ url: "https://beer.stackexchange.com/questions/42", author: "hopsfan", license: "CC BY-SA 3.0" });
    expect(page.answers.find((a) => a.id === importedAnswer)!.source).toEqual({ url: "https://beer.stackexchange.com/questions/43", author: "Malty Mal", license: "CC BY-SA 4.0" });
    expect(page.answers.find((a) => a.id === localAnswer)!.source).toBeNull();

    const html = renderToStaticMarkup(createElement(ImportedSource, { source: page.question.source }));
    expect(html).toContain('Imported from <a href="https://beer.stackexchange.com/questions/42"');
    expect(html).toContain(">beer.stackexchange.com</a> — written by hopsfan, licensed ");
    expect(html).toContain(
      '<a href="https://creativecommons.org/licenses/by-sa/3.0/" class="font-medium text-brand-700 underline hover:text-brand-800" rel="license noopener noreferrer">CC BY-SA 3.0</a>',
    );
    expect(renderToStaticMarkup(createElement(ImportedSource, { source: null }))).toBe("");
  });

  test("licences: CC BY-SA in any spelling links its deed; anything else is shown as written", () => {
    expect(licenseLink("cc-by-sa-4.0")).toEqual({ label: "CC BY-SA 4.0", url: "https://creativecommons.org/licenses/by-sa/4.0/" });
    expect(licenseLink("CC BY-SA 2.5")).toEqual({ label: "CC BY-SA 2.5", url: "https://creativecommons.org/licenses/by-sa/2.5/" });
    expect(licenseLink("Public domain")).toEqual({ label: "Public domain", url: null });
  });

  test("only http(s) source URLs become links; an author's name is text", () => {
    expect(safeSourceUrl("javascript:alert(1)")).toBeNull();
    expect(safeSourceUrl("not a url")).toBeNull();
    const html = renderToStaticMarkup(createElement(ImportedSource, { source: { url: "javascript:alert(1)", author: "<img src=x onerror=alert(1)>", license: null } }));
    expect(html).not.toContain("<a");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
