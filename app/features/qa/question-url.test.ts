import { expect, test } from "vitest";
import { questionUrl, slugify } from "./question-url.ts";

test("slugs are lower-case words joined by dashes, never an action segment", () => {
  expect(slugify("How do I restore a Postgres backup?")).toBe("how-do-i-restore-a-postgres-backup");
  expect(slugify("Ça marche über alles")).toBe("ca-marche-uber-alles");
  expect(slugify("???")).toBe("question");
  expect(slugify("Close")).toBe("close-question");
  expect(slugify("follow!")).toBe("follow-question");
  expect(slugify("word ".repeat(40)).length).toBeLessThanOrEqual(80);
  expect(questionUrl({ id: 7, title: "Close" }, "answer-3")).toBe("/questions/7/close-question#answer-3");
});
