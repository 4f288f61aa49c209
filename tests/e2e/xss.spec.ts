import { readFileSync } from "node:fs";
import { test, expect } from "./fixtures.ts";
import { BROWSER_SAMPLE as SAMPLE } from "../xss-sample.ts";

// XSS payloads written into the profile fields must come out inert in Chromium: shown as text, no
// element with an event handler in the page, no dialog, no page error, no Content-Security-Policy
// violation (the page fixture fails the test on any of these).
//
// Every one of the 223 DOMPurify payloads already goes through the profile at the integration level:
// the settings action and its form (tests/integration/profile.test.ts) and the bio's rendering as
// text (xss-write-paths.test.ts, whose save takes the 22-payload sample of tests/xss-render.ts);
// and React escapes whatever the profile shows. What
// only a browser proves is how a real HTML parser and a real script engine treat the page, so this
// journey keeps a fixed sample, one payload of each kind whose outcome depends on the parser (all
// 223 took 2.0 minutes of the last full run; these are 8, listed with why in tests/xss-sample.ts).
const all = JSON.parse(readFileSync(new URL("../fixtures/xss/dompurify-payloads.json", import.meta.url), "utf8")) as Array<{ title?: string; payload: string }>;

test("profile fields: a sample of payloads, one of each kind, is shown as text on the profile page", async ({ page, login, baseURL }) => {
  // Eight saves and page loads: more than the default 30 s on a busy machine.
  test.slow();
  const payloads = SAMPLE.map((title) => {
    const found = all.find((p) => p.title === title);
    expect(found, `the corpus has the payload "${title}"`).toBeDefined();
    return found!.payload;
  });
  await login("zoe.williams@northwind.example");
  await page.goto("/settings/profile");
  const profileLink = page.getByRole("link", { name: "Your profile" });
  const profilePath = await profileLink.getAttribute("href");
  expect(profilePath).toMatch(/^\/people\/\d+$/);
  for (const payload of payloads) {
    const response = await page.request.post("/settings/profile", {
      headers: { Origin: baseURL! },
      form: { intent: "save-profile", name: "Zoe Williams", title: payload.slice(0, 100).replace(/[\n\r]/g, " "), department: "Finance", location: "London", manager: "", bio: payload },
    });
    // Every payload of the sample fits the fields: each one is saved and shown.
    expect(response.status(), payload).toBe(200);
    await page.goto(profilePath!);
    await expect(page.getByRole("heading", { level: 1, name: "Zoe Williams" })).toBeVisible();
    // The bio is the payload's text, character for character (the HTML parser turns CR LF into LF)...
    expect(await page.locator("main p").allTextContents(), payload).toContain(payload.replace(/\r\n?/g, "\n"));
    // ...and the page holds no element the payload made: nothing with an on* handler, no script but the app's.
    const injected = await page.evaluate(() => ({
      handlers: [...document.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.toLowerCase().startsWith("on"))).map((el) => el.outerHTML.slice(0, 120)),
      inlineScripts: [...document.querySelectorAll("main script")].length,
    }));
    expect(injected, payload).toEqual({ handlers: [], inlineScripts: 0 });
  }
  // Her seeded title back, and no bio, for the journeys after this one (the manager stays cleared, as before).
  const reset = await page.request.post("/settings/profile", {
    headers: { Origin: baseURL! },
    form: { intent: "save-profile", name: "Zoe Williams", title: "Payroll Specialist", department: "Finance", location: "London", manager: "", bio: "" },
  });
  expect(reset.status()).toBe(200);
});
