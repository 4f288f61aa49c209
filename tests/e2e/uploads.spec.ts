import sharp from "sharp";
import { test, expect } from "./fixtures.ts";

// Images attached, pasted and refused in the question editor, then shown on the question page
// with its math, under the production Content-Security-Policy (the page fixture fails on a violation).
test("an image attached and one pasted are uploaded and shown; a refused file says why; math renders", async ({ page, login }) => {
  const run = Date.now().toString(36);
  const title = `Why does the revenue chart dip every March ${run}?`;
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#2f6fdf" } })
    .png()
    .toBuffer();

  await login("amara.okafor@northwind.example");
  await page.goto("/questions/ask?space=engineering");
  await page.getByLabel("Title").fill(title);
  const details = page.getByLabel("Details");
  await details.fill(`The dip follows $e^{i\\pi} + 1 = 0$ and costs $5 and $10 each time (${run}).\n\n`);

  await page.getByLabel("Attach a file").setInputFiles({ name: "chart.png", mimeType: "image/png", buffer: png });
  await expect(details).toHaveValue(/!\[chart\]\(\/uploads\/[A-Za-z0-9_-]{22}\/chart\.png\)/);
  await expect(page.getByRole("status").filter({ hasText: "Uploaded" })).toHaveText("Uploaded chart.png.");

  // A pasted screenshot: the clipboard holds a file and no text.
  await details.press("End");
  await details.evaluate((textarea, base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const clipboard = new DataTransfer();
    clipboard.items.add(new File([bytes], "screenshot.png", { type: "image/png" }));
    textarea.dispatchEvent(new ClipboardEvent("paste", { clipboardData: clipboard, bubbles: true, cancelable: true }));
  }, png.toString("base64"));
  await expect(details).toHaveValue(/!\[screenshot\]\(\/uploads\/[A-Za-z0-9_-]{22}\/screenshot\.png\)/);

  // A program is refused, its placeholder goes, and the message says what is taken.
  await page
    .getByLabel("Attach a file")
    .setInputFiles({ name: "tool.exe", mimeType: "application/octet-stream", buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...Array(40).fill(0)]) });
  await expect(page.getByRole("alert")).toContainText("tool.exe: Commons doesn't take this kind of file. It takes images (PNG, JPEG, GIF, WebP)");
  await expect(details).not.toHaveValue(/Uploading/);

  await page.getByRole("combobox", { name: "Tags" }).fill("reporting");
  await page.getByRole("combobox", { name: "Tags" }).press("Escape");
  await page.getByRole("button", { name: "Post your question" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  for (const name of ["chart", "screenshot"]) {
    const image = page.getByRole("img", { name });
    await expect(image).toBeVisible();
    expect(await image.evaluate((img: HTMLImageElement) => [img.complete, img.naturalWidth])).toEqual([true, 40]);
  }
  // The formula is typeset (with its MathML for screen readers); the prices stay prose.
  const formula = page.locator(".katex").first();
  await expect(formula).toBeVisible();
  await expect(formula.locator("annotation")).toHaveText("e^{i\\pi} + 1 = 0");
  await expect(page.getByText("costs $5 and $10 each time")).toBeVisible();
});
