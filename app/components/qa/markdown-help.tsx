/** A short markdown cheat sheet under a post's text field; a disclosure, so it works without JavaScript. */
export function MarkdownHelp() {
  return (
    <details className="mb-4 text-xs text-slate-600">
      <summary className="cursor-pointer font-medium text-slate-700 hover:text-slate-900">Formatting help</summary>
      <ul className="mt-2 grid gap-1 rounded-md bg-slate-50 p-3 sm:grid-cols-2">
        <li>
          <code>**bold**</code>, <code>_italic_</code>, <code>`code`</code>
        </li>
        <li>
          <code>[link text](https://example.com)</code>
        </li>
        <li>
          <code>- item</code> or <code>1. item</code> for lists
        </li>
        <li>
          <code>&gt; quote</code>
        </li>
        <li className="sm:col-span-2">
          Code blocks: a line with <code>```sql</code> (any language), the code, then a line with <code>```</code>
        </li>
        <li className="sm:col-span-2">
          Math: <code>$x^2$</code> in a sentence, <code>$$\sum_i x_i$$</code> on its own line (LaTeX, shown with KaTeX); <code>\$</code> for a dollar sign
        </li>
        <li className="sm:col-span-2">Images and files: paste or drop them into the text, or use “Attach a file”</li>
        <li className="sm:col-span-2">HTML is not allowed; it shows as text.</li>
      </ul>
    </details>
  );
}
